"""No workbook can take the app down: a sheet whose used range spans billions of cells, or an archive
that expands a thousandfold, is refused before any reader allocates for it."""
from __future__ import annotations

import resource
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nps_desktop.core.importing import ImportRefused, import_file, sheet_guard
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
