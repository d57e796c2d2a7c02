"""The walk's second half (issue 17, point 3): on the demo, each "…" item that can be given valid input is
clicked (its real button or menu item), its real dialog answered with that input, and the change it names
read back from the workspace file with a connection of the test's own.

The rows run in order in one window: File ▸ Back up now first (its fingerprint kept), then the changes,
then File ▸ Restore backup… of that backup, which must give back exactly the data it held, and last
File ▸ New workspace…, which opens the new file.
"""
from __future__ import annotations

import base64
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtWidgets import QAbstractButton, QApplication

from nps_desktop.core import backups
from nps_desktop.ui.pages.planner.views import ALL

from .dialogs import OK, Answer, answering
from .gestures import click_row, go, pick, row_where
from .test_walk import _menu_actions, fingerprint, items_of, label, settle, walk_window  # noqa: F401 (a fixture)

Ctx = dict[str, Any]


@dataclass
class Row:
    """On ``page`` (a page's key; "" for the menu bar), prepare (select a row, …) into a context, trigger
    the item reading ``item``, answer its dialogs with ``answers(ctx)``, then ``verify(conn, ctx)``."""
    page: str
    item: str
    answers: Callable[[Ctx], list[Answer]]
    verify: Callable[[sqlite3.Connection, Ctx], None]
    prepare: Callable[[Any, Any, Ctx], None] | None = None


def rows_of(conn, sql, *args) -> list[tuple]:
    return [tuple(r) for r in conn.execute(sql, args)]


# -- the rows -----------------------------------------------------------------------------------------------
def take_backup(env, page, ctx) -> None:
    """Back up now (File menu): the backup the last rows restore; the data it holds."""
    env.menu_item("File", "Back up now").trigger()
    env.qtbot.waitUntil(lambda: any(b.reason == "manual backup" for b in backups.list_backups(env.path)),
                        timeout=10000)
    env.held = fingerprint(env.path)


def select_first_response(env, page, ctx) -> None:
    click_row(env.qtbot, page.table, 0, column=1)
    env.qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.correct_button.isEnabled(),
                        timeout=10000)
    ctx["id"], ctx["old"] = page.detail.detail["id"], page.detail.detail["score"]
    ctx["new"] = 0 if ctx["old"] == 10 else 10


def corrected(conn, ctx) -> None:
    assert rows_of(conn, "SELECT score, original_score FROM responses WHERE id = ?", ctx["id"]) == \
        [(ctx["new"], ctx["old"])]
    assert rows_of(conn, "SELECT old_score, new_score, reason FROM score_corrections WHERE response_id = ? "
                         "ORDER BY id DESC LIMIT 1", ctx["id"]) == \
        [(ctx["old"], ctx["new"], f"typed {ctx['old']} for {ctx['new']}")]


def select_a_comment(env, page, ctx) -> None:
    for row in range(page.model.rowCount()):
        click_row(env.qtbot, page.table, row, column=1)
        env.qtbot.waitUntil(lambda: page.detail.detail is not None
                            and page.detail.detail["id"] == page.selected_row().id, timeout=10000)
        if page.detail.pack_button.isEnabled():
            ctx["id"] = page.detail.detail["id"]
            return
    raise AssertionError("no response with a comment")


def select_first_action(env, page, ctx) -> None:
    click_row(env.qtbot, page.view, 0)
    ctx["ids"] = sorted(page.selected_ids())
    assert ctx["ids"]


def reassigned(conn, ctx) -> None:
    marks = ",".join("?" * len(ctx["ids"]))
    assert rows_of(conn, f"SELECT DISTINCT owner FROM actions WHERE id IN ({marks})", *ctx["ids"]) == [("Walker",)]
    assert rows_of(conn, f"SELECT DISTINCT new FROM action_history WHERE field = 'owner' AND action_id IN ({marks}) "
                         "ORDER BY id DESC LIMIT 1", *ctx["ids"]) == [("Walker",)]


