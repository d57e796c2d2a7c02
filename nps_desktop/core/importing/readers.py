"""Reading spreadsheets: workbooks through python-calamine, text files with detected encoding and
delimiter, and the header found wherever it is (title lines above it, SurveyMonkey's two header rows,
Qualtrics' three).

``read_table(path, sheet)`` returns a ``Table``: its column names, the first rows, and ``rows()``, a
stream of ``(excel_row, cells)`` where ``excel_row`` is the row number Excel shows for that row.
What is not a spreadsheet, is damaged, empty, only a header, or carries XML entities is refused with
an ``ImportRefused`` before anything is imported.
"""
from __future__ import annotations

import codecs
import csv
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from . import arrow_csv, errors, sheet_guard

WORKBOOK_FORMATS = ("xlsx", "xls", "ods")
#: Records read to find the header and the delimiter, and data rows kept as a sample.
HEAD_RECORDS = 60
SAMPLE_ROWS = 200
#: A workbook whose parts expand beyond this is refused (a zip bomb, not a spreadsheet).
MAX_EXPANDED = 2 << 30
_SNIFF_BYTES = 1 << 16
csv.field_size_limit(1 << 26)

_MAGIC = [(b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
          (b"Rar!", "a RAR archive"), (b"SQLite format 3", "a SQLite database"), (b"{\\rtf", "an RTF document"),
          (b"MZ", "a program"), (b"\x7fELF", "a program")]
_XML_DANGER = [p.encode(enc) for p in ("<!doctype", "<!entity") for enc in ("ascii", "utf-16-le", "utf-16-be")]


# -- the file ------------------------------------------------------------------------------------
@dataclass
class SourceFile:
    """An opened spreadsheet: where it is, what it is, and a way to stream its records."""
    path: Path
    format: str                          # xlsx, xls, ods, csv
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    grid: list[list[Any]] | None = None  # a workbook sheet, loaded whole (calamine reads it at once)

    def records(self) -> Iterator[list[Any]]:
        """Every record from the top of the sheet or file (blank ones included)."""
        if self.grid is not None:
            return iter(self.grid)
        return _text_records(self)

    def all_records(self) -> Iterator[list[Any]]:
        """``records()``, through pyarrow for the text files where it gives the very same (``arrow_csv``)."""
        if self.grid is None:
            fast = arrow_csv.records(self.path, self.encoding, self.delimiter, self.records)
            if fast is not None:
                return fast
        return self.records()

    def head(self, n: int) -> tuple[list[list[Any]], bool]:
        """The first ``n`` records and whether they are all there is."""
        out: list[list[Any]] = []
        for rec in self.records():
            if len(out) == n:
                return out, False
            out.append(rec)
        return out, True


def open_source(path: str | Path, sheet: str | None = None) -> SourceFile:
    """Identify ``path`` by its content and open it, refusing what is not a readable spreadsheet."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise errors.unreadable(path, "no such file") from None
    except IsADirectoryError:
        raise errors.unreadable(path, "it is a folder") from None
    except OSError as exc:
        raise errors.unreadable(path, exc.strerror or str(exc)) from None
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise errors.empty(path)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _open_workbook(path, _zip_format(path), sheet)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _open_workbook(path, _ole_format(path), sheet)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise errors.not_a_spreadsheet(path, what)
    return _open_text(path, head)


# -- workbooks -----------------------------------------------------------------------------------
def _zip_format(path: Path) -> str:
    """xlsx or ods, after checking every XML part for entity declarations (never parsed unsafely)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            sheet_guard.check_archive(path, infos)
            names = {i.filename for i in infos}
            if sum(i.file_size for i in infos) > MAX_EXPANDED:
                raise errors.not_a_spreadsheet(path, "a compressed archive that expands beyond 2 GB")
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                fmt = "xlsx"
            elif "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype"):
                fmt = "ods"
            elif "word/document.xml" in names or "mimetype" in names and b"text" in zf.read("mimetype"):
                raise errors.not_a_spreadsheet(path, "a word-processor document")
            elif any(n.startswith("ppt/") for n in names):
                raise errors.not_a_spreadsheet(path, "a presentation")
            else:
                raise errors.not_a_spreadsheet(path, "a zip archive")
            for info in infos:
                if not info.is_dir():
                    _check_part(path, zf, info)
            for part in ("[Content_Types].xml", "xl/workbook.xml", "META-INF/manifest.xml"):
                if part in names:
                    SafeET.fromstring(zf.read(part), forbid_dtd=True)
    except errors.ImportRefused:
        raise
    except DefusedXmlException:
        raise errors.xml_attack(path, "of its XML") from None
    except SafeET.ParseError as exc:
        raise errors.corrupt(path, f"malformed XML: {exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError,
            zlib.error) as exc:  # zlib: a damaged deflate stream
        raise errors.corrupt(path, str(exc).rstrip(".")) from None
    return fmt


