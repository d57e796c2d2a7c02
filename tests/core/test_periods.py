from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nps_desktop.core import periods


def test_calendar_keys():
    assert periods.month_key(date(2026, 7, 14)) == "2026-07"
    assert periods.quarter_key(date(2026, 7, 14)) == "2026Q3"
    assert periods.bounds("2026Q3") == (date(2026, 7, 1), date(2026, 9, 30))
    assert periods.bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert periods.shift("2026Q1", -1) == "2025Q4"
    with pytest.raises(ValueError):
        periods.bounds("2026Q5")


def test_fiscal_year_starting_in_february():
    # FY2027 runs Feb 2026 – Jan 2027; its Q1 is Feb–Apr 2026.
    assert periods.quarter_key(date(2026, 2, 1), fy_start=2) == "2027Q1"
    assert periods.quarter_key(date(2026, 1, 31), fy_start=2) == "2026Q4"
    assert periods.bounds("2027Q1", fy_start=2) == (date(2026, 2, 1), date(2026, 4, 30))


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), st.integers(1, 12))
def test_a_day_lies_within_its_quarter(d, fy):
    start, end = periods.bounds(periods.quarter_key(d, fy), fy)
    assert start <= d <= end


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), st.integers(1, 12))
def test_sql_quarter_matches_python(d, fy):
    import sqlite3
    expr = periods.sql_quarter(fy, prefix="")
    conn = sqlite3.connect(":memory:")
    got = conn.execute(f"SELECT {expr} FROM (SELECT ? AS month, ? AS quarter)",
                       (periods.month_key(d), periods.quarter_key(d))).fetchone()[0]
    assert got == periods.quarter_key(d, fy)