def choose_the_walk_segment(env, page, ctx) -> None:
    bar = page.filter_bar
    env.qtbot.waitUntil(lambda: bar.segment.findData("Walk segment") > 0, timeout=10000)
    pick(env.qtbot, bar.segment, "Walk segment")


def note_sent_counts(env, page, ctx) -> None:
    env.qtbot.waitUntil(lambda: page.plan is not None and page.wave_filter.count() > 1, timeout=30000)
    wave = next(page.wave_filter.itemData(i) for i in range(page.wave_filter.count())
                if page.wave_filter.itemData(i) not in (None, ALL) and page.plan.wave(page.wave_filter.itemData(i))
                and page.plan.wave(page.wave_filter.itemData(i)).planned)
    pick(env.qtbot, page.wave_filter, wave)
    assert page.mark_button.isEnabled()
    conn = sqlite3.connect(f"file:{env.path}?mode=ro", uri=True)
    ctx["sent"] = dict(rows_of(conn, "SELECT wave, count(*) FROM invitations WHERE status = 'sent' GROUP BY wave"))
    conn.close()


def read_the_question(ctx) -> Callable:
    def read(box) -> None:
        m = re.match(r"Record the (\d+) planned invitations? of (.+) as sent\?", box.text())
        assert m, box.text()
        ctx["n"], ctx["wave"] = int(m.group(1)), m.group(2)
    return read


def marked_sent(conn, ctx) -> None:
    now = dict(rows_of(conn, "SELECT wave, count(*) FROM invitations WHERE status = 'sent' GROUP BY wave"))
    assert ctx["n"] > 0 and now.get(ctx["wave"], 0) - ctx["sent"].get(ctx["wave"], 0) == ctx["n"]


def import_then_select_the_batch(env, page, ctx) -> None:
    """File ▸ Import a spreadsheet… of two new responses, through the wizard; its batch selected."""
    from PySide6.QtWidgets import QWizard

    from .gestures import click, import_through_menu
    csv = env.tmp / "walk.csv"
    csv.write_text("Email,NPS,Date,Comment\nwalk1@acme.com,9,2026-11-20,fine\nwalk2@acme.com,2,2026-11-21,slow\n",
                   encoding="utf-8")
    ctx["responses"] = _count(env.path, "responses")
    wiz = import_through_menu(env.qtbot, env.window, csv)
    for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.NextButton):
        if wiz.currentPage() is wiz.mapping_page and not wiz.mapping_page.isComplete():
            click(env.qtbot, wiz.mapping_page.confirm)
        click(env.qtbot, wiz.button(which))
    env.qtbot.waitUntil(lambda: wiz.summary_page.result is not None, timeout=10000)
    click(env.qtbot, wiz.button(QWizard.WizardButton.CommitButton))
    env.qtbot.waitUntil(lambda: wiz.result_page.result is not None, timeout=10000)
    assert wiz.result_page.result.imported == 2
    click(env.qtbot, wiz.button(QWizard.WizardButton.FinishButton))
    assert _count(env.path, "responses") == ctx["responses"] + 2
    page = go(env.qtbot, env.window, "imports")
    env.qtbot.waitUntil(lambda: page.loaded and page.batch_model.rowCount() > 0, timeout=10000)
    click_row(env.qtbot, page.batch_view, 0)
    env.qtbot.waitUntil(lambda: page.selected_batch() is not None and page.undo_button.isEnabled(), timeout=10000)
    ctx["batch"] = page.selected_batch().id


def undone(conn, ctx) -> None:
    assert rows_of(conn, "SELECT undone_at IS NOT NULL FROM import_batches WHERE id = ?", ctx["batch"]) == [(1,)]
    assert rows_of(conn, "SELECT count(*) FROM responses") == [(ctx["responses"],)]


