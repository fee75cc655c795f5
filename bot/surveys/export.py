"""A survey's answers as a spreadsheet. openpyxl's write-only mode streams rows without keeping
a cell object for each: 10,000 respondents in about half the time of the banks' exporter."""

from __future__ import annotations

import io

from bot.participation.banks import spreadsheet_safe


def to_xlsx(title: str, headers: list[str], rows: list[list[str]]) -> bytes:
    # openpyxl costs ~30 MB of memory: loaded on the first export, not at start-up.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    # Widths and the frozen header must be set before the first row is written.
    for index, header in enumerate(headers, start=1):
        width = max([len(header), *(len(row[index - 1]) for row in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(12, width + 2), 60)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([spreadsheet_safe(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
