"""Safe spreadsheet exports: cells that cannot run as formulas, CSV that Excel reads as UTF-8, private
files that appear whole or not at all.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a line break could be taken for a
formula by Excel or LibreOffice (CSV injection). ``neutralise`` is the one function every export passes
every cell and header through: it first removes the control characters a spreadsheet drops anyway (so
that none can hide a formula behind it), then puts an apostrophe in front of text that could start a
formula, after any leading spaces (the usual defence, OWASP). Numbers and dates are left alone.
``write_table`` writes a header and rows to ``.csv`` (UTF-8 with a byte-order mark, so Excel shows
accents) or ``.xlsx`` (openpyxl, dates as dates). ``replacing`` gives every export a scratch file
readable by its owner only, moved into place at the end and removed when the export fails.
"""
from __future__ import annotations

import contextlib
import csv
import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

#: What a spreadsheet may take as the start of a formula (with the full-width forms of the signs).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Control characters that XML (so .xlsx) cannot hold and spreadsheets drop; tab and line breaks stay.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Invisible characters a spreadsheet skips before the first sign it reads.
_LEADING = " \u00a0\ufeff\u200b\u200c\u200d\u2060"
FORMATS = (".csv", ".xlsx")


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell or header: control characters removed, then text that
    could start a formula (after leading spaces) gets a ``'`` in front."""
    if not isinstance(value, str):
        return value
    value = CONTROL.sub("", value)
    if value.lstrip(_LEADING)[:1] in FORMULA_STARTS:
        return "'" + value
    return value


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A scratch file beside ``path``, readable by its owner only, that becomes ``path`` when the block
    ends and is removed when it raises: an export is private, and whole or absent."""
    tmp = path.with_name(path.name + ".part")
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(tmp, 0o600)  # a scratch file left by a crash keeps its old mode otherwise
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def discard_workbook(wb: Any) -> None:
    """Remove the scratch files openpyxl's write-only sheets keep until the process ends."""
    for sheet in getattr(wb, "_sheets", []):
        if getattr(sheet, "_writer", None) is None or getattr(sheet, "closed", True):
            continue  # saved: openpyxl already removed its scratch file
        with contextlib.suppress(Exception):
            sheet.close()  # end the half-written stream first
        with contextlib.suppress(Exception):
            sheet._writer.cleanup()


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
    with replacing(path) as tmp:
        if path.suffix.lower() == ".csv":
            return _write_csv(tmp, header, rows, progress, total)
        return _write_xlsx(tmp, header, rows, sheet, progress, total)


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
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    try:
        return _fill_xlsx(wb, path, header, rows, sheet, progress, total, WriteOnlyCell, Font(bold=True))
    finally:
        discard_workbook(wb)


def _fill_xlsx(wb: Any, path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str,
               progress: Callable[[int, int], None] | None, total: int, make: Any, bold: Any) -> int:
    ws = wb.create_sheet(title=sheet[:31] or "Export")
    ws.freeze_panes = "A2"
    cells = []
    for name in header:
        cell = make(ws, value=neutralise(name))
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    n = 0
    for row in rows:
        out = []
        for v in row:
            v = neutralise(v)
            if isinstance(v, (date, datetime)):
                cell = make(ws, value=v)
                cell.number_format = "yyyy-mm-dd" if not isinstance(v, datetime) else "yyyy-mm-dd hh:mm"
                out.append(cell)
            else:
                out.append(v)
        ws.append(out)
        n += 1
        if progress is not None and n % 5000 == 0:
            progress(n, total)
    wb.save(path)
    return n
