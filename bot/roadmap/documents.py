"""The roadmap as a school document: the usual table (№, stage, activity and content,
deadline, responsible, result) for .docx and the spreadsheet."""

from __future__ import annotations

from bot.core.documents import as_bytes, centered, new_document
from bot.core.i18n import tr
from bot.roadmap import rules
from bot.roadmap.rules import RoadmapView
from storage.roadmap import RoadmapItem


def responsible(item: RoadmapItem, names: dict[int, str]) -> str:
    people = [names.get(person, "") for person in item.responsibles]
    return ", ".join(part for part in [item.responsible_role, *people] if part)


def table(view: RoadmapView) -> tuple[list[str], list[list[str]]]:
    headers = [
        tr.plain("roadmap-column-number"),
        tr.plain("roadmap-column-stage"),
        tr.plain("roadmap-column-activity"),
        tr.plain("roadmap-column-deadline"),
        tr.plain("roadmap-column-responsible"),
        tr.plain("roadmap-column-result"),
        tr.plain("roadmap-column-status"),
    ]
    rows = []
    for number, item in enumerate(view.items, start=1):
        activity = f"{item.activity}. {item.content}" if item.content else item.activity
        status = tr.plain("roadmap-status", status=item.status, overdue=view.overdue(item))
        rows.append(
            [
                str(number),
                item.stage,
                activity,
                rules.shown(item),
                responsible(item, view.names),
                item.result,
                f"{status}: {item.note}" if item.note else status,
            ]
        )
    return headers, rows


def roadmap_docx(view: RoadmapView) -> bytes:
    """«Дорожная карта» with its table, landscape, as schools print it."""
    from docx.enum.section import WD_ORIENT  # noqa: PLC0415

    document = new_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    centered(
        document,
        tr.plain("roadmap-doc-title", name=view.title, year=view.roadmap.school_year),
    )
    headers, rows = table(view)
    # The status column is the bot's; the school's document has the usual six.
    grid = document.add_table(rows=1 + len(rows), cols=len(headers) - 1)
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, headers, strict=False):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row, values in zip(grid.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value
    return as_bytes(document)
