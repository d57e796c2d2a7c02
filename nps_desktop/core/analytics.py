"""Filters → SQL, and the numbers of the dashboard: KPIs, trend, distribution, segment table, ARR-weighted NPS.

Every aggregate runs in SQLite over covering indexes; nothing loads all responses into memory. The
dashboard's KPIs, trend and 0–10 distribution all come from one scan that counts responses per day and
score (``_Cube``); month, quarter (fiscal too) and the previous period are summed from it in Python.
Filters on account or contact fields become ``IN (SELECT id …)`` sub-queries, so no scan joins a table.

Dates: a filter holds explicit dates, or a preset (``last_90_days`` …) that ``resolve`` turns into dates
for a given day; saved segments keep the preset, so "last 90 days" stays relative.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Iterable

import numpy as np

from . import nps, periods, settings
from .filters import (ARR_BAND_SQL, ARR_BANDS, BLANK, DIMENSION_LABELS, DIMENSIONS, KIND_LABELS, KINDS,  # noqa: F401
                      PRESETS, ROLLING_DAYS, Filters, _span, group_label, level)
from .snapshot import store
from .workspace import Workspace, now_iso
from . import clock


def _snapshot(ws: Workspace):
    """The columnar snapshot of ``ws`` when one is loaded and current (None: run SQL)."""
    return store.current(ws)

def fiscal_year_start(ws: Workspace) -> int:
    return int(ws.get_setting("fiscal_year_start_month", 1))


# -- dates -----------------------------------------------------------------------------------------
def preset_range(preset: str, today: date, fy_start: int = 1) -> tuple[date | None, date | None]:
    """First and last day of a preset on ``today`` (both inclusive; None, None for all time).

    "This quarter" and "year to date" end today; quarters and years follow the fiscal-year start.
    """
    if preset == "all_time":
        return None, None
    if preset in ROLLING_DAYS:
        return today - timedelta(days=ROLLING_DAYS[preset] - 1), today
    if preset == "last_12_months":
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return year_ago + timedelta(days=1), today
    quarter = periods.quarter_key(today, fy_start)
    if preset == "this_quarter":
        return periods.bounds(quarter, fy_start)[0], today
    if preset == "last_quarter":
        return periods.bounds(periods.shift(quarter, -1, fy_start), fy_start)
    if preset == "year_to_date":
        return periods.bounds(quarter[:4] + "Q1", fy_start)[0], today
    raise ValueError(f"unknown date preset {preset!r}; use one of {', '.join(PRESETS)}")


def resolve(ws: Workspace, filters: Filters, today: date | None = None) -> Filters:
    """``filters`` with its preset turned into dates for ``today`` (default: the real today)."""
    if not filters.preset:
        return filters
    start, end = preset_range(filters.preset, today or clock.today(), fiscal_year_start(ws))
    return replace(filters, date_from=start, date_to=end)


def previous_period(filters: Filters, fy_start: int | None = None) -> Filters | None:
    """The same filters over the period just before; None without both dates.

    With ``fy_start``, a scope that is exactly a (fiscal) quarter or a calendar month is compared with
    the quarter (month) before it; any other scope with the period of the same number of days before.
    """
    if filters.date_from is None or filters.date_to is None:
        return None
    if fy_start is not None and (whole := whole_period(filters.date_from, filters.date_to, fy_start)):
        start, end = periods.bounds(periods.shift(whole, -1, fy_start), fy_start)
        return replace(filters, date_from=start, date_to=end, preset=None)
    days = (filters.date_to - filters.date_from).days + 1
    return replace(filters, date_from=filters.date_from - timedelta(days=days),
                   date_to=filters.date_from - timedelta(days=1), preset=None)


def whole_period(start: date, end: date, fy_start: int) -> str | None:
    """The key of the quarter (fiscal) or month that runs exactly from ``start`` to ``end``, else None."""
    for period in ("quarter", "month"):
        k = periods.key(start, period, fy_start)
        if periods.bounds(k, fy_start) == (start, end):
            return k
    return None


def period_label(key: str, fy_start: int = 1) -> str:
    """``2026Q3`` → ``2026 Q3`` (``FY2026 Q3`` when the fiscal year does not start in January);
    ``2026-03`` → ``Mar 2026``."""
    if "Q" in key:
        year, q = key.split("Q")
        return f"{'FY' if fy_start != 1 else ''}{year} Q{q}"
    return f"{date.fromisoformat(key + '-01'):%b %Y}"


# -- SQL -------------------------------------------------------------------------------------------
_SUBQUERY = {"a": "r.account_id IN (SELECT a.id FROM accounts a WHERE {test})",
             "c": "r.contact_id IN (SELECT c.id FROM contacts c WHERE {test})"}
_FOREIGN_KEY = {"a": "r.account_id", "c": "r.contact_id"}


def _condition(dim: str, allowed: tuple[str, ...], key_index: bool = True) -> tuple[str, list[Any]]:
    expr, lvl = DIMENSIONS[dim], level(dim)
    named = [v for v in allowed if v != BLANK]
    tests = [f"{expr} IN ({','.join('?' * len(named))})"] if named else []
    if BLANK in allowed:
        tests.append(f"{expr} IS NULL")
    test = " OR ".join(tests)
    if lvl == "r":
        return f"({test})", named
    sql = _SUBQUERY[lvl].format(test=test)
    if not key_index:
        sql = "+" + sql
    if BLANK in allowed:  # a response with no account has no region either
        sql = f"({_FOREIGN_KEY[lvl]} IS NULL OR {sql})"
    return sql, named


def where(filters: Filters, extra_dims: tuple[str, ...] = (), *, date_index: bool = True,
          key_index: bool = True) -> tuple[str, str, list[Any]]:
    """Return ``(joins, where_sql, params)`` for responses ``r`` under ``filters``.

    ``joins`` brings in ``accounts a`` / ``contacts c`` when ``extra_dims`` (or a filtered field) needs
    them, for callers that select or group by such a field; the conditions themselves never need them.
    Presets must be resolved first (``resolve``); only the dates are read here. ``date_index=False``
    (``key_index=False``) keeps SQLite from searching by date (by account or contact id), for scans
    that want another index's order.
    """
    clauses, params = [], []
    day = "r.responded_on" if date_index else "+r.responded_on"
    if filters.date_from:
        clauses.append(f"{day} >= ?")
        params.append(filters.date_from.isoformat())
    if filters.date_to:
        clauses.append(f"{day} <= ?")
        params.append(filters.date_to.isoformat())
    for dim, allowed in sorted(filters.values.items()):
        level(dim)
        if allowed:
            sql, values = _condition(dim, tuple(allowed), key_index)
            clauses.append(sql)
            params.extend(values)
    dims = set(filters.values) | set(extra_dims)
    exprs = " ".join(DIMENSIONS[d] for d in dims if d in DIMENSIONS)
    joins = ""
    if "a." in exprs:
        joins += " LEFT JOIN accounts a ON a.id = r.account_id"
    if "c." in exprs:
        joins += " LEFT JOIN contacts c ON c.id = r.contact_id"
    return joins, (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _and(cond: str, clause: str) -> str:
    return f"{cond} AND {clause}" if cond else f" WHERE {clause}"


_COUNTS = ("count(*), coalesce(sum(r.score >= 9), 0), coalesce(sum(r.score BETWEEN 7 AND 8), 0), "
           "coalesce(sum(r.score <= 6), 0)")


def _result(row) -> nps.NpsResult:
    return nps.NpsResult(row[0], row[1], row[2], row[3])


# -- the day × score cube ----------------------------------------------------------------------------
class _Cube:
    """Responses per (day, score) and how many of them are mapped to an account: from one SQL scan,
    or from the snapshot. ``days`` are ordinals (ascending), ``counts`` one row of 11 per day."""

    def __init__(self, ws: Workspace, filters: Filters, date_from: date | None = None):
        snap = _snapshot(ws)
        if snap is not None:
            self.days, self.counts, self.mapped_counts = snap.cube(snap.mask(filters, date_from))
            return
        joins, cond, params = where(replace(filters, date_from=date_from or filters.date_from), key_index=False)
        cells = ws.conn.execute(
            f"SELECT r.responded_on, r.score, count(*), count(r.account_id) FROM responses r{cond} "
            f"GROUP BY r.responded_on, r.score", params).fetchall()
        days = sorted({c[0] for c in cells})
        row = {d: i for i, d in enumerate(days)}
        self.days = np.array([date.fromisoformat(d).toordinal() for d in days], dtype=np.int64)
        self.counts = np.zeros((len(days), 11), dtype=np.int64)
        self.mapped_counts = np.zeros(len(days), dtype=np.int64)
        for day, score, n, with_account in cells:
            self.counts[row[day], score] += n
            self.mapped_counts[row[day]] += with_account

    def _rows(self, start: date | None, end: date | None) -> slice:
        lo = 0 if start is None else int(np.searchsorted(self.days, start.toordinal()))
        hi = len(self.days) if end is None else int(np.searchsorted(self.days, end.toordinal(), "right"))
        return slice(lo, hi)

    def distribution(self, start: date | None = None, end: date | None = None) -> list[int]:
        return self.counts[self._rows(start, end)].sum(axis=0).tolist()

    def result(self, start: date | None = None, end: date | None = None) -> nps.NpsResult:
        return _from_distribution(self.distribution(start, end))

    def mapped(self, start: date | None = None, end: date | None = None) -> tuple[int, int]:
        rows = self._rows(start, end)
        return int(self.counts[rows].sum()), int(self.mapped_counts[rows].sum())

    def trend(self, period: str, fy_start: int, start: date | None = None,
              end: date | None = None) -> list[tuple[str, nps.NpsResult]]:
        rows = self._rows(start, end)
        days, counts = self.days[rows], self.counts[rows]
        if not len(days):
            return []
        keys = [periods.key(date.fromordinal(int(d)), period, fy_start) for d in days]
        starts = [0] + [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
        sums = np.add.reduceat(counts, starts, axis=0).tolist()
        return [(keys[i], _from_distribution(c)) for i, c in zip(starts, sums)]


def _from_distribution(counts: list[int]) -> nps.NpsResult:
    return nps.from_counts(counts[9] + counts[10], counts[7] + counts[8], sum(counts[:7]))


def _check_period(period: str) -> None:
    if period not in ("month", "quarter"):
        raise ValueError(f"unknown period {period!r}: use month or quarter")


# -- public aggregates -----------------------------------------------------------------------------
def overall(ws: Workspace, filters: Filters) -> nps.NpsResult:
    if _snapshot(ws) is not None:
        return _Cube(ws, resolve(ws, filters)).result()
    joins, cond, params = where(resolve(ws, filters))
    return _result(ws.conn.execute(f"SELECT {_COUNTS} FROM responses r{cond}", params).fetchone())


def distribution(ws: Workspace, filters: Filters) -> list[int]:
    """How many responses gave each score 0..10."""
    return _Cube(ws, resolve(ws, filters)).distribution()


def trend(ws: Workspace, filters: Filters, period: str = "quarter") -> list[tuple[str, nps.NpsResult]]:
    """NPS per month or quarter (fiscal, if set), oldest first."""
    _check_period(period)
    return _Cube(ws, resolve(ws, filters)).trend(period, fiscal_year_start(ws))


def mapped_share(ws: Workspace, filters: Filters) -> float | None:
    """Share of responses in scope that are linked to an account."""
    n, mapped = _Cube(ws, resolve(ws, filters)).mapped()
    return None if not n else mapped / n


def _split_counts(split: date | None, day: str, n: str) -> list[str]:
    """Eight sums: responses, promoters, passives, detractors from ``split`` on, then before it."""
    tests = ("1", "score >= 9", "score BETWEEN 7 AND 8", "score <= 6")
    if split is None:
        return [f"coalesce(sum({n} * ({t})), 0)" for t in tests] + ["0"] * 4
    return [f"coalesce(sum(CASE WHEN {side}({day} >= ?) THEN {n} * ({t}) ELSE 0 END), 0)"
            for side in ("", "NOT ") for t in tests]


def _response_groups_sql(filters: Filters, by: str, split: date | None) -> tuple[str, list[Any]]:
    """Per value of a response field: counts per day × score × field in index order, then summed."""
    joins, cond, params = where(filters, key_index=False)
    expr = DIMENSIONS[by]
    keys = ["r.responded_on", "r.score", "r.kind", "r.touchpoint", "r.product"]
    if expr not in keys:
        keys.append(expr)
    inner = (f"SELECT r.responded_on AS day, r.score AS score, {expr} AS k, count(*) AS n "
             f"FROM responses r{cond} GROUP BY {', '.join(keys)}")
    sums = ", ".join(_split_counts(split, "day", "n"))
    split_params = [split.isoformat()] * 8 if split else []
    return f"SELECT k, {sums} FROM ({inner}) GROUP BY k", split_params + params


#: A response's category packed in one integer: promoters count 1, passives 2²¹, detractors 2⁴².
_CODE = "(CASE WHEN r.score >= 9 THEN 1 WHEN r.score >= 7 THEN 2097152 ELSE 4398046511104 END)"
_MASK = (1 << 21) - 1


def unpack(packed: int) -> tuple[int, int, int]:
    """Promoters, passives, detractors of a sum of ``_CODE``."""
    return packed & _MASK, (packed >> 21) & _MASK, packed >> 42
#: ``unixepoch(responded_at) · 2³⁰ + id``: orders a contact's responses by time, ties by insertion.
_LATEST_KEY = "(coalesce(unixepoch(r.responded_at), unixepoch(r.responded_on), 0) * 1073741824 + r.id)"


def _people_sql(filters: Filters, split: date | None, per: str = "account") -> tuple[str, list[Any]]:
    """One ordered scan of ``responses_people``, summed per account (or per contact).

    Each row: the id; promoters, passives, detractors from ``split`` on and before it (all "from"
    without a split); then the rollup of DESIGN.md over the responses from ``split`` on — how many
    contacts, their latest responses' promoters, passives, detractors and score sum, and the account's
    latest response as ``time · 16 + score``. Responses without a contact count each on their own.
    """
    joins, cond, params = where(filters, date_index=False)
    now = "r.responded_on >= ?" if split else "1"
    cols = (f"CASE WHEN {now} THEN {_CODE} ELSE 0 END", f"CASE WHEN {now} THEN 0 ELSE {_CODE} END",
            f"CASE WHEN {now} AND r.account_id IS NOT NULL THEN {_LATEST_KEY} END")
    split_params = [split.isoformat()] * 3 if split else []
    grouped = (f"SELECT r.account_id AS aid, r.contact_id AS cid, sum({cols[0]}) AS now, "
               f"sum({cols[1]}) AS before, max({cols[2]}) AS k, r.score AS score "
               f"FROM responses r{_and(cond, 'r.contact_id IS NOT NULL')} GROUP BY r.account_id, r.contact_id")
    single = (f"SELECT r.account_id, NULL, {cols[0]}, {cols[1]}, {cols[2]}, r.score "
              f"FROM responses r{_and(cond, 'r.contact_id IS NULL')}")

    def unpack(c: str) -> str:
        return f"sum({c} & {_MASK}), sum(({c} >> 21) & {_MASK}), sum({c} >> 42)"
    key = {"account": "aid", "contact": "cid"}[per]
    sql = (f"SELECT {key}, {unpack('now')}, {unpack('before')}, count(k), "
           f"sum(k IS NOT NULL AND score >= 9), sum(k IS NOT NULL AND score BETWEEN 7 AND 8), "
           f"sum(k IS NOT NULL AND score <= 6), sum(CASE WHEN k IS NOT NULL THEN score END), "
           f"max((k >> 30) * 16 + score) FROM ({grouped} UNION ALL {single}) GROUP BY {key}")
    return sql, split_params + params + split_params + params


#: ``date(1970, 1, 1).toordinal()``: a Unix time's UTC day is this plus its whole days.
_EPOCH = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class _People:
    """What one scan of ``responses_people`` tells about one account (or contact)."""
    now: nps.NpsResult
    before: nps.NpsResult
    rollup: nps.AccountScore | None


def _people(ws: Workspace, filters: Filters, split: date | None, per: str = "account") -> dict[Any, _People]:
    snap = _snapshot(ws) if per == "account" else None
    rows = _snapshot_people(snap, filters, split) if snap is not None else ws.conn.execute(*_people_sql(filters, split, per))
    out = {}
    for key, p, pa, d, bp, bpa, bd, n, rp, rpa, rd, total, latest in rows:
        rollup = None
        if n and per == "account" and key is not None:
            when = date.fromordinal(_EPOCH + (latest >> 4) // 86400).isoformat()  # the UTC day
            rollup = nps.AccountScore(key, nps.NpsResult(n, rp, rpa, rd), total / n, latest & 15, when)
        out[key] = _People(nps.from_counts(p, pa, d), nps.from_counts(bp, bpa, bd), rollup)
    return out


def _snapshot_people(snap, filters: Filters, split: date | None) -> Iterable[tuple]:
    """The rows of ``_people_sql`` (per account, the last: no account), computed over the snapshot."""
    r = snap.rollup(snap.mask(filters), split)
    ids = [*snap.accounts.ids.tolist(), None]
    for i in np.flatnonzero(r.now.any(axis=1) | r.before.any(axis=1)).tolist():
        yield (ids[i], *r.now[i].tolist(), *r.before[i].tolist(), int(r.contacts[i]),
               *r.latest_counts[i].tolist(), int(r.score_sum[i]), int(r.latest[i]))


def _values_by_id(ws: Workspace, by: str) -> dict[int, Any]:
    """Each account's (contact's) value of an account (contact) field."""
    table = {"a": "accounts a", "c": "contacts c"}[level(by)]
    return dict(ws.conn.execute(f"SELECT {level(by)}.id, {DIMENSIONS[by]} FROM {table}").fetchall())


def _add(a: nps.NpsResult, b: nps.NpsResult) -> nps.NpsResult:
    return nps.from_counts(a.promoters + b.promoters, a.passives + b.passives, a.detractors + b.detractors)


def _grouped(ws: Workspace, filters: Filters, by: str, split: date | None,
             people: dict[Any, _People] | None = None):
    """``(key, from split on, before split)`` per value of ``by``."""
    lvl = level(by)
    snap = _snapshot(ws)
    if snap is not None:
        for k, now, before in snap.groups(snap.mask(filters), by, split):
            yield k, nps.from_counts(*now), nps.from_counts(*before)
        return
    if lvl == "r":
        sql, params = _response_groups_sql(filters, by, split)
        for row in ws.conn.execute(sql, params):
            yield row[0], nps.NpsResult(*row[1:5]), nps.NpsResult(*row[5:9])
        return
    if people is None:
        people = _people(ws, filters, split, "account" if lvl == "a" else "contact")
    values = _values_by_id(ws, by)
    empty = nps.from_counts(0, 0, 0)
    sums: dict[Any, tuple[nps.NpsResult, nps.NpsResult]] = {}
    for key, p in people.items():
        k = None if key is None else values.get(key)
        now, before = sums.get(k, (empty, empty))
        sums[k] = (_add(now, p.now), _add(before, p.before))
    for k, (now, before) in sums.items():
        yield k, now, before


def groups(ws: Workspace, filters: Filters, by: str) -> list[tuple[Any, nps.NpsResult]]:
    """NPS per value of a dimension, largest groups first."""
    _check_dimension(by)
    rows = [(k, cur) for k, cur, _ in _grouped(ws, resolve(ws, filters), by, None) if cur.responses]
    return sorted(rows, key=lambda r: (-r[1].responses, r[0] is None, str(r[0])))


def _check_dimension(by: str) -> None:
    if by not in DIMENSIONS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(sorted(DIMENSIONS))}")


@dataclass(frozen=True)
class SegmentRow:
    """One row of the segment table: a value of the dimension, now and in the previous period."""
    key: Any
    result: nps.NpsResult
    previous: nps.NpsResult | None
    change: nps.Change | None


def segment_table(ws: Workspace, filters: Filters, by: str,
                  _people_scan: dict[Any, _People] | None = None) -> list[SegmentRow]:
    """NPS per value of ``by`` with its change against the previous period of the same length."""
    _check_dimension(by)
    filters = resolve(ws, filters)
    before = previous_period(filters, fiscal_year_start(ws))
    wide = filters if before is None else replace(filters, date_from=before.date_from)
    split = None if before is None else filters.date_from
    people = _people_scan if level(by) == "a" else None
    rows = [SegmentRow(k, cur, prev if prev.responses else None,
                       nps.change(prev, cur) if prev.responses else None)
            for k, cur, prev in _grouped(ws, wide, by, split, people) if cur.responses]
    return sorted(rows, key=lambda r: (-r.result.responses, r.key is None, str(r.key)))


# -- accounts -------------------------------------------------------------------------------------
def account_scores(ws: Workspace, filters: Filters) -> dict[int, nps.AccountScore]:
    """DESIGN.md's account rollup over the responses in scope: each contact's latest response
    (ties on time: the later row), the NPS of those, their mean, and the account's latest score."""
    people = _people(ws, resolve(ws, filters), None)
    return {k: p.rollup for k, p in people.items() if p.rollup is not None}


