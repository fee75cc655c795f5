"""The director's order approving pairs, as .docx, and the order's number and date as the
curator types them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.core.documents import as_bytes, centered, new_document
from bot.core.i18n import tr
from storage.models import Pair

NUMBER_LIMIT = 20
# «45-о от 01.09.2026», «№ 45 от 1.9.2026», «45/2 01.09.2026»
_REFERENCE = re.compile(
    r"^(?:№\s*)?(?P<number>[^\s№]{1,20})\s+(?:от\s+)?(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OrderReference:
    number: str
    signed_on: date

    def shown(self) -> str:
        return tr.plain(
            "order-reference", number=self.number, date=self.signed_on.strftime("%d.%m.%Y")
        )


def parse_order_reference(typed: str) -> OrderReference | None:
    """The order's number and date, or None when they cannot be read."""
    found = _REFERENCE.match(" ".join(typed.split()))
    if found is None:
        return None
    try:
        signed_on = date(int(found["year"]), int(found["month"]), int(found["day"]))
    except ValueError:
        return None
    return OrderReference(found["number"], signed_on)


def pairs_order(
    school: str,
    pairs: list[Pair],
    names: Mapping[int, str],
    today: date,
    reference: OrderReference | None,
) -> bytes:
    """The director's order «Об утверждении наставнических пар/групп», ready to sign; without
    a number and date it leaves the field to fill by hand."""
    document = new_document()
    for line, bold in (
        (school, True),
        (tr.plain("order-heading"), True),
        (reference.shown() if reference else tr.plain("order-reference-blank"), False),
        (tr.plain("order-title"), True),
    ):
        centered(document, line, bold)
    document.add_paragraph(tr.plain("order-preamble"))
    document.add_paragraph(tr.plain("order-item-approve"))
    headers = (
        tr.plain("order-column-number"),
        tr.plain("order-column-mentor"),
        tr.plain("order-column-mentees"),
        tr.plain("order-column-form"),
        tr.plain("order-column-kind"),
        tr.plain("order-column-term"),
    )
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for number, pair in enumerate(pairs, start=1):
        start = pair.activated_at.date() if pair.activated_at else today
        row = table.add_row().cells
        row[0].text = str(number)
        row[1].text = names.get(pair.mentor_id, "")
        row[2].text = "\n".join(names.get(m, "") for m in pair.mentee_ids)
        row[3].text = tr.plain("pair-form", form=pair.form)
        row[4].text = tr.plain("pair-kind", kind=pair.kind)
        row[5].text = tr.plain("order-term", start=start.strftime("%d.%m.%Y"))
    document.add_paragraph(tr.plain("order-item-programs"))
    document.add_paragraph(tr.plain("order-item-control"))
    document.add_paragraph(tr.plain("order-signature"))
    return as_bytes(document)
