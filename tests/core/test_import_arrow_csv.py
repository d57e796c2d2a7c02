"""pyarrow reads a CSV file's records exactly as the csv module does, or leaves the file (or the rest of
it) to the csv module: the same records, the same row numbers, the same refusals."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import example, given, settings, strategies as st

from nps_desktop.core.importing import arrow_csv, errors, import_file
from nps_desktop.core.importing.readers import SourceFile, _text_records
from nps_desktop.core.workspace import open_workspace


@pytest.fixture(autouse=True)
def every_size(monkeypatch):
    monkeypatch.setattr(arrow_csv, "MIN_BYTES", 0)


def both(path, encoding="utf-8", delimiter=","):
    """(records through arrow_csv or None when it declines, records through the csv module) — each a
    list, or the refusal's message."""
    src = SourceFile(path, "csv", encoding=encoding, delimiter=delimiter)

    def run(make):
        try:
            it = make()
            return None if it is None else [list(r) for r in it]
        except errors.ImportRefused as exc:
            return str(exc)
    return (run(lambda: arrow_csv.records(path, encoding, delimiter, src.records)),
            run(lambda: _text_records(src)))


def write(tmp_path, text: str, encoding="utf-8"):
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_regular_file_is_read_by_pyarrow_with_every_value_as_written(tmp_path):
    text = 'id,score,comment\n007,9,"fast, friendly"\n1e3,NA,"said ""wow""\nand left"\n\n4,  5 ,\r\n'
    fast, slow = both(write(tmp_path, text))
    assert fast == slow == [["id", "score", "comment"], ["007", "9", "fast, friendly"],
                            ["1e3", "NA", 'said "wow"\nand left'], [], ["4", "  5 ", ""]] or \
        fast[3] == ["", "", ""]   # a blank line: blank cells, the same row number


@pytest.mark.parametrize("text, takes_arrow", [
    ("a,b,c\n1,2,3\n4,5\n6,7,8\n", True),        # narrower: the csv module reads from that record on
    ("a,b,c\n1,2,3\n4,5,6,7\n", True),            # wider
    ('a,b\n1,"open\n2,3\n', False),              # a quote left open (pyarrow would close it at the end)
    ('a,b\n"x\ny",2\n"z', False),
    ('a,b\n1,"x"y\n', False),                     # text after a closing quote: the csv module refuses
    ('a,b\n1,x"y\n', False),                      # a quote inside a bare value: the csv module's reading
    ("a,b\n1,x\x00y\n", False),                   # a NUL byte: refused with its row and column
    ("\na,b\n1,2\n", False),                      # a blank first record
])
def test_files_pyarrow_would_read_otherwise_go_to_the_csv_module(tmp_path, text, takes_arrow):
    path = write(tmp_path, text)
    fast, slow = both(path)
    if takes_arrow:
        assert fast == slow
    else:
        assert fast is None
    assert isinstance(slow, str) or slow == [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def test_other_encodings_are_left_to_the_csv_module(tmp_path):
    path = write(tmp_path, "a;b\nÄ;1\n", "cp1252")
    assert arrow_csv.records(path, "cp1252", ";", lambda: iter([])) is None


_cell = st.text(alphabet=st.sampled_from(list('ab ,;"\n\r\t\x00é9')), max_size=6)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(_cell, min_size=1, max_size=4), min_size=1, max_size=8),
       quote_all=st.booleans(), raw=st.text(alphabet=st.sampled_from(list('ab,"\n\r ')), max_size=40))
@example(rows=[["a", "b"], ["1"]], quote_all=False, raw="")
@example(rows=[["a"]], quote_all=False, raw='"x"y,z\n')
def test_any_text_gives_the_same_records_or_the_same_refusal(tmp_path_factory, rows, quote_all, raw):
    buf = io.StringIO(newline="")
    csv.writer(buf, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL).writerows(rows)
    folder = tmp_path_factory.mktemp("csv")
    for text in (buf.getvalue(), buf.getvalue() + raw, raw):
        if not text:
            continue
        fast, slow = both(write(folder, text))
        assert fast is None or fast == slow, (text, fast, slow)


def test_an_import_through_pyarrow_equals_one_through_the_csv_module(ws, tmp_path, monkeypatch):
    lines = ["Response ID,Email,Score,Comment,Submitted"] + [
        f'R{i},u{i % 7}@acme.com,{i % 12},"ok, {i}",2025-0{1 + i % 9}-1{i % 10} 10:00:00' for i in range(40)]
    lines[9] = 'R8,not an email,9,"fine",2025-01-01 10:00:00'   # an address left blank, the row kept
    lines[12] = "R11,a@b.co,7,short row"                       # narrower: the csv module pads it (no date)
    path = write(tmp_path, "\n".join(lines) + "\n")
    fast = import_file(ws, path)
    monkeypatch.setattr(arrow_csv, "MIN_BYTES", 1 << 40)
    with open_workspace(tmp_path / "slow.npsdb") as other:
        slow = import_file(other, path)
        stored = "SELECT source_id, email, score, comment, responded_at, contact_id FROM responses ORDER BY id"
        assert [tuple(r) for r in ws.query(stored)] == [tuple(r) for r in other.query(stored)]
    # rows i = 11, 23, 35 (Excel rows 13, 25, 37): no date, then two scores of 11
    assert (fast.rows, fast.imported, fast.rejected, fast.extra["blanked"]) == (40, 37, 3, {"Email": 1})
    assert [(r[0], r[1], r[3]) for r in fast.rejects] == [(r[0], r[1], r[3]) for r in slow.rejects] == [
        (13, "Submitted", "Responded at is missing"), (25, "Score", "not a score from 0 to 10"),
        (37, "Score", "not a score from 0 to 10")]
