"""No workbook can take the app down: a sheet whose used range spans billions of cells, or an archive
that expands a thousandfold, is refused before any reader allocates for it."""
from __future__ import annotations

import resource
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nps_desktop.core.importing import ImportOptions, ImportRefused, import_file, sheet_guard
from nps_desktop.core.importing.readers import read_table


def _far_apart(path: Path) -> Path:
    """The attack: a 5 KB workbook with cells A1 and XFD1048576 (17 billion cells between them)."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Scores"
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "Email", "Score", "a@x.com", 9
    sheet["XFD1048576"] = "far away"
    wb.save(path)
    return path


def _rewrite(path: Path, part: str, edit) -> Path:
    """A copy of the workbook ``path`` with one part's XML changed by ``edit``."""
    out = path.with_name("edited-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, edit(data) if info.filename == part else data)
    return out


def test_column_numbers():
    assert [sheet_guard.column_number(c) for c in (b"A", b"Z", b"AA", b"AZ", b"XFD")] == [1, 26, 27, 52, 16384]


def test_a_sheet_with_cells_far_apart_is_refused_naming_it(tmp_path, ws):
    path = _far_apart(tmp_path / "tiny.xlsx")
    assert path.stat().st_size < 10_000
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, hard))  # the reader's 549 GB could never happen here
    try:
        with pytest.raises(ImportRefused, match=r'tiny.xlsx was refused: sheet "Scores" spans 1,048,576 rows × '
                                                r'16,384 columns, more than the 10,000,000 cells'):
            import_file(ws, path)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    assert ws.scalar("SELECT count(*) FROM import_batches") == 0


def test_a_dimension_that_lies_is_refused_too(tmp_path):
    """Cells A1:B2 only, but the sheet's <dimension> claims the whole grid."""
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B2"] = "Score", 9
    wb.save(tmp_path / "d.xlsx")
    lying = _rewrite(tmp_path / "d.xlsx", "xl/worksheets/sheet1.xml",
                     lambda xml: xml.replace(b'ref="A1:B2"', b'ref="A1:XFD1048576"'))
    with pytest.raises(ImportRefused, match="spans 1,048,576 rows × 16,384 columns"):
        read_table(lying)


def test_a_big_but_honest_sheet_is_read(tmp_path):
    wb = openpyxl.Workbook()
    for i in range(1, 301):
        wb.active.append([f"p{i}@x.com", i % 11, "fine"])
    wb.active.insert_rows(1)
    wb.active["A1"], wb.active["B1"], wb.active["C1"] = "Email", "Score", "Comment"
    wb.save(tmp_path / "ok.xlsx")
    with zipfile.ZipFile(tmp_path / "ok.xlsx") as zf:
        assert sheet_guard.used_range(zf, zf.getinfo("xl/worksheets/sheet1.xml")) == (301, 3)
    assert len(list(read_table(tmp_path / "ok.xlsx").rows())) == 300


def test_an_archive_bomb_is_refused_from_its_directory(tmp_path, monkeypatch):
    """A workbook expanding a thousandfold (the attack: 2 MB to 1.9 GB), at a smaller scale."""
    monkeypatch.setattr(sheet_guard, "BOMB_MIN_BYTES", 1 << 20)
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B1"] = "Score", 9
    wb.save(tmp_path / "b.xlsx")
    padding = b"<!--" + b" " * (8 << 20) + b"-->"
    bomb = _rewrite(tmp_path / "b.xlsx", "xl/worksheets/sheet1.xml", lambda xml: xml + padding)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ImportRefused, match=r"edited-b.xlsx was refused: its 0.0 MB would expand to 0.0 GB, "
                                            r"which is what a zip bomb does"):
        read_table(bomb)


# -- .ods and .xls: the same guard ------------------------------------------------------------------
_END_OF_SHEET = b"</table:table>"


def _ods(tmp_path: Path, extra_rows: str, name: str = "s.ods") -> Path:
    """A small ods response sheet, with ``extra_rows`` (raw table rows) added at its end."""
    from tests.core.import_files import write_ods
    path = write_ods(tmp_path / name, [["Email", "How likely are you to recommend us?"], ["a@x.com", 9],
                                       ["b@x.com", 3]])
    return _rewrite(path, "content.xml", lambda xml: xml.replace(_END_OF_SHEET, extra_rows.encode() + _END_OF_SHEET))


