"""Colours and the application style sheet (one place, so pages and charts agree)."""
from __future__ import annotations

ACCENT = "#2563eb"
PROMOTER = "#16a34a"
PASSIVE = "#f59e0b"
DETRACTOR = "#dc2626"
TEXT_MUTED = "#6b7280"
CATEGORY_COLORS = {"promoter": PROMOTER, "passive": PASSIVE, "detractor": DETRACTOR}


def score_color(score: int) -> str:
    return PROMOTER if score >= 9 else PASSIVE if score >= 7 else DETRACTOR


STYLE = f"""
QListWidget#Sidebar {{ border: none; font-size: 14px; padding-top: 8px; }}
QListWidget#Sidebar::item {{ padding: 9px 14px; border-radius: 6px; margin: 1px 6px; }}
QListWidget#Sidebar::item:selected {{ background: {ACCENT}; color: white; }}
QFrame#KpiTile {{ border: 1px solid palette(mid); border-radius: 8px; background: palette(base); }}
QLabel#KpiCaption {{ color: {TEXT_MUTED}; font-size: 12px; }}
QLabel#KpiValue {{ font-size: 26px; font-weight: 600; }}
QLabel#KpiDetail {{ color: {TEXT_MUTED}; font-size: 12px; }}
QLabel#KpiDetail[tone="good"] {{ color: {PROMOTER}; }}
QLabel#KpiDetail[tone="bad"] {{ color: {DETRACTOR}; }}
QLabel#PageTitle {{ font-size: 20px; font-weight: 600; }}
QLabel#SectionTitle {{ font-size: 14px; font-weight: 600; margin-top: 6px; }}
QLabel#Muted {{ color: {TEXT_MUTED}; }}
"""


def fusion_style():
    """Fusion, with the header's sort arrow as Windows, Excel and the web draw it: ▲ when the rows run
    smallest (or A) first, ▼ when they run largest first. Fusion itself draws them the other way round."""
    from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOptionHeader

    flip = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
            QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}

    class Style(QProxyStyle):
        def drawPrimitive(self, element, option, painter, widget=None):
            if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and option.sortIndicator in flip:
                option = QStyleOptionHeader(option)
                option.sortIndicator = flip[option.sortIndicator]
            super().drawPrimitive(element, option, painter, widget)

    return Style("Fusion")


def apply_palette(app, scheme: str | None = None) -> str:
    """Follow the system's light or dark scheme (or ``scheme``/``NPS_DESKTOP_THEME``); return which."""
    import os

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPalette

    scheme = scheme or os.environ.get("NPS_DESKTOP_THEME")
    if scheme not in ("light", "dark"):
        scheme = "dark" if app.styleHints().colorScheme() == Qt.ColorScheme.Dark else "light"
    app.setStyle(fusion_style())
    if scheme == "light":
        app.setPalette(app.style().standardPalette())
        return scheme
    p = QPalette()
    roles = {QPalette.ColorRole.Window: "#1f2329", QPalette.ColorRole.WindowText: "#e5e7eb",
             QPalette.ColorRole.Base: "#171a1f", QPalette.ColorRole.AlternateBase: "#23272e",
             QPalette.ColorRole.Text: "#e5e7eb", QPalette.ColorRole.Button: "#2a2f37",
             QPalette.ColorRole.ButtonText: "#e5e7eb", QPalette.ColorRole.Highlight: ACCENT,
             QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2a2f37",
             QPalette.ColorRole.ToolTipText: "#e5e7eb", QPalette.ColorRole.Mid: "#3a404a",
             QPalette.ColorRole.PlaceholderText: "#9ca3af", QPalette.ColorRole.Link: "#60a5fa"}
    for role, color in roles.items():
        p.setColor(role, QColor(color))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b7280"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#6b7280"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b7280"))
    app.setPalette(p)
    return scheme
