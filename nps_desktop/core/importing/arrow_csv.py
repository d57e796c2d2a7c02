"""A text file's records parsed by pyarrow's CSV reader: the same records as ``readers._text_records``, many
times faster, for the files where the two cannot differ; every other file is read by the ``csv`` module.

pyarrow reads the file in blocks of a few MB, every value as text (nothing is converted: "007", "1e3" and
"NA" stay exactly as written), blank lines kept as records so that each record's number is the one Excel
shows. It is taken only for a UTF-8 file without NUL bytes whose quoting the ``csv`` module would accept
too (no text after a closing quote: pyarrow would join it to the value where ``csv`` refuses the file),
and only while every record has the first record's width; at the first record it would have to skip
(narrower, wider, a quote left open), the ``csv`` module reads on from that record, so that its padding,
its error messages and its row numbers are the ones given.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterator

#: Bytes read at a time, by pyarrow and by the pre-scan.
BLOCK = 4 << 20
#: Records of a file below this go through the ``csv`` module (pyarrow's start-up would cost more).
MIN_BYTES = 1 << 20
_ENCODINGS = ("utf-8", "utf-8-sig")


def _quoting_ok(path: Path, delimiter: str) -> bool:
    """No NUL byte, no run of an odd number of quotes between two ordinary characters (text after a
    closing quote, or a quote inside an unquoted value), an even number of quotes (none left open at the
    end): where pyarrow and ``csv`` could disagree."""
    d = re.escape(delimiter.encode())
    odd_run = re.compile(rb'[^"\r\n' + d + rb'](?:"")*"(?=[^"\r\n' + d + rb'])')
    tail = b""
    quotes = 0
    with open(path, "rb") as fh:
        while block := fh.read(BLOCK):
            if b"\x00" in block:
                return False
            window = tail + block
            if b'"' in block:
                quotes += block.count(b'"')
                if odd_run.search(window):
                    return False
            tail = window[-64:]   # a run split by the block boundary is seen whole in the next window
    return quotes % 2 == 0   # odd: a quoted value left open at the end, which pyarrow would close


def records(path: Path, encoding: str | None, delimiter: str | None,
            text_records: Callable[[], Iterator[list[Any]]]) -> Iterator[list[Any]] | None:
    """The file's records through pyarrow, or None where the ``csv`` module must read it (not UTF-8, a
    small file, NUL bytes, odd quoting, pyarrow not installed). ``text_records()`` reads the file with the
    ``csv`` module from its first record (``readers``): it takes over where pyarrow cannot go on."""
    if encoding not in _ENCODINGS or not delimiter or len(delimiter) != 1:
        return None
    try:
        if path.stat().st_size < MIN_BYTES:
            return None
        import pyarrow as pa
        import pyarrow.csv as pcsv
    except (OSError, ImportError):
        return None
    if not _quoting_ok(path, delimiter):
        return None
    head = text_records()
    width = len(next(head, []))   # every record pyarrow gives has the first one's width
    close = getattr(head, "close", None)
    if close is not None:
        close()
    if width == 0:
        return None
    return _records(path, delimiter, width, pa, pcsv, text_records)


def _records(path: Path, delimiter: str, width: int, pa, pcsv,
             text_records: Callable[[], Iterator[list[Any]]]) -> Iterator[list[Any]]:
    off = [False]

    def invalid(row) -> str:   # a record of another width, or a quote left open: the csv module reads it
        off[0] = True
        return "skip"

    done = 0
    try:
        reader = pcsv.open_csv(
            path, read_options=pcsv.ReadOptions(autogenerate_column_names=True, block_size=BLOCK),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False, newlines_in_values=True,
                                             invalid_row_handler=invalid),
            convert_options=pcsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
        for batch in reader:
            if off[0]:
                break
            columns = [c.to_pylist() for c in batch.columns]
            yield from map(list, zip(*columns))
            done += batch.num_rows
        else:
            return
    except (pa.ArrowInvalid, UnicodeDecodeError):
        pass
    # the csv module from the first record pyarrow did not give
    for i, rec in enumerate(text_records()):
        if i >= done:
            yield rec