def _check_part(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part that declares a DOCTYPE or entities (in any case or UTF-16); checks CRCs too."""
    if info.filename.lower().endswith((".png", ".jpeg", ".jpg", ".gif", ".emf", ".wmf", ".bin", ".tiff")):
        with zf.open(info) as fh:   # read to the end so that the CRC is checked
            while fh.read(1 << 20):
                pass
        return
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            window = (tail + chunk).lower()
            if any(p in window for p in _XML_DANGER):
                raise errors.xml_attack(path, info.filename)
            tail = window[-32:]


def _ole_format(path: Path) -> str:
    with open(path, "rb") as fh:
        data = fh.read(8 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise errors.ImportRefused(f"{path.name} is password-protected; save it without a password "
                                   f"and import it again.")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "WordDocument".encode("utf-16-le") in data:
        raise errors.not_a_spreadsheet(path, "a Word document")
    raise errors.not_a_spreadsheet(path, "an Office file of another kind")


def _open_workbook(path: Path, fmt: str, sheet: str | None) -> SourceFile:
    from python_calamine import CalamineWorkbook, PasswordError
    sheet_guard.check_sheets(path, fmt)  # no sheet can take the app down

    try:
        wb = CalamineWorkbook.from_path(str(path))
        try:
            names = list(wb.sheet_names)
            if sheet is not None and sheet not in names:
                raise errors.no_sheet(path, sheet, names)
            chosen, grid = None, []
            for name in ([sheet] if sheet is not None else names):
                grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                chosen = name
                if not all(_empty(r) for r in grid):
                    break
        finally:
            wb.close()
    except errors.ImportRefused:
        raise
    except PasswordError:
        raise errors.ImportRefused(f"{path.name} is password-protected; save it without a password and "
                                   f"import it again.") from None
    except Exception as exc:  # calamine raises several types for damaged files
        raise errors.corrupt(path, str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__) from None
    if all(_empty(r) for r in grid):
        raise errors.empty(path, chosen if len(names) > 1 else None)
    return SourceFile(path, fmt, names, chosen, grid=grid)


# -- text files ----------------------------------------------------------------------------------
def detect_encoding(path: Path, head: bytes) -> str:
    """UTF-8 (±BOM), UTF-16 (BOM, or NUL-patterned), else a Japanese, Chinese or Korean Windows encoding
    where the text reads as one, else Windows-1252 (Latin-1 where it cannot)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd > len(sample) // 4 and even == 0:
            return "utf-16-le"
        if even > len(sample) // 4 and odd == 0:
            return "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")()
    undefined_1252 = False
    legacy_sample = head   # from the line where UTF-8 first fails: what a legacy encoding is judged on
    with open(path, "rb") as fh:
        utf8 = True
        while chunk := fh.read(1 << 20):
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    utf8 = False
                    line = chunk.rfind(b"\n", 0, exc.start) + 1
                    legacy_sample = chunk[line:line + _SNIFF_BYTES]
            undefined_1252 = undefined_1252 or any(b in chunk for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        return "utf-8"
    western = "latin-1" if undefined_1252 else "cp1252"
    return _legacy_encoding(legacy_sample) or western


#: Legacy encodings Excel writes "CSV" in on Japanese, Chinese and Korean Windows, each with characters
#: common in its language (particles, everyday words, the words of product feedback).
_LEGACY_COMMON = {
    "cp932": "のはがをにでとしたてすいるまりよくなあこれそかっもうおどんサポートシステム機能使用問題対応価格"
             "満足良悪遅速便利改善品質日本人大会社時間思見行今最高安早簡単丁寧親切助不具合料金担当者感謝",
    "gb18030": "的一是不了人我在有他这个们中来上大为和国到以说时要就出会可也你对生能得下过后作用道行所然家"
               "事成方多经么去都现没动看天还进好小些主样理心本前开但因只从想实很太慢贵问题服务客系统功能价格"
               "产品使满意非常最高差快简单方便支持",
    "big5": "的一是不了人我在有他這個們中來上大為和國到以說時要就出會可也你對生能得下過後作用道行所然家"
            "事成方多經麼去都現沒動看天還進好小些主樣理心本前開但因只從想實很太慢貴問題服務客系統功能價格"
            "產品使滿意非常最高差快簡單方便支持",
    "cp949": "이다는에요고하지가을를의한서도로기리시니게으있수어나사아해인대습좋없너무빠르느린가격지원",
}
#: A decoding is believed when at least this share of its non-ASCII characters, and two of them, are
#: common ones. Western text read in these encodings hits none (3,000 random files of the labelled
#: French, German, Spanish, Portuguese, Dutch and Italian comments: not one common character).
_LEGACY_MIN_SHARE = 0.15


def _legacy_encoding(head: bytes) -> str | None:
    """The Japanese, Chinese or Korean encoding ``head`` is in, judged by how many of the characters each
    decodes it to are common in its language; None for none (the text is Western)."""
    best, best_share = None, _LEGACY_MIN_SHARE
    for encoding, common in _LEGACY_COMMON.items():
        try:
            text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(head)
        except UnicodeDecodeError:
            continue
        wide = [c for c in text if ord(c) >= 0x80]
        hits = sum(c in common for c in wide)
        if hits >= 2 and hits / len(wide) > best_share:
            best, best_share = encoding, hits / len(wide)
    return best


def _decode_head(path: Path, head: bytes, encoding: str) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)(errors="strict").decode(head)
    except UnicodeDecodeError:
        raise errors.corrupt(path, f"not valid {encoding.upper()} text") from None


