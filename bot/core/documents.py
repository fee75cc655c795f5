"""The .docx engine the feature documents share (python-docx, loaded on first use)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph


def new_document() -> DocxDocument:
    """python-docx (with lxml) costs ~15 MB: loaded when the first document is made."""
    from docx import Document  # noqa: PLC0415
    from docx.shared import Pt  # noqa: PLC0415

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    return document


def centered(document: DocxDocument, text: str, bold: bool = True) -> Paragraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = bold
    return paragraph


def as_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
