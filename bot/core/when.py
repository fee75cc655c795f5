"""Reading a date and time as a teacher types it, in the school's time zone.

Understood: «28.11 15:30», «28.11.2026 15:30», «28/11 15:30», «28 ноября 15:30»,
«10 декабря в 14:00», «завтра в 16», «сегодня 18.00», «послезавтра 9:00», «в 16:00» and
«в 17:00» (today), «в пятницу в 10», «через неделю 15:00», «через 3 дня в 10 утра»,
«в 7 вечера». A day without a time («завтра утром», «в пятницу», «28.11») is not an error:
the result says which day, and the caller asks for the time (`on_day` then reads a bare
time on that day).

The result is an aware datetime in UTC, a `NeedsTime`, or a `WhenError` with a typed reason;
`explain` renders the last two for any caller (meetings, surveys, broadcasts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.i18n import tr

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
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("января", "янв", "январь"),
            ("февраля", "фев", "февраль"),
            ("марта", "мар", "март"),
            ("апреля", "апр", "апрель"),
            ("мая", "май"),
            ("июня", "июн", "июнь"),
            ("июля", "июл", "июль"),
            ("августа", "авг", "август"),
            ("сентября", "сен", "сент", "сентябрь"),
            ("октября", "окт", "октябрь"),
            ("ноября", "ноя", "нояб", "ноябрь"),
            ("декабря", "дек", "декабрь"),
        ),
        start=1,
    )
    for name in names
}
_RELATIVE = {"сегодня": 0, "завтра": 1, "послезавтра": 2}
_PAST = ("вчера", "позавчера")
# «утром», «днём», «вечером» name a part of the day, not a time: the time is asked for.
_PART_OF_DAY = ("утром", "днем", "вечером", "ночью")
# «в 7 вечера», «в 3 часа дня»: the hour is read on the afternoon's clock.
_AFTERNOON = ("дня", "вечера")
_MORNING = ("утра", "ночи")
_HOUR_WORDS = ("ч", "час", "часа", "часов")
_FILLER = ("в", "во", "на", "следующий", "следующую", "следующее", "ближайший", "ближайшую")
_CLOCK = re.compile(r"(\d{1,2})[:.\-](\d{2})")
_HOUR = re.compile(r"\d{1,2}")
_NUMERIC_DAY = re.compile(r"(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?")
_UNITS = {"день": 1, "дня": 1, "дней": 1, "неделю": 7, "недели": 7, "недель": 7}


class WhenRefusal(StrEnum):
    FORMAT = "format"  # not a date and time at all
    NO_SUCH_TIME = "no-such-time"  # «25:61»
    NO_SUCH_DATE = "no-such-date"  # «31.02»
    DAY_PAST = "day-past"  # «вчера», «20.11.2026» on the 23rd
    TIME_PASSED = "time-passed"  # «в 10:00» typed at noon
    TOO_FAR = "too-far"


@dataclass(frozen=True)
class WhenError:
    reason: WhenRefusal
    typed: str = ""  # the piece that was wrong, shown back to the person


@dataclass(frozen=True)
class NeedsTime:
    """A day was given without a time: ask for the time on that day."""

    day: date


def parse_when(
    raw: str, now: datetime, zone: ZoneInfo, *, on_day: date | None = None
) -> datetime | NeedsTime | WhenError:
    """`on_day`: the day named in an earlier answer, when the person was asked for the time."""
    typed = raw.lower().replace("ё", "е").replace(",", " ").split()
    words = [word for word in typed if word not in _FILLER]
    local_now = now.astimezone(zone)
    today = local_now.date()
    lone_is_day = on_day is None and typed[:1] not in (["в"], ["во"])
    clock, day_words = _take_clock(words, lone_is_day)
    if isinstance(clock, WhenError):
        return clock
    if not day_words and clock is None:
        return WhenError(WhenRefusal.FORMAT)
    day = _day(day_words, today) if day_words else on_day or today
    if isinstance(day, WhenError):
        return day
    if day < today:
        return WhenError(WhenRefusal.DAY_PAST)
    if clock is None:
        return NeedsTime(day)
    moment = datetime.combine(day, clock, tzinfo=zone)
    if moment <= local_now:
        return WhenError(WhenRefusal.TIME_PASSED, f"{clock:%H:%M}")
    if moment - local_now > MAX_AHEAD:
        return WhenError(WhenRefusal.TOO_FAR)
    return moment.astimezone(ZoneInfo("UTC"))


def explain(problem: WhenError | NeedsTime) -> str:
    """The message for a time that was not accepted, or the question for a missing time."""
    if isinstance(problem, NeedsTime):
        return tr("when-ask-time", day=day_label(problem.day))
    match problem.reason:
        case WhenRefusal.NO_SUCH_TIME:
            return tr("when-no-such-time", typed=problem.typed)
        case WhenRefusal.NO_SUCH_DATE:
            return tr("when-no-such-date", typed=problem.typed)
        case WhenRefusal.DAY_PAST:
            return tr("when-day-past")
        case WhenRefusal.TIME_PASSED:
            return tr("when-time-passed", time=problem.typed)
        case WhenRefusal.TOO_FAR:
            return tr("when-too-far")
        case _:
            return tr("when-format")


def remembered_day(value: object) -> date | None:
    """A day kept in dialog data as ISO text (NeedsTime.day.isoformat()), if it is one."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def day_label(day: date) -> str:
    return tr.plain("when-day", date=f"{day:%d.%m}", weekday=day.weekday())


