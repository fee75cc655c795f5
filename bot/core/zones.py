"""Time zones as teachers read them: «Москва (МСК)», «Екатеринбург (МСК+2)», never an IANA id.

SCHOOL_TIMEZONES are Russia's zones, offered as buttons when a school is created; their city
names are in dates.ftl. A zone outside the list is named by its offsets: «UTC+1 (МСК−2)».
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.i18n import tr
from storage.models import Organization

SCHOOL_TIMEZONES: tuple[str, ...] = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
)
MOSCOW = ZoneInfo("Europe/Moscow")


def school_zone(school: Organization | None) -> ZoneInfo:
    """The school's zone; Moscow's for a school that is gone (its messages still need a time)."""
    return ZoneInfo(school.timezone) if school else MOSCOW


def timezone_label(zone: ZoneInfo | str, at: datetime | None = None) -> str:
    """Plain text (no HTML): usable on a button and inside a message alike. `at` picks the
    offset for zones with summer time (none of Russia's since 2014)."""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    moment = (at or datetime.now(UTC)).astimezone(zone)
    from_utc = moment.utcoffset() or timedelta()
    from_moscow = from_utc - (moment.astimezone(MOSCOW).utcoffset() or timedelta())
    offset = (
        tr.plain("timezone-moscow")
        if not from_moscow
        else tr.plain("timezone-from-moscow", offset=_signed(from_moscow))
    )
    city = tr.plain("timezone-city", zone=zone.key.replace("/", "_"))
    if zone.key in SCHOOL_TIMEZONES and city:
        return tr.plain("timezone-label", city=city, offset=offset)
    return tr.plain("timezone-label-other", utc=_signed(from_utc), offset=offset)


def _signed(delta: timedelta) -> str:
    """+2, −1 (a real minus sign), +5:30."""
    minutes = int(delta.total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    text = f"{hours}:{rest:02d}" if rest else str(hours)
    return ("+" if minutes >= 0 else "−") + text
