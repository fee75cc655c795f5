"""Benchmarks: `python -m bench` runs them all and writes BENCHMARKS.md and bench/results.json."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from app.assembly import settle_heap


@contextmanager
def settled_heap() -> Iterator[None]:
    """Measure as the running bot runs once started: what exists now is kept out of the full
    collections (`app.assembly.settle_heap`); after the block, collected as usual again."""
    settle_heap()
    try:
        yield
    finally:
        gc.unfreeze()