def shown(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def _take_clock(words: list[str], lone_is_day: bool) -> tuple[time | None | WhenError, list[str]]:
    """The time at the end of the words, if there is one, and the words before it (the day).
    `lone_is_day`: a single «28.11» not preceded by «в» is a date, not 28 minutes past 28."""
    if not words or words[-1] in _PART_OF_DAY:
        return None, words[:-1]
    rest = list(words)
    half = rest.pop() if rest[-1] in _AFTERNOON + _MORNING else None
    if rest and rest[-1] in _HOUR_WORDS:
        rest.pop()
    last = rest[-1] if rest else ""
    exact = _CLOCK.fullmatch(last)
    if exact and not (lone_is_day and len(rest) == 1 and half is None and ":" not in last):
        hours, minutes = int(exact[1]), int(exact[2])
    elif _HOUR.fullmatch(last) and not _names_a_day(rest):
        hours, minutes = int(last), 0
    else:
        return None, words
    if half in _AFTERNOON and hours < 12:
        hours += 12
    if hours > 23 or minutes > 59:
        return WhenError(WhenRefusal.NO_SUCH_TIME, last), rest[:-1]
    return time(hours, minutes), rest[:-1]


def _names_a_day(words: list[str]) -> bool:
    # «через 3» is a count of days, not three o'clock.
    return len(words) >= 2 and words[-2] == "через"


def _day(words: list[str], today: date) -> date | WhenError:
    text = " ".join(words)
    if text in _PAST:
        return WhenError(WhenRefusal.DAY_PAST)
    if text in _RELATIVE:
        return today + timedelta(days=_RELATIVE[text])
    if text in _WEEKDAYS:
        ahead = (_WEEKDAYS[text] - today.weekday()) % 7
        return today + timedelta(days=ahead or 7)
    if words[0] == "через":
        return _after(words[1:], today)
    numeric = _NUMERIC_DAY.fullmatch(text)
    if numeric:
        return _calendar(numeric[1], numeric[2], numeric[3], today, text)
    if len(words) in (2, 3) and words[0].isdigit() and words[1] in _MONTHS:
        year = words[2].removesuffix("г").removesuffix("г.") if len(words) == 3 else None
        if year is not None and not year.isdigit():
            return WhenError(WhenRefusal.FORMAT)
        return _calendar(words[0], str(_MONTHS[words[1]]), year, today, text)
    return WhenError(WhenRefusal.FORMAT)


def _after(words: list[str], today: date) -> date | WhenError:
    """«через неделю», «через 3 дня», «через день», «через 2 недели»."""
    if len(words) == 1 and words[0] in _UNITS:
        return today + timedelta(days=_UNITS[words[0]])
    if len(words) == 2 and words[0].isdigit() and words[1] in _UNITS and len(words[0]) <= 3:
        return today + timedelta(days=int(words[0]) * _UNITS[words[1]])
    return WhenError(WhenRefusal.FORMAT)


def _calendar(day: str, month: str, year: str | None, today: date, typed: str) -> date | WhenError:
    number = int(year) if year else today.year
    if number < 100:
        number += 2000
    try:
        found = date(number, int(month), int(day))
    except ValueError:
        return WhenError(WhenRefusal.NO_SUCH_DATE, typed)
    if year is None and found < today:
        # «15.01» typed in December means next January.
        try:
            found = date(number + 1, int(month), int(day))
        except ValueError:
            return WhenError(WhenRefusal.NO_SUCH_DATE, typed)
    return found
