"""A NUL byte anywhere in a CSV file (issue 21, item 12) is refused the same way, with its row and column,
whether it is in the first lines or after the first megabyte, and nothing is imported."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from nps_desktop.core.importing import ImportRefused, import_file, preview

HEAD = "Date,How likely are you to recommend us?,Comment\n"


def _row(i: int) -> str:
    return f"2025-03-{1 + i % 28:02d},{i % 11},Comment number {i} about the service\n"


def _file(tmp_path, rows: int, nul_row: int, nul_column: int, name: str = "nul.csv"):
    """``rows`` data rows; a NUL byte in data row ``nul_row`` (1-based), in column ``nul_column``."""
    lines = [_row(i) for i in range(rows)]
    cells = lines[nul_row - 1].rstrip("\n").split(",")
    cells[nul_column] = cells[nul_column][:1] + "\x00" + cells[nul_column][1:]
    lines[nul_row - 1] = ",".join(cells) + "\n"
    path = tmp_path / name
    path.write_text(HEAD + "".join(lines), encoding="utf-8")
    return path


def _nothing_imported(ws) -> bool:
    return ws.scalar("SELECT count(*) FROM responses") == 0 and ws.scalar("SELECT count(*) FROM import_batches") == 0


def test_a_nul_in_the_first_lines_is_refused_with_its_row_and_column(ws, tmp_path):
    path = _file(tmp_path, rows=20, nul_row=3, nul_column=2)
    message = 'nul.csv holds a NUL byte (a zero byte, which no text holds) in row 4, column C ("Comment")'
    with pytest.raises(ImportRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        preview(path)
    with pytest.raises(ImportRefused, match="in row 4, column C"):
        import_file(ws, path)
    assert _nothing_imported(ws)


def test_a_nul_after_the_first_megabyte_is_refused_the_same_way(ws, tmp_path):
    rows = 30_000   # about 1.6 MB
    path = _file(tmp_path, rows=rows, nul_row=rows - 5, nul_column=1)
    assert path.stat().st_size > 1 << 20
    preview(path)   # the head is clean
    with pytest.raises(ImportRefused) as exc:
        import_file(ws, path)
    assert str(exc.value) == (f'nul.csv holds a NUL byte (a zero byte, which no text holds) in row {rows - 4}, '
                              f'column B ("How likely are you to recommend us?"): the file is damaged or not '
                              f'plain text; export it again.')
    assert _nothing_imported(ws)


@settings(max_examples=25, deadline=None)
@given(nul_row=st.integers(1, 80), nul_column=st.integers(0, 2))
def test_wherever_the_nul_is_the_row_and_column_are_named(tmp_path_factory, nul_row, nul_column):
    path = _file(tmp_path_factory.mktemp("nul"), rows=80, nul_row=nul_row, nul_column=nul_column)
    with pytest.raises(ImportRefused, match=rf"in row {nul_row + 1}, column {'ABC'[nul_column]} "):
        preview(path)


def test_a_binary_file_is_still_called_one(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(ImportRefused, match="not a spreadsheet"):
        preview(path)
