"""Writing export tables to .xlsx (openpyxl, write-only: typed cells, a styled and frozen header row,
an autofilter, sensible column widths) and to .csv (through ``export_safety``), with formula
neutralising in both: a text cell that begins with = + - @ can never run as a formula.

Long exports run in a worker: ``progress(done, total)`` is called every few thousand rows and
``cancelled()`` is checked as often; a cancelled or failed export leaves no file behind.
"""
from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterator

from .. import money
from ..export_safety import check_target, discard_workbook, neutralise, replacing, write_table
from .data import ReportCancelled
from .tables import ExportTable

Progress = Callable[[int, int], None]
#: Excel holds at most this many characters in a cell.
EXCEL_CELL_LIMIT = 32767
EVERY = 2000
NUMBER_FORMATS = {"money": "#,##0", "share": "0.0%", "float": "0.00", "date": "yyyy-mm-dd",
                  "datetime": "yyyy-mm-dd hh:mm"}
HEADER_FILL = "0F2747"


def write(path: str | os.PathLike[str], table: ExportTable, *, progress: Progress | None = None,
          cancelled: Callable[[], bool] | None = None) -> int:
    """Write ``table`` to ``path`` (.xlsx or .csv, by its extension); returns the number of rows."""
    path = check_target(path)
    progress = progress or (lambda done, total: None)
    rows = _watched(table, progress, cancelled or (lambda: False))
    if path.suffix.lower() == ".csv":
        n = write_table(path, [c.name for c in table.columns], rows)
    else:
        n = _write_xlsx(path, table, rows)
    progress(n, max(n, table.total))
    return n


def _watched(table: ExportTable, progress: Progress, cancelled: Callable[[], bool]) -> Iterator[tuple]:
    """The table's rows, reporting progress and stopping when cancelled."""
    total = table.total
    for n, row in enumerate(table.rows, start=1):
        yield row
        if n % EVERY == 0:
            if cancelled():
                raise ReportCancelled("export cancelled")
            progress(n, max(total, n))


def text_cell(value: str) -> str:
    """Text as Excel keeps it: neutralised (no control characters, no formula), at most 32,767 characters."""
    value = neutralise(value)
    return value if len(value) <= EXCEL_CELL_LIMIT else value[:EXCEL_CELL_LIMIT - 1] + "…"


def _write_xlsx(path: Path, table: ExportTable, rows: Iterator[tuple]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(title=table.title[:31] or "Export")
    sheet.freeze_panes = "A2"
    for i, col in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = col.width
    head_font, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=HEADER_FILL)
    head_align = Alignment(vertical="center", wrap_text=True)
    head_border = Border(bottom=Side(style="medium", color="1D4ED8"))
    header = []
    for col in table.columns:
        cell = WriteOnlyCell(sheet, value=text_cell(col.name))
        cell.font, cell.fill, cell.alignment, cell.border = head_font, head_fill, head_align, head_border
        header.append(cell)
    sheet.append(header)
    formats = [money.excel_format(table.currency) if c.type == "money" and table.currency
               else NUMBER_FORMATS.get(c.type) for c in table.columns]
    n = 0
    try:
        with replacing(path) as tmp:
            for row in rows:
                sheet.append([_cell(sheet, v, fmt, WriteOnlyCell) for v, fmt in zip(row, formats)])
                n += 1
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{n + 1}"
            wb.save(tmp)
    finally:
        discard_workbook(wb)
    return n


def _cell(sheet: Any, value: Any, fmt: str | None, make: Any) -> Any:
    """A typed cell: text neutralised, numbers and dates as such, with the column's number format."""
    if value is None:
        return None
    if isinstance(value, str):
        return text_cell(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (date, datetime)):
        fmt = NUMBER_FORMATS["datetime" if isinstance(value, datetime) else "date"]
    if fmt and isinstance(value, (int, float, date, datetime)):
        cell = make(sheet, value=value)
        cell.number_format = fmt
        return cell
    return value
