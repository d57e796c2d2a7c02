"""Every export passes every cell and header through one function, so no text can become a live
formula (whatever control characters precede it); exports are private, and whole or absent."""
from __future__ import annotations

import csv
import errno
import glob
import os
import stat
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from nps_desktop.core import export_safety, privacy
from nps_desktop.core.export_safety import neutralise
from nps_desktop.core.importing import batches
from nps_desktop.core.reporting import excel
from nps_desktop.core.reporting.tables import Column, ExportTable
from nps_desktop.core.workspace import open_workspace

from .safety_support import seeded_path  # noqa: F401 (a fixture)

CONTROLS = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\x7f"]
SIGNS = ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"]
#: Text built from what attacks are made of: controls, formula signs, spaces, letters, parentheses.
hostile_text = st.lists(st.sampled_from(CONTROLS + SIGNS + [" ", "\u00a0", "\ufeff", "A", "1", "(", '"', "'"]),
                        max_size=12).map("".join) | st.text(max_size=20)


def _is_safe(text: str) -> bool:
    """The independent rule: no control character, and text whose first visible sign is a formula start
    begins with the apostrophe."""
    if any(ch in text for ch in CONTROLS):
        return False
    first = text.lstrip(" \u00a0\ufeff\u200b\u200c\u200d\u2060")[:1]
    return text.startswith("'") or first not in SIGNS


@settings(max_examples=400, deadline=None)
@given(hostile_text)
def test_neutralise_leaves_nothing_a_spreadsheet_can_run(text):
    out = neutralise(text)
    assert _is_safe(out)
    kept = "".join(ch for ch in text if ch not in CONTROLS)
    assert out in (kept, "'" + kept)  # only controls removed, at most an apostrophe added
    assert neutralise(out) == out or out.startswith("'")


def test_the_attack_a_control_character_before_a_formula():
    assert neutralise("\x01=HYPERLINK(\"http://x\",\"y\")") == "'=HYPERLINK(\"http://x\",\"y\")"
    assert neutralise(" \x02+1") == "' +1"
    assert neutralise(5) == 5 and neutralise(None) is None


def _written(path: Path) -> list[tuple[str, str | None]]:
    """(value, data type) of every cell of every sheet of an xlsx, or of every field of a csv."""
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return [(v, None) for row in csv.reader(fh) for v in row]
    wb = openpyxl.load_workbook(path)
    return [(c.value, c.data_type) for sheet in wb for row in sheet.iter_rows() for c in row if c.value is not None]


@settings(max_examples=25, deadline=None)
@given(st.lists(hostile_text, min_size=2, max_size=4))
def test_every_writer_neutralises_every_cell_and_header(cells):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        table = ExportTable("T", [Column(c or "x", "text") for c in cells], [tuple(cells)], 1)
        excel.write(d / "a.xlsx", table)
        excel.write(d / "a.csv", table)
        export_safety.write_table(d / "b.xlsx", cells, [cells])
        export_safety.write_table(d / "b.csv", cells, [cells])
        rejects = [batches.RejectRow(2, c, c, c) for c in cells]
        batches.write_rejects_xlsx(rejects, d / "r.xlsx", cells[0])
        for name in ("a.xlsx", "a.csv", "b.xlsx", "b.csv", "r.xlsx"):
            for value, kind in _written(d / name):
                assert kind != "f", (name, value)
                assert not isinstance(value, str) or _is_safe(value), (name, value)


def test_the_anonymised_export_neutralises_comments(seeded_path, tmp_path):
    with open_workspace(seeded_path) as ws:
        with ws.transaction() as conn:
            conn.execute("UPDATE responses SET comment = ? WHERE id = 3", ("\x01=1+2 ok",))
        privacy.export_anonymised(ws, tmp_path / "anon.csv")
    assert all(_is_safe(v) for v, _ in _written(tmp_path / "anon.csv"))
    assert "'=1+2 ok" in [v for v, _ in _written(tmp_path / "anon.csv")]


def test_exports_are_readable_by_their_owner_only(seeded_path, tmp_path):
    old = os.umask(0o022)
    try:
        table = ExportTable("T", [Column("a", "text")], [("x",)], 1)
        excel.write(tmp_path / "a.xlsx", table)
        excel.write(tmp_path / "a.csv", table)
        batches.write_rejects_xlsx([batches.RejectRow(2, "a", "b", "c")], tmp_path / "r.xlsx")
        (tmp_path / "old.csv").write_text("x")  # an older export in its place gets the owner-only mode
        os.chmod(tmp_path / "old.csv", 0o644)
        with open_workspace(seeded_path) as ws:
            privacy.export_anonymised(ws, tmp_path / "old.csv")
    finally:
        os.umask(old)
    for name in ("a.xlsx", "a.csv", "r.xlsx", "old.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


def test_a_failed_export_leaves_no_file_and_no_openpyxl_scratch_file(tmp_path, monkeypatch):
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "openpyxl.*")))

    def rows():
        yield ("a",)
        raise OSError(errno.ENOSPC, "No space left on device")
    for writer, name in ((excel.write, "a.xlsx"), (excel.write, "a.csv")):
        with pytest.raises(OSError):
            writer(tmp_path / name, ExportTable("T", [Column("a", "text")], rows(), 2))
    with pytest.raises(OSError):
        export_safety.write_table(tmp_path / "b.xlsx", ["a"], rows())
    assert list(tmp_path.iterdir()) == []
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "openpyxl.*"))) <= before
