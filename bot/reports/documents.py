"""The report's documents: an XLSX workbook with one sheet per table, and the «аналитическая
справка по итогам мониторинга» (.docx) with the same tables and the charts embedded."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.documents import as_bytes, centered, new_document
from bot.core.i18n import tr
from bot.participation.banks import spreadsheet_safe
from bot.reports.charts import Chart, month_label
from bot.reports.figures import DistrictFigures, SchoolFigures
from storage.events import Training
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
    wait = figures.waiting
    people = Table(
        tr.plain("report-table-people"),
        [tr.plain("report-column-indicator"), tr.plain("report-column-value")],
        [
            _row(tr.plain("report-row-mentors"), figures.mentors),
            _row(tr.plain("report-row-mentees"), figures.mentees),
            _row(tr.plain("report-row-withdrawn"), figures.withdrawn),
        ]
        + (
            [
                _row(tr.plain("report-row-waiting"), wait.mentees),
                _row(tr.plain("report-row-waiting-mean"), round(wait.mean_days, 1)),
                _row(tr.plain("report-row-waiting-longest"), wait.longest_days),
            ]
            if wait is not None
            else []
        ),
    )
    pairs = Table(
        tr.plain("report-table-pairs"),
        [
            tr.plain("report-column-form"),
            tr.plain("report-column-kind"),
            tr.plain("report-column-pairs"),
        ],
        [
            _row(tr.plain("pair-form", form=p.form), tr.plain("pair-kind", kind=p.kind), p.pairs)
            for p in figures.pairs
        ]
        + [_row(tr.plain("report-row-total"), "", figures.total_pairs)],
    )
    outcomes = figures.outcomes
    programs = Table(
        tr.plain("report-table-programs"),
        [tr.plain("report-column-indicator"), tr.plain("report-column-value")],
        [
            _row(tr.plain("report-chart-active"), outcomes.active),
            _row(tr.plain("report-row-completed"), outcomes.completed),
            _row(tr.plain("report-row-ended-early"), outcomes.ended_early),
        ]
        + [
            _row(tr.plain("report-end-reason", reason=reason), outcomes.ended.get(reason, 0))
            for reason in EndReason
            if reason is not EndReason.COMPLETED
        ]
        + [_row(tr.plain("report-row-confirmed-programs"), figures.confirmed_programs)],
    )
    meetings = Table(
        tr.plain("report-table-meetings"),
        [
            tr.plain("report-column-month"),
            tr.plain("report-chart-held"),
            tr.plain("report-chart-missed"),
            tr.plain("report-chart-planned"),
            tr.plain("report-column-cancelled"),
            tr.plain("report-column-feedback"),
        ],
        [
            _row(month_label(m.month), m.held, m.missed, m.planned, m.cancelled, m.feedback)
            for m in figures.months
        ]
        + [
            [
                tr.plain("report-row-total"),
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
        tr.plain("report-table-satisfaction"),
        [
            tr.plain("report-column-question"),
            tr.plain("report-column-mentors", count=found.mentors),
            tr.plain("report-column-mentees", count=found.mentees),
        ],
        [[q.header, _number(q.mentors), _number(q.mentees)] for q in found.questions],
    )
    attention = Table(
        tr.plain("report-table-attention"),
        [tr.plain("report-column-pair"), tr.plain("report-column-idle")],
        [[a.title, a.idle_days] for a in figures.attention],
    )
    events = Table(
        tr.plain("report-table-events"), _event_headers(), [_event_row(e) for e in figures.events]
    )
    acts = Table(
        tr.plain("report-table-acts"),
        [
            tr.plain("report-column-act"),
            tr.plain("report-column-number"),
            tr.plain("report-column-date"),
        ],
        [
            [tr.plain("report-act", kind=a.kind), a.number, a.signed_on.strftime("%d.%m.%Y")]
            for a in figures.acts
        ],
    )
    tables = [people, pairs, programs, meetings, satisfaction, attention, events, acts]
    if figures.training is not None:
        tables.append(_training(figures.training))
    if figures.growth:
        tables.append(
            Table(
                tr.plain("report-table-growth"),
                [
                    tr.plain("report-column-question"),
                    tr.plain("report-chart-before"),
                    tr.plain("report-chart-after"),
                    tr.plain("report-column-change"),
                    tr.plain("report-column-respondents"),
                ],
                [[g.header, g.before, g.after, g.change, g.respondents] for g in figures.growth],
            )
        )
    return tables


def _training(training: Training) -> Table:
    """Events the bot organised that were held, by kind, and the mentors trained at them."""
    rows: list[list[Cell]] = [
        [tr.plain("event-kind", kind=kind), count] for kind, count in sorted(training.held.items())
    ]
    if not rows:
        rows.append([tr.plain("report-training-none"), 0])
    rows.append([tr.plain("report-training-mentors"), training.mentors_trained])
    return Table(
        tr.plain("report-training-title"),
        [tr.plain("report-column-indicator"), tr.plain("report-column-value")],
        rows,
    )


def _event_headers() -> list[str]:
    return [
        tr.plain("report-column-event"),
        tr.plain("report-column-level"),
        tr.plain("report-column-date"),
        tr.plain("report-column-participants"),
        tr.plain("report-column-result"),
        tr.plain("report-column-link"),
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
    missing = tr.plain("report-not-filled")
    acts_rows: list[list[Cell]] = []
    for number, school in enumerate(figures.schools, start=1):
        row: list[Cell] = [number, school.name]
        for kind in DISTRICT_ACT_KINDS:
            act = school.acts.get(kind.value)
            row.append(
                tr.plain(
                    "report-act-reference",
                    number=act.number,
                    date=act.signed_on.strftime("%d.%m.%Y"),
                )
                if act
                else missing
            )
        contacts = school.contacts
        row.append(
            tr.plain(
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
        tr.plain("report-district-acts"),
        ["№", tr.plain("report-column-school")]
        + [tr.plain("report-district-act", kind=k) for k in DISTRICT_ACT_KINDS]
        + [tr.plain("report-column-contacts")],
        acts_rows,
    )
    monitoring_rows: list[list[Cell]] = []
    for number, school in enumerate(figures.schools, start=1):
        if not school.reported:
            monitoring_rows.append(
                _row(
                    number,
                    school.name,
                    missing,
                    *("" for _ in figures.forms),
                    missing,
                    missing,
                    # Training comes before the pairs: a school may have trained mentors already.
                    school.mentors_trained or missing,
                )
            )
            continue
        events = "; ".join(
            tr.plain(
                "report-event-line",
                name=e.name,
                level=tr.plain("report-level", level=e.level),
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
                events or tr.plain("report-no-events"),
                school.mentors_trained,
            )
        )
    monitoring_rows.append(
        _row(
            "",
            tr.plain("report-row-total"),
            figures.pairs,
            *(sum(s.pairs_by_form.get(form, 0) for s in figures.schools) for form in figures.forms),
            figures.completed,
            tr.plain("report-events-count", count=figures.events),
            figures.mentors_trained,
        )
    )
    monitoring = Table(
        tr.plain("report-district-monitoring"),
        ["№", tr.plain("report-column-school"), tr.plain("report-district-pairs")]
        + [
            tr.plain("report-district-form", form=tr.plain("pair-form", form=form))
            for form in figures.forms
        ]
        # The seed's columns, then the training the district checks (DOMAIN.md, stage 4).
        + [
            tr.plain("report-district-completed"),
            tr.plain("report-district-events"),
            tr.plain("report-training-mentors"),
        ],
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
            sheet.append([spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            widest = max([len(header)] + [len(str(r[index - 1])) for r in table.rows[:200]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(8, widest + 2), 50)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def add_table(document: DocxDocument, table: Table, heading: bool = True) -> None:
    if heading:
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
        add_table(document, table)
    if charts:
        document.add_heading(tr.plain("report-docx-charts"), level=2)
    for chart in charts:
        document.add_picture(io.BytesIO(chart.png), width=Cm(16))
        document.add_paragraph(chart.caption)
    return as_bytes(document)
