"""The pair's mentoring journal, as .docx."""

from __future__ import annotations

from bot.core.documents import as_bytes, centered, new_document
from bot.core.i18n import tr
from bot.meetings.service import JournalEntry
from bot.ui import texts
from storage.models import Pair


def journal_document(
    school: str, pair: Pair, names: dict[int, str], entries: list[JournalEntry]
) -> bytes:
    """«Журнал наставничества»: every meeting of the pair with what its feedback says."""
    document = new_document()
    centered(document, f"{tr('journal-doc-title')}\n{school}")
    document.add_paragraph(f"{tr('program-doc-mentor')}: {names.get(pair.mentor_id, '')}")
    mentees = ", ".join(names.get(m, "") for m in pair.mentee_ids)
    document.add_paragraph(f"{tr('program-doc-mentees')}: {mentees}")
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
    return as_bytes(document)