def _looks_binary(text: str) -> bool:
    """Mostly control characters (NUL bytes among them): a binary file. A few NUL bytes in text are
    refused where they are, with their row and column (``_text_records``), wherever in the file."""
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    return controls > max(8, len(text[:8192]) // 100)


def detect_delimiter(text: str) -> str:
    """Comma, semicolon, tab or pipe: the one that splits the head into the most consistent columns."""
    lines = text.splitlines()[:HEAD_RECORDS]
    if lines and not text.endswith(("\n", "\r")) and len(text) >= _SNIFF_BYTES - 4:
        lines = lines[:-1]  # the last line of the sniffed bytes may be cut
    best, best_key = ",", (0.0, 0)
    for delim in (",", ";", "\t", "|"):
        counts = [len(r) for r in csv.reader(lines, delimiter=delim) if any(c.strip() for c in r)]
        if not counts:
            continue
        modal = max(set(counts), key=lambda c: (counts.count(c), c))
        if modal < 2:
            continue
        key = (counts.count(modal) / len(counts), modal)
        if key > best_key:
            best, best_key = delim, key
    return best


def _open_text(path: Path, head: bytes) -> SourceFile:
    encoding = detect_encoding(path, head)
    if encoding.startswith("utf-16") and encoding != "utf-16" and len(head) % 2:
        head = head[:-1]
    text = _decode_head(path, head if len(head) < _SNIFF_BYTES else head[:-4], encoding)
    if _looks_binary(text):
        raise errors.not_a_spreadsheet(path, "a binary file")
    if text.lstrip("\ufeff \r\n\t").startswith(("<?xml", "<html", "<!DOCTYPE", "<!doctype", "<HTML")):
        raise errors.not_a_spreadsheet(path, "an XML or HTML document")
    if path.suffix.lower() == ".tsv":
        delimiter = "\t"
    else:
        delimiter = detect_delimiter(text.lstrip("\ufeff"))
    return SourceFile(path, "csv", encoding=encoding, delimiter=delimiter)


def _text_records(src: SourceFile) -> Iterator[list[str]]:
    """Stream the records of a text file; a quoted value left open at the end means truncation, and a
    NUL byte anywhere (no survey tool writes one) is refused with its row and column."""
    nul = [False]

    def lines(fh) -> Iterator[str]:
        for line in fh:
            nul[0] = nul[0] or "\x00" in line
            yield line

    try:
        with open(src.path, "r", encoding=src.encoding, newline="", errors="strict") as fh:
            reader = csv.reader(lines(fh), delimiter=src.delimiter, strict=True)
            first: list[str] = []
            try:
                for number, rec in enumerate(reader, start=1):
                    if nul[0]:
                        column = next((i for i, cell in enumerate(rec) if "\x00" in cell), 0)
                        raise errors.nul_byte(src.path, number, column_letter(column),
                                              first[column] if column < len(first) else "")
                    first = first or rec
                    yield rec
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):
                    raise errors.corrupt(src.path, "it ends inside a quoted value: truncated") from None
                raise errors.corrupt(src.path, f"row {reader.line_num}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise errors.corrupt(src.path, f"not valid {src.encoding.upper()} text"
                                       + (": truncated" if "truncated" in str(exc) else "")) from None


