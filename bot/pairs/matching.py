"""Matching mentors and mentees: a compatibility score with reasons, the best candidates for
one mentee, and an optimal whole-school proposal that respects capacities.

Pure Python and NumPy: no Telegram, no SQL. Profiles are built from questionnaire answers by
`bot.pairs`; hard constraints (consent, parent consent, one school) are applied there, before
a profile ever reaches this module."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from bot.core.i18n import tr
from bot.forms.catalog import COMPETENCE_AREAS, DAYS, SUBJECTS, TIMES
from bot.forms.model import Option

# Points: what a curator weighs, in this order of importance.
NEEDS_POINTS = 50.0
SUBJECT_POINTS = 20.0
FORMAT_POINTS = 10.0
DAY_POINTS = 10.0
TIME_POINTS = 10.0
# A mutual preference from the preference round outweighs any compatibility difference;
# a one-sided one breaks ties.
MUTUAL_PREFERENCE_BONUS = 1000.0
ONE_SIDED_PREFERENCE_BONUS = 15.0
_IMPOSSIBLE = -1e9


COMPETENCE_IDS = frozenset(option.id for option in COMPETENCE_AREAS)


def _bits(chosen: frozenset[str], options: Sequence[Option]) -> int:
    ids = [option.id for option in options]
    return sum(1 << ids.index(value) for value in chosen if value in ids)


@dataclass(frozen=True)
class Profile:
    """What matching knows of a participant: ids from the questionnaire, as bit sets."""

    person_id: int
    name: str
    areas: frozenset[str]  # a mentee's difficulties, a mentor's competences
    subjects: frozenset[str] = frozenset()
    format: str | None = None
    days: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    capacity: int = 1  # mentors: how many more mentees they can take now
    area_bits: int = field(init=False)
    subject_bits: int = field(init=False)
    day_bits: int = field(init=False)
    time_bits: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "area_bits", _bits(self.areas, COMPETENCE_AREAS))
        object.__setattr__(self, "subject_bits", _bits(self.subjects, SUBJECTS))
        object.__setattr__(self, "day_bits", _bits(self.days, DAYS))
        object.__setattr__(self, "time_bits", _bits(self.times, TIMES))


@dataclass(frozen=True)
class Match:
    mentee_id: int
    mentor_id: int
    score: float
    reasons: tuple[str, ...]


def _format_points(mentee: str | None, mentor: str | None) -> float:
    if mentee is None or mentor is None:
        return FORMAT_POINTS / 2
    if mentee == mentor:
        return FORMAT_POINTS
    if "mixed" in (mentee, mentor):
        return FORMAT_POINTS * 0.7
    return 0.0


def score(mentee: Profile, mentor: Profile) -> Match | None:
    """None when the pair is impossible (the same person, or no room left with the mentor)."""
    if mentee.person_id == mentor.person_id or mentor.capacity <= 0:
        return None
    needs = len(mentee.areas & COMPETENCE_IDS)
    covered = len(mentee.areas & mentor.areas & COMPETENCE_IDS)
    subjects = mentee.subjects & mentor.subjects
    days = mentee.days & mentor.days
    times = mentee.times & mentor.times
    points = (
        (NEEDS_POINTS * covered / needs if needs else NEEDS_POINTS / 2)
        + (SUBJECT_POINTS if subjects else 0.0)
        + _format_points(mentee.format, mentor.format)
        + (DAY_POINTS * min(len(days), 2) / 2)
        + (TIME_POINTS if times else 0.0)
    )
    common_subjects = _labels(subjects, SUBJECTS)
    common_days = _labels(days, DAYS)
    reasons = (
        tr.plain("match-needs", covered=covered, needs=needs),
        tr.plain("match-subjects", subjects=", ".join(common_subjects).lower())
        if common_subjects
        else tr.plain("match-subjects-none"),
        _format_reason(mentee.format, mentor.format),
        tr.plain("match-days", days=", ".join(common_days))
        if common_days
        else tr.plain("match-days-none"),
    )
    return Match(mentee.person_id, mentor.person_id, round(points, 1), reasons)


def _format_reason(mentee: str | None, mentor: str | None) -> str:
    if mentee is None or mentor is None:
        return tr.plain("match-format-unknown")
    if mentee == mentor:
        return tr.plain("match-format-same", format=tr.plain("format-name", format=mentee))
    return tr.plain(
        "match-format-differ",
        mentee=tr.plain("format-name", format=mentee),
        mentor=tr.plain("format-name", format=mentor),
    )


def _labels(ids: frozenset[str], options: Sequence[Option]) -> list[str]:
    return [option.label for option in options if option.id in ids]


def top_candidates(mentee: Profile, mentors: Sequence[Profile], limit: int = 5) -> list[Match]:
    scored = np.asarray(score_matrix([mentee], mentors)[0])
    order = np.argsort(-scored, kind="stable")[:limit]
    found = []
    for index in order:
        if scored[index] <= _IMPOSSIBLE / 2:
            break
        match = score(mentee, mentors[int(index)])
        if match is not None:
            found.append(match)
    return found


def _popcount(values: NDArray[np.int32]) -> NDArray[np.uint8]:
    return np.bitwise_count(values)


def score_matrix(mentees: Sequence[Profile], mentors: Sequence[Profile]) -> NDArray[np.float64]:
    """score(mentee, mentor).score for every pair at once (impossible pairs: a huge negative)."""

    # Bit sets fit in 32 bits and counts in 8: small dtypes keep a 5,000 x 1,000 matrix cheap.
    def column(values: list[int]) -> NDArray[np.int32]:
        return np.asarray(values, dtype=np.int32)

    e_area = column([m.area_bits for m in mentees])[:, None]
    r_area = column([m.area_bits for m in mentors])[None, :]
    needs = _popcount(e_area)
    covered = _popcount(e_area & r_area)
    with np.errstate(divide="ignore", invalid="ignore"):
        need_points = np.where(
            needs > 0, NEEDS_POINTS * covered / np.maximum(needs, 1), NEEDS_POINTS / 2
        )
    subject = (
        column([m.subject_bits for m in mentees])[:, None]
        & column([m.subject_bits for m in mentors])[None, :]
    ) != 0
    days = _popcount(
        column([m.day_bits for m in mentees])[:, None]
        & column([m.day_bits for m in mentors])[None, :]
    )
    times = (
        column([m.time_bits for m in mentees])[:, None]
        & column([m.time_bits for m in mentors])[None, :]
    ) != 0
    formats = [None, "in_person", "remote", "mixed"]
    table = np.array([[_format_points(a, b) for b in formats] for a in formats])
    e_format = column([formats.index(m.format) if m.format in formats else 0 for m in mentees])
    r_format = column([formats.index(m.format) if m.format in formats else 0 for m in mentors])
    total = (
        need_points
        + SUBJECT_POINTS * subject
        + table[e_format[:, None], r_format[None, :]]
        + DAY_POINTS * np.minimum(days, 2) / 2
        + TIME_POINTS * times
    )
    total = np.round(total, 1)
    impossible = (
        column([m.person_id for m in mentees])[:, None]
        == column([m.person_id for m in mentors])[None, :]
    )
    impossible |= column([m.capacity for m in mentors])[None, :] <= 0
    return np.where(impossible, _IMPOSSIBLE, total)


def propose(
    mentees: Sequence[Profile],
    mentors: Sequence[Profile],
    preferences: set[tuple[int, int]] | None = None,
    mentor_preferences: set[tuple[int, int]] | None = None,
) -> list[Match]:
    """The assignment with the largest total score: every mentor gets at most `capacity`
    mentees, every mentee at most one mentor. Preferences are (mentee_id, mentor_id) pairs
    named in the preference round, by mentees and by mentors."""
    if not mentees or not mentors:
        return []
    base = score_matrix(mentees, mentors)
    weighted = base.copy()
    row_of = {m.person_id: i for i, m in enumerate(mentees)}
    column_of = {m.person_id: j for j, m in enumerate(mentors)}
    liked_by_mentee = preferences or set()
    liked_by_mentor = mentor_preferences or set()
    for mentee_id, mentor_id in liked_by_mentee | liked_by_mentor:
        i, j = row_of.get(mentee_id), column_of.get(mentor_id)
        if i is None or j is None or base[i, j] <= _IMPOSSIBLE / 2:
            continue
        hits = ((mentee_id, mentor_id) in liked_by_mentee) + (
            (mentee_id, mentor_id) in liked_by_mentor
        )
        weighted[i, j] += MUTUAL_PREFERENCE_BONUS if hits == 2 else ONE_SIDED_PREFERENCE_BONUS
    # One column per free place: a mentor with capacity 3 is three columns.
    slots = np.repeat(np.arange(len(mentors)), [max(m.capacity, 0) for m in mentors])
    if slots.size == 0:
        return []
    # SciPy costs ~60 MB of memory: loaded when a curator first asks for a proposal.
    from scipy.optimize import linear_sum_assignment  # noqa: PLC0415

    rows, cols = linear_sum_assignment(weighted[:, slots], maximize=True)
    proposal = []
    for row, col in zip(rows, cols, strict=True):
        mentor = mentors[int(slots[col])]
        if base[row, slots[col]] <= _IMPOSSIBLE / 2:
            continue
        match = score(mentees[int(row)], mentor)
        if match is not None:
            proposal.append(match)
    return sorted(proposal, key=lambda m: -m.score)
