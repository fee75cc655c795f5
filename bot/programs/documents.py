"""A pair's personalized program, as .docx."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.core.documents import as_bytes, centered, new_document
from bot.core.i18n import tr
from bot.forms.model import AnswerValue
from bot.programs.service import activities
from storage.models import Pair


def program_document(
    school: str, pair: Pair, names: Mapping[int, str], answers: dict[str, AnswerValue]
) -> bytes:
    """A pair's personalized program: header, goals, and the plan of activities as a table."""
    document = new_document()
    centered(document, f"{tr.plain('program-doc-title')}\n{school}")
    start = (
        date.fromisoformat(str(answers.get("start_date"))) if answers.get("start_date") else None
    )
    months = int(answers.get("months") or 0)
    details = (
        (tr.plain("program-doc-mentor"), names.get(pair.mentor_id, "")),
        (tr.plain("program-doc-mentees"), ", ".join(names.get(m, "") for m in pair.mentee_ids)),
        (tr.plain("program-doc-form"), tr.plain("pair-form", form=pair.form)),
        (tr.plain("program-doc-kind"), tr.plain("pair-kind", kind=pair.kind)),
        (
            tr.plain("program-doc-term"),
            tr.plain(
                "program-term",
                start=start.strftime("%d.%m.%Y") if start else "none",
                months=months,
            ),
        ),
        (tr.plain("program-doc-goals"), str(answers.get("goals") or "")),
    )
    for label, value in details:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    headers = (
        tr.plain("program-doc-column-number"),
        tr.plain("program-doc-column-topic"),
        tr.plain("program-doc-column-content"),
        tr.plain("program-doc-column-deadline"),
        tr.plain("program-doc-column-result"),
    )
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for number, activity in enumerate(activities(answers), start=1):
        row = table.add_row().cells
        values = (str(number), activity.topic, activity.content, activity.deadline)
        for cell, value in zip(row, (*values, activity.result), strict=True):
            cell.text = value
    if answers.get("development_plan"):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{tr.plain('program-doc-plan')}: ").bold = True
        paragraph.add_run(str(answers["development_plan"]))
    document.add_paragraph(tr.plain("program-doc-signatures"))
    return as_bytes(document)