# -- the header ----------------------------------------------------------------------------------
@dataclass
class Header:
    """Where the header is and what it says; ``columns`` are unique names, one per column."""
    row: int                    # index of the first header record (0-based)
    depth: int                  # 1, or 2 (SurveyMonkey), or 3 (Qualtrics)
    columns: list[str]
    labels: list[str]           # question texts where the file has them, else the names
    meta: list[dict] = field(default_factory=list)  # Qualtrics' ImportId objects

    @property
    def data_start(self) -> int:
        return self.row + self.depth


def _blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def _nonblank(rec: list[Any]) -> int:
    return sum(1 for v in rec if not _blank(v))


def _empty(rec: list[Any]) -> bool:
    """A workbook row with no value (calamine gives "" for empty cells): quick, then exact."""
    if rec.count("") + rec.count(None) == len(rec):
        return True
    return all(isinstance(v, str) and not v.strip() for v in rec if v is not None and v != "")


def _last_nonblank(rec: list[Any]) -> int:
    return next((i + 1 for i in range(len(rec) - 1, -1, -1) if not _blank(rec[i])), 0)


def _texty(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    s = v.strip()
    return bool(s) and not re.fullmatch(r"[-+$€£(]?[\d.,:/ ]+\)?%?", s)


def column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, n in enumerate(names):
        n = " ".join(str(n).split()) or f"Column {column_letter(i)}"
        if n.lower() in seen:
            seen[n.lower()] += 1
            n = f"{n} ({seen[n.lower()]})"
        seen.setdefault(n.lower(), 1)
        out.append(n)
    return out


def _cell_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if _blank(v) else str(v).strip()


#: First cells of a survey tool's header row, however narrow it is: SurveyMonkey's (whose questions with
#: several answers leave blank cells beside them) and the older Qualtrics' ``V1`` row.
_TOOL_HEADER_STARTS = ("respondent id", "respondentid", "v1")


def _header_row(head: list[list[Any]], counts: list[int]) -> int:
    """The first record wide enough to be the header (title lines are narrower) and mostly text, or a
    survey tool's header row."""
    width = max(counts)
    wide = max(2, (width + 1) // 2) if width > 1 else 1
    for i, c in enumerate(counts):
        if c >= 2 and _cell_text(head[i][0]).lower() in _TOOL_HEADER_STARTS:
            return i
        if c >= wide and sum(_texty(v) for v in head[i]) * 2 >= c:
            return i
    return next(i for i, c in enumerate(counts) if c)


def detect_header(head: list[list[Any]]) -> Header | None:
    """Find the header in the first records; None when there is no non-blank record."""
    counts = [_nonblank(r) for r in head]
    if not any(counts):
        return None
    row = _header_row(head, counts)
    n = max((_last_nonblank(r) for r in head[row:]), default=0)
    first = [_cell_text(v) for v in head[row]] + [""] * (n - len(head[row]))
    nxt = [_cell_text(v) for v in head[row + 1]] + [""] * n if row + 1 < len(head) else [""] * n
    third = [_cell_text(v) for v in head[row + 2]] + [""] * n if row + 2 < len(head) else [""] * n
    # Qualtrics: ids, then question texts, then one {"ImportId": …} object per column
    if sum(c.startswith('{"ImportId"') for c in third) >= max(1, _nonblank(third) // 2):
        meta = []
        for c in third[:n]:
            try:
                meta.append(json.loads(c) if c.startswith("{") else {})
            except ValueError:
                meta.append({})
        return Header(row, 3, _unique(first[:n]), [t or f for t, f in zip(nxt[:n], first[:n])], meta)
    # The older Qualtrics layout: V1 … V10 (its fixed columns) and question ids, then ResponseID … and
    # the question texts
    if first[:2] == ["V1", "V2"] and "ResponseID" in nxt:
        names = [label if re.fullmatch(r"V\d+", name) and label else name for name, label in zip(first, nxt)]
        return Header(row, 2, _unique(names[:n]), [t or f for t, f in zip(nxt[:n], names[:n])])
    # SurveyMonkey: question texts, then sub-labels ("Response", "Open-Ended Response", options)
    ids = [i for i, c in enumerate(first) if c.lower() in ("respondent id", "respondentid")]  # new, old layout
    if ids and row + 1 < len(head) and not nxt[ids[0]]:
        questions, current = [], ""
        for q, sub in zip(first[:n], nxt[:n]):
            current = q or (current if sub else "")
            questions.append(current)
        names = [f"{q} - {sub}" if q and sub and sub != "Response" else q or sub
                 for q, sub in zip(questions, nxt[:n])]
        return Header(row, 2, _unique(names), [q or s for q, s in zip(questions, nxt[:n])])
    names = _unique(first[:n])
    return Header(row, 1, names, list(names))


# -- the table -----------------------------------------------------------------------------------
@dataclass
class Table:
    """A sheet or text file with its header found: columns, a sample, and the stream of its rows."""
    source: SourceFile
    header: Header
    sample: list[tuple[int, list[Any]]]   # the first data rows, as rows() yields them
    complete: bool                        # the sample is every data row
    estimated_rows: int
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # what presets learnt

    @property
    def columns(self) -> list[str]:
        return self.header.columns

    @property
    def name(self) -> str:
        return self.source.path.name

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """``(excel_row, cells)`` for every non-blank data row, cells padded to the columns."""
        n = len(self.header.columns)
        start = self.header.data_start
        text = self.source.grid is None
        for i, rec in enumerate(self.source.all_records()):
            if i < start:
                continue
            if text:   # all strings: the quick test, then the exact one for whitespace-only rows
                if not any(rec) or not "".join(rec).strip():
                    continue
            elif _empty(rec):
                continue
            if len(rec) < n:
                rec = list(rec) + [""] * (n - len(rec))
            elif len(rec) > n:
                rec = rec[:n]
            yield i + 1, rec

    def column_values(self, column: str, limit: int | None = None) -> list[Any]:
        """Non-blank values of one column: the sample's, or with ``limit=None`` and a complete
        sample, all of them."""
        i = self.columns.index(column)
        values = [cells[i] for _, cells in self.sample if not _blank(cells[i])]
        return values[:limit] if limit else values


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """Open ``path`` and find its header; refuse files that are empty or only a header."""
    source = open_source(path, sheet)
    head, complete = source.head(HEAD_RECORDS + SAMPLE_ROWS)
    header = detect_header(head[:HEAD_RECORDS])
    if header is None:
        raise errors.empty(source.path, source.sheet if len(source.sheets) > 1 else None)
    n = len(header.columns)
    sample = []
    for i, rec in enumerate(head[header.data_start:], start=header.data_start):
        if any(not _blank(v) for v in rec):
            rec = list(rec[:n]) + [""] * (n - len(rec))
            sample.append((i + 1, rec))
    if not sample and complete:
        raise errors.only_headers(source.path, header.row + 1)
    if complete:
        estimate = len(sample)
    elif source.grid is not None:
        estimate = sum(1 for r in source.grid[header.data_start:] if not _empty(r))
    else:
        size = source.path.stat().st_size
        sampled = sum(len(source.delimiter.join(map(str, r))) + 2 for _, r in sample) or 1
        unit = 2 if (source.encoding or "").startswith("utf-16") else 1
        estimate = max(len(sample), int(len(sample) * size / (sampled * unit)))
    if not sample:
        raise errors.only_headers(source.path, header.row + 1)
    return Table(source, header, sample, complete, estimate)
