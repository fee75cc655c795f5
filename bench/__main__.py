"""Run every benchmark: `python -m bench [--quick]`; writes BENCHMARKS.md and results.json."""

from __future__ import annotations

import argparse
import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import matching, outbox, scheduler, updates

BENCHES = (matching, scheduler, updates, outbox)


HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="reduced sizes, under two minutes")
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    for bench in BENCHES:
        results.update(bench.run(args.quick))
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Benchmarks",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"Python {platform.python_version()}{' (quick sizes)' if args.quick else ''}. "
        "Regenerate with `python -m bench`.",
        "",
        "| figure | value | size | baseline (same run) |",
        "|---|---|---|---|",
    ]
    for name, figure in results.items():
        baseline = figure.get("baseline_value")
        base = (
            ""
            if baseline is None
            else f"{baseline} {figure['unit']} ({figure.get('baseline', '')})"
        )
        lines.append(f"| {name} | {figure['value']} {figure['unit']} | {figure['size']} | {base} |")
    (HERE.parent / "BENCHMARKS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
