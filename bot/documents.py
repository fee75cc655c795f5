"""Documents the school signs, as .docx (python-docx)."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

from bot import texts
from bot.forms.model import AnswerValue
from bot.meetings import JournalEntry
from storage.models import Pair

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph


def _new_document() -> DocxDocument:
    """python-docx (with lxml) costs ~15 MB: loaded when the first document is made."""
    from docx import Document  # noqa: PLC0415
    from docx.shared import Pt  # noqa: PLC0415

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    return document


def _centered(document: DocxDocument, text: str, bold: bool = True) -> Paragraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = bold
    return paragraph


def pairs_order(school: str, pairs: list[Pair], names: dict[int, str], today: date) -> bytes:
    """The director's order «Об утверждении наставнических пар/групп», ready to sign."""
    document = _new_document()
    for line, bold in ((school, True), (texts.ORDER_HEADING, True),
                       (texts.order_date_line(today.strftime("%d.%m.%Y")), False),
                       (texts.ORDER_TITLE, True)):  # fmt: skip
        _centered(document, line, bold)
    document.add_paragraph(texts.ORDER_PREAMBLE)
    document.add_paragraph(texts.ORDER_ITEM_APPROVE)
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, texts.ORDER_COLUMNS, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for number, pair in enumerate(pairs, start=1):
        start = pair.activated_at.date() if pair.activated_at else today
        row = table.add_row().cells
        row[0].text = str(number)
        row[1].text = names.get(pair.mentor_id, "")
        row[2].text = "\n".join(names.get(m, "") for m in pair.mentee_ids)
        row[3].text = texts.PAIR_FORMS.get(pair.form, pair.form)
        row[4].text = texts.PAIR_KINDS.get(pair.kind, pair.kind)
        row[5].text = texts.order_term(start.strftime("%d.%m.%Y"))
    for item in texts.ORDER_ITEMS_AFTER:
        document.add_paragraph(item)
    document.add_paragraph(texts.ORDER_SIGNATURE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def program_document(
    school: str, pair: Pair, names: dict[int, str], answers: dict[str, AnswerValue]
) -> bytes:
    """A pair's personalized program: header, goals, and the plan of activities as a table."""
    document = _new_document()
    _centered(document, f"{texts.PROGRAM_DOC_TITLE}\n{school}")
    start = (
        date.fromisoformat(str(answers.get("start_date"))) if answers.get("start_date") else None
    )
    months = int(answers.get("months") or 0)
    details = (
        (texts.PROGRAM_DOC_MENTOR, names.get(pair.mentor_id, "")),
        (texts.PROGRAM_DOC_MENTEES, ", ".join(names.get(m, "") for m in pair.mentee_ids)),
        (texts.PROGRAM_DOC_FORM, texts.PAIR_FORMS.get(pair.form, pair.form)),
        (texts.PROGRAM_DOC_KIND, texts.PAIR_KINDS.get(pair.kind, pair.kind)),
        (texts.PROGRAM_DOC_TERM, texts.program_term(start, months)),
        (texts.PROGRAM_DOC_GOALS, str(answers.get("goals") or "")),
    )
    for label, value in details:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, texts.PROGRAM_DOC_COLUMNS, strict=True):
        cell.text = header
    lines = [line for line in str(answers.get("activities") or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in line.split(";", 3)] + ["", "", ""]
        row = table.add_row().cells
        row[0].text = str(number)
        for cell, value in zip(row[1:], parts[:4], strict=True):
            cell.text = value
    if answers.get("development_plan"):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{texts.PROGRAM_DOC_PLAN}: ").bold = True
        paragraph.add_run(str(answers["development_plan"]))
    document.add_paragraph(texts.PROGRAM_DOC_SIGNATURES)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def journal_document(
    school: str, pair: Pair, names: dict[int, str], entries: list[JournalEntry]
) -> bytes:
    """«Журнал наставничества»: every meeting of the pair with what its feedback says."""
    document = _new_document()
    _centered(document, f"{texts.JOURNAL_DOC_TITLE}\n{school}")
    document.add_paragraph(f"{texts.PROGRAM_DOC_MENTOR}: {names.get(pair.mentor_id, '')}")
    mentees = ", ".join(names.get(m, "") for m in pair.mentee_ids)
    document.add_paragraph(f"{texts.PROGRAM_DOC_MENTEES}: {mentees}")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, texts.JOURNAL_DOC_COLUMNS, strict=True):
        cell.text = header
    for entry in entries:
        meeting = entry.meeting
        row = table.add_row().cells
        row[0].text = meeting.starts_at.strftime("%d.%m.%Y")
        row[1].text = texts.MEETING_KINDS.get(meeting.kind, meeting.kind)
        row[2].text = meeting.topic
        row[3].text = texts.MEETING_STATUSES.get(meeting.status, meeting.status)
        row[4].text = entry.summary
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
