"""The pair's mentoring journal, as .docx, and the line of feedback both the chat and the
document show for a meeting."""

from __future__ import annotations

from bot.core.documents import as_bytes, centered, new_document
from bot.core.i18n import tr
from bot.meetings.service import Journal, JournalEntry


def feedback_summary(entry: JournalEntry) -> str:
    """What the participants' feedback says, one part per participant (not HTML)."""
    return " | ".join(
        tr.plain("journal-feedback", rating=n.rating, done=n.done, next_step=n.next_step)
        if n.happened
        else tr.plain("journal-not-held")
        for n in entry.notes
    )


def journal_document(journal: Journal) -> bytes:
    """«Журнал наставничества»: every meeting of the pair with what its feedback says."""
    pair, names = journal.pair, journal.names
    document = new_document()
    centered(document, f"{tr.plain('journal-doc-title')}\n{journal.school}")
    document.add_paragraph(f"{tr('program-doc-mentor')}: {names.get(pair.mentor_id, '')}")
    mentees = ", ".join(names.get(m, "") for m in pair.mentee_ids)
    document.add_paragraph(f"{tr('program-doc-mentees')}: {mentees}")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    headers = (
        tr.plain("journal-doc-date"),
        tr.plain("journal-doc-kind"),
        tr.plain("journal-doc-topic"),
        tr.plain("journal-doc-status"),
        tr.plain("journal-doc-notes"),
    )
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for entry in journal.entries:
        meeting = entry.meeting
        row = table.add_row().cells
        row[0].text = meeting.starts_at.astimezone(journal.zone).strftime("%d.%m.%Y")
        row[1].text = tr.plain("meeting-kind", kind=meeting.kind)
        row[2].text = meeting.topic
        row[3].text = tr.plain("meeting-outcome", outcome=entry.outcome)
        row[4].text = feedback_summary(entry)
    return as_bytes(document)
