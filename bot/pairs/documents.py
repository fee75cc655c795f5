"""The director's order approving pairs, as .docx."""

from __future__ import annotations

from datetime import date

from bot.core.documents import as_bytes, centered, new_document
from bot.core.i18n import tr
from bot.ui import texts
from storage.models import Pair


def pairs_order(school: str, pairs: list[Pair], names: dict[int, str], today: date) -> bytes:
    """The director's order «Об утверждении наставнических пар/групп», ready to sign."""
    document = new_document()
    for line, bold in (
        (school, True),
        (tr("order-heading"), True),
        (texts.order_date_line(today.strftime("%d.%m.%Y")), False),
        (tr("order-title"), True),
    ):
        centered(document, line, bold)
    document.add_paragraph(tr("order-preamble"))
    document.add_paragraph(tr("order-item-approve"))
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
    document.add_paragraph(tr("order-signature"))
    return as_bytes(document)
