"""The rules of a survey campaign, without storage: when it may be answered, when reminders
go out, and what the results show."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from statistics import fmean
from zoneinfo import ZoneInfo

from bot.core.config import QuietHours
from bot.core.i18n import tr
from bot.core.quiet import delivery_time
from bot.core.when import NeedsTime, WhenError, WhenRefusal, parse_when
from bot.forms.answers import render
from bot.forms.model import Form, Question, QuestionKind
from storage.models import Role, SurveyCampaign
from storage.surveys import Response

# Reminders to non-respondents: 3 days and 1 day before the deadline, and its morning.
DEFAULT_OFFSETS: tuple[timedelta, ...] = (timedelta(days=3), timedelta(days=1))
MORNING = time(9, 0)
# In an anonymous survey the results of a smaller group could point at a person.
MIN_GROUP = 3
# The curator's reminder by hand: at most one within this time.
MANUAL_REMINDER_GAP = timedelta(hours=1)
END_OF_DAY = "23:59"
SCHOOL_YEAR_START = 9  # September


class OffsetField(StrEnum):
    """What a school may set for itself (the configured value is the default)."""

    REMINDERS = "reminders"  # days before a survey's deadline: a few values
    MIDPOINT = "midpoint"  # the program's share, percent, at which the midpoint survey goes
    SURVEY_DAYS = "survey_days"  # days to answer a program's midpoint and final surveys


class OffsetRefusal(StrEnum):
    NOT_NUMBER = "not_number"
    NOT_POSITIVE = "not_positive"
    TOO_MANY = "too_many"
    OUT_OF_RANGE = "out_of_range"
    ONE_VALUE = "one_value"


@dataclass(frozen=True)
class Offsets:
    """A school's offsets, the configured defaults filled in."""

    reminders: tuple[int, ...]
    midpoint_percent: int
    survey_days: int


MAX_REMINDERS = 5
# Each field's bounds (inclusive) and how many values it takes.
OFFSET_BOUNDS: dict[OffsetField, tuple[int, int, int]] = {
    OffsetField.REMINDERS: (1, 60, MAX_REMINDERS),
    OffsetField.MIDPOINT: (10, 90, 1),
    OffsetField.SURVEY_DAYS: (1, 90, 1),
}


def parse_offsets(field: OffsetField, raw: str) -> tuple[int, ...] | OffsetRefusal:
    """Whole numbers as the curator types them («3, 1» or «3 1»): each within the field's
    bounds, at most its number of values; the reminders come out latest first, once each."""
    parts = [part for part in re.split(r"[\s,;]+", raw.strip()) if part]
    if not parts or not all(re.fullmatch(r"[+-]?\d{1,4}", part) for part in parts):
        return OffsetRefusal.NOT_NUMBER
    values = [int(part) for part in parts]
    low, high, most = OFFSET_BOUNDS[field]
    if any(value <= 0 for value in values):
        return OffsetRefusal.NOT_POSITIVE
    if len(set(values)) > most:
        return OffsetRefusal.TOO_MANY if most > 1 else OffsetRefusal.ONE_VALUE
    if any(not low <= value <= high for value in values):
        return OffsetRefusal.OUT_OF_RANGE
    return tuple(sorted(set(values), reverse=True))


def parse_deadline(raw: str, now: datetime, zone: ZoneInfo) -> datetime | WhenError:
    """A deadline as the curator types it; a day without a time means its end."""
    found = parse_when(raw, now, zone)
    if isinstance(found, NeedsTime):
        found = parse_when(END_OF_DAY, now, zone, on_day=found.day)
    if isinstance(found, NeedsTime):  # cannot happen: the time is given
        return WhenError(WhenRefusal.FORMAT, raw)
    return found


def school_year_end(now: datetime, zone: ZoneInfo) -> datetime:
    """The end of the school year `now` is in (September to August): 31 August, midnight."""
    today = now.astimezone(zone).date()
    year = today.year + 1 if today.month >= SCHOOL_YEAR_START else today.year
    return datetime.combine(date(year, 9, 1), time(0, 0), tzinfo=zone)


