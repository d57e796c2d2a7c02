"""Period keys (``2026-07``, ``2026Q3``) and their date ranges, with an optional fiscal-year start.

A fiscal year that starts in month M is named for the calendar year in which it ends (the common US
convention: FY2027 starts 1 Feb 2026 when M = 2). With M = 1 quarters are calendar quarters.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def quarter_key(d: date, fy_start: int = 1) -> str:
    shifted = (d.month - fy_start) % 12
    year = d.year + (1 if fy_start > 1 and d.month >= fy_start else 0)
    return f"{year:04d}Q{shifted // 3 + 1}"


def key(d: date, period: str, fy_start: int = 1) -> str:
    if period == "month":
        return month_key(d)
    if period == "quarter":
        return quarter_key(d, fy_start)
    raise ValueError(f"unknown period {period!r}: use month or quarter")


def bounds(period_key: str, fy_start: int = 1) -> tuple[date, date]:
    """First and last day (inclusive) of a month or quarter key."""
    if m := _MONTH.match(period_key):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), _add_months(date(y, mo, 1), 1) - timedelta(days=1)
    if m := _QUARTER.match(period_key):
        y, q = int(m[1]), int(m[2])
        start_month = fy_start + 3 * (q - 1)
        start = _add_months(date(y - (1 if fy_start > 1 else 0), 1, 1), start_month - 1)
        return start, _add_months(start, 3) - timedelta(days=1)
    raise ValueError(f"{period_key!r} is not a period: write 2026-07 or 2026Q3")


def shift(period_key: str, n: int, fy_start: int = 1) -> str:
    """The key ``n`` periods after (negative: before) ``period_key``."""
    start, _ = bounds(period_key, fy_start)
    if _MONTH.match(period_key):
        return month_key(_add_months(start, n))
    return quarter_key(_add_months(start, 3 * n), fy_start)


def _add_months(d: date, n: int) -> date:
    total = d.year * 12 + d.month - 1 + n
    return date(total // 12, total % 12 + 1, 1)


def sql_quarter(fy_start: int, prefix: str = "r.") -> str:
    """An SQL expression giving the quarter key of a response row (stored calendar key, or fiscal)."""
    if fy_start == 1:
        return f"{prefix}quarter"
    m = f"CAST(substr({prefix}month, 6, 2) AS INTEGER)"
    y = f"CAST(substr({prefix}month, 1, 4) AS INTEGER)"
    return (f"printf('%04dQ%d', {y} + ({m} >= {fy_start}), "
            f"(({m} - {fy_start} + 12) % 12) / 3 + 1)")
