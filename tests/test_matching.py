"""Matching without Telegram: scores and reasons, candidates, the optimal proposal."""

from __future__ import annotations

import itertools
import random

import pytest

from bot.forms.catalog import COMPETENCE_AREAS, DAYS, SUBJECTS, TIMES
from bot.forms.model import Option
from bot.pairs.matching import Profile, propose, score, score_matrix, top_candidates


def mentee(pid: int, areas: set[str], **kw: object) -> Profile:
    return Profile(pid, f"Наставляемый {pid}", frozenset(areas), **kw)  # type: ignore[arg-type]


def mentor(pid: int, areas: set[str], capacity: int = 1, **kw: object) -> Profile:
    return Profile(pid, f"Наставник {pid}", frozenset(areas), capacity=capacity, **kw)  # type: ignore[arg-type]


def test_score_explains_itself_in_russian() -> None:
    e = mentee(
        1,
        {"lesson", "discipline", "parents", "digital"},
        subjects=frozenset({"math"}),
        format="in_person",
        days=frozenset({"mon", "wed"}),
    )
    r = mentor(
        2,
        {"lesson", "discipline", "parents"},
        subjects=frozenset({"math", "physics"}),
        format="in_person",
        days=frozenset({"wed"}),
    )
    match = score(e, r)
    assert match is not None
    assert match.reasons == (
        "совпадают 3 из 4 затруднений",
        "общий предмет: математика",
        "оба очно",
        "общие дни: Ср",
    )
    assert match.score == pytest.approx(50 * 3 / 4 + 20 + 10 + 5)


def test_hard_constraints() -> None:
    assert score(mentee(1, {"lesson"}), mentor(1, {"lesson"})) is None  # the same person
    assert score(mentee(1, {"lesson"}), mentor(2, {"lesson"}, capacity=0)) is None


def random_profile(rng: random.Random, pid: int, is_mentor: bool) -> Profile:
    def pick(options: tuple[Option, ...], k: int) -> frozenset[str]:
        return frozenset(o.id for o in rng.sample(options, k))

    return Profile(
        pid,
        str(pid),
        pick(COMPETENCE_AREAS, rng.randint(0, 4)),
        subjects=pick(SUBJECTS, rng.randint(0, 2)),
        format=rng.choice([None, "in_person", "remote", "mixed"]),
        days=pick(DAYS, rng.randint(0, 3)),
        times=pick(TIMES, rng.randint(0, 2)),
        capacity=rng.randint(0, 3) if is_mentor else 1,
    )


def test_vectorised_scores_equal_the_explained_ones() -> None:
    rng = random.Random(7)
    mentees = [random_profile(rng, i, False) for i in range(40)]
    mentors = [random_profile(rng, 100 + i, True) for i in range(15)]
    matrix = score_matrix(mentees, mentors)
    for i, e in enumerate(mentees):
        for j, r in enumerate(mentors):
            match = score(e, r)
            if match is None:
                assert matrix[i, j] < -1e8
            else:
                assert matrix[i, j] == pytest.approx(match.score)


@pytest.mark.parametrize("seed", range(5))
def test_proposal_is_optimal_and_respects_capacity(seed: int) -> None:
    rng = random.Random(seed)
    mentees = [random_profile(rng, i, False) for i in range(5)]
    mentors = [random_profile(rng, 100 + i, True) for i in range(3)]
    proposal = propose(mentees, mentors)
    loads: dict[int, int] = {}
    for match in proposal:
        loads[match.mentor_id] = loads.get(match.mentor_id, 0) + 1
    assert all(loads[m.person_id] <= m.capacity for m in mentors if m.person_id in loads)
    assert len({m.mentee_id for m in proposal}) == len(proposal)
    # Brute force: every way to give each mentee a mentor or nobody.
    best = 0.0
    for choice in itertools.product([None, *mentors], repeat=len(mentees)):
        counts: dict[int, int] = {}
        total = 0.0
        feasible = True
        for e, r in zip(mentees, choice, strict=True):
            if r is None:
                continue
            counts[r.person_id] = counts.get(r.person_id, 0) + 1
            scored = score(e, r)
            if scored is None or counts[r.person_id] > r.capacity:
                feasible = False
                break
            total += scored.score

        if feasible:
            best = max(best, total)
    assert sum(m.score for m in proposal) == pytest.approx(best)


def test_proposal_beats_greedy() -> None:
    # Greedy gives the versatile mentor to the first mentee and leaves the second unmatched.
    versatile = mentor(10, {"lesson", "parents"})
    narrow = mentor(11, {"lesson"})
    first = mentee(1, {"lesson"})
    second = mentee(2, {"parents"})
    proposal = {(m.mentee_id, m.mentor_id) for m in propose([first, second], [versatile, narrow])}
    assert proposal == {(1, 11), (2, 10)}


def test_mutual_preferences_come_first() -> None:
    good = mentor(10, {"lesson", "parents"})
    liked = mentor(11, set())
    e = mentee(1, {"lesson", "parents"})
    assert propose([e], [good, liked])[0].mentor_id == 10
    chosen = propose([e], [good, liked], preferences={(1, 11)}, mentor_preferences={(1, 11)})
    assert chosen[0].mentor_id == 11


def test_top_candidates_sorted_with_reasons() -> None:
    e = mentee(1, {"lesson", "parents"})
    mentors = [
        mentor(10, {"lesson"}),
        mentor(11, {"lesson", "parents"}),
        mentor(12, set(), capacity=0),
    ]
    found = top_candidates(e, mentors, limit=5)
    assert [m.mentor_id for m in found] == [11, 10]
    assert found[0].reasons[0] == "совпадают 2 из 2 затруднений"
