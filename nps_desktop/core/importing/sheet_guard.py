"""Refuse a workbook that would take the app down before any reader opens it.

Two small files can do that: a sheet whose used range claims cells far apart (``A1`` and ``XFD1048576``:
17 billion cells, which a reader allocates as one grid), and an archive that expands a thousandfold (a
zip bomb). ``check_archive`` reads the archive's directory; ``check_sheets`` streams each xlsx worksheet's
XML in bounded chunks, taking the used range from its ``<dimension>`` and from every cell and row
reference, an ods ``content.xml`` counting its repeated rows and cells, and an xls file's cell records
(``xls_cells``), so neither the check nor the reader after it can need more than ``MAX_CELLS`` cells of
memory.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Iterator
from xml.parsers import expat

from defusedxml import ElementTree as SafeET

from . import xls_cells
from .errors import ImportRefused

#: The largest sheet read (rows × columns of its used range): 100,000 rows of 100 columns.
MAX_CELLS = 10_000_000
#: An archive that expands more than this many times its size, to more than BOMB_MIN_BYTES, is a bomb.
MAX_RATIO = 100
BOMB_MIN_BYTES = 100 << 20
_CHUNK = 1 << 20
_REF = re.compile(rb"<(?:\w+:)?(?:c|row)\s[^>]*?\br=\"([A-Z]{0,3})(\d{1,9})\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?\bref=\"([A-Z]{1,3})(\d{1,9})(?::([A-Z]{1,3})(\d{1,9}))?\"")


def check_archive(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Raise ``ImportRefused`` for an archive that expands like a zip bomb (from its directory alone)."""
    expanded, packed = sum(i.file_size for i in infos), max(path.stat().st_size, 1)
    if expanded > BOMB_MIN_BYTES and expanded > MAX_RATIO * packed:
        raise ImportRefused(f"{path.name} was refused: its {packed / 1e6:.1f} MB would expand to "
                            f"{expanded / 1e9:.1f} GB, which is what a zip bomb does, not a spreadsheet.")


def check_sheets(path: Path, fmt: str) -> None:
    """Raise ``ImportRefused`` for an xlsx or ods sheet whose used range is beyond ``MAX_CELLS``."""
    if fmt == "ods":
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            for sheet, rows, cols in ods_used_ranges(fh):
                _check(path, sheet, rows, cols)
    if fmt == "xls":
        for sheet, rows, cols in xls_cells.used_ranges(path):
            _check(path, sheet, rows, cols)
    if fmt != "xlsx":
        return
    with zipfile.ZipFile(path) as zf:
        names = _sheet_names(zf)
        for info in zf.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                rows, cols = used_range(zf, info)
                _check(path, names.get(info.filename, posixpath.basename(info.filename)), rows, cols)


def _check(path: Path, sheet: str, rows: int, cols: int) -> None:
    if rows * cols > MAX_CELLS:
        raise ImportRefused(
            f'{path.name} was refused: sheet "{sheet}" spans {rows:,} rows × {cols:,} columns, '
            f"more than the {MAX_CELLS:,} cells NPS Desktop reads; delete the far-away cells "
            "(or copy the table to a new sheet) and import it again.")


def used_range(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """(last row, last column) a sheet claims, from its dimension and every cell and row reference."""
    rows = cols = 0
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            window = tail + chunk
            for match in _DIMENSION.finditer(window):
                for letters, digits in ((match[1], match[2]), (match[3], match[4])):
                    if digits:
                        rows, cols = max(rows, int(digits)), max(cols, column_number(letters))
            for letters, digits in _REF.findall(window):
                rows = max(rows, int(digits))
                if letters:
                    cols = max(cols, column_number(letters))
            tail = window[-512:]
    return rows, max(cols, 1)


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CELL_TAGS = (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell")


def ods_used_ranges(fh) -> Iterator[tuple[str, int, int]]:
    """(sheet, rows, columns) of each table of an OpenDocument ``content.xml``, streamed in bounded chunks.

    OpenDocument compresses repeated rows and cells (``number-rows-repeated``, ``number-columns-repeated``),
    which a reader expands: a 1 KB file can ask for billions of cells. Only repeats of cells that hold
    something count (every sheet ends in a million empty repeated rows). A sheet is reported as soon as it
    grows beyond ``MAX_CELLS``, before the rest is read."""
    counter = _OdsCounter()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = counter.start, counter.end
    while chunk := fh.read(_CHUNK):
        parser.Parse(chunk, False)
        yield from counter.take()
    parser.Parse(b"", True)
    yield from counter.take()


class _OdsCounter:
    """The used range of the table being read, from its rows and cells as they stream past."""

    def __init__(self) -> None:
        self.sheet = ""
        self.row = self.rows = self.cols = 0        # rows so far; the used range so far
        self.repeat = self.col = self.last = 0      # this row: its repeats, cells so far, last filled
        self.cell, self.filled, self.in_cell = 0, False, False
        self.done: list[tuple[str, int, int]] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_TABLE} table":
            self.sheet, self.row, self.rows, self.cols = attrs.get(f"{_TABLE} name", ""), 0, 0, 0
        elif tag == f"{_TABLE} table-row":
            self.repeat, self.col, self.last = _repeats(attrs, "number-rows-repeated"), 0, 0
        elif tag in _CELL_TAGS:
            self.cell, self.in_cell = _repeats(attrs, "number-columns-repeated"), True
            self.filled = f"{_OFFICE} value-type" in attrs or f"{_TABLE} formula" in attrs
        elif self.in_cell:
            self.filled = True   # text, or anything else, inside the cell

    def end(self, tag: str) -> None:
        if tag in _CELL_TAGS:
            self.col += self.cell
            if self.filled:
                self.last = self.col
            self.in_cell = False
        elif tag == f"{_TABLE} table-row":
            if self.last:
                self.rows, self.cols = self.row + self.repeat, max(self.cols, self.last)
                if self.rows * self.cols > MAX_CELLS:
                    self.done.append((self.sheet, self.rows, self.cols))
            self.row += self.repeat
        elif tag == f"{_TABLE} table":
            self.done.append((self.sheet, self.rows, self.cols))

    def take(self) -> list[tuple[str, int, int]]:
        done, self.done = self.done, []
        return done


def _repeats(attrs: dict[str, str], name: str) -> int:
    try:
        return max(1, int(attrs.get(f"{_TABLE} {name}", "1")))
    except ValueError:
        return 1


def column_number(letters: bytes) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet name, as the workbook lists them (empty when it cannot tell)."""
    try:
        book = SafeET.fromstring(zf.read("xl/workbook.xml"), forbid_dtd=True)
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    except (KeyError, SafeET.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            out[part] = sheet.get("name", "")
    return out