def account_arr(ws: Workspace) -> dict[int, float]:
    return dict(ws.conn.execute("SELECT id, arr FROM accounts WHERE arr > 0").fetchall())


def _arr_weighted(ws: Workspace, scores: dict[int, nps.AccountScore]) -> float | None:
    if not scores:
        return None
    arr = account_arr(ws)
    return nps.arr_weighted_nps((arr.get(a), s.category) for a, s in scores.items())


def arr_weighted(ws: Workspace, filters: Filters) -> float | None:
    return _arr_weighted(ws, account_scores(ws, filters))


def dimension_values(ws: Workspace, dim: str) -> list[str]:
    """The values a field takes, for the filter bar's choices (ARR bands in their natural order)."""
    if dim == "arr_band":
        return list(ARR_BANDS)
    lvl = level(dim)
    snap = _snapshot(ws) if lvl == "r" else None
    if snap is not None:  # the values some response has (the snapshot's labels may hold more)
        labels = snap.labels[dim]
        return sorted(labels[c] for c in np.unique(snap.codes[dim]).tolist() if c)
    expr = DIMENSIONS[dim]
    table = {"r": "responses r", "a": "accounts a", "c": "contacts c"}[lvl]
    return [r[0] for r in ws.conn.execute(
        f"SELECT DISTINCT {expr} FROM {table} WHERE {expr} IS NOT NULL ORDER BY 1")]


