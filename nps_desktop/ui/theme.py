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
