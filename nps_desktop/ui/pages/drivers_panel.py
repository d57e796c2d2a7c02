"""The Themes page's "Key drivers" tab: which themes move the score, with their doubt (``core.worth.drivers``).

Ranked by impact (adjusted difference × share of comments); a theme whose adjusted interval crosses zero
is greyed: it may move nothing.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..widgets.rows_model import Column, RowsModel
from ..widgets.table_view import table_view

GREY = "#9ca3af"


def _pts(x: float) -> str:
    return f"{x:+.1f}"


def _grey(d: dict[str, Any]) -> str | None:
    return GREY if d["uncertain"] else None


COLUMNS = [
    Column("Theme", lambda d: d["label"], color=_grey,
           tooltip=lambda d: "The interval crosses zero: this theme may move nothing" if d["uncertain"] else None),
    Column("Mentions", lambda d: f"{d['mentions']:,} ({d['prevalence']:.0%})", sort=lambda d: d["mentions"],
           right=True, color=_grey),
    Column("Difference", lambda d: _pts(d["difference"]), sort=lambda d: d["difference"], right=True, color=_grey,
           tooltip=lambda d: "NPS of the comments with the theme minus those without"),
    Column("90% interval", lambda d: f"{_pts(d['difference_low'])} to {_pts(d['difference_high'])}",
           sort=lambda d: d["difference_low"], right=True, color=_grey),
    Column("Adjusted", lambda d: _pts(d["adjusted"]), sort=lambda d: d["adjusted"], right=True, color=_grey,
           tooltip=lambda d: "All themes together and within account tier: overlaps are not counted twice"),
    Column("90% interval ", lambda d: f"{_pts(d['adjusted_low'])} to {_pts(d['adjusted_high'])}",
           sort=lambda d: d["adjusted_low"], right=True, color=_grey),
    Column("Impact (NPS points)", lambda d: _pts(d["impact"]), sort=lambda d: abs(d["impact"]), right=True,
           color=_grey, tooltip=lambda d: "adjusted difference × share of comments that mention the theme"),
]


class DriversPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.last: dict[str, Any] | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = RowsModel(COLUMNS)
        self.view = table_view(self.model)
        layout.addWidget(self.view, 1)

    def show_drivers(self, doc: dict[str, Any]) -> None:
        self.last = doc
        if not doc["drivers"]:
            self.summary.setText(doc.get("reason", "").capitalize() + ".")
        else:
            self.summary.setText(
                f"Over {doc['comments']:,} comments in scope: each theme's NPS difference, alone and adjusted "
                "(all themes together, within account tier), with 90% bootstrap intervals. Ranked by impact "
                "(adjusted × share of comments). Greyed: the interval crosses zero, so the theme may move nothing.")
        self.model.set_rows(doc["drivers"])
        self.view.resizeColumnsToContents()
