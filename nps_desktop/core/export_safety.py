"""Safe spreadsheet exports: cells that cannot run as formulas, CSV that Excel reads as UTF-8.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be taken for
a formula by Excel or LibreOffice (CSV injection); ``neutralise`` puts an apostrophe in front of it, the
usual defence (OWASP). Numbers and dates are left alone. ``write_table`` writes a header and rows to
``.csv`` (UTF-8 with a byte-order mark, so Excel shows accents) or ``.xlsx`` (openpyxl, dates as dates,
control characters Excel refuses dropped).
"""
from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = (".csv", ".xlsx")


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: text that could start a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


def check_target(path: str | Path) -> Path:
    """The export path, refused with a one-line message unless it ends in .csv or .xlsx."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"{path}: cannot export to {path.suffix or 'a file without an extension'}; "
                         "use .csv or .xlsx")
    return path


def write_table(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
                sheet: str = "Export", progress: Callable[[int, int], None] | None = None,
                total: int = 0) -> int:
    """Write ``header`` and ``rows`` to ``path`` (.csv or .xlsx); returns the number of rows.

    The file is written next to its target and moved into place at the end, so a failed export never
    leaves half a file behind.
    """
    path = check_target(path)
    tmp = path.with_name(path.name + ".part")
    try:
        if path.suffix.lower() == ".csv":
            n = _write_csv(tmp, header, rows, progress, total)
        else:
            n = _write_xlsx(tmp, header, rows, sheet, progress, total)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


def _cell_text(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return "" if value is None else value


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]],
               progress: Callable[[int, int], None] | None, total: int) -> int:
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(safe_row(header))
        for row in rows:
            out.writerow(safe_row(_cell_text(v) for v in row))
            n += 1
            if progress is not None and n % 5000 == 0:
                progress(n, total)
    return n


def _write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str,
                progress: Callable[[int, int], None] | None, total: int) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet[:31] or "Export")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=neutralise(name))
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    n = 0
    for row in rows:
        out = []
        for v in row:
            v = neutralise(v)
            if isinstance(v, (date, datetime)):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "yyyy-mm-dd" if not isinstance(v, datetime) else "yyyy-mm-dd hh:mm"
                out.append(cell)
            elif isinstance(v, str):   # neutralised: never read as a formula; no control characters
                out.append(ILLEGAL_CHARACTERS_RE.sub("", v))
            else:
                out.append(v)
        ws.append(out)
        n += 1
        if progress is not None and n % 5000 == 0:
            progress(n, total)
    wb.save(path)
    return n
