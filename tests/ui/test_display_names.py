"""No stored key on screen: every table cell, combo item and label of every page of the demo shows display
names (``In progress``, ``No response``, ``Mature``), never the keys the workspace stores (``in_progress``,
``no_response``, ``mature``).

Each page is reached by a click on the sidebar, each tab by a click on its tab, a row is selected in every
list (so the detail panels fill), and an account's own view is opened with a double-click.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QAbstractProxyModel, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLabel, QTabWidget

from nps_desktop.core import labels
from nps_desktop.core.loop import actions as act
from nps_desktop.core.revenue import EVENT_KINDS
from nps_desktop.ui.pages import PAGES

from .gestures import click_tab
from .test_laptop_screen import click_sidebar, open_copy, settle

#: The keys the app stores for its own fields, listed from the core modules that write them.
KEYS = (set(act.STATUSES) | set(act.OUTCOMES) | {"detractor_save", "passive_adoption", "promoter_advocacy"}
        | {"rnps", "tnps", "enps"} | {"active", "churned", "prospect"} | {"onboarding", "mature", "renewal"}
        | set(EVENT_KINDS) | {"planned", "sent", "responded", "bounced", "excluded"})
#: Keys with an underscore read as code wherever they appear, inside a sentence too.
CODE_WORD = re.compile(r"\b(" + "|".join(sorted(k for k in KEYS if "_" in k)) + r")\b")


def source_of(model):
    while isinstance(model, QAbstractProxyModel):
        model = model.sourceModel()
    return model


def shown_keys(widget) -> list[str]:
    out = []
    models = {id(m): m for v in widget.findChildren(QAbstractItemView) if (m := source_of(v.model())) is not None}
    for model in models.values():
        try:
            columns = model.columnCount(QModelIndex())
        except TypeError:       # a list widget's own model: one column
            columns = 1
        names = {c for c in range(columns) if model.headerData(c, Qt.Orientation.Horizontal) == "Name"}
        for r in range(model.rowCount(QModelIndex())):
            for c in set(range(columns)) - names:   # (a "Name" column shows identifiers a person chose)
                text = model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
                if isinstance(text, str) and (text.strip() in KEYS or CODE_WORD.search(text)):
                    out.append(f"{type(model).__name__} column {c}: {text!r}")
    for combo in widget.findChildren(QComboBox):
        for i in range(combo.count()):
            text = combo.itemText(i)
            if text.strip() in KEYS or CODE_WORD.search(text):
                out.append(f"combo item {i}: {text!r}")
    for label in widget.findChildren(QLabel):
        if label.isVisible() and (found := CODE_WORD.search(label.text())):
            out.append(f"label {found.group(0)!r} in {label.text()[:80]!r}")
    return out


def select_first_rows(widget) -> None:
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        if view.isVisible() and model is not None and model.rowCount() and view.selectionModel() is not None:
            view.selectionModel().setCurrentIndex(model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                                  | QItemSelectionModel.SelectionFlag.Rows)


def test_no_page_of_the_demo_shows_a_stored_key(qtbot, demo_file, tmp_path):
    window = open_copy(qtbot, demo_file, tmp_path, 1366, 768)
    problems: list[str] = []
    for row, (key, title, *_) in enumerate(PAGES):
        click_sidebar(qtbot, window, row)
        page = window.stack.currentWidget()
        assert page is window.page(key)
        select_first_rows(page)
        settle(qtbot)
        problems += [f"{title}: {p}" for p in shown_keys(page)]
        for tabs in [t for t in page.findChildren(QTabWidget) if t.isVisible()]:
            for i in range(tabs.count()):
                if tabs.isTabEnabled(i):
                    click_tab(qtbot, tabs, i)
                    settle(qtbot)
                    select_first_rows(tabs.widget(i))
                    settle(qtbot)
                    problems += [f"{title} ▸ {tabs.tabText(i).replace('&', '')}: {p}"
                                 for p in shown_keys(tabs.widget(i))]
    click_sidebar(qtbot, window, next(i for i, p in enumerate(PAGES) if p[0] == "accounts"))
    accounts = window.page("accounts")
    rect = accounts.table.visualRect(accounts.table.model().index(0, 0))
    qtbot.mouseClick(accounts.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(accounts.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot)
    assert accounts.stack.currentWidget() is accounts.account
    problems += [f"Accounts ▸ an account: {p}" for p in shown_keys(accounts.account)]
    # the demo's accounts are "onboarding", "mature", "renewal" or "churned": the account view says so in words
    assert any(name in accounts.account.meta.text() for name in ("Mature", "Onboarding", "Renewal", "Churned")), \
        accounts.account.meta.text()
    assert problems == [], "\n".join(sorted(set(problems)))


def test_one_mapping_names_every_stored_key():
    """Every key the core modules write has a display name, and none is its own key."""
    for key in KEYS:
        fields = [f for f, names in labels.FIELDS.items() if key in names]
        assert fields, key
        assert all(labels.display(f, key) != key for f in fields)
    assert labels.display("outcome", "no_response") == "No response"
    assert labels.display("status", "in_progress") == "In progress"
    assert labels.display("lifecycle_stage", "at_risk") == "At risk"      # an imported key it does not list
    assert labels.display("lifecycle_stage", "Expansion (EMEA)") == "Expansion (EMEA)"  # typed by a person
    assert labels.display("region", "north_america") == "north_america"    # not a field of keys: as typed
