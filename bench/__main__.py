"""Run the benchmarks: `python -m bench [--quick] [--only NAME ...]`; writes BENCHMARKS.md and
bench/results.json (`--only` re-measures some and keeps the other figures)."""

from __future__ import annotations

import argparse
import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import (
    broadcasts,
    events,
    matching,
    outbox,
    process,
    region,
    reports,
    roadmap,
    scheduler,
    statements,
    storage,
    surveys,
    updates,
)

BENCHES = {
    "matching": matching,
    "scheduler": scheduler,
    "updates": updates,
    "outbox": outbox,
    "process": process,
    "surveys": surveys,
    "statements": statements,
    "reports": reports,
    "roadmap": roadmap,
    "region": region,
    "storage": storage,
    "events": events,
    "broadcasts": broadcasts,
}
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="reduced sizes, under two minutes")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHES), help="benchmarks to run")
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    if args.only and RESULTS.exists():
        results = json.loads(RESULTS.read_text())
    started = datetime.now(UTC)
    day = f"{started:%Y-%m-%d}"
    for name in args.only or BENCHES:
        measured = BENCHES[name].run(args.quick)
        results.update({key: {**figure, "measured": day} for key, figure in measured.items()})
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    table = render(results, args.only or list(BENCHES), args.quick, started)
    (HERE.parent / "BENCHMARKS.md").write_text(table)
    print(table)  # noqa: T201


def render(results: dict[str, dict[str, Any]], ran: list[str], quick: bool, at: datetime) -> str:
    """BENCHMARKS.md: every figure kept, with the day it was measured."""
    lines = [
        "# Benchmarks",
        "",
        f"Last run {at:%Y-%m-%d %H:%M} UTC on {platform.machine()} "
        f"(2 cores), Python {platform.python_version()}{' (quick sizes)' if quick else ''}:"
        f" {', '.join(ran)}. Regenerate with `python -m bench`"
        " (`--only NAME` re-measures some and keeps the others, each row says when it was"
        " measured); baselines are measured in the same run as their figure.",
        "",
        "| figure | value | size | baseline (same run) | measured |",
        "|---|---|---|---|---|",
    ]
    for name, figure in results.items():
        baseline = figure.get("baseline_value")
        unit = figure["unit"]
        base = "" if baseline is None else f"{baseline} {unit} ({figure.get('baseline', '')})"
        lines.append(
            f"| {name} | {figure['value']} {unit} | {figure['size']} | {base}"
            f" | {figure.get('measured', '')} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
