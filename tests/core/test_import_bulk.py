"""The bulk path of a large responses import: indexes dropped and built again after the rows (on the bar,
cancellable), foreign keys checked once for the batch; all or nothing, whatever stops it."""
from __future__ import annotations

import pytest

from nps_desktop.core.importing import ImportCancelled, ImportRefused, commit, hooks, import_file, importer, \
    plan, preview, writers
from tests.core import import_files as F


def fingerprint(conn) -> dict:
    """Every row of every table (the generation and the import bookkeeping included), the schema with its
    indexes, and whether foreign keys are enforced."""
    doc: dict = {n: sorted((tuple(r) for r in conn.execute(f"SELECT * FROM {n}")), key=repr)
                 for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'sqlite_%'").fetchall()}
    doc["schema"] = sorted(tuple(r) for r in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    doc["foreign_keys"] = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    return doc


@pytest.fixture
def bulk(monkeypatch):
    monkeypatch.setattr(writers, "BULK_MIN_ROWS", 1)
    monkeypatch.setattr(importer, "INDEX_CHECK_STEPS", 1)   # look at Cancel at every step of a build


def _index_names(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                       "AND tbl_name = 'responses' AND sql IS NOT NULL ORDER BY name")]


def test_the_index_build_is_on_the_bar_after_the_rows(ws, tmp_path, bulk):
    names = _index_names(ws.conn)
    seen = []
    r = commit(ws, preview(F.delighted(tmp_path)), progress=lambda d, t: seen.append((d, t)))
    assert (r.rows, r.imported, r.skipped) == (5, 4, 1)   # the CSAT row is not NPS
    rows_done = seen.index((5, importer.FINISHING))
    contacts = ws.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' "
                         "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'")
    assert contacts == 2   # by account, by batch: the new respondents' contacts are bulk too
    n, part = len(names) + contacts, 1   # 5 rows // INDEX_SHARE, at least 1 a part
    assert seen[:rows_done] == [(5, 6 + n * part)] + [(5 + i * part, 5 + n * part) for i in range(n)] + [
        (5 + n * part, 5 + n * part)]
    assert seen[-1] == (5, 5)
    assert _index_names(ws.conn) == names
    assert ws.scalar("PRAGMA foreign_keys") == 1 and ws.scalar("PRAGMA integrity_check") == "ok"
    assert ws.conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("after_index", [0, 1, 3])
def test_cancel_during_the_index_build_leaves_the_workspace_as_it_was(ws, tmp_path, bulk, after_index):
    import_file(ws, F.typeform(tmp_path))   # something there already (5 rows: the next file still goes bulk)
    before = fingerprint(ws.conn)
    seen = []
    state = {"cancel": False}

    def progress(done, total):
        seen.append((done, total))
        if done > 5 and total > 6 and len(seen) >= 2 + after_index:   # inside the index build
            state["cancel"] = True

    with pytest.raises(ImportCancelled):
        commit(ws, preview(F.delighted(tmp_path)), progress=progress, cancelled=lambda: state["cancel"])
    assert importer.FINISHING not in [t for _, t in seen]   # it never got past the indexes
    assert fingerprint(ws.conn) == before
    # and the workspace works as before: the same file imports in full
    assert import_file(ws, F.delighted(tmp_path)).imported == 4


def test_a_failure_after_the_rows_leaves_the_workspace_as_it_was(ws, tmp_path, bulk):
    before = fingerprint(ws.conn)

    def broken(conn, ids, batch_id, step):
        raise RuntimeError("tagging failed")

    with pytest.raises(RuntimeError):
        import_file(ws, F.delighted(tmp_path), follow_ups=hooks.FollowUps((broken,)))
    assert fingerprint(ws.conn) == before


def test_foreign_keys_are_checked_once_for_the_batch(ws, tmp_path, bulk):
    before = fingerprint(ws.conn)

    def dangling(conn, ids, batch_id, step):   # a step that writes a row pointing nowhere
        conn.execute("INSERT INTO response_themes(response_id, theme) VALUES (?, 'pricing')", (max(ids) + 1000,))

    with pytest.raises(ImportRefused, match=r"^delighted\.csv was not imported: a row of response_themes .* "
                                            r"missing row of responses; nothing was imported\.$"):
        import_file(ws, F.delighted(tmp_path), follow_ups=hooks.FollowUps((dangling,)))
    assert fingerprint(ws.conn) == before


def test_a_dry_run_on_the_bulk_path_changes_nothing_and_counts_the_same(ws, tmp_path, bulk):
    import_file(ws, F.typeform(tmp_path))
    before = fingerprint(ws.conn)
    dry = plan(ws, preview(F.delighted(tmp_path)))
    assert fingerprint(ws.conn) == before
    real = import_file(ws, F.delighted(tmp_path))
    assert (dry.imported, dry.duplicates, dry.rejected, dry.skipped) == (
        real.imported, real.duplicates, real.rejected, real.skipped) == (4, 0, 0, 1)


def test_small_imports_into_a_larger_workspace_keep_row_by_row_checks(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "BULK_MIN_ROWS", 1)
    import_file(ws, F.delighted(tmp_path))          # 4 responses, then a file of 1 row: not bulk
    seen = []
    commit(ws, preview(F.typeform(tmp_path, rows=F.TF_ROWS[:1])), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 2), (1, importer.FINISHING), (1, 1)]


_DIE_IN_THE_INDEX_BUILD = """
import os, sys
from nps_desktop.core.importing import import_file, importer, writers
from nps_desktop.core.workspace import open_workspace
writers.BULK_MIN_ROWS = 1
real = importer._build_indexes
def dying(conn, indexes, rows, part, progress, cancelled):
    def progress_then_die(done, total):
        if done > rows:   # the first index is built, the others are not
            os._exit(9)
        progress(done, total)
    return real(conn, indexes, rows, part, progress_then_die, cancelled)
importer._build_indexes = dying
with open_workspace(sys.argv[1]) as ws:
    import_file(ws, sys.argv[2])
"""


def test_a_process_that_dies_between_dropping_and_building_the_indexes_loses_nothing(ws, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import_file(ws, F.typeform(tmp_path))
    before = fingerprint(ws.conn)
    path = ws.path
    ws.close()
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", _DIE_IN_THE_INDEX_BUILD, str(path), str(F.delighted(tmp_path))],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    from nps_desktop.core.workspace import open_workspace
    with open_workspace(path) as again:   # the dropped indexes come back with the rolled-back transaction
        assert fingerprint(again.conn) == before
        assert again.scalar("PRAGMA integrity_check") == "ok"
