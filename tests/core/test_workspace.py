"""Opening, creating and migrating workspaces; refusing what is not one."""
import sqlite3
import stat

import pytest

from nps_desktop.core import schema
from nps_desktop.core.snapshot import generation
from nps_desktop.core.workspace import WorkspaceError, open_workspace

TABLES = {"accounts", "contacts", "programs", "invitations", "responses", "import_batches",
          "import_rejects", "actions", "action_history", "revenue_events", "segments", "settings"}


def test_new_workspace_has_every_table_and_pragmas(tmp_path):
    path = tmp_path / "w.npsdb"
    with open_workspace(path) as ws:
        names = {r[0] for r in ws.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert TABLES <= names
        assert ws.scalar("PRAGMA user_version") == schema.LATEST_VERSION
        assert ws.scalar("PRAGMA application_id") == schema.APPLICATION_ID
        assert ws.scalar("PRAGMA journal_mode") == "wal"
        assert ws.scalar("PRAGMA foreign_keys") == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_foreign_keys_are_enforced(ws):
    with pytest.raises(sqlite3.IntegrityError):
        with ws.transaction() as conn:
            conn.execute("INSERT INTO contacts(email, account_id) VALUES ('a@b.c', 999)")
    assert ws.scalar("SELECT count(*) FROM contacts") == 0


def test_transaction_is_all_or_nothing(ws):
    with pytest.raises(RuntimeError):
        with ws.transaction() as conn:
            conn.execute("INSERT INTO accounts(name) VALUES ('A')")
            raise RuntimeError("boom")
    assert ws.scalar("SELECT count(*) FROM accounts") == 0


def test_transactions_nest_and_an_inner_failure_undoes_only_its_part(ws):
    names = lambda: [r[0] for r in ws.query("SELECT name FROM accounts ORDER BY id")]  # noqa: E731
    before = generation.read(ws.conn)
    with ws.transaction() as conn:
        conn.execute("INSERT INTO accounts(name) VALUES ('outer')")
        with ws.transaction() as inner:
            inner.execute("INSERT INTO accounts(name) VALUES ('kept')")
        with pytest.raises(RuntimeError), ws.transaction() as inner:
            inner.execute("INSERT INTO accounts(name) VALUES ('undone')")
            with ws.transaction() as deepest:
                deepest.execute("INSERT INTO accounts(name) VALUES ('undone too')")
            raise RuntimeError("boom")
        assert conn.in_transaction           # the outer transaction goes on
        conn.execute("INSERT INTO accounts(name) VALUES ('after')")
    assert not ws.conn.in_transaction
    assert names() == ["outer", "kept", "after"]
    assert generation.read(ws.conn)[0] == before[0] + 1   # one write transaction, one new generation


def test_an_outer_failure_undoes_the_inner_blocks_too(ws):
    with pytest.raises(RuntimeError), ws.transaction() as conn:
        with ws.transaction() as inner:
            inner.execute("INSERT INTO accounts(name) VALUES ('inner')")
        conn.execute("INSERT INTO accounts(name) VALUES ('outer')")
        raise RuntimeError("boom")
    assert ws.scalar("SELECT count(*) FROM accounts") == 0 and not ws.conn.in_transaction


def test_settings_round_trip(ws):
    ws.set_setting("nps_goal", 45)
    ws.set_setting("nps_goal", 50)
    assert ws.get_setting("nps_goal") == 50
    assert ws.get_setting("missing", "x") == "x"


def _bytes(path):
    return path.read_bytes()


def test_a_text_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "notes.npsdb"
    path.write_text("hello, this is not a database\n")
    before = _bytes(path)
    with pytest.raises(WorkspaceError, match="not an NPS Desktop workspace"):
        open_workspace(path)
    assert _bytes(path) == before


def test_another_sqlite_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = _bytes(path)
    with pytest.raises(WorkspaceError, match="not an NPS Desktop workspace"):
        open_workspace(path)
    assert _bytes(path) == before


def test_a_newer_workspace_is_refused_unchanged(tmp_path):
    path = tmp_path / "new.npsdb"
    open_workspace(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST_VERSION + 1}")
    conn.close()
    before = _bytes(path)
    with pytest.raises(WorkspaceError, match="newer version"):
        open_workspace(path)
    assert _bytes(path) == before


def test_missing_workspace_without_create(tmp_path):
    with pytest.raises(WorkspaceError, match="No workspace"):
        open_workspace(tmp_path / "none.npsdb", create=False)


@pytest.mark.parametrize("version", range(1, schema.LATEST_VERSION + 1))
def test_migrations_from_each_version_keep_data(tmp_path, version):
    """A workspace left at ``version`` opens at the latest version with its data and a backup."""
    path = tmp_path / "old.npsdb"
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in schema.MIGRATIONS[:version]:
        migration(conn)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO accounts(name) VALUES ('Kept Ltd')")
    conn.close()
    with open_workspace(path) as ws:
        assert ws.scalar("PRAGMA user_version") == schema.LATEST_VERSION
        assert ws.scalar("SELECT name FROM accounts") == "Kept Ltd"
        assert ws.scalar("PRAGMA foreign_key_check") is None
    backups = list((tmp_path / "old.npsdb.backups").glob("*.npsdb"))
    assert bool(backups) == (version < schema.LATEST_VERSION)


def test_empty_file_becomes_a_workspace(tmp_path):
    path = tmp_path / "empty.npsdb"
    path.touch()
    with open_workspace(path) as ws:
        assert ws.scalar("PRAGMA user_version") == schema.LATEST_VERSION


def test_core_never_imports_qt():
    """Import every core module in a fresh interpreter and check no Qt or pyqtgraph got loaded."""
    import subprocess
    import sys
    code = ("import pkgutil, importlib, sys, nps_desktop.core as c\n"
            "for m in pkgutil.walk_packages(c.__path__, 'nps_desktop.core.'):\n"
            "    importlib.import_module(m.name)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
