"""The score of a shortlist's candidate, in plain numbers: what counts, by how much, and what
is never shown. The weights are the ones the curator reads under the shortlist."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from statistics import fmean

from bot.core.i18n import tr
from bot.forms.model import QuestionKind
from bot.surveys.rules import MIN_GROUP
from bot.surveys.templates import GROWTH_SELF_ASSESSMENT, MENTEE_SATISFACTION
from storage.awards import PairFacts, StageAnswers
from storage.models import ProgramSurveyStage


class Nomination(StrEnum):
    MENTOR = "mentor"  # «Наставник года»: a mentor, over all their pairs and groups of the year
    PAIR = "pair"  # «Лучшая пара»: one pair or group


NOMINATIONS = tuple(Nomination)


def title_of(nomination: Nomination) -> str:
    """«Наставник года», «Лучшая пара»: as every text and letter names the nomination."""
    return tr.plain("award-nomination", nomination=nomination)


@dataclass(frozen=True)
class Weights:
    """Points per unit; written out in the message under every shortlist."""

    completed: int = 10  # a completed program
    meeting: int = 2  # a meeting held
    feedback: int = 1  # a feedback form sent in after a meeting
    satisfaction: int = 2  # a point of the mean satisfaction, 1-10
    growth: int = 5  # a point of the mean growth of the self-assessment, start to end


WEIGHTS = Weights()
SHORTLIST = 5  # candidates shown and put to the vote (a survey question holds up to 10)
# «How effective did you expect the program to be» is asked before the program's results
# are known: it measures the expectation, not the satisfaction.
SATISFACTION_QUESTIONS = frozenset(
    q.id
    for q in MENTEE_SATISFACTION.questions
    if q.kind is QuestionKind.SCALE and q.id != "expected"
)
GROWTH_QUESTIONS = frozenset(
    q.id for q in GROWTH_SELF_ASSESSMENT.questions if q.kind is QuestionKind.SCALE
)


@dataclass(frozen=True)
class Facts:
    completed: int
    meetings: int
    feedback: int
    satisfaction: float | None  # None: fewer than MIN_GROUP respondents, or none
    respondents: int  # who answered the satisfaction questionnaires (shown even when hidden)
    growth: float | None  # None: nobody answered both self-assessments

    @property
    def score(self) -> float:
        points = (
            self.completed * WEIGHTS.completed
            + self.meetings * WEIGHTS.meeting
            + self.feedback * WEIGHTS.feedback
            + (self.satisfaction or 0.0) * WEIGHTS.satisfaction
            # A fall in the self-assessment takes nothing away: it may be an honest look back.
            + max(self.growth or 0.0, 0.0) * WEIGHTS.growth
        )
        return round(points, 1)


def facts(pairs: list[PairFacts], answers: list[StageAnswers], nomination: Nomination) -> Facts:
    """A candidate's facts from their pairs (one pair for «Лучшая пара»). A mentor's
    satisfaction is what their mentees answered; a pair's is both sides' answers."""
    ids = {pair.pair_id for pair in pairs}
    own = [a for a in answers if a.pair_id in ids]
    stages = (
        {ProgramSurveyStage.FINAL_MENTEE}
        if nomination is Nomination.MENTOR
        else {ProgramSurveyStage.FINAL_MENTEE, ProgramSurveyStage.FINAL_MENTOR}
    )
    rated = [a for a in own if a.stage in stages]
    growers = (
        {m for pair in pairs for m in pair.mentee_ids}
        if nomination is Nomination.MENTOR
        else {m for pair in pairs for m in (pair.mentor_id, *pair.mentee_ids)}
    )
    return Facts(
        completed=sum(1 for pair in pairs if pair.completed),
        meetings=sum(pair.meetings_held for pair in pairs),
        feedback=sum(pair.feedback for pair in pairs),
        satisfaction=_satisfaction(rated),
        respondents=len(rated),
        growth=_growth(own, growers),
    )


def _satisfaction(rated: list[StageAnswers]) -> float | None:
    """The mean of the satisfaction scales, only over MIN_GROUP respondents or more: the means
    of a smaller group could point at a person of an anonymous survey."""
    if len(rated) < MIN_GROUP:
        return None
    values = [v for a in rated for k, v in a.numbers.items() if k in SATISFACTION_QUESTIONS]
    return round(fmean(values), 1) if values else None


def _growth(answers: list[StageAnswers], people: Iterable[int]) -> float | None:
    """Per person who answered both self-assessments: the mean of the end minus the mean of the
    start, over the questions answered both times; then the mean over these people."""
    start = {a.person_id: a.numbers for a in answers if a.stage is ProgramSurveyStage.GROWTH_START}
    end = {a.person_id: a.numbers for a in answers if a.stage is ProgramSurveyStage.GROWTH_END}
    changes = []
    for person in people:
        before, after = start.get(person), end.get(person)
        if before is None or after is None:
            continue
        both = [q for q in GROWTH_QUESTIONS if q in before and q in after]
        if both:
            changes.append(fmean(after[q] for q in both) - fmean(before[q] for q in both))
    return round(fmean(changes), 1) if changes else None


def by_mentor(pairs: list[PairFacts]) -> dict[int, list[PairFacts]]:
    found: dict[int, list[PairFacts]] = {}
    for pair in pairs:
        found.setdefault(pair.mentor_id, []).append(pair)
    return found


def top(scored: list[tuple[float, str, int]]) -> list[tuple[float, str, int]]:
    """(score, name, ref) of the shortlist: scores above zero, the highest first, then by name."""
    return sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1], s[2]))[:SHORTLIST]


def winners(counts: list[int]) -> list[int]:
    """The positions with the most votes (all of them on a tie); none without a vote."""
    best = max(counts, default=0)
    return [index for index, count in enumerate(counts) if best and count == best]
