"""The write-ahead log: a clean close leaves the main file whole; a lost WAL is noticed and the backup
offered; a WAL that does not belong to the file is refused without ever being folded into it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nps_desktop.core import backups, commit_note
from nps_desktop.core.importing import import_file
from nps_desktop.core.workspace import WorkspaceError, open_workspace
from tests.core import import_files as F

from .safety_support import dump

#: Imports a file, then dies without closing anything: the commit is only in the WAL.
CRASH_AFTER_IMPORT = """
import os, sys
from nps_desktop.core.workspace import open_workspace
from nps_desktop.core.importing import import_file
ws = open_workspace(sys.argv[1])
ws.conn.execute("PRAGMA wal_autocheckpoint = 0")
import_file(ws, sys.argv[2])
os._exit(0)
"""


def _crash_after_import(path: Path, file: Path) -> None:
    subprocess.run([sys.executable, "-c", CRASH_AFTER_IMPORT, str(path), str(file)], check=True,
                   env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert Path(f"{path}-wal").stat().st_size > 0


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "w.npsdb"
    with open_workspace(p) as ws:
        import_file(ws, F.accounts_xlsx(tmp_path))
    return p


def _immutable_batches(path: Path) -> int:
    import sqlite3
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    finally:
        conn.close()


def test_a_clean_close_leaves_the_main_file_whole(path, tmp_path):
    with open_workspace(path) as ws:
        import_file(ws, F.typeform(tmp_path))
        assert Path(f"{path}-wal").stat().st_size > 0
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    assert _immutable_batches(path) == 2  # without any WAL, the main file holds both imports


def test_a_lost_wal_is_noticed_and_the_backup_offered(path, tmp_path):
    _crash_after_import(path, F.typeform(tmp_path))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink()
    data = path.read_bytes()
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(path)
    message = str(refused.value)
    assert refused.value.damaged and refused.value.backup == backups.latest_good(path).path
    assert "import batch 2 (typeform.csv) was committed to it but is not in it" in message
    assert "-wal was lost after a crash" in message and "nps-desktop restore" in message
    assert "\n" not in message
    assert path.read_bytes() == data
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    assert backups.restore(path, refused.value.backup) is None  # the file is set aside, the backup put back
    with open_workspace(path) as ws:
        assert ws.scalar("SELECT count(*) FROM import_batches") == 1
        import_file(ws, F.typeform(tmp_path))  # and imports go on, noted again
    assert commit_note.read(path)["batches"] == 2


def test_keeping_the_file_as_it_is_after_a_lost_wal(path, tmp_path):
    _crash_after_import(path, F.typeform(tmp_path))
    Path(f"{path}-wal").unlink()
    with pytest.raises(WorkspaceError, match="To keep the file as it is, delete "):
        open_workspace(path)
    commit_note.forget(path)
    with open_workspace(path) as ws:
        assert ws.scalar("SELECT count(*) FROM import_batches") == 1


def test_a_crash_with_its_wal_in_place_loses_nothing(path, tmp_path):
    _crash_after_import(path, F.typeform(tmp_path))
    with open_workspace(path) as ws:
        assert ws.scalar("SELECT count(*) FROM import_batches") == 2


def test_a_stale_wal_put_back_is_refused_and_never_folded_into_the_file(path, tmp_path):
    _crash_after_import(path, F.typeform(tmp_path))
    stale = tmp_path / "stale-wal"
    shutil.copy(f"{path}-wal", stale)
    with open_workspace(path) as ws:  # recovers the WAL, then rewrites the pages the stale WAL holds
        with ws.transaction() as conn:
            conn.execute("DELETE FROM responses")
        ws.conn.execute("VACUUM")
    good = dump(path)
    shutil.copy(stale, f"{path}-wal")
    Path(f"{path}-shm").unlink(missing_ok=True)
    data = path.read_bytes()
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(path)
    assert f"its journal file {path.name}-wal does not belong to it: move that file away" in str(refused.value)
    assert path.read_bytes() == data  # the refusing open wrote nothing into the file
    os.replace(f"{path}-wal", tmp_path / "moved-away-wal")
    Path(f"{path}-shm").unlink(missing_ok=True)
    with open_workspace(path) as ws:
        assert ws.problems(quick=False) == []
    assert dump(path) == good
