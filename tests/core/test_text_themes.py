"""The theme dictionary: phrase syntax, checks, the workspace's themes table, resources lookup."""
from __future__ import annotations

import json
import sys

import pytest

from nps_desktop.core import resources
from nps_desktop.core.text import store
from nps_desktop.core.text.analyzer import Analyzer
from nps_desktop.core.text.themes import (Theme, ThemeError, compile_themes, default_themes, make_theme,
                                          parse_dictionary, parse_phrase, slugify)


def test_phrase_syntax():
    p = parse_phrase("~-Doesn’t  Integrat*")
    assert p.weak and p.polarity == -1
    assert p.words == ("doesn't", "integrat*")
    assert parse_phrase("+great value").polarity == 1
    assert parse_phrase("user-friendly").words == ("user", "friendly")
    assert parse_phrase("fácil").words == ("facil",)   # accents are ignored


@pytest.mark.parametrize("bad, message", [
    ("", "no words"), ("~", "no words"), ("+-price", "more than one"), ("in*", "at least 3"),
    ("price, cost", "not a word"), ("!!", "not a word"),
])
def test_bad_phrases_are_named(bad, message):
    with pytest.raises(ThemeError, match=message):
        parse_phrase(bad)


def test_make_theme_checks_and_dedupes():
    t = make_theme("data_export", "Data export", ["export*", "Export*", " csv ", "", "CSV"])
    assert t.phrases == ("export*", "csv")
    with pytest.raises(ThemeError, match="must start with a letter"):
        make_theme("Data Export", None, ["x"])
    assert make_theme("sso_login", None, ["sso"]).label == "Sso login"


def test_slugify():
    assert slugify("Data export") == "data_export"
    assert slugify("Préstamos & Co.") == "prestamos_co"
    assert slugify("2FA issues") == "t_2fa_issues"
    assert slugify("价格") == slugify("サポート") == "theme"       # nothing a-z to keep: a name to edit
    assert slugify("Support サポート") == "support"


def test_chinese_and_japanese_phrases_match_without_spaces():
    theme = make_theme("pricing", "Pricing", ["价格", "料金"])
    an = Analyzer([theme])
    assert an.analyze("价格太贵").names == ["pricing"]
    assert an.analyze("料金体系が複雑").names == ["pricing"]   # inside a longer word: no stem needed
    assert an.analyze("价钱").names == []


def test_dictionary_document_errors_name_the_theme():
    with pytest.raises(ThemeError, match="theme 2"):
        parse_dictionary({"themes": [{"name": "a", "phrases": ["x"]}, {"name": "b", "phrases": ["y*z*", "in*"]}]})
    with pytest.raises(ThemeError, match="appears twice"):
        parse_dictionary({"themes": [{"name": "a", "phrases": ["x"]}, {"name": "a", "phrases": ["y"]}]})


def test_disabled_themes_are_not_compiled():
    index = compile_themes([make_theme("a", None, ["apple"]), make_theme("b", None, ["banana"], enabled=False)])
    assert index.names == ["a"]
    assert "banana" not in index.exact


def test_default_dictionary_parses_and_every_phrase_is_unique_per_theme():
    themes = default_themes()
    assert len(themes) >= 14
    for t in themes:
        words = [parse_phrase(p).words for p in t.phrases]
        assert len(words) == len(set(words)), t.name


# -- the themes table ----------------------------------------------------------------------------------
def test_seeding_happens_once_and_deleting_all_sticks(ws):
    assert store.list_themes(ws) == default_themes()  # nothing stored yet: the defaults
    with ws.transaction() as conn:
        store.ensure_themes_in(conn)
    assert ws.scalar("SELECT count(*) FROM themes") == len(default_themes())
    with ws.transaction() as conn:
        for t in store.list_themes(ws):
            store.delete_theme(ws, t.name)
        store.ensure_themes_in(conn)
    assert store.list_themes(ws) == []


def test_add_rename_edit_delete(ws):
    with ws.transaction() as conn:
        store.save_theme(ws, Theme("data_export", "Data export", ("export*",)))
        conn.execute("INSERT INTO responses(id, score, responded_at, responded_on, month, quarter) "
                     "VALUES (1, 5, '2026-01-01', '2026-01-01', '2026-01', '2026Q1')")
        conn.execute("INSERT INTO response_themes VALUES (1, 'data_export', -1, 'export')")
    with ws.transaction() as conn:
        with pytest.raises(ThemeError, match="already exists"):
            store.save_theme(ws, Theme("data_export", "Again", ("csv",)))
        with pytest.raises(ThemeError, match="already exists"):
            store.save_theme(ws, Theme("pricing", "Pricing", ("csv",)), old_name="data_export")
        store.save_theme(ws, Theme("exports", "Exports", ("export*", "csv")), old_name="data_export")
    assert store.get_theme(ws, "exports").phrases == ("export*", "csv")
    assert store.get_theme(ws, "data_export") is None
    assert ws.scalar("SELECT theme FROM response_themes WHERE response_id = 1") == "exports"
    with ws.transaction() as conn:
        store.delete_theme(ws, "exports")
        with pytest.raises(ThemeError, match="no theme called"):
            store.delete_theme(ws, "exports")
    assert ws.scalar("SELECT count(*) FROM response_themes") == 0


def test_bad_edit_changes_nothing(ws):
    with pytest.raises(ThemeError, match="not a word"):
        with ws.transaction():
            store.save_theme(ws, Theme("pricing", "Pricing", ("price", "$$$")), old_name="pricing")
    assert ws.scalar("SELECT count(*) FROM themes") == 0


def test_reset_restores_defaults(ws):
    with ws.transaction():
        store.delete_theme(ws, "pricing")
        store.reset_themes(ws)
    assert [t.name for t in store.list_themes(ws)] == [t.name for t in default_themes()]


# -- resources ---------------------------------------------------------------------------------------
def test_resources_from_source_tree():
    assert (resources.resource_path("themes.json")).is_file()
    assert json.loads(resources.resource_path("sentiment.json").read_text(encoding="utf-8"))["words"]


def test_resources_from_a_bundle(tmp_path, monkeypatch):
    (tmp_path / "resources").mkdir()
    monkeypatch.setattr(resources, "_SOURCE", tmp_path / "nowhere")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == tmp_path / "resources"
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "empty"), raising=False)
    with pytest.raises(FileNotFoundError, match="resources folder is missing"):
        resources.resources_dir()
