"""The themes page's table model (the theme × category matrix, shaded by share) and its formatting."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QTableView)

from ....core.text import insight
from ... import theme as colors
from ...widgets.rows_model import ROW_ROLE, Column, RowsModel


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def signed(x: float | None) -> str:
    return "—" if x is None else f"{x:+.1f}"


def _heat(category: str):
    def color(s: insight.ThemeStat) -> QColor | None:
        share = s.shares[category]
        if not share:
            return None
        c = QColor(colors.CATEGORY_COLORS[category])
        c.setAlpha(int(30 + 170 * min(share / 0.4, 1.0)))
        return c
    return color


class MatrixModel(RowsModel):
    """The theme × category table; the share columns are shaded by their value."""

    def __init__(self, parent=None):
        columns = [
            Column("Theme", lambda s: s.label, tooltip=lambda s: s.name),
            Column("Mentions", lambda s: f"{s.mentions:,}", sort=lambda s: s.mentions, right=True),
            Column("NPS", lambda s: signed(s.result.nps), sort=lambda s: s.result.nps or -999, right=True,
                   tooltip=lambda s: "NPS of the responses that mention the theme"),
            Column("Impact", lambda s: signed(s.impact), sort=lambda s: s.impact or 0, right=True,
                   color=lambda s: colors.DETRACTOR if (s.impact or 0) > 0.05 else
                   colors.PROMOTER if (s.impact or 0) < -0.05 else None,
                   tooltip=lambda s: "NPS without the theme minus overall NPS: positive means the theme "
                                     "pulls NPS down by that many points"),
            Column("Detractors", lambda s: pct(s.shares["detractor"]), sort=lambda s: s.shares["detractor"] or 0,
                   right=True, tooltip=lambda s: "Share of detractor comments that mention the theme"),
            Column("Passives", lambda s: pct(s.shares["passive"]), sort=lambda s: s.shares["passive"] or 0,
                   right=True, tooltip=lambda s: "Share of passive comments that mention the theme"),
            Column("Promoters", lambda s: pct(s.shares["promoter"]), sort=lambda s: s.shares["promoter"] or 0,
                   right=True, tooltip=lambda s: "Share of promoter comments that mention the theme"),
            Column("Complaints", lambda s: f"{s.complaints:,}", sort=lambda s: s.complaints, right=True),
            Column("Praise", lambda s: f"{s.praise:,}", sort=lambda s: s.praise, right=True),
        ]
        super().__init__(columns, parent)
        self._heat = {4: _heat("detractor"), 5: _heat("passive"), 6: _heat("promoter")}

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and index.column() in self._heat:
            return self._heat[index.column()](self.rows[index.row()])
        return super().data(index, role)


def _selected(view: QTableView) -> Any:
    index = view.currentIndex()
    return None if not index.isValid() else view.model().data(index, ROW_ROLE)
