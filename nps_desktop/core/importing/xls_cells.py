"""The used range of each sheet of an Excel 97-2003 workbook (.xls), from its cell records alone.

A reader sizes a sheet by its farthest cell: one value at ``IV65536`` in a 6 KB file makes it build a grid
of 16.7 million cells (1.2 GB). ``used_ranges`` reads the workbook's compound file (the container of
.xls) and the ``Workbook`` stream's records without building anything, so ``sheet_guard`` can refuse such
a sheet first. Only records that hold a value count (numbers, text, booleans, formulas); formatted blank
cells do not, as readers skip them too. A file this cannot make sense of is left to the reader, which
says it is damaged.
"""
from __future__ import annotations

import struct
from pathlib import Path
from typing import Iterator

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_NO_SECTOR = {0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC}
#: BIFF records: sheet list, start and end of a substream, and the cell records that hold a value
#: (number, label, shared-string label, rich label, RK number, boolean or error, formula).
_BOUNDSHEET, _BOF, _EOF, _MULRK = 0x0085, 0x0809, 0x000A, 0x00BD
_CELLS = {0x0203, 0x0204, 0x00FD, 0x00D6, 0x027E, 0x0205, 0x0006}


def used_ranges(path: Path) -> Iterator[tuple[str, int, int]]:
    """(sheet, rows, columns) for each worksheet: its last row and column holding a value, from A1."""
    try:
        data = workbook_stream(path.read_bytes())
    except (struct.error, IndexError, ValueError, KeyError):
        return
    names: dict[int, str] = {}
    sheet: str | None = None
    rows = cols = pos = 0
    while pos + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4:pos + 4 + size]
        if kind == _BOUNDSHEET and size >= 8:
            names[struct.unpack_from("<I", body)[0]] = _short_string(body[6:])
        elif kind == _BOF:
            sheet, rows, cols = names.get(pos, ""), 0, 0
        elif kind == _EOF and sheet is not None:
            yield sheet, rows, cols
            sheet = None
        elif sheet is not None and size >= 4 and (kind in _CELLS or kind == _MULRK):
            row, col = struct.unpack_from("<HH", body)
            last = struct.unpack_from("<H", body, size - 2)[0] if kind == _MULRK and size >= 6 else col
            rows, cols = max(rows, row + 1), max(cols, last + 1)
        pos += 4 + size


def _short_string(b: bytes) -> str:
    count, flags = b[0], b[1]
    return b[2:2 + 2 * count].decode("utf-16-le", "replace") if flags & 1 else b[2:2 + count].decode("latin-1")


def workbook_stream(raw: bytes) -> bytes:
    """The ``Workbook`` (or BIFF5 ``Book``) stream of a compound file (raises on a malformed one)."""
    if not raw.startswith(_MAGIC):
        raise ValueError("not a compound file")
    shift, mini_shift = struct.unpack_from("<HH", raw, 30)
    size, mini = 1 << shift, 1 << mini_shift
    dir_start, cutoff, minifat_start = (struct.unpack_from("<I", raw, o)[0] for o in (48, 56, 60))
    difat_start, difat_count = struct.unpack_from("<II", raw, 68)
    sectors = max(0, (len(raw) - size) // size)

    def sector(n: int) -> bytes:
        if n >= sectors:
            raise ValueError("sector beyond the file")
        return raw[(n + 1) * size:(n + 2) * size]

    fat_sectors = list(struct.unpack_from("<109I", raw, 76))
    n = difat_start
    for _ in range(min(difat_count, sectors)):
        if n in _NO_SECTOR:
            break
        listed = struct.unpack(f"<{size // 4}I", sector(n))
        fat_sectors += listed[:-1]
        n = listed[-1]
    fat: list[int] = []
    for s in fat_sectors:
        if s not in _NO_SECTOR:
            fat += struct.unpack(f"<{size // 4}I", sector(s))

    def chain(start: int, table: list[int], limit: int) -> Iterator[int]:
        n = start
        for _ in range(limit):   # a loop in the chain ends here
            if n == _END or n in _NO_SECTOR:
                return
            yield n
            n = table[n]

    directory = b"".join(sector(s) for s in chain(dir_start, fat, sectors))
    entries = {}
    for off in range(0, len(directory) - 127, 128):
        e = directory[off:off + 128]
        length = min(struct.unpack_from("<H", e, 64)[0], 64)
        entries[e[:max(0, length - 2)].decode("utf-16-le", "replace")] = (e[66],) + struct.unpack_from("<II", e, 116)
    _, root_start, root_size = entries["Root Entry"]
    _, start, length = entries.get("Workbook") or entries["Book"]
    if length >= cutoff:
        return b"".join(sector(s) for s in chain(start, fat, sectors))[:length]
    minifat = list(struct.unpack(f"<{len(b) // 4}I", b)) if (b := b"".join(
        sector(s) for s in chain(minifat_start, fat, sectors))) else []
    ministream = b"".join(sector(s) for s in chain(root_start, fat, sectors))[:root_size]
    return b"".join(ministream[m * mini:(m + 1) * mini] for m in chain(start, minifat, len(minifat)))[:length]