def _filled_rows(rows: int, cols: int) -> str:
    return (f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
            f'table:number-columns-repeated="{cols}" office:value-type="string"><text:p>x</text:p>'
            f'</table:table-cell></table:table-row>')


def test_an_ods_of_one_kilobyte_asking_for_90_million_cells_is_refused(tmp_path, ws):
    """Below the reader's own limit (100 million cells), enough to abort the process on allocation."""
    path = _ods(tmp_path, _filled_rows(9000, 10_000))
    assert path.stat().st_size < 2_000
    with pytest.raises(ImportRefused, match=r'edited-s.ods was refused: sheet "Responses" spans 9,003 rows × '
                                            r'10,000 columns, more than the 10,000,000 cells'):
        import_file(ws, path)
    assert ws.scalar("SELECT count(*) FROM import_batches") == 0


def test_an_ods_ending_in_a_million_empty_rows_is_read(tmp_path, ws):
    """What every spreadsheet program writes: the rest of the sheet as repeated empty rows and cells."""
    path = _ods(tmp_path, '<table:table-row table:number-rows-repeated="1048573"><table:table-cell '
                          'table:number-columns-repeated="16384"/></table:table-row>')
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        assert list(sheet_guard.ods_used_ranges(fh)) == [("Responses", 3, 2)]
    assert import_file(ws, path, ImportOptions(responded_on="2025-01-01")).imported == 2


@pytest.mark.parametrize("rows, cols, refused", [(1000, 10_000, False), (1001, 10_000, True), (10_000_001, 1, True)])
def test_ods_ranges_count_repeats_exactly(tmp_path, rows, cols, refused):
    path = _ods(tmp_path, _filled_rows(rows - 3, cols))
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        ranges = list(sheet_guard.ods_used_ranges(fh))
    assert ranges[-1] == ("Responses", rows, max(cols, 2))
    if refused:
        with pytest.raises(ImportRefused, match="was refused"):
            sheet_guard.check_sheets(path, "ods")
    else:
        sheet_guard.check_sheets(path, "ods")


def _xls(path: Path, far: tuple[int, int] | None, blank: bool = False) -> Path:
    xlwt = pytest.importorskip("xlwt")   # test-only: writes the legacy .xls format
    book = xlwt.Workbook()
    sheet = book.add_sheet("Scores")
    for r, row in enumerate([["Email", "How likely are you to recommend us?"], ["a@x.com", 9], ["b@x.com", 3]]):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    if far:
        sheet.write(*far, "", xlwt.easyxf("font: bold on")) if blank else sheet.write(*far, "far away")
    book.save(str(path))
    return path


def test_an_xls_with_a_value_at_iv65536_is_refused_before_it_is_read(tmp_path, ws):
    """A 6 KB file for which the reader builds 16.7 million cells (1.2 GB)."""
    path = _xls(tmp_path / "far.xls", (65535, 255))
    assert path.stat().st_size < 10_000
    with pytest.raises(ImportRefused, match=r'far.xls was refused: sheet "Scores" spans 65,536 rows × 256 columns'):
        import_file(ws, path)
    assert ws.scalar("SELECT count(*) FROM import_batches") == 0


@pytest.mark.parametrize("far, blank, expected", [(None, False, (3, 2)), ((65535, 255), True, (3, 2)),
                                                  ((38_000, 255), False, (38_001, 256))])
def test_xls_ranges_come_from_the_cells_that_hold_values(tmp_path, far, blank, expected):
    from nps_desktop.core.importing import xls_cells
    path = _xls(tmp_path / "x.xls", far, blank)
    assert [r for r in xls_cells.used_ranges(path) if r[0]] == [("Scores", *expected)]
    sheet_guard.check_sheets(path, "xls")   # 38,001 × 256 = 9.7 million cells: allowed


def test_a_damaged_xls_is_left_to_the_reader_to_refuse(tmp_path):
    path = tmp_path / "bad.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    from nps_desktop.core.importing import xls_cells
    assert list(xls_cells.used_ranges(path)) == []
