"""The report's documents: an XLSX workbook with one sheet per table, and the «аналитическая
справка по итогам мониторинга» (.docx) with the same tables and the charts embedded."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.documents import as_bytes, centered, new_document
from bot.core.i18n import tr
from bot.participation.banks import _spreadsheet_safe
from bot.reports.charts import Chart, month_label
from bot.reports.figures import DistrictFigures, SchoolFigures
from storage.models import OrderKind
from storage.reports import EndReason, PracticeEvent

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

Cell = str | int | float


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name (at most 31 characters) and the table's heading
    headers: list[str]
    rows: list[list[Cell]]


def _row(*cells: Cell) -> list[Cell]:
    return list(cells)


def _number(value: float | None) -> Cell:
    return "—" if value is None else value


def school_tables(figures: SchoolFigures) -> list[Table]:
    """Every table of the school report, in the order the справка gives them."""
    t = tr.plain
    wait = figures.waiting
    people = Table(
        t("report-table-people"),
        [t("report-column-indicator"), t("report-column-value")],
        [
            _row(t("report-row-mentors"), figures.mentors),
            _row(t("report-row-mentees"), figures.mentees),
            _row(t("report-row-withdrawn"), figures.withdrawn),
        ]
        + (
            [
                _row(t("report-row-waiting"), wait.mentees),
                _row(t("report-row-waiting-mean"), round(wait.mean_days, 1)),
                _row(t("report-row-waiting-longest"), wait.longest_days),
            ]
            if wait is not None
            else []
        ),
    )
    pairs = Table(
        t("report-table-pairs"),
        [t("report-column-form"), t("report-column-kind"), t("report-column-pairs")],
        [
            _row(t("pair-form", form=p.form), t("pair-kind", kind=p.kind), p.pairs)
            for p in figures.pairs
        ]
        + [_row(t("report-row-total"), "", figures.total_pairs)],
    )
    outcomes = figures.outcomes
    programs = Table(
        t("report-table-programs"),
        [t("report-column-indicator"), t("report-column-value")],
        [
            _row(t("report-chart-active"), outcomes.active),
            _row(t("report-row-completed"), outcomes.completed),
            _row(t("report-row-ended-early"), outcomes.ended_early),
        ]
        + [
            _row(t("report-end-reason", reason=reason), outcomes.ended.get(reason, 0))
            for reason in EndReason
            if reason is not EndReason.COMPLETED
        ]
        + [_row(t("report-row-confirmed-programs"), figures.confirmed_programs)],
    )
    meetings = Table(
        t("report-table-meetings"),
        [
            t("report-column-month"),
            t("report-chart-held"),
            t("report-chart-missed"),
            t("report-chart-planned"),
            t("report-column-cancelled"),
            t("report-column-feedback"),
        ],
        [
            _row(month_label(m.month), m.held, m.missed, m.planned, m.cancelled, m.feedback)
            for m in figures.months
        ]
        + [
            [
                t("report-row-total"),
                figures.meetings("held"),
                figures.meetings("missed"),
                figures.meetings("planned"),
                figures.meetings("cancelled"),
                figures.meetings("feedback"),
            ]
        ],
    )
    found = figures.satisfaction
    satisfaction = Table(
        t("report-table-satisfaction"),
        [
            t("report-column-question"),
            t("report-column-mentors", count=found.mentors),
            t("report-column-mentees", count=found.mentees),
        ],
        [[q.header, _number(q.mentors), _number(q.mentees)] for q in found.questions],
    )
    attention = Table(
        t("report-table-attention"),
        [t("report-column-pair"), t("report-column-idle")],
        [[a.title, a.idle_days] for a in figures.attention],
    )
    events = Table(
        t("report-table-events"), _event_headers(), [_event_row(e) for e in figures.events]
    )
    acts = Table(
        t("report-table-acts"),
        [t("report-column-act"), t("report-column-number"), t("report-column-date")],
        [
            [t("report-act", kind=a.kind), a.number, a.signed_on.strftime("%d.%m.%Y")]
            for a in figures.acts
        ],
    )
    tables = [people, pairs, programs, meetings, satisfaction, attention, events, acts]
    if figures.growth:
        tables.append(
            Table(
                t("report-table-growth"),
                [
                    t("report-column-question"),
                    t("report-chart-before"),
                    t("report-chart-after"),
                    t("report-column-respondents"),
                ],
                [[g.header, g.before, g.after, g.respondents] for g in figures.growth],
            )
        )
    return tables


def _event_headers() -> list[str]:
    t = tr.plain
    return [
        t("report-column-event"),
        t("report-column-level"),
        t("report-column-date"),
        t("report-column-participants"),
        t("report-column-result"),
        t("report-column-link"),
    ]


def _event_row(event: PracticeEvent) -> list[Cell]:
    return [
        event.name,
        tr.plain("report-level", level=event.level),
        event.held_on.strftime("%d.%m.%Y"),
        event.participants,
        event.result,
        event.link,
    ]


# The seed's first table: the orders the district asks for, in its columns' order.
DISTRICT_ACT_KINDS = (OrderKind.REGULATION, OrderKind.ROADMAP, OrderKind.PAIRS, OrderKind.CURATOR)


def district_tables(figures: DistrictFigures) -> list[Table]:
    """The two tables at the end of seed 002, one row per school and a total."""
    t = tr.plain
    missing = t("report-not-filled")
    acts_rows: list[list[Cell]] = []
    for number, school in enumerate(figures.schools, start=1):
        row: list[Cell] = [number, school.name]
        for kind in DISTRICT_ACT_KINDS:
            act = school.acts.get(kind.value)
            row.append(
                t(
                    "report-act-reference",
                    number=act.number,
                    date=act.signed_on.strftime("%d.%m.%Y"),
                )
                if act
                else missing
            )
        contacts = school.contacts
        row.append(
            t(
                "report-contacts",
                name=contacts.full_name,
                email=contacts.email,
                phone=contacts.phone,
            )
            if contacts
            else missing
        )
        acts_rows.append(row)
    acts = Table(
        t("report-district-acts"),
        ["№", t("report-column-school")]
        + [t("report-district-act", kind=k) for k in DISTRICT_ACT_KINDS]
        + [t("report-column-contacts")],
        acts_rows,
    )
    monitoring_rows: list[list[Cell]] = []
    for number, school in enumerate(figures.schools, start=1):
        if not school.reported:
            monitoring_rows.append(
                _row(number, school.name, missing, *("" for _ in figures.forms), missing, missing)
            )
            continue
        events = "; ".join(
            t(
                "report-event-line",
                name=e.name,
                level=t("report-level", level=e.level),
                date=e.held_on.strftime("%d.%m.%Y"),
                result=e.result,
            )
            for e in school.events
        )
        monitoring_rows.append(
            _row(
                number,
                school.name,
                school.pairs,
                *(school.pairs_by_form.get(form, 0) for form in figures.forms),
                school.completed,
                events or t("report-no-events"),
            )
        )
    monitoring_rows.append(
        _row(
            "",
            t("report-row-total"),
            figures.pairs,
            *(sum(s.pairs_by_form.get(form, 0) for s in figures.schools) for form in figures.forms),
            figures.completed,
            t("report-events-count", count=figures.events),
        )
    )
    monitoring = Table(
        t("report-district-monitoring"),
        ["№", t("report-column-school"), t("report-district-pairs")]
        + [t("report-district-form", form=t("pair-form", form=form)) for form in figures.forms]
        + [t("report-district-completed"), t("report-district-events")],
        monitoring_rows,
    )
    return [acts, monitoring]


def workbook(tables: list[Table]) -> bytes:
    # openpyxl costs ~30 MB of memory: loaded on the first export, not at start-up.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            widest = max([len(header)] + [len(str(r[index - 1])) for r in table.rows[:200]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(8, widest + 2), 50)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(document: DocxDocument, table: Table) -> None:
    document.add_heading(table.title, level=2)
    if not table.rows:
        document.add_paragraph(tr.plain("report-table-empty"))
        return
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)


def reference(figures: SchoolFigures, tables: list[Table], charts: list[Chart]) -> bytes:
    """The аналитическая справка: a heading, the summary in words, each table, each chart."""
    from docx.shared import Cm  # noqa: PLC0415

    document = new_document()
    centered(document, tr.plain("report-docx-title"))
    centered(
        document,
        tr.plain("report-docx-subtitle", school=figures.school, year=figures.year),
        bold=False,
    )
    document.add_paragraph(
        tr.plain(
            "report-docx-summary",
            pairs=figures.total_pairs,
            groups=figures.groups,
            completed=figures.outcomes.completed,
            early=figures.outcomes.ended_early,
            held=figures.meetings("held"),
            feedback=figures.meetings("feedback"),
        )
    )
    for table in tables:
        _table(document, table)
    if charts:
        document.add_heading(tr.plain("report-docx-charts"), level=2)
    for chart in charts:
        document.add_picture(io.BytesIO(chart.png), width=Cm(16))
        document.add_paragraph(chart.caption)
    return as_bytes(document)
