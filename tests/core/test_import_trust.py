"""Trust: one transaction per import, no duplicates on re-import, exact undo, clean refusals, cancel."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from nps_desktop.core import analytics
from nps_desktop.core.importing import (ImportCancelled, ImportOptions, ImportRefused, commit, hooks, import_file,
                                        importer, plan, preview, undo_batch, writers)
from nps_desktop.core.importing.mapping import list_profiles
from nps_desktop.core.workspace import open_workspace
from tests.core import import_files as F

TOOLS = [F.qualtrics, F.surveymonkey, F.typeform, F.google_forms, F.delighted]


def test_reimporting_adds_nothing(ws, tmp_path):
    paths = [make(tmp_path) for make in TOOLS]
    for p in paths:
        import_file(ws, p)
    before = F.dump(ws.conn)
    for p in paths:
        r = import_file(ws, p)
        assert r.imported == 0 and r.duplicates > 0
    assert F.dump(ws.conn) == before


def test_overlapping_exports_add_only_the_new_rows(ws, tmp_path):
    first = import_file(ws, F.qualtrics(tmp_path, "jan.csv", rows=F.QUALTRICS_ROWS[:5]))
    second = import_file(ws, F.qualtrics(tmp_path, "feb.csv", rows=F.QUALTRICS_ROWS[2:]))
    assert (first.imported, first.skipped) == (4, 1)
    assert (second.imported, second.duplicates, second.skipped) == (3, 2, 3)   # rows 3 and 5 were there
    assert ws.scalar("SELECT count(*) FROM responses") == 7
    # without tool ids, by content: the same person, time, score and words
    import_file(ws, F.google_forms(tmp_path, "a.csv", rows=F.GF_ROWS[:3]))
    r = import_file(ws, F.google_forms(tmp_path, "b.csv", rows=F.GF_ROWS[1:]))
    assert (r.imported, r.duplicates) == (2, 2)


def test_a_reexport_with_an_edited_comment_is_a_new_row_only_without_ids(ws, tmp_path):
    import_file(ws, F.typeform(tmp_path))
    edited = [list(r) for r in F.TF_ROWS]
    edited[0][2] = "Edited later"
    assert import_file(ws, F.typeform(tmp_path, "t2.csv", rows=edited)).imported == 0   # the id decides


def test_undo_restores_the_prior_state_exactly(ws, tmp_path):
    import_file(ws, F.accounts_xlsx(tmp_path))
    import_file(ws, F.contacts_csv(tmp_path))
    import_file(ws, F.google_forms(tmp_path))
    before = F.dump(ws.conn)
    batches = [import_file(ws, F.qualtrics(tmp_path)).batch_id,
               import_file(ws, F.accounts_csv(tmp_path)).batch_id,
               import_file(ws, F.delighted(tmp_path)).batch_id]
    assert F.dump(ws.conn) != before
    for b in reversed(batches):
        undo_batch(ws, b)
    assert F.dump(ws.conn) == before
    assert ws.scalar("SELECT count(*) FROM import_batches WHERE undone_at IS NOT NULL") == 3


def test_undo_in_any_order_and_only_once(ws, tmp_path):
    empty = F.dump(ws.conn)
    a = import_file(ws, F.typeform(tmp_path)).batch_id
    b = import_file(ws, F.accounts_xlsx(tmp_path)).batch_id     # links a's responses
    undo_batch(ws, a)
    undo_batch(ws, b)
    assert F.dump(ws.conn) == empty
    with pytest.raises(ImportRefused, match=f"Import batch {a} \\(typeform.csv\\) was already undone"):
        undo_batch(ws, a)
    with pytest.raises(ImportRefused, match="There is no import batch 99"):
        undo_batch(ws, 99)


def test_undo_refuses_to_delete_what_later_imports_added(ws, tmp_path):
    accounts = import_file(ws, F.accounts_xlsx(tmp_path)).batch_id
    revenue = import_file(ws, F.revenue_csv(tmp_path)).batch_id
    responses = import_file(ws, F.typeform(tmp_path)).batch_id          # linked to the accounts by domain
    before = F.dump(ws.conn, bookkeeping=True)
    with pytest.raises(ImportRefused, match=rf"Undoing import batch {accounts} \(accounts.xlsx\) would also delete "
                                            r"5 revenue events that belong to its accounts or contacts"):
        undo_batch(ws, accounts)
    assert F.dump(ws.conn, bookkeeping=True) == before
    undo_batch(ws, revenue)
    result = undo_batch(ws, accounts)
    assert result.removed == {"accounts": 3} and result.unlinked == {"contacts": 4, "responses": 4}
    assert ws.scalar("SELECT count(*) FROM responses WHERE account_id IS NOT NULL") == 0
    assert ws.scalar("SELECT count(*) FROM responses WHERE import_batch_id = ?", (responses,)) == 4


def _bad_files(folder: Path) -> list[tuple[Path, str]]:
    pdf = folder / "report.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n" + b"x" * 100)
    cut = folder / "cut.xlsx"
    cut.write_bytes(F.surveymonkey(folder).read_bytes()[:900])
    empty = folder / "empty.csv"
    empty.write_bytes(b"")
    head = F.write_csv(folder / "head.csv", [["Email", "Score", "Date"]])
    noscore = F.write_csv(folder / "noscore.csv", [["Email", "Comment", "Date"], ["a@b.co", "fine", "2025-01-01"]])
    unknown = F.write_csv(folder / "unknown.csv", [["Colour", "Shape"], ["red", "round"]])
    laughs = folder / "laughs.xlsx"
    import zipfile
    with zipfile.ZipFile(F.write_xlsx(folder / "ok.xlsx", [["Score"], [9]])) as zin, \
            zipfile.ZipFile(laughs, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>' + data
            zout.writestr(info.filename, data)
    truncated = folder / "trunc.csv"
    truncated.write_text('Email,Score,Date\na@b.co,9,2025-01-01\nc@d.co,3,"2025-01', encoding="utf-8")
    return [(pdf, "report.xlsx is not a spreadsheet (it looks like a PDF document)"),
            (cut, "cut.xlsx is damaged or incomplete"), (empty, "empty.csv is empty"),
            (head, "head.csv has a header row (row 1) but no data rows"),
            (noscore, 'No column of noscore.csv holds 0-10 scores; columns seen: "Email", "Comment", "Date"'),
            (unknown, 'Cannot tell whether unknown.csv holds responses, accounts, contacts or revenue events; '
                      'columns seen: "Colour", "Shape"'),
            (laughs, "laughs.xlsx was refused: its part xl/worksheets/sheet1.xml declares XML entities"),
            (truncated, "trunc.csv is damaged or incomplete")]


def test_bad_files_are_refused_and_change_nothing(ws, tmp_path):
    import_file(ws, F.typeform(tmp_path))
    before = F.dump(ws.conn, bookkeeping=True)
    for path, message in _bad_files(tmp_path):
        with pytest.raises(ImportRefused) as info:
            import_file(ws, path)
        assert str(info.value).startswith(message), path.name
        assert "\n" not in str(info.value)
    assert F.dump(ws.conn, bookkeeping=True) == before


def test_responses_file_imported_as_another_kind_names_the_missing_fields(ws, tmp_path):
    with pytest.raises(ImportRefused, match=r"typeform.csv cannot be imported as revenue: no column for Event"):
        import_file(ws, F.typeform(tmp_path), ImportOptions(kind="revenue"))


def test_plan_counts_what_commit_does_and_writes_nothing(ws, tmp_path):
    import_file(ws, F.accounts_xlsx(tmp_path))
    before = F.dump(ws.conn, bookkeeping=True)
    p = preview(F.qualtrics(tmp_path), ws=ws)
    planned = plan(ws, p)
    assert F.dump(ws.conn, bookkeeping=True) == before
    assert planned.batch_id is None and planned.dry_run
    done = commit(ws, p)
    fields = ("rows", "imported", "updated", "duplicates", "rejected", "skipped", "skipped_reasons", "rejects", "extra")
    assert {f: getattr(planned, f) for f in fields} == {f: getattr(done, f) for f in fields}
    assert done.extra["mapped"] == 7


def test_cancel_rolls_everything_back(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 3)
    before = F.dump(ws.conn, bookkeeping=True)
    seen = []
    with pytest.raises(ImportCancelled):
        commit(ws, preview(F.qualtrics(tmp_path)), progress=lambda d, t: seen.append((d, t)),
               cancelled=lambda: len(seen) >= 2)
    assert seen[:2] == [(3, 10), (6, 10)]
    assert F.dump(ws.conn, bookkeeping=True) == before


def test_progress_reaches_the_total(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 4)
    seen = []
    commit(ws, preview(F.qualtrics(tmp_path)), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(4, 10), (8, 10), (10, 11), (10, importer.FINISHING), (10, 10)]


def test_the_hooks_share_one_progress_bar_and_can_be_cancelled(ws, tmp_path):
    def first(conn, ids, batch_id, step):
        for done in (0, 5, 10):
            step(done, 10)

    def second(conn, ids, batch_id, step):
        step(0, 4)
        step(2, 4)
        conn.execute("INSERT INTO audit_log(at, what, detail) VALUES ('now', 'second hook', '')")

    seen = []
    commit(ws, preview(F.qualtrics(tmp_path)), progress=lambda d, t: seen.append((d, t)),
           follow_ups=hooks.FollowUps((first, second)))
    after = seen[seen.index((10, importer.FINISHING)) + 1:]
    assert after == [(0, 20), (5, 20), (10, 20), (4, 8), (6, 8), (10, 10)]   # halves of one bar, then done
    assert ws.scalar("SELECT count(*) FROM audit_log WHERE what = 'second hook'") == 1

    before = F.dump(ws.conn, bookkeeping=True)
    finishing = []
    with pytest.raises(ImportCancelled):       # cancelled once every row is read: nothing is kept
        commit(ws, preview(F.delighted(tmp_path)), cancelled=lambda: bool(finishing),
               progress=lambda d, t: finishing.append(t) if t == importer.FINISHING else None,
               follow_ups=hooks.FollowUps((first, second)))
    assert F.dump(ws.conn, bookkeeping=True) == before


def test_hooks_run_inside_the_transaction(ws, tmp_path):
    calls = []

    def tag(conn, ids, batch_id, step):
        calls.append((list(ids), batch_id))
        conn.execute("INSERT INTO audit_log(at, what, detail) VALUES ('now', 'tagged', ?)", (str(len(ids)),))

    r = import_file(ws, F.typeform(tmp_path), follow_ups=hooks.FollowUps((tag,)))
    ids = [x[0] for x in ws.query("SELECT id FROM responses ORDER BY id")]
    assert calls == [(ids, r.batch_id)]
    plan(ws, preview(F.delighted(tmp_path)))   # a dry run takes no follow-ups
    assert len(calls) == 1                                   # a dry run calls no hook

    def broken(conn, ids, batch_id, step):
        raise RuntimeError("tagging failed")

    before = F.dump(ws.conn, bookkeeping=True)
    with pytest.raises(RuntimeError):
        import_file(ws, F.delighted(tmp_path), follow_ups=hooks.FollowUps((tag, broken)))
    assert F.dump(ws.conn, bookkeeping=True) == before      # the failing hook undid the whole import

    undone = []
    count_left = hooks.FollowUps(after_undo=(lambda conn, b: undone.append(
        (b, conn.execute("SELECT count(*) FROM responses WHERE import_batch_id = ?", (b,)).fetchone()[0])),))
    undo_batch(ws, r.batch_id, count_left)
    assert undone == [(r.batch_id, 0)]                       # called after the rows are gone


def test_bulk_path_rebuilds_the_same_indexes_and_still_finds_duplicates(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "BULK_MIN_ROWS", 1)
    index_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'responses' ORDER BY name"
    indexes = [tuple(r) for r in ws.query(index_sql)]
    first = import_file(ws, F.google_forms(tmp_path, "a.csv", rows=F.GF_ROWS[:3]))
    again = import_file(ws, F.google_forms(tmp_path, "b.csv", rows=F.GF_ROWS))   # 5 ≥ 3 stored: bulk again
    assert (first.imported, again.imported, again.duplicates) == (3, 2, 3)
    assert [tuple(r) for r in ws.query(index_sql)] == indexes
    assert ws.scalar("PRAGMA integrity_check") == "ok"


def test_saved_profiles(ws, tmp_path):
    path = F.google_forms(tmp_path)
    p = preview(path)
    mapping = {c: f for c, f in p.mapping.items() if f != "comment"}
    import_file(ws, path, ImportOptions(mapping=mapping, save_profile="Forms without comments"))
    [profile] = list_profiles(ws)
    assert (profile.name, profile.kind, profile.columns, profile.options) == (
        "Forms without comments", "responses", mapping, {"date_order": "dmy"})
    rows = [["01/02/2025 10:00:00", "zed@acme.com", 10, "ignored", 5, 5]]   # ambiguous alone: the profile says
    r = import_file(ws, F.google_forms(tmp_path, "more.csv", rows=rows), ImportOptions(profile="Forms without comments"))
    assert r.imported == 1
    assert tuple(ws.query("SELECT responded_at, comment FROM responses ORDER BY id DESC LIMIT 1")[0]) == \
        ("2025-02-01T10:00:00", None)
    with pytest.raises(ImportRefused, match="No saved mapping named 'nope'"):
        preview(path, ImportOptions(profile="nope"), ws)


def test_rejected_rows_never_block_the_valid_ones(ws, tmp_path):
    path = F.write_xlsx(tmp_path / "r.xlsx", [
        ["Survey results"], [],
        ["Email", "How likely to recommend", "Submitted", "Why"],
        ["a@x.io", 9, "2025-01-02", "ok"],
        ["b@x.io", 12, "2025-01-02", "too high"],
        ["not mail", 5, "2025-01-02", ""],
        ["c@x.io", 7, "someday", ""],
        ["d@x.io", 3, "", ""],
        ["e@x.io", "8.0", "2025-01-03", ""]])
    r = import_file(ws, path)
    assert (r.rows, r.imported, r.rejected) == (6, 3, 3)   # "not mail" is left blank, the row kept
    assert r.extra["blanked"] == {"Email": 1}
    assert r.rejects == [(5, "How likely to recommend", "12", "not a score from 0 to 10"),
                         (7, "Submitted", "someday", "not a date"),
                         (8, "Submitted", "", "Responded at is missing")]
    assert [tuple(x) for x in ws.query('SELECT row, "column", value, reason FROM import_rejects ORDER BY row')] == \
        r.rejects


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 10), st.sampled_from(["11", "x", "-3", "7.5"])), min_size=1, max_size=40))
def test_counts_and_nps_for_any_mix_of_scores(cells):
    valid = [c for c in cells if isinstance(c, int)]
    with tempfile.TemporaryDirectory() as d:
        path = F.write_csv(Path(d) / "s.csv", [["Email", "NPS", "Date"]] +
                           [[f"p{i}@x.io", c, "2025-01-01"] for i, c in enumerate(cells)])
        with open_workspace(Path(d) / "w.npsdb") as w:
            mapping = {"Email": "email", "NPS": "score", "Date": "responded_at"}   # the user confirmed
            r = import_file(w, path, ImportOptions(mapping=mapping))
            assert (r.rows, r.imported, r.rejected) == (len(cells), len(valid), len(cells) - len(valid))
            expected = (100.0 * (sum(s >= 9 for s in valid) - sum(s <= 6 for s in valid)) / len(valid)
                        if valid else None)
            assert analytics.overall(w, analytics.Filters()).nps == pytest.approx(expected)
