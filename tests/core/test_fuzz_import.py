"""Hostile input: random bytes, mutated and truncated spreadsheets, random cells. The readers and the
importer answer with nothing but a clear ``ImportRefused`` (one line naming the file), and an import is
never half-written: refused means the workspace is unchanged; accepted means every row is accounted
for (imported, duplicate, rejected with row/column/reason, or skipped) and the batch holds exactly the
rows it says it imported.
"""
from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nps_desktop.core.importing import importer
from nps_desktop.core.importing.errors import ImportRefused
from nps_desktop.core.importing.readers import read_table
from nps_desktop.core.workspace import open_workspace

from .safety_support import dump

EXTENSIONS = ["csv", "tsv", "txt", "xlsx", "xls", "ods"]
HEADER = ["Response ID", "Email", "How likely are you to recommend us to a friend or colleague?", "Comment",
          "Date"]
#: Fuzz cases run per test, for the report (pytest -s prints the total at the end of the module).
CASES: Counter = Counter()
FUZZ = settings(max_examples=100, deadline=None, derandomize=True,  # the same 400 cases every run
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "w.npsdb"
    ws = open_workspace(path)
    yield ws
    ws.close()
    print(f"\nfuzz: {CASES['files']} cases run: {CASES['refused']} refused with a clear error and the "
          f"workspace unchanged, {CASES['imported']} imported whole")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("files")


def _valid_csv(rows: int = 30, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADER)
    for i in range(rows):
        w.writerow([f"F{seed}-{i}", f"p{i}@acme{i % 7}.com", rng.randint(0, 10), rng.choice(["great", "slow", ""]),
                    f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"])
    return out.getvalue().encode("utf-8")


def _valid_xlsx(rows: int = 30) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(rows):
        ws.append([f"X{i}", f"x{i}@acme.com", i % 11, "fine", date(2026, 1 + i % 12, 1 + i % 28)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


VALID = {"csv": _valid_csv(), "xlsx": _valid_xlsx(),
         "tsv": _valid_csv().decode().replace(",", "\t").encode("utf-16")}


def _write(folder: Path, data: bytes, ext: str) -> Path:
    CASES["files"] += 1
    path = folder / f"case{CASES['files']}.{ext}"
    path.write_bytes(data)
    return path


def _check_refusal(exc: ImportRefused, path: Path) -> None:
    msg = str(exc)
    assert msg and "\n" not in msg and len(msg) < 600, msg
    assert path.name in msg or "mapping" in msg or "kind" in msg, msg


def _import_or_refuse(ws, path: Path) -> importer.ImportResult | None:
    """Import ``path``; check the all-or-nothing contract either way."""
    before = dump(ws.path)
    batches = ws.scalar("SELECT count(*) FROM import_batches")
    try:
        result = importer.import_file(ws, path)
    except ImportRefused as exc:
        _check_refusal(exc, path)
        assert dump(ws.path) == before, "a refused import changed the workspace"
        CASES["refused"] += 1
        return None
    CASES["imported"] += 1
    if result.batch_id is None:   # only rows imported before: no batch is recorded, nothing changes
        assert result.nothing_new and dump(ws.path) == before
        return result
    assert ws.scalar("SELECT count(*) FROM import_batches") == batches + 1
    bid = result.batch_id
    table = {"responses": "responses", "accounts": "accounts", "contacts": "contacts",
             "revenue": "revenue_events"}[result.kind]
    assert ws.scalar(f"SELECT count(*) FROM {table} WHERE import_batch_id = ?", (bid,)) == result.imported
    assert ws.scalar("SELECT count(*) FROM import_rejects WHERE batch_id = ?", (bid,)) == len(result.rejects)
    assert result.rows == result.imported + result.updated + result.duplicates + result.rejected + result.skipped
    for row, column, value, reason in result.rejects:
        assert row >= 2 and reason, (row, column, value, reason)
    assert ws.problems() == []
    return result


def _read_fully(path: Path) -> None:
    """The reader alone: a table whose rows stream to the end, or ImportRefused."""
    try:
        table = read_table(path)
        for _ in table.rows():
            pass
    except ImportRefused as exc:
        _check_refusal(exc, path)


@FUZZ
@given(data=st.binary(max_size=3000), ext=st.sampled_from(EXTENSIONS))
def test_random_bytes(workspace, folder, data, ext):
    path = _write(folder, data, ext)
    _read_fully(path)
    _import_or_refuse(workspace, path)


@FUZZ
@given(kind=st.sampled_from(sorted(VALID)), cut=st.floats(0, 1, exclude_max=True))
def test_truncated_files(workspace, folder, kind, cut):
    data = VALID[kind]
    path = _write(folder, data[: int(len(data) * cut)], "xlsx" if kind == "xlsx" else "csv")
    _read_fully(path)
    _import_or_refuse(workspace, path)


@FUZZ
@given(kind=st.sampled_from(sorted(VALID)), flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                                                                     st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_files(workspace, folder, kind, flips):
    data = bytearray(VALID[kind])
    for where, byte in flips:
        data[int(len(data) * where)] = byte
    path = _write(folder, bytes(data), "xlsx" if kind == "xlsx" else "csv")
    _read_fully(path)
    _import_or_refuse(workspace, path)


CELL = st.one_of(
    st.none(), st.text(max_size=40), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.dates(), st.datetimes(),
    st.sampled_from(["", " ", "10 - Extremely likely", "9.0", "N/A", "=1+1", "=HYPERLINK(\"x\")", "Total",
                     "2026-02-30", "13/13/2026", "45000", "  ALICE@Example.COM ", "0", "11", "-1", "\x00",
                     "ÿþ", "\u202e", "a\nb", "\"", "Survey Preview", "\U0001F600"]))


def _cell_text(v) -> str:
    return "" if v is None else v.isoformat() if isinstance(v, (date, datetime)) else str(v)


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=7), min_size=1, max_size=25),
       fmt=st.sampled_from(["csv", "xlsx"]))
def test_random_cells(workspace, folder, rows, fmt):
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(HEADER)
        w.writerows([[_cell_text(v) for v in r] for r in rows])
        data = out.getvalue().encode("utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.utils.exceptions import IllegalCharacterError
        wb = Workbook()
        sheet = wb.active
        sheet.append(HEADER)
        try:
            for r in rows:
                sheet.append([v if not isinstance(v, float) or v == v and abs(v) != float("inf") else str(v)
                              for v in r])
        except (IllegalCharacterError, ValueError, TypeError):
            assume(False)  # a cell openpyxl itself cannot write
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    path = _write(folder, data, fmt)
    _read_fully(path)
    result = _import_or_refuse(workspace, path)
    if result is not None and result.kind == "responses":
        scores = [r[0] for r in workspace.query("SELECT score FROM responses WHERE import_batch_id = ?",
                                                (result.batch_id,))]
        assert all(0 <= s <= 10 for s in scores)
