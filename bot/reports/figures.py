"""The figures of the monitoring reports, and the rules that turn stored counts into them,
without storage or Telegram: the summary, the charts and the documents all read these."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from bot.forms.model import Form, QuestionKind
from bot.surveys.rules import MIN_GROUP
from storage.events import Training
from storage.models import Role, SchoolOrder
from storage.reports import (
    CuratorContacts,
    GrowthAnswers,
    MonthMeetings,
    Outcomes,
    PairCount,
    PracticeEvent,
    ScaleAnswers,
)


@dataclass(frozen=True)
class Waiting:
    """Mentees with a complete questionnaire and no mentor yet, and how long they wait."""

    mentees: int
    mean_days: float
    longest_days: int


@dataclass(frozen=True)
class QuestionMean:
    question_id: str
    header: str
    mentors: float | None  # None: nobody answered, or the group was too small to show
    mentees: float | None


@dataclass(frozen=True)
class Satisfaction:
    """Means per scale question of the satisfaction surveys. A group under MIN_GROUP
    respondents is counted but its means are not shown: they could point at a person."""

    mentors: int  # respondents
    mentees: int
    questions: tuple[QuestionMean, ...]

    @property
    def shown(self) -> bool:
        return any(q.mentors is not None or q.mentees is not None for q in self.questions)


@dataclass(frozen=True)
class GrowthRow:
    """Growth before/after (Р-145, appendix 2, stage 2): the same self-assessment at the start
    and at the end of a program, the mean over the participants who answered both."""

    header: str
    before: float
    after: float
    respondents: int

    @property
    def change(self) -> float:
        return round(self.after - self.before, 1)


@dataclass(frozen=True)
class AttentionPair:
    title: str  # the pair as the curator sees it in the list of pairs
    idle_days: int


@dataclass(frozen=True)
class SchoolFigures:
    school: str
    year: str  # «2025/2026»
    archived: bool
    mentors: int  # in the bank (open year) or in the year's pairs (closed year)
    mentees: int
    withdrawn: int  # people who withdrew consent in the year: a count, nothing else
    waiting: Waiting | None  # only for the open year
    pairs: tuple[PairCount, ...]
    outcomes: Outcomes
    confirmed_programs: int
    months: tuple[MonthMeetings, ...]
    satisfaction: Satisfaction
    attention: tuple[AttentionPair, ...]
    events: tuple[PracticeEvent, ...]
    acts: tuple[SchoolOrder, ...] = ()
    growth: tuple[GrowthRow, ...] = field(default=())
    training: Training | None = None  # events the bot organised (bot/events)

    @property
    def total_pairs(self) -> int:
        return sum(p.pairs for p in self.pairs)

    @property
    def groups(self) -> int:
        return sum(p.pairs for p in self.pairs if p.kind == "group")

    def meetings(self, column: str) -> int:
        total: int = sum(getattr(month, column) for month in self.months)
        return total


def waiting(days: list[int]) -> Waiting:
    return Waiting(len(days), fmean(days) if days else 0.0, max(days, default=0))


def satisfaction(forms: dict[Role, Form], responses: list[ScaleAnswers]) -> Satisfaction:
    """Means per scale question, by the role of who answered, of groups big enough to show."""
    by_role: dict[Role, list[ScaleAnswers]] = defaultdict(list)
    for response in responses:
        by_role[response.role].append(response)
    headers: dict[str, str] = {}
    for form in forms.values():
        for question in form.questions:
            if question.kind is QuestionKind.SCALE:
                headers.setdefault(question.id, question.header or question.text)

    def mean(role: Role, question_id: str) -> float | None:
        group = by_role.get(role, [])
        if len(group) < MIN_GROUP:
            return None
        values = [r.answers[question_id] for r in group if question_id in r.answers]
        return round(fmean(values), 1) if values else None

    return Satisfaction(
        len(by_role.get(Role.MENTOR, [])),
        len(by_role.get(Role.MENTEE, [])),
        tuple(
            QuestionMean(qid, header, mean(Role.MENTOR, qid), mean(Role.MENTEE, qid))
            for qid, header in headers.items()
        ),
    )


def growth(form: Form, answered: list[GrowthAnswers]) -> tuple[GrowthRow, ...]:
    """Means before and after per scale question of the self-assessment. Fewer than
    MIN_GROUP participants show nothing (a mean of one or two is a person's own answer), and
    a question answered both times by fewer than MIN_GROUP is left out."""
    if len(answered) < MIN_GROUP:
        return ()
    rows = []
    for question in form.questions:
        if question.kind is not QuestionKind.SCALE:
            continue
        both = [
            (a.before[question.id], a.after[question.id])
            for a in answered
            if question.id in a.before and question.id in a.after
        ]
        if len(both) >= MIN_GROUP:
            rows.append(
                GrowthRow(
                    question.header or question.text,
                    round(fmean(b for b, _ in both), 1),
                    round(fmean(a for _, a in both), 1),
                    len(both),
                )
            )
    return tuple(rows)


@dataclass(frozen=True)
class DistrictSchool:
    """One school's row of the district's two tables (seed 002)."""

    name: str
    acts: dict[str, SchoolOrder]  # OrderKind value → the latest act of that kind
    contacts: CuratorContacts | None
    pairs_by_form: dict[str, int]
    completed: int
    events: tuple[PracticeEvent, ...]
    reported: bool  # False: the school has no figures for that year
    mentors_trained: int = 0  # its mentors marked present at a training (bot/events)

    @property
    def pairs(self) -> int:
        return sum(self.pairs_by_form.values())

    @property
    def acts_filled(self) -> bool:
        return bool(self.acts) or self.contacts is not None


@dataclass(frozen=True)
class DistrictFigures:
    district: str
    year: str
    schools: tuple[DistrictSchool, ...]
    forms: tuple[str, ...]  # the forms any school of the district has, in a fixed order

    @property
    def pairs(self) -> int:
        return sum(s.pairs for s in self.schools)

    @property
    def completed(self) -> int:
        return sum(s.completed for s in self.schools)

    @property
    def events(self) -> int:
        return sum(len(s.events) for s in self.schools)

    @property
    def mentors_trained(self) -> int:
        return sum(s.mentors_trained for s in self.schools)
