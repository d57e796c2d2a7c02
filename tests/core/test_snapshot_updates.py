"""After each kind of write — an imported batch, an undone one, a corrected score, an erasure — the
snapshot is brought up to date in place, and it equals a fresh read of the workspace, array for array.
When another connection wrote in between, it is left stale for a full load instead."""
from __future__ import annotations

import sqlite3

import numpy as np

from nps_desktop.core import browse, privacy
from nps_desktop.core.importing import import_file, undo_batch
from nps_desktop.core.snapshot import columns, generation, store, update
from nps_desktop.core.workspace import Workspace
from tests.core import import_files as F


def decoded(snap) -> dict:
    """Every column of a snapshot with codes turned back into their values (a reread may number a
    field's values in another order)."""
    out = {c: getattr(snap, c) for c in ("day", "score", "category", "acc", "con", "time", "rid")}
    out.update({f"r.{d}": [snap.labels[d][i] for i in c.tolist()] for d, c in snap.codes.items()})
    for name, t in (("a", snap.accounts), ("c", snap.contacts)):
        out[f"{name}.ids"], out[f"{name}.arr"] = t.ids, t.arr
        out.update({f"{name}.{d}": [t.labels[d][i] for i in c.tolist()] for d, c in t.codes.items()})
    return out


def assert_current_and_fresh(ws) -> None:
    held = store.current(ws)
    assert held is not None, "the write left no current snapshot"
    assert held.key == generation.read(ws.conn)
    fresh, got = decoded(columns.read(ws.conn)), decoded(held)
    assert got.keys() == fresh.keys()
    for k in fresh:
        if isinstance(fresh[k], np.ndarray):
            assert np.array_equal(got[k], fresh[k], equal_nan=k.endswith(".arr")), k
        else:
            assert got[k] == fresh[k], k


def test_each_kind_of_write_updates_the_snapshot_to_what_a_fresh_read_gives(ws, tmp_path):
    import_file(ws, F.accounts_csv(tmp_path))
    import_file(ws, F.contacts_csv(tmp_path))
    import_file(ws, F.delighted(tmp_path))
    store.load(ws)
    n = len(store.current(ws))

    batch = import_file(ws, F.qualtrics(tmp_path)).batch_id      # appended, and linked to contacts
    assert_current_and_fresh(ws)
    assert len(store.current(ws)) > n

    rid, score = ws.conn.execute("SELECT id, score FROM responses ORDER BY id LIMIT 1").fetchone()
    browse.correct_score(ws, rid, 10 - score, "typo")            # a corrected score
    assert_current_and_fresh(ws)
    snap = store.current(ws)
    assert int(snap.score[snap.rid == rid][0]) == 10 - score

    privacy.erase_contact(ws, "ana@acme.com")                    # her role goes from the contacts
    assert_current_and_fresh(ws)

    undo_batch(ws, batch)                                        # dropped again
    assert_current_and_fresh(ws)
    assert len(store.current(ws)) == n

    contacts = undo_batch(ws, 2)     # the contacts batch: its contacts go, their responses keep no contact
    assert contacts.removed.get("contacts")
    assert_current_and_fresh(ws)


def test_a_write_by_another_connection_in_between_leaves_the_snapshot_for_a_full_load(ws, tmp_path):
    import_file(ws, F.delighted(tmp_path))
    store.load(ws)
    rid = ws.scalar("SELECT min(id) FROM responses")
    before = store.before_write(ws, update.Rows.response(rid))
    other = Workspace(ws.path, sqlite3.connect(ws.path, isolation_level=None))
    with other.transaction() as conn:
        conn.execute("UPDATE responses SET score = 0 WHERE id <> ?", (rid,))
    other.conn.close()
    with ws.transaction() as conn:
        conn.execute("UPDATE responses SET score = 10 WHERE id = ?", (rid,))
    assert store.after_write(ws, before, update.Rows.response(rid)) is None
    assert store.current(ws) is None                 # stale: the figures come from SQL until a load
    store.load(ws)
    assert_current_and_fresh(ws)


def test_inside_a_write_the_figures_see_its_own_changes(ws, tmp_path):
    from nps_desktop.core import analytics as A
    import_file(ws, F.delighted(tmp_path))
    store.load(ws)
    n = A.overall(ws, A.Filters()).responses
    with ws.transaction() as conn:
        conn.execute("DELETE FROM responses WHERE id = (SELECT min(id) FROM responses)")
        assert store.current(ws) is None                       # the SQL, which sees the delete
        assert A.overall(ws, A.Filters()).responses == n - 1
