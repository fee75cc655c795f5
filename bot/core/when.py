"""Reading a meeting time as a teacher types it, in the school's time zone.

"28.11 15:30", "28.11.2026 15:30", "завтра в 16:00", "сегодня 18:00", "послезавтра 9:00",
"в пятницу 15:00". The result is an aware datetime in UTC, or a precise Russian reason why
not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.i18n import tr
from bot.ui import texts

MAX_AHEAD = timedelta(days=366)
_WEEKDAYS = {
    "понедельник": 0,
    "пн": 0,
    "вторник": 1,
    "вт": 1,
    "среду": 2,
    "среда": 2,
    "ср": 2,
    "четверг": 3,
    "чт": 3,
    "пятницу": 4,
    "пятница": 4,
    "пт": 4,
    "субботу": 5,
    "суббота": 5,
    "сб": 5,
    "воскресенье": 6,
    "вс": 6,
}
_RELATIVE = {"сегодня": 0, "завтра": 1, "послезавтра": 2}
_TIME = re.compile(r"(\d{1,2})[:.\-](\d{2})$")


@dataclass(frozen=True)
class WhenError:
    reason: str


def parse_when(raw: str, now: datetime, zone: ZoneInfo) -> datetime | WhenError:
    text = " ".join(raw.lower().replace(",", " ").split()).replace(" в ", " ")
    text = text.removeprefix("в ").strip()
    if text in ("вчера", "позавчера") or text.startswith(("вчера ", "позавчера ")):
        return WhenError(tr("when-past"))
    parts = text.rsplit(" ", 1)
    if len(parts) != 2:
        return WhenError(tr("when-format"))
    day_text, time_text = parts
    clock = _clock(time_text)
    if isinstance(clock, WhenError):
        return clock
    local_now = now.astimezone(zone)
    day = _day(day_text, local_now.date())
    if isinstance(day, WhenError):
        return day
    moment = datetime.combine(day, clock, tzinfo=zone)
    if moment <= local_now:
        return WhenError(tr("when-past"))
    if moment - local_now > MAX_AHEAD:
        return WhenError(tr("when-too-far"))
    return moment.astimezone(ZoneInfo("UTC"))


def _clock(text: str) -> time | WhenError:
    match = _TIME.fullmatch(text)
    if not match:
        return WhenError(tr("when-format"))
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        return WhenError(texts.when_bad_time(text))
    return time(hours, minutes)


def _day(text: str, today: date) -> date | WhenError:
    if text in _RELATIVE:
        return today + timedelta(days=_RELATIVE[text])
    if text in _WEEKDAYS:
        ahead = (_WEEKDAYS[text] - today.weekday()) % 7
        return today + timedelta(days=ahead or 7)
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?", text)
    if not match:
        return WhenError(tr("when-format"))
    day, month = int(match[1]), int(match[2])
    year = int(match[3]) if match[3] else today.year
    if year < 100:
        year += 2000
    try:
        found = date(year, month, day)
    except ValueError:
        return WhenError(texts.when_no_such_date(text))
    if match[3] is None and found < today:
        # "15.01" typed in December means next January.
        try:
            found = date(year + 1, month, day)
        except ValueError:
            return WhenError(texts.when_no_such_date(text))
    return found


def shown(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")
