"""The workspace's theme dictionary: the ``themes`` table, seeded from ``resources/themes.json``.

Every public function takes the workspace; a change is all-or-nothing (its own transaction, or a savepoint
inside the caller's). ``…_in`` functions take the connection of a transaction under way. Renaming a theme renames
its tags in ``response_themes``; deleting one removes them. A change of phrases (or a new or enabled
theme) needs ``tagging.retag_all`` to take effect on stored responses.
"""
from __future__ import annotations

import json
import sqlite3

from ..workspace import Workspace
from .themes import Theme, ThemeError, check_name, default_themes, make_theme

#: The setting that records that the defaults were copied in (so deleting every theme sticks).
SEEDED_KEY = "text.themes_seeded"


def _seeded(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM settings WHERE key = ?", (SEEDED_KEY,)).fetchone() is not None


def ensure_themes_in(conn: sqlite3.Connection) -> None:
    """Copy the default dictionary into a workspace that never had one."""
    if _seeded(conn):
        return
    if conn.execute("SELECT count(*) FROM themes").fetchone()[0] == 0:
        _insert(conn, default_themes())
    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, 'true')", (SEEDED_KEY,))


def _insert(conn: sqlite3.Connection, themes: list[Theme]) -> None:
    conn.executemany("INSERT INTO themes(name, label, phrases, enabled) VALUES (?, ?, ?, ?)",
                     [(t.name, t.label, json.dumps(list(t.phrases), ensure_ascii=False), int(t.enabled))
                      for t in themes])


def list_themes(ws: Workspace) -> list[Theme]:
    """The workspace's themes in the order they were added (the defaults if it has none yet)."""
    return list_themes_in(ws.conn)


def list_themes_in(conn: sqlite3.Connection) -> list[Theme]:
    """``list_themes`` through the connection of a transaction under way."""
    rows = conn.execute("SELECT name, label, phrases, enabled FROM themes ORDER BY id").fetchall()
    if not rows and not _seeded(conn):
        return default_themes()
    return [Theme(r[0], r[1] or r[0], tuple(json.loads(r[2])), bool(r[3])) for r in rows]


def get_theme(ws: Workspace, name: str) -> Theme | None:
    return next((t for t in list_themes(ws) if t.name == name), None)


def save_theme(ws: Workspace, theme: Theme, old_name: str | None = None) -> Theme:
    """Add ``theme``, or replace the theme called ``old_name`` (renaming its tags if the name changed).

    Raises ``ThemeError`` for a bad name or phrase, a name already taken, or an unknown ``old_name``
    (and changes nothing).
    """
    with ws.transaction() as conn:
        return _save(conn, theme, old_name)


def _save(conn: sqlite3.Connection, theme: Theme, old_name: str | None) -> Theme:
    ensure_themes_in(conn)
    theme = make_theme(theme.name, theme.label, theme.phrases, theme.enabled)
    if old_name is None:
        if conn.execute("SELECT 1 FROM themes WHERE name = ?", (theme.name,)).fetchone():
            raise ThemeError(f"a theme called {theme.name!r} already exists")
        _insert(conn, [theme])
        return theme
    if not conn.execute("SELECT 1 FROM themes WHERE name = ?", (old_name,)).fetchone():
        raise ThemeError(f"there is no theme called {old_name!r}")
    if theme.name != old_name:
        if conn.execute("SELECT 1 FROM themes WHERE name = ?", (theme.name,)).fetchone():
            raise ThemeError(f"a theme called {theme.name!r} already exists")
        conn.execute("UPDATE response_themes SET theme = ? WHERE theme = ?", (theme.name, old_name))
    conn.execute("UPDATE themes SET name = ?, label = ?, phrases = ?, enabled = ? WHERE name = ?",
                 (theme.name, theme.label, json.dumps(list(theme.phrases), ensure_ascii=False),
                  int(theme.enabled), old_name))
    return theme


def delete_theme(ws: Workspace, name: str) -> None:
    """Remove a theme and its tags."""
    check_name(name)
    with ws.transaction() as conn:
        ensure_themes_in(conn)
        if conn.execute("DELETE FROM themes WHERE name = ?", (name,)).rowcount == 0:
            raise ThemeError(f"there is no theme called {name!r}")
        conn.execute("DELETE FROM response_themes WHERE theme = ?", (name,))


def reset_themes(ws: Workspace) -> None:
    """Replace the workspace's dictionary by the default one (retag afterwards)."""
    with ws.transaction() as conn:
        conn.execute("DELETE FROM themes")
        _insert(conn, default_themes())
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, 'true')", (SEEDED_KEY,))
