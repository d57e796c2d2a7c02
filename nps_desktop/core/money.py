"""Money as every page, the CLI, the pack and the exports write it: with the workspace's ISO currency.

``full`` writes the whole amount (``EUR 1,691,100``), ``compact`` the pack's short form (``EUR 726k``),
``excel_format`` the cell number format that keeps the value a number in a spreadsheet.
"""
from __future__ import annotations

DASH = "—"


def full(x: float | None, currency: str) -> str:
    """``EUR 1,691,100``; a negative amount ``EUR −12,000``; None → a dash."""
    if x is None:
        return DASH
    amount = f"{'−' if x < 0 else ''}{abs(x):,.0f}"
    return f"{currency} {amount}" if currency else amount


def compact(x: float | None, currency: str) -> str:
    """``EUR 548k``, ``EUR 3.2M``, ``EUR 950``; None → a dash (no currency: the number alone)."""
    if x is None:
        return DASH
    sign, a = ("−" if x < 0 else ""), abs(x)
    if a >= 1e6:
        short = f"{a / 1e6:.1f}M"
    elif a >= 1e4:
        short = f"{a / 1e3:.0f}k"
    elif a >= 1e3:
        short = f"{a / 1e3:.1f}k"
    else:
        short = f"{a:.0f}"
    return f"{currency} {sign}{short}" if currency else sign + short


def excel_format(currency: str) -> str:
    """An Excel number format showing the currency beside a number (the cell stays a number)."""
    return f'"{currency}" #,##0;"{currency}" -#,##0'