# -- saved segments --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Segment:
    name: str
    filters: Filters
    created_at: str


def _segment_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValueError("a segment needs a name")
    if len(name) > 80:
        raise ValueError("a segment name is at most 80 characters")
    return name


def save_segment(ws: Workspace, name: str, filters: Filters, replace_existing: bool = False) -> Segment:
    """Save ``filters`` under ``name`` (a preset is kept as a preset, so it stays relative)."""
    name = _segment_name(name)
    stored = filters if not filters.preset else replace(filters, date_from=None, date_to=None)
    exists = ws.scalar("SELECT 1 FROM segments WHERE name = ?", (name,))
    if exists and not replace_existing:
        raise ValueError(f"a segment named {name!r} already exists")
    at = now_iso()
    with ws.transaction() as conn:
        conn.execute("INSERT INTO segments(name, filters, created_at) VALUES (?, ?, ?) "
                     "ON CONFLICT(name) DO UPDATE SET filters = excluded.filters, "
                     "created_at = excluded.created_at", (name, stored.to_json(), at))
    return Segment(name, stored, at)


def list_segments(ws: Workspace) -> list[Segment]:
    return [Segment(r[0], Filters.from_json(r[1]), r[2]) for r in
            ws.conn.execute("SELECT name, filters, created_at FROM segments ORDER BY name COLLATE NOCASE")]


