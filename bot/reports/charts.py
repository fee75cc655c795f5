"""The report's charts as PNG images, readable on a phone: large type, few bars, one idea each.

matplotlib's object API (no pyplot: no global figure state, safe off the event loop) with the
Agg renderer and DejaVu Sans, which ships with matplotlib and has Cyrillic. A chart with
nothing to show is not drawn."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.i18n import tr
from bot.reports.figures import DistrictFigures, GrowthRow, SchoolFigures
from storage.reports import EndReason

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Pixels: 8 × 6 inches at 150 dpi.
WIDTH, HEIGHT = 1200, 900
_DPI = 150
_FONT = 15
_MENTORS, _MENTEES = "#2a6fb0", "#e08a1e"


@dataclass(frozen=True)
class Chart:
    name: str  # the file name without extension
    caption: str
    png: bytes


def _figure() -> tuple[Figure, Axes]:
    # matplotlib costs ~40 MB and ~0.5 s to import: loaded with the first report.
    from matplotlib import rcParams  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    # Named, so a changed default (a matplotlibrc on the server) cannot drop the Cyrillic.
    rcParams["font.family"] = ["DejaVu Sans"]
    figure = Figure(figsize=(WIDTH / _DPI, HEIGHT / _DPI), dpi=_DPI, layout="constrained")
    figure.set_facecolor("white")
    axes = figure.add_subplot()
    axes.tick_params(labelsize=_FONT - 2)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


def _legend_below(axes: Axes) -> None:
    """Under the bars, where it never covers one."""
    axes.legend(
        fontsize=_FONT - 2, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=2
    )


def _label_bars(axes: Axes, horizontal: bool = False) -> None:
    for container in axes.containers:
        labels = axes.bar_label(container, fontsize=_FONT - 3, padding=3)  # type: ignore[arg-type]
        for label in labels:
            if label.get_text() in ("0", "0.0", ""):
                label.set_text("")
    if horizontal:
        axes.margins(x=0.15)
    else:
        axes.margins(y=0.15)


def month_label(month: str) -> str:
    """«2026-11» → «ноя 2026»."""
    return tr.plain("report-month", month=int(month[5:7]), year=month[:4])


def program_status(figures: SchoolFigures) -> Chart | None:
    outcomes = figures.outcomes
    bars = [(tr.plain("report-chart-active"), outcomes.active)]
    bars += [
        (tr.plain("report-end-reason", reason=reason), outcomes.ended.get(reason, 0))
        for reason in EndReason
    ]
    bars = [(label, value) for label, value in bars if value]
    if not bars:
        return None
    figure, axes = _figure()
    labels, values = zip(*bars, strict=True)
    axes.barh(list(labels)[::-1], list(values)[::-1], color=_MENTORS)
    axes.set_title(tr.plain("report-chart-programs"), fontsize=_FONT + 2)
    axes.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    _label_bars(axes, horizontal=True)
    return Chart("programs", tr.plain("report-chart-programs"), _png(figure))


def meetings_by_month(figures: SchoolFigures) -> Chart | None:
    months = [m for m in figures.months if m.held or m.missed or m.planned]
    if not months:
        return None
    figure, axes = _figure()
    positions = range(len(months))
    width = 0.27
    series = [
        (tr.plain("report-chart-held"), [m.held for m in months], "#3c9a4b"),
        (tr.plain("report-chart-missed"), [m.missed for m in months], "#c8453b"),
        (tr.plain("report-chart-planned"), [m.planned for m in months], "#9aa5b1"),
    ]
    for offset, (label, values, color) in enumerate(series):
        axes.bar(
            [p + (offset - 1) * width for p in positions], values, width, label=label, color=color
        )
    axes.set_xticks(list(positions), [month_label(m.month) for m in months])
    axes.tick_params(axis="x", rotation=45 if len(months) > 6 else 0)
    axes.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    axes.legend(fontsize=_FONT - 2, frameon=False)
    axes.set_title(tr.plain("report-chart-meetings"), fontsize=_FONT + 2)
    _label_bars(axes)
    return Chart("meetings", tr.plain("report-chart-meetings"), _png(figure))


def _paired(
    name: str,
    title: str,
    headers: list[str],
    left: list[float],
    right: list[float],
    labels: tuple[str, str],
) -> Chart:
    """Two bars per row, side by side, on a 0–10 scale (satisfaction; growth before/after)."""
    figure, axes = _figure()
    rows = range(len(headers))
    height = 0.38
    # The y axis is inverted (first row on top): the first series sits above the second.
    axes.barh([r - height / 2 for r in rows], left, height, label=labels[0], color=_MENTORS)
    axes.barh([r + height / 2 for r in rows], right, height, label=labels[1], color=_MENTEES)
    axes.set_yticks(list(rows), headers)
    axes.invert_yaxis()
    axes.set_xlim(0, 11)
    _legend_below(axes)
    axes.set_title(title, fontsize=_FONT + 2)
    _label_bars(axes, horizontal=True)
    return Chart(name, title, _png(figure))


def satisfaction(figures: SchoolFigures) -> Chart | None:
    found = figures.satisfaction
    if not found.shown:
        return None
    questions = found.questions
    return _paired(
        "satisfaction",
        tr.plain("report-chart-satisfaction"),
        [q.header for q in questions],
        [q.mentors or 0.0 for q in questions],
        [q.mentees or 0.0 for q in questions],
        (tr.plain("report-chart-mentors"), tr.plain("report-chart-mentees")),
    )


def growth(rows: tuple[GrowthRow, ...]) -> Chart | None:
    if not rows:
        return None
    return _paired(
        "growth",
        tr.plain("report-chart-growth"),
        [r.header for r in rows],
        [r.before for r in rows],
        [r.after for r in rows],
        (tr.plain("report-chart-before"), tr.plain("report-chart-after")),
    )


def school_charts(figures: SchoolFigures) -> list[Chart]:
    drawn = [
        program_status(figures),
        meetings_by_month(figures),
        satisfaction(figures),
        growth(figures.growth),
    ]
    return [chart for chart in drawn if chart is not None]


def district_comparison(figures: DistrictFigures) -> Chart | None:
    """Pairs and completed programs per school, one row per school."""
    schools = [s for s in figures.schools if s.reported]
    if not schools or not any(s.pairs or s.completed for s in schools):
        return None
    figure, axes = _figure()
    if len(schools) > 12:
        # A hundred schools do not fit a phone: the twelve with the most pairs.
        schools = sorted(schools, key=lambda s: -s.pairs)[:12]
    rows = range(len(schools))
    height = 0.38
    axes.barh(
        [r - height / 2 for r in rows],
        [s.pairs for s in schools],
        height,
        label=tr.plain("report-chart-pairs"),
        color=_MENTORS,
    )
    axes.barh(
        [r + height / 2 for r in rows],
        [s.completed for s in schools],
        height,
        label=tr.plain("report-chart-completed"),
        color=_MENTEES,
    )
    axes.set_yticks(list(rows), [s.name[:28] for s in schools])
    axes.invert_yaxis()
    axes.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    _legend_below(axes)
    axes.set_title(tr.plain("report-chart-district"), fontsize=_FONT + 2)
    _label_bars(axes, horizontal=True)
    return Chart("district", tr.plain("report-chart-district"), _png(figure))
