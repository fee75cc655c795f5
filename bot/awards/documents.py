"""The thank-you letter («Благодарственное письмо») of a winner, as a school hands it out."""

from __future__ import annotations

from bot.core.documents import as_bytes, centered, new_document
from bot.core.i18n import tr


def letter(school: str, name: str, nomination: str, year: str, partners: str) -> bytes:
    """One winner's letter; `partners` names the rest of a winning pair (empty for a mentor)."""
    document = new_document()
    centered(document, school, bold=False)
    centered(document, tr.plain("award-letter-title"))
    centered(document, tr.plain("award-letter-to"), bold=False)
    centered(document, name)
    document.add_paragraph(
        tr.plain("award-letter-body", nomination=nomination, year=year, partners=partners or "none")
    )
    document.add_paragraph(tr.plain("award-letter-thanks"))
    document.add_paragraph(tr.plain("award-letter-signature"))
    return as_bytes(document)