def segment_names(ws: Workspace) -> list[str]:
    return [s.name for s in list_segments(ws)]


def load_segment(ws: Workspace, name: str) -> Filters:
    """The filters saved as ``name``; a ValueError naming the saved ones when there is none."""
    row = ws.conn.execute("SELECT filters FROM segments WHERE name = ?", (name,)).fetchone()
    if row is None:
        known = segment_names(ws)
        raise ValueError(f"no saved segment named {name!r}"
                         + (f"; saved segments: {', '.join(known)}" if known else "; none is saved yet"))
    return Filters.from_json(row[0])


def delete_segment(ws: Workspace, name: str) -> None:
    load_segment(ws, name)
    with ws.transaction() as conn:
        conn.execute("DELETE FROM segments WHERE name = ?", (name,))


# -- what stats --json prints and the dashboard shows ----------------------------------------------
def _rounded(result: nps.NpsResult, **extra: Any) -> dict[str, Any]:
    return {**extra, "responses": result.responses, "nps": _r(result.nps),
            "margin95": _r(result.margin95)}


def _r(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(x, digits)


def change_dict(c: nps.Change | None, reliable: bool = True) -> dict[str, Any] | None:
    """A change as ``stats --json`` prints it; ``reliable``: both periods reach the minimum sample (an
    unreliable change is never significant, and the app, the CLI and the pack do not show it)."""
    if c is None:
        return None
    return {"delta": _r(c.delta), "threshold": None if c.threshold == float("inf") else _r(c.threshold),
            "significant": c.significant and reliable, "reliable": reliable}


def min_responses(ws: Workspace) -> int:
    """The minimum-sample policy for an NPS, a change or a segment row (setting ``min_responses``)."""
    return int(settings.get(ws, "min_responses"))


def _segment_dict(row: SegmentRow, min_n: int = nps.MIN_RELIABLE_N) -> dict[str, Any]:
    previous = row.previous.responses if row.previous else 0
    return {**_rounded(row.result, key=row.key), "small_sample": row.result.responses < min_n,
            "previous_responses": previous,
            "previous_nps": _r(row.previous.nps) if row.previous else None,
            "change": change_dict(row.change, row.result.responses >= min_n and previous >= min_n)}


def trend_start(ws: Workspace, filters: Filters, period: str, periods_back: int) -> date | None:
    """First day of the ``periods_back`` months/quarters that end with the one ``filters`` end in."""
    if filters.date_to is None or filters.date_from is None:
        return filters.date_from
    fy = fiscal_year_start(ws)
    last = periods.key(filters.date_to, period, fy)
    first = periods.bounds(periods.shift(last, 1 - periods_back, fy), fy)[0]
    return min(first, filters.date_from)


def stats(ws: Workspace, filters: Filters, by: str | None = None, period: str | None = None,
          today: date | None = None, trend_periods: int | None = None) -> dict[str, Any]:
    """What ``stats --json`` prints, and what the dashboard shows.

    A preset is resolved against ``today``. Beside the counts: ``shares``, the 0–10 ``distribution``,
    and, when the scope has both dates, the ``previous`` period of the same length and the ``change``.
    The trend covers the scope, or with ``trend_periods`` the last that many months (quarters) up to
    the scope's end, so a 90-day scope still shows where it came from (the other filters apply).
    """
    if period:
        _check_period(period)
    filters = resolve(ws, filters, today)
    fy, min_n = fiscal_year_start(ws), min_responses(ws)
    before = previous_period(filters, fy)
    wide = filters if before is None else replace(filters, date_from=before.date_from)
    split = None if before is None else filters.date_from
    trend_from = filters.date_from
    if period and trend_periods:
        trend_from = trend_start(ws, filters, period, trend_periods)
    cube_from = min((d for d in (wide.date_from, trend_from) if d), default=None)
    cube = _Cube(ws, wide, cube_from)
    people = _people(ws, wide, split)  # one scan: the account rollup, and account-field segments
    scores = {k: p.rollup for k, p in people.items() if p.rollup is not None}
    result = cube.result(filters.date_from, filters.date_to)
    n, mapped = cube.mapped(filters.date_from, filters.date_to)
    out: dict[str, Any] = {
        **result.as_dict(),
        "nps": _r(result.nps), "margin95": _r(result.margin95),
        "small_sample": result.responses < min_n, "min_responses": min_n,
        "arr_weighted_nps": _r(_arr_weighted(ws, scores)),
        "mapped_share": None if not n else _r(mapped / n, 4),
        "from": filters.date_from.isoformat() if filters.date_from else None,
        "to": filters.date_to.isoformat() if filters.date_to else None,
        "preset": filters.preset,
        "shares": {c + "s": _r(result.share(c), 4) for c in nps.CATEGORIES},
        "distribution": cube.distribution(filters.date_from, filters.date_to),
        "previous": None, "change": None,
    }
    # previous_period() always gives both dates
    if before is not None and before.date_from is not None and before.date_to is not None:
        prev = cube.result(before.date_from, before.date_to)
        whole = whole_period(before.date_from, before.date_to, fy)
        out["previous"] = {**prev.as_dict(), "nps": _r(prev.nps), "margin95": _r(prev.margin95),
                           "from": before.date_from.isoformat(), "to": before.date_to.isoformat(),
                           "small_sample": prev.responses < min_n,
                           "label": period_label(whole, fy) if whole else _span(before)}
        out["change"] = change_dict(nps.change(prev, result), prev.responses >= min_n and result.responses >= min_n)
    if by:
        out["by"] = by
        # the dates as resolved for ``today``: a preset left in would be resolved again for the real today
        resolved = replace(filters, preset=None)
        out["groups"] = [_segment_dict(r, min_n) for r in segment_table(ws, resolved, by, people)]
    if period:
        out["period"] = period
        last_day = min(filter(None, (filters.date_to, today or clock.today())))
        found = dict(cube.trend(period, fy, trend_from, filters.date_to))
        out["trend"] = [{**_rounded(r, period=k), "small_sample": r.responses < min_n,
                         "from": periods.bounds(k, fy)[0].isoformat(), "to": periods.bounds(k, fy)[1].isoformat(),
                         "partial": periods.bounds(k, fy)[1] > last_day}
                        for k, r in _every_period(found, period, fy, trend_from, filters.date_to)]
    return out


def _every_period(found: dict[str, nps.NpsResult], period: str, fy: int, start: date | None,
                  end: date | None) -> list[tuple[str, nps.NpsResult]]:
    """``found`` with the periods between (from ``start``'s, to ``end``'s) that have no responses."""
    if not found and (start is None or end is None):
        return []
    first = periods.key(start, period, fy) if start else min(found)
    last = periods.key(end, period, fy) if end else max(found)
    keys: list[str] = []
    k = first
    while k <= last and len(keys) < 1200:
        keys.append(k)
        k = periods.shift(k, 1, fy)
    empty = nps.from_counts(0, 0, 0)
    return [(k, found.get(k, empty)) for k in keys]
