"""The rules of a roadmap without storage: school years, deadlines as a curator types them
(a date, a month, «ежегодно, сентябрь»), when reminders go out, what is overdue."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.config import QuietHours
from bot.core.i18n import tr
from bot.core.quiet import delivery_time
from bot.core.when import NeedsTime, WhenError, WhenRefusal, parse_when
from storage.models import DeadlineKind, ItemStatus
from storage.roadmap import Roadmap, RoadmapItem

# Reminders to the responsible people: a week and a day before the deadline, at 9:00.
DEFAULT_OFFSETS: tuple[int, ...] = (7, 1)
MORNING = time(9, 0)
END_OF_DAY = time(23, 59)
# A reminder whose moment passed longer ago than this is not sent late.
LATE_GRACE = timedelta(hours=12)

_MONTHS = (
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("ма[йяе]", 5),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
)
_YEARLY = re.compile(r"\b(ежегодно|каждый|каждого|каждом|every)\b")
_YEAR = re.compile(r"\b(20\d\d)\b")


def year_start(day: date) -> int:
    """The first calendar year of the school year the day belongs to (from September)."""
    return day.year if day.month >= 9 else day.year - 1


def year_label(start: int) -> str:
    return f"{start}/{start + 1}"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def place(month: int, day: int | None, start: int) -> date:
    """A month (and day) of the school year that begins in September of `start`."""
    year = start if month >= 9 else start + 1
    if day is None:
        return month_end(year, month)
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


class DeadlineRefusal(StrEnum):
    """Why a typed deadline was not taken (roadmap.ftl, `roadmap-deadline-wrong`)."""

    PAST = "past"
    FORMAT = "format"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_on: date  # the date, or the last day of the month


def month_of(text: str) -> int | None:
    for word in text.split():
        for stem, number in _MONTHS:
            if re.fullmatch(f"{stem}[а-я]*", word):
                return number
    return None


def parse_deadline(
    raw: str, now: datetime, zone: ZoneInfo, start: int
) -> Deadline | DeadlineRefusal:
    """A deadline as the curator types it: «30.09», «до 15.10.2026», «октябрь», «в мае 2027»,
    «ежегодно, сентябрь» (in the roadmap's school year); never one already past."""
    text = " ".join(raw.lower().replace(",", " ").replace("«", " ").replace("»", " ").split())
    text = text.removeprefix("до ").removeprefix("в ").removeprefix("к ")
    today = now.astimezone(zone).date()
    month = month_of(text)
    if month is not None:
        year = _YEAR.search(text)
        if _YEARLY.search(text):
            found = Deadline(DeadlineKind.YEARLY, place(month, None, start))
        elif year is not None:
            found = Deadline(DeadlineKind.MONTH, month_end(int(year[1]), month))
        else:
            found = Deadline(DeadlineKind.MONTH, place(month, None, start))
        return DeadlineRefusal.PAST if found.due_on < today else found
    moment = parse_when(text, now, zone)
    if isinstance(moment, NeedsTime):  # a day alone is a deadline at its end
        moment = parse_when(f"{END_OF_DAY:%H:%M}", now, zone, on_day=moment.day)
    if isinstance(moment, WhenError):
        past = moment.reason in (WhenRefusal.DAY_PAST, WhenRefusal.TIME_PASSED)
        return DeadlineRefusal.PAST if past else DeadlineRefusal.FORMAT
    if isinstance(moment, NeedsTime):
        return DeadlineRefusal.FORMAT
    return Deadline(DeadlineKind.DATE, moment.astimezone(zone).date())


def reminder_moments(
    due_on: date,
    now: datetime,
    zone: ZoneInfo,
    quiet: QuietHours,
    offsets: tuple[int, ...] = DEFAULT_OFFSETS,
) -> list[tuple[int, datetime]]:
    """(days before, when to send) of each reminder still worth sending, outside quiet hours."""
    expires = datetime.combine(due_on, END_OF_DAY, tzinfo=zone)
    found = []
    for days in offsets:
        wanted = datetime.combine(due_on - timedelta(days=days), MORNING, tzinfo=zone)
        if wanted < now - LATE_GRACE:
            continue
        due = delivery_time(max(wanted, now), expires, zone, quiet, now)
        if due is not None:
            found.append((days, due))
    return found


def end_of(due_on: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(due_on, END_OF_DAY, tzinfo=zone)


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


def delivery_time_today(now: datetime, zone: ZoneInfo, quiet: QuietHours) -> datetime:
    """Now, or the end of the quiet hours we are in."""
    return delivery_time(now, now + timedelta(days=1), zone, quiet, now) or now


def shown(item: RoadmapItem) -> str:
    """«30.09.2026», «октябрь 2026», «ежегодно, сентябрь»."""
    return tr.plain(
        "roadmap-deadline",
        kind=item.deadline_kind,
        date=f"{item.due_on:%d.%m.%Y}",
        month=month_name(item.due_on.month),
        year=item.due_on.year,
    )


def month_name(month: int) -> str:
    return tr.plain("roadmap-month-name", month=month)


@dataclass(frozen=True)
class RoadmapView:
    roadmap: Roadmap
    title: str  # the school's or the district's name
    items: list[RoadmapItem]
    names: dict[int, str]  # person id → name, for the responsible people
    today: date

    def overdue(self, item: RoadmapItem) -> bool:
        return item.status is ItemStatus.PLANNED and item.due_on < self.today

    @property
    def stages(self) -> list[str]:
        return list(dict.fromkeys(item.stage for item in self.items))

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.status is ItemStatus.DONE)