def _count(path, table: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def spoil_a_theme(env, page, ctx) -> None:
    """Another program rewrites a theme's phrases; the dictionary tab shown."""
    from .gestures import click_tab
    conn = sqlite3.connect(env.path)
    with conn:
        conn.execute("UPDATE themes SET phrases = '[\"walk\"]' WHERE id = (SELECT min(id) FROM themes)")
    conn.close()
    click_tab(env.qtbot, page.tabs, next(i for i in range(page.tabs.count()) if page.tabs.widget(i).isAncestorOf(
        page.reset_button)))


def the_default_dictionary(conn, ctx) -> None:
    import json

    from nps_desktop.core.text.themes import default_themes
    stored = [(n, lbl, json.loads(p), bool(e)) for n, lbl, p, e in
              conn.execute("SELECT name, label, phrases, enabled FROM themes ORDER BY id")]
    assert stored == [(t.name, t.label, list(t.phrases), t.enabled) for t in default_themes()]


def a_logo(env) -> Path:
    from PySide6.QtGui import QColor, QImage
    path = env.tmp / "logo.png"
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#7a1f3d"))
    assert image.save(str(path), "PNG")
    return path


def choose_the_manual_backup(env) -> Callable:
    def choose(dialog) -> None:
        click_row(env.qtbot, dialog.table, row_where(dialog.table, "manual backup", column=1), column=1)
    return choose


def restored(env) -> Callable:
    def check(conn, ctx) -> None:
        env.qtbot.waitUntil(lambda: "Restored" in env.window.statusBar().currentMessage(), timeout=10000)
        assert fingerprint(env.path) == env.held
    return check


def rows(env) -> list[Row]:
    out = env.tmp
    return [
        Row("", "Back up now", lambda c: [], lambda conn, c: None, take_backup),
        Row("responses", "Correct score…",
            lambda c: [Answer(fill={"Correct score": c["new"], "Reason": f"typed {c['old']} for {c['new']}"})],
            corrected, select_first_response),
        Row("responses", "Add to pack…", lambda c: [OK],
            lambda conn, c: _eq(rows_of(conn, "SELECT count(*) FROM pack_quotes WHERE response_id = ?", c["id"]),
                                [(1,)]), select_a_comment),
        Row("responses", "CSV file (.csv)…", lambda c: [Answer(fill={"file": str(out / "responses.csv")})],
            lambda conn, c: _wait_file(env, out / "responses.csv", b"\xef\xbb\xbf")),
        Row("dashboard", "Save as segment…", lambda c: [Answer(fill={"value": "Walk segment"})],
            lambda conn, c: _eq(rows_of(conn, "SELECT count(*) FROM segments WHERE name = 'Walk segment'"), [(1,)])),
        Row("accounts", "Delete this segment…", lambda c: [OK],
            lambda conn, c: _eq(rows_of(conn, "SELECT count(*) FROM segments WHERE name = 'Walk segment'"), [(0,)]),
            choose_the_walk_segment),
        Row("actions", "Reassign…", lambda c: [Answer(fill={"value": "Walker"})], reassigned, select_first_action),
        Row("revenue", "Add revenue event…",
            lambda c: [Answer(fill={"Kind": "Upsell", "ARR change": 5000, "Note": "walk: an upsell"})],
            lambda conn, c: _eq(rows_of(conn, "SELECT kind, arr_change FROM revenue_events WHERE note = ?",
                                        "walk: an upsell"), [("upsell", 5000)])),
        Row("planner", "Mark this wave sent…", lambda c: [Answer(check=read_the_question(c))], marked_sent,
            note_sent_counts),
        Row("imports", "Undo this import…", lambda c: [OK],
            undone, import_then_select_the_batch),
        Row("settings", "Choose…", lambda c: [Answer(fill={"file": str(a_logo(env))})],
            lambda conn, c: _eq([base64.b64decode(v) for v, in conn.execute(
                "SELECT value FROM settings WHERE key = 'company_logo'")], [(env.tmp / "logo.png").read_bytes()])),
        Row("themes", "Reset to defaults…", lambda c: [OK], the_default_dictionary, spoil_a_theme),
        Row("settings", "Pick a colour…", lambda c: [Answer(fill={"color": "#123456"})],
            lambda conn, c: _eq(env.window.page("settings").brand.text(), "#123456")),
        Row("reports", "Export…", lambda c: [Answer(fill={"file": str(out / "export.xlsx")})],
            lambda conn, c: _wait_file(env, out / "export.xlsx", b"PK")),
        Row("", "Restore backup…", lambda c: [Answer(check=choose_the_manual_backup(env))], restored(env)),
        Row("", "New workspace…", lambda c: [Answer(fill={"file": str(out / "fresh.npsdb")})],
            lambda conn, c: _eq(Path(env.window.session.path).resolve(), (out / "fresh.npsdb").resolve())),
    ]


def _eq(got, expected) -> None:
    assert got == expected, (got, expected)


def _wait_file(env, path: Path, head: bytes) -> None:
    env.qtbot.waitUntil(lambda: path.exists() and path.stat().st_size > len(head), timeout=10000)
    settle(env.qtbot)
    assert path.read_bytes().startswith(head)


# -- running them -------------------------------------------------------------------------------------------
class Env:
    def __init__(self, qtbot, window, path: Path, tmp: Path):
        self.qtbot, self.window, self.path, self.tmp = qtbot, window, path, tmp
        self.held: dict | None = None

    def menu_item(self, menu: str, text: str):
        for menu_action in self.window.menuBar().actions():
            if label(menu_action) == menu:
                found = [a for a in _menu_actions(menu_action.menu()) if label(a) == text]
                assert found, f"no {menu} ▸ {text}"
                return found[0]
        raise AssertionError(f"no menu {menu}")

    def item(self, page, text: str):
        if page is None:
            return next(self.menu_item(m, text) for m in ("File", "Edit", "Go", "Help")
                        if any(label(a) == text for a in _menu_actions(self._menu(m))))
        found = [i for i in items_of(page) if label(i) == text]
        assert found, f"no item {text!r} on {page.title}: {[label(i) for i in items_of(page)]}"
        return found[0]

    def _menu(self, name: str):
        return next(a.menu() for a in self.window.menuBar().actions() if label(a) == name)


def test_accepting_each_dialog_makes_the_change_it_names(walk_window, qtbot, demo_file, tmp_path):
    window, hooked = walk_window
    path = tmp_path / "accept.npsdb"
    shutil.copy(demo_file, path)
    assert window.open_path(path)
    settle(qtbot)
    env = Env(qtbot, window, path, tmp_path)
    start = time.perf_counter()
    took = []
    for row in rows(env):
        began = time.perf_counter()
        page = go(qtbot, window, row.page) if row.page else None
        settle(qtbot)
        ctx: Ctx = {}
        if row.prepare is not None:
            row.prepare(env, page, ctx)
            settle(qtbot)
        if row.item == "Back up now":
            took.append(f"{row.item} {time.perf_counter() - began:.1f}")
            continue
        item = env.item(page, row.item)
        answers = row.answers(ctx)
        with answering(*answers, let_progress=True) as dialogs:
            item.click() if isinstance(item, QAbstractButton) else item.trigger()
            qtbot.waitUntil(lambda: not dialogs.answers and QApplication.activeModalWidget() is None, timeout=20000)
            settle(qtbot)
        assert not [d for d in dialogs.seen if d.is_error], (row.item, dialogs.seen)
        assert len(dialogs.seen) == len(answers), (row.item, dialogs.seen)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row.verify(conn, ctx)
        finally:
            conn.close()
        took.append(f"{row.item} {time.perf_counter() - began:.1f}")
    print(f"accept pass: {len(took)} rows in {time.perf_counter() - start:.1f} s:", ", ".join(took))
    assert hooked == []
