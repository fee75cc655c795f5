"""Matching at district scale: the whole-school proposal and one mentee's candidates."""

from __future__ import annotations

import random
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from bot.forms.catalog import COMPETENCE_AREAS, DAYS, SUBJECTS, TIMES
from bot.forms.model import Option
from bot.pairs.matching import Profile, propose, top_candidates

Result = dict[str, dict[str, Any]]


def synthetic(count: int, mentors: bool, rng: random.Random, first_id: int) -> list[Profile]:
    def pick(options: tuple[Option, ...], low: int, high: int) -> frozenset[str]:
        return frozenset(o.id for o in rng.sample(options, rng.randint(low, high)))

    return [
        Profile(
            first_id + n,
            f"p{n}",
            pick(COMPETENCE_AREAS, 1, 5),
            subjects=pick(SUBJECTS, 1, 2),
            format=rng.choice(["in_person", "remote", "mixed"]),
            days=pick(DAYS, 1, 3),
            times=pick(TIMES, 1, 2),
            capacity=rng.randint(1, 5) if mentors else 1,
        )
        for n in range(count)
    ]


def measure(action: Callable[[], object]) -> tuple[float, float]:
    """Seconds and peak traced memory (MiB) of one call."""
    tracemalloc.start()
    started = time.perf_counter()
    action()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20


def run(quick: bool) -> Result:
    rng = random.Random(2026)
    n_mentors, n_mentees = (200, 1000) if quick else (1000, 5000)
    mentors = synthetic(n_mentors, True, rng, 1)
    mentees = synthetic(n_mentees, False, rng, 100_000)
    size = f"{n_mentors} mentors x {n_mentees} mentees"
    small_mentors, small_mentees = mentors[:20], mentees[:100]
    base_seconds, base_peak = measure(lambda: propose(small_mentees, small_mentors))
    seconds, peak = measure(lambda: propose(mentees, mentors))
    one_seconds, one_peak = measure(lambda: top_candidates(mentees[0], mentors, 5))
    return {
        "matching_proposal_time": {
            "value": round(seconds, 3),
            "unit": "s",
            "size": size,
            "baseline_value": round(base_seconds, 4),
            "baseline": "20 mentors x 100 mentees",
        },
        "matching_proposal_peak_memory": {
            "value": round(peak, 1),
            "unit": "MiB",
            "size": size,
            "baseline_value": round(base_peak, 2),
            "baseline": "20 mentors x 100 mentees",
        },
        "matching_top_candidates_time": {
            "value": round(one_seconds * 1000, 2),
            "unit": "ms",
            "size": f"1 mentee vs {n_mentors} mentors",
            "baseline_value": None,
        },
        "matching_top_candidates_peak_memory": {
            "value": round(one_peak, 2),
            "unit": "MiB",
            "size": f"1 mentee vs {n_mentors} mentors",
            "baseline_value": None,
        },
    }