def reminder_times(
    deadline: datetime,
    now: datetime,
    zone: ZoneInfo,
    quiet: QuietHours,
    offsets: tuple[timedelta, ...] = DEFAULT_OFFSETS,
) -> list[datetime]:
    """When non-respondents are reminded: each offset before the deadline and the deadline's
    morning, outside quiet hours, skipping what is already past or would come too late."""
    wanted = [deadline - offset for offset in offsets]
    wanted.append(datetime.combine(deadline.astimezone(zone).date(), MORNING, tzinfo=zone))
    times: list[datetime] = []
    for moment in sorted(wanted):
        due = delivery_time(moment, deadline, zone, quiet, now)
        if due is not None and due > now and all(abs(due - t) >= timedelta(hours=1) for t in times):
            times.append(due)
    return times


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    mean: float | None = None  # scale questions
    distribution: tuple[int, ...] = ()  # scale: how many chose 1, 2, ... 10
    yes: int = 0
    no: int = 0
    options: tuple[tuple[str, int], ...] = ()  # choice questions: label and count
    texts: tuple[str, ...] = ()  # open answers


@dataclass(frozen=True)
class GroupResult:
    role: Role | None  # None: every respondent
    respondents: int
    hidden: bool  # an anonymous group smaller than MIN_GROUP
    questions: tuple[QuestionResult, ...]


def results(form: Form, responses: list[Response], anonymous: bool) -> tuple[GroupResult, ...]:
    """Everyone's results, then each role's when the survey went to both."""
    groups: list[tuple[Role | None, list[Response]]] = [(None, responses)]
    roles = sorted({r.role for r in responses})
    if len(roles) > 1:
        groups += [(role, [r for r in responses if r.role is role]) for role in roles]
    found = []
    for role, members in groups:
        hidden = anonymous and len(members) < MIN_GROUP
        questions = () if hidden else tuple(_question(q, members) for q in form.questions)
        found.append(GroupResult(role, len(members), hidden, questions))
    return tuple(found)


def _question(question: Question, responses: list[Response]) -> QuestionResult:
    values = [r.answers[question.id] for r in responses if r.answers.get(question.id) is not None]
    kind = question.kind
    if kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        numbers = [int(v) for v in values]
        counts = Counter(numbers)
        return QuestionResult(
            question,
            len(numbers),
            mean=fmean(numbers) if numbers else None,
            distribution=tuple(counts.get(v, 0) for v in range(1, 11))
            if kind is QuestionKind.SCALE
            else (),
        )
    if kind is QuestionKind.YES_NO:
        yes = sum(1 for v in values if v is True)
        return QuestionResult(question, len(values), yes=yes, no=len(values) - yes)
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        chosen = Counter(option for v in values for option in (v if isinstance(v, list) else [v]))
        labels = [o.id for o in question.options] + sorted(
            set(chosen) - {o.id for o in question.options}
        )
        return QuestionResult(
            question,
            len(values),
            options=tuple((question.option_label(o), chosen[o]) for o in labels if chosen[o]),
        )
    return QuestionResult(question, len(values), texts=tuple(render(question, v) for v in values))


def table(
    form: Form, responses: list[Response], names: dict[int, str], anonymous: bool
) -> tuple[list[str], list[list[str]]]:
    """One row a respondent, one column a question; an anonymous survey has no name column."""
    headers = [] if anonymous else [tr.plain("survey-column-name")]
    headers += [tr.plain("survey-column-role")] + [q.header or q.text for q in form.questions]
    rows = []
    for response in responses:
        row = [] if anonymous else [names.get(response.person_id or 0, "")]
        row.append(tr.plain("survey-role", role=response.role))
        for question in form.questions:
            value = response.answers.get(question.id)
            row.append(render(question, value) if question.id in response.answers else "")
        rows.append(row)
    return headers, rows


@dataclass(frozen=True)
class Rate:
    recipients: int
    answered: int
    started: int
    not_opened: int


@dataclass(frozen=True)
class Summary:
    campaign: SurveyCampaign
    form: Form
    rate: Rate
    groups: tuple[GroupResult, ...]
