"""Clear words: a full disk says so, every error of the command line is one line, and an empty SQLite
file made by another program is not taken for a workspace."""
from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from nps_desktop.cli import main
from nps_desktop.core import backup_store, backups, export_safety
from nps_desktop.core.reporting import excel
from nps_desktop.core.workspace import WorkspaceError, open_workspace

from .safety_support import dump
from .safety_support import seeded_path as path  # noqa: F401 (a fixture)

FULL = Path("/dev/full")  # every write to it fails with ENOSPC, as on a full disk
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")


def _one_line(err: str, command: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"nps-desktop {command}: "), err
    assert "Traceback" not in err
    return lines[0]


@needs_dev_full
def test_a_backup_onto_a_full_disk_says_the_disk_is_full(path, monkeypatch, capsys):
    real = backup_store._copy_and_check

    def onto_a_full_disk(source, target):
        target.unlink()
        target.symlink_to(FULL)
        return real(source, target)
    monkeypatch.setattr(backup_store, "_copy_and_check", onto_a_full_disk)
    before = dump(path)
    with open_workspace(path) as ws:
        with pytest.raises(WorkspaceError, match=r"Could not back up .*: the disk is full; nothing was changed"):
            backups.take(ws, "manual")
    assert main(["backup", "--workspace", str(path)]) == 1
    line = _one_line(capsys.readouterr().err, "backup")
    assert "the disk is full" in line and "integrity" not in line and "damaged" not in line
    assert backups.list_backups(path) == [] and dump(path) == before


@needs_dev_full
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_export_onto_a_full_disk_is_one_line_and_leaves_no_file(path, tmp_path, monkeypatch, capsys, suffix):
    real = export_safety.replacing

    @contextlib.contextmanager
    def onto_a_full_disk(target):
        with real(target) as tmp:
            tmp.unlink()
            tmp.symlink_to(FULL)
            yield tmp
    monkeypatch.setattr(export_safety, "replacing", onto_a_full_disk)
    monkeypatch.setattr(excel, "replacing", onto_a_full_disk)
    out = tmp_path / f"responses{suffix}"
    assert main(["export", "--what", "responses", "--out", str(out), "--workspace", str(path)]) == 1
    assert "the disk is full" in _one_line(capsys.readouterr().err, "export")
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_rejected_rows_with_control_characters_are_written(path, tmp_path, capsys):
    import openpyxl
    with open_workspace(path) as ws:
        with ws.transaction() as conn:
            conn.execute("INSERT INTO import_batches(id, file_name, sha256, kind, imported_at) "
                         "VALUES (1, 'a.csv', 'x', 'responses', '2026-05-01T10:00:00')")
            conn.execute('INSERT INTO import_rejects(batch_id, row, "column", value, reason) '
                         "VALUES (1, 2, '\x01=cmd', '\x02=HYPERLINK(\"http://x\")', 'not a score')")
    out = tmp_path / "rejects.xlsx"
    assert main(["imports", "--rejects", "1", "--out", str(out), "--workspace", str(path)]) == 0
    cells = [c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
    assert "'=cmd" in cells and "'=HYPERLINK(\"http://x\")" in cells


def test_an_empty_sqlite_file_is_not_taken_for_a_workspace(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("DROP TABLE t")
    conn.close()
    data = other.read_bytes()
    assert data
    with pytest.raises(WorkspaceError, match=r"other.db is an empty SQLite database but not an NPS Desktop "
                                             r"workspace .*nothing was changed"):
        open_workspace(other)
    assert other.read_bytes() == data and sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]
    with open_workspace(tmp_path / "new.npsdb") as ws:  # a workspace NPS Desktop creates is its own
        assert not ws.read_only
    with open_workspace(tmp_path / "new.npsdb") as ws:
        assert ws.counts()["responses"] == 0


def test_an_unexpected_error_is_one_line(path, monkeypatch, capsys):
    from nps_desktop.commands import stats

    def broken(args):
        raise KeyError("boom")
    monkeypatch.setattr(stats, "run", broken)
    monkeypatch.delenv("NPS_DESKTOP_TRACEBACK", raising=False)
    from nps_desktop import cli
    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda *argv: parser)
    parser._subparsers._group_actions[0].choices["stats"].set_defaults(func=broken)
    assert main(["stats", "--workspace", str(path)]) == 1
    assert "unexpected error (KeyError: 'boom')" in _one_line(capsys.readouterr().err, "stats")


def test_a_backup_on_read_only_media_is_one_line(path, capsys):
    """An immutable file in an immutable folder behaves like a read-only disk, even for root."""
    from .test_lock import _chattr
    if not _chattr("+i", path):
        pytest.skip("chattr +i is not available here")
    _chattr("+i", path.parent)
    try:
        assert main(["backup", "--workspace", str(path)]) == 1
        line = _one_line(capsys.readouterr().err, "backup")
        assert line.startswith(f"nps-desktop backup: Could not back up {path} to ") and "nothing was changed" in line
    finally:
        _chattr("-i", path.parent)
        _chattr("-i", path)
