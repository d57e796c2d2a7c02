"""The periods of a relational program (quarters, half-years, years) that meet a date range."""
from __future__ import annotations

from datetime import date, timedelta

from .. import periods


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def label(start: date, months: int, fy_start: int = 1) -> str:
    """``2026Q3`` for a quarter, ``2026H2`` for a half-year, ``2026`` (or ``FY2027``) for a year."""
    quarter = periods.quarter_key(start, fy_start)
    if months == 3:
        return quarter
    if months == 6:
        return f"{quarter[:4]}H{1 if quarter[-1] in '12' else 2}"
    return quarter[:4] if fy_start == 1 else f"FY{quarter[:4]}"


def periods_between(lo: date, hi: date, months: int, fy_start: int = 1) -> list[tuple[date, date, str]]:
    """``(first day, last day, label)`` of every period of ``months`` months (aligned to the fiscal
    year start) that overlaps ``lo``..``hi``."""
    index = lo.year * 12 + lo.month - 1
    index -= (lo.month - fy_start) % months
    out = []
    while (start := _month_start(index)) <= hi:
        end = _month_start(index + months) - timedelta(days=1)
        out.append((start, end, label(start, months, fy_start)))
        index += months
    return out
