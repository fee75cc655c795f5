"""Quiet hours: nothing the bot sends on its own arrives at night, in the school's time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.config import QuietHours

EARLY_MARGIN = timedelta(minutes=15)


def in_quiet(moment: datetime, zone: ZoneInfo, quiet: QuietHours) -> bool:
    local = moment.astimezone(zone).time()
    if quiet.start <= quiet.end:
        return quiet.start <= local < quiet.end
    return local >= quiet.start or local < quiet.end  # the window spans midnight


def _window_edges(moment: datetime, zone: ZoneInfo, quiet: QuietHours) -> tuple[datetime, datetime]:
    """Start and end of the quiet window that contains `moment`."""
    local = moment.astimezone(zone)
    day = local.date()
    if quiet.start > quiet.end and local.time() < quiet.end:
        day -= timedelta(days=1)  # after midnight: the window began the evening before
    start = datetime.combine(day, quiet.start, tzinfo=zone)
    end_day = day + timedelta(days=1) if quiet.start > quiet.end else day
    end = datetime.combine(end_day, quiet.end, tzinfo=zone)
    return start, end


def quiet_end(moment: datetime, zone: ZoneInfo, quiet: QuietHours) -> datetime:
    """The end of the quiet window that contains `moment`."""
    return _window_edges(moment, zone, quiet)[1]


def school_day(moment: datetime, zone: ZoneInfo, quiet: QuietHours) -> date:
    """The school's day a message queued at `moment` reaches its recipient on: today, or in
    quiet hours the day they end. A daily (or weekly) job's key carries this day, so a run
    again in the same night, before or after midnight, repeats the key the outbox keeps once."""
    if in_quiet(moment, zone, quiet):
        moment = quiet_end(moment, zone, quiet)
    return moment.astimezone(zone).date()


def next_school_day(moment: datetime, zone: ZoneInfo, quiet: QuietHours) -> datetime:
    """The first moment a message of the school's next day (after `school_day`) can arrive."""
    midnight = datetime.combine(school_day(moment, zone, quiet) + timedelta(days=1), time(0))
    start = midnight.replace(tzinfo=zone)
    return quiet_end(start, zone, quiet) if in_quiet(start, zone, quiet) else start


def delivery_time(
    wanted: datetime, deadline: datetime, zone: ZoneInfo, quiet: QuietHours, now: datetime
) -> datetime | None:
    """When to send something wanted at `wanted` that is useless after `deadline`: outside
    quiet hours, at their end, or else just before they began; None if no moment fits."""
    if not in_quiet(wanted, zone, quiet):
        return wanted if wanted < deadline else None
    start, end = _window_edges(wanted, zone, quiet)
    if end < deadline:
        return end
    early = start - EARLY_MARGIN
    return early if now <= early < deadline else None


def quiet_hours_label(quiet: QuietHours) -> str:
    return f"{quiet.start:%H:%M}–{quiet.end:%H:%M}"
