"""The figures beyond the dashboard's, over the snapshot: account rollups (in a window, per quarter),
each account's NPS per quarter, what the pack's coverage and the revenue page's maturity count.

Each function gives exactly what its SQL counterpart gives (``loop.signals.account_rollup`` and
``account_periods``, ``account_view.quarterly_nps``, ``reporting.sources.coverage``,
``revenue.maturity``); the tests hold them to it on generated workspaces. The rollup is DESIGN.md's:
each contact's latest response counts once (ties on time: the later row), responses without a contact
each on their own; the account's latest response is the latest of those (ties: the higher score).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

import numpy as np

from .. import nps, periods
from .model import Snapshot

#: ``date(1970, 1, 1).toordinal()``: a Unix time's UTC day is this plus its whole days.
EPOCH = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Rolled:
    """One row per (account, part) with responses: the account's row in ``accounts``, the part, how many
    latest responses (contacts), their category counts (promoters, passives, detractors) and score sum,
    and the latest as ``time · 16 + score``."""
    acc: np.ndarray
    part: np.ndarray
    n: np.ndarray
    counts: np.ndarray
    score_sum: np.ndarray
    latest: np.ndarray


def account_rows(snap: Snapshot, account_ids: Iterable[int] | None) -> np.ndarray:
    """Positions (ascending) of the responses of the given accounts (None or none given: of every
    account, as the SQL's ``_only`` reads an empty list)."""
    acc = snap.acc
    account_ids = None if account_ids is None else list(account_ids)
    if not account_ids:
        return np.arange(int(np.searchsorted(acc, snap.accounts.none)))
    ids = snap.accounts.ids
    wanted = np.unique(np.fromiter(account_ids, dtype=np.int64))
    pos = np.searchsorted(ids, wanted)
    rows = pos[(pos < len(ids)) & (ids[np.minimum(pos, len(ids) - 1)] == wanted)] if len(ids) else pos[:0]
    lo, hi = np.searchsorted(acc, rows), np.searchsorted(acc, rows, "right")
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist())])


def surveyed_accounts(snap: Snapshot, last: date) -> list[int]:
    """The accounts with a response dated on or before ``last``."""
    rows = np.unique(snap.acc[(snap.day <= last.toordinal()) & (snap.acc != snap.accounts.none)])
    return snap.accounts.ids[rows].tolist()


def in_days(snap: Snapshot, idx: np.ndarray, first: date | None, last: date | None) -> np.ndarray:
    """``idx`` without the responses dated before ``first`` or after ``last``."""
    day = snap.day[idx]
    keep = np.ones(len(idx), dtype=bool)
    if first is not None:
        keep &= day >= first.toordinal()
    if last is not None:
        keep &= day <= last.toordinal()
    return idx[keep]


def rollup(snap: Snapshot, idx: np.ndarray, part: np.ndarray | None = None) -> Rolled:
    """The rollup per account (and ``part``, one small integer per position of ``idx``) over the
    responses at ``idx`` (ascending positions of responses with an account)."""
    if part is None:
        part = np.zeros(len(idx), dtype=np.int64)
    else:  # within an account: by part, then as the snapshot orders them (contact, time, id)
        order = np.lexsort((idx, part, snap.acc[idx]))
        idx, part = idx[order], part[order]
    acc, con = snap.acc[idx], snap.con[idx]
    last = np.ones(len(idx), dtype=bool)
    last[:-1] = (acc[1:] != acc[:-1]) | (part[1:] != part[:-1]) | (con[1:] != con[:-1])
    pick = last | (con == snap.contacts.none)
    idx, acc, part = idx[pick], acc[pick], part[pick]
    if not len(idx):
        empty = np.zeros(0, dtype=np.int64)
        return Rolled(empty, empty, empty, np.zeros((0, 3), dtype=np.int64), empty, empty)
    starts = np.flatnonzero(np.r_[True, (acc[1:] != acc[:-1]) | (part[1:] != part[:-1])])
    score = snap.score[idx].astype(np.int64)
    onehot = np.zeros((len(idx), 3), dtype=np.int64)
    onehot[np.arange(len(idx)), snap.category[idx]] = 1
    return Rolled(acc=acc[starts], part=part[starts], n=np.diff(np.r_[starts, len(idx)]),
                  counts=np.add.reduceat(onehot, starts), score_sum=np.add.reduceat(score, starts),
                  latest=np.maximum.reduceat(snap.time[idx] * 16 + score, starts))


def _score(account_id: int, r: Rolled, i: int) -> nps.AccountScore:
    n, latest = int(r.n[i]), int(r.latest[i])
    p, pa, d = r.counts[i].tolist()
    return nps.AccountScore(account_id, nps.NpsResult(n, p, pa, d), int(r.score_sum[i]) / n, latest & 15,
                            day_of(latest >> 4))


def day_of(seconds: int) -> str:
    """The UTC day of a Unix time, ISO (as ``responded_at[:10]`` of the app's stored times)."""
    return date.fromordinal(EPOCH + seconds // 86400).isoformat()


def account_rollup(snap: Snapshot, first: date | None, last: date,
                   account_ids: Iterable[int] | None = None) -> dict[int, nps.AccountScore]:
    """``loop.signals.account_rollup``: the rollup over responses dated ``first``..``last``."""
    r = rollup(snap, in_days(snap, account_rows(snap, account_ids), first, last))
    ids = snap.accounts.ids
    return {int(ids[a]): _score(int(ids[a]), r, i) for i, a in enumerate(r.acc.tolist())}


def window_rollups(snap: Snapshot, windows: list[tuple[int, date, date]]) -> list[nps.AccountScore | None]:
    """The rollup of each ``(account id, first, last)`` window (None: no response in it), in one pass:
    ``revenue.category_at`` for every event at once."""
    ids = snap.accounts.ids
    if not windows or not len(ids):
        return [None] * len(windows)
    wanted = np.array([w[0] for w in windows], dtype=np.int64)
    pos = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    known = ids[pos] == wanted
    lo = np.where(known, np.searchsorted(snap.acc, pos), 0)
    hi = np.where(known, np.searchsorted(snap.acc, pos, "right"), 0)
    lengths = hi - lo
    total = int(lengths.sum())
    part = np.repeat(np.arange(len(windows)), lengths)
    idx = np.repeat(lo, lengths) + (np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    first = np.array([w[1].toordinal() for w in windows], dtype=np.int64)
    last = np.array([w[2].toordinal() for w in windows], dtype=np.int64)
    day = snap.day[idx]
    inside = (day >= first[part]) & (day <= last[part])
    r = rollup(snap, idx[inside], part[inside])
    out: list[nps.AccountScore | None] = [None] * len(windows)
    for i, (a, w) in enumerate(zip(r.acc.tolist(), r.part.tolist())):
        out[w] = _score(int(ids[a]), r, i)
    return out


def quarter_parts(snap: Snapshot, idx: np.ndarray, fy_start: int) -> tuple[np.ndarray, list[str]]:
    """Each response's (fiscal) quarter as an index into the sorted quarter keys it returns."""
    days, inverse = np.unique(snap.day[idx], return_inverse=True)
    keys = [periods.quarter_key(date.fromordinal(d), fy_start) for d in days.tolist()]
    names = sorted(set(keys))
    code = {k: i for i, k in enumerate(names)}
    return np.array([code[k] for k in keys], dtype=np.int64)[inverse.reshape(-1)], names


def account_periods(snap: Snapshot, today: date, fy_start: int, account_ids: Iterable[int] | None = None,
                    since: date | None = None) -> dict[int, list[tuple[str, nps.NpsResult, str]]]:
    """``loop.signals.account_periods``: per account, per (fiscal) quarter with responses from ``since``
    up to ``today``, oldest first: the quarter, the rollup's counts and the day of its latest response."""
    idx = in_days(snap, account_rows(snap, account_ids), since, today)
    part, names = quarter_parts(snap, idx, fy_start)
    r = rollup(snap, idx, part)
    ids = snap.accounts.ids
    out: dict[int, list[tuple[str, nps.NpsResult, str]]] = {}
    for i, (a, q) in enumerate(zip(r.acc.tolist(), r.part.tolist())):
        p, pa, d = r.counts[i].tolist()
        out.setdefault(int(ids[a]), []).append(
            (names[q], nps.NpsResult(int(r.n[i]), p, pa, d), day_of(int(r.latest[i]) >> 4)))
    return out


def per_quarter(snap: Snapshot, keep: np.ndarray, ends: list[date]) -> dict[int, list[tuple[int, int, int] | None]]:
    """Per account with responses under ``keep`` (a mask) up to the last of ``ends``: promoters,
    passives and detractors of all its responses per quarter (quarter k ends on ``ends[k]``; None
    for a quarter without responses)."""
    idx = np.flatnonzero(keep & (snap.acc != snap.accounts.none))
    bounds = np.array([e.toordinal() for e in ends], dtype=np.int64)
    q = np.searchsorted(bounds, snap.day[idx])           # the first quarter that ends on or after the day
    idx, q = idx[q < len(ends)], q[q < len(ends)]
    nq = len(ends)
    acc = snap.acc[idx].astype(np.int64)
    rows, inverse = np.unique(acc, return_inverse=True)
    counts = np.bincount((inverse.reshape(-1) * nq + q) * 3 + snap.category[idx],
                         minlength=len(rows) * nq * 3).reshape(len(rows), nq, 3)
    ids = snap.accounts.ids
    return {int(ids[a]): [tuple(c) if any(c) else None for c in counts[i].tolist()]
            for i, a in enumerate(rows.tolist())}


def coverage(snap: Snapshot, keep: np.ndarray) -> dict[str, int]:
    """Responses under ``keep``, how many are mapped to an account, the distinct accounts, and those of
    them without a positive ARR (``reporting.sources.coverage``)."""
    acc = snap.acc[keep]
    mapped = acc[acc != snap.accounts.none]
    accounts = np.unique(mapped)
    arr = snap.accounts.arr[accounts]
    return {"responses": int(keep.sum()), "mapped": len(mapped), "accounts": len(accounts),
            "accounts_without_arr": int((~(arr > 0)).sum())}


def _status_is(snap: Snapshot, value: str) -> np.ndarray:
    """Per account row (and the "none" row, False): whether the account's status is ``value``."""
    labels = snap.accounts.labels["account_status"]
    return np.array([v == value for v in labels], dtype=bool)[snap.accounts.codes["account_status"]]


def maturity_counts(snap: Snapshot, first: date | None, last: date, year_from: date) -> dict[str, Any]:
    """``revenue.maturity``'s counts: responses dated ``first``..``last`` and those of them mapped to an
    active account; and per contact, its latest response dated ``year_from``..``last`` (ties on time:
    the later row) when it is a promoter's at an active account — the accounts of those, one per contact."""
    active = _status_is(snap, "active")
    day = snap.day
    window = (day <= last.toordinal()) & (day >= (first or date.min).toordinal())
    responses = int(window.sum())
    mapped_active = int(active[snap.acc[window]].sum())
    idx = np.flatnonzero((snap.con != snap.contacts.none) & (day >= year_from.toordinal())
                         & (day <= last.toordinal()))
    idx = idx[np.lexsort((snap.rid[idx], snap.time[idx], snap.con[idx]))]
    con = snap.con[idx]
    is_last = np.r_[con[1:] != con[:-1], True] if len(idx) else np.zeros(0, dtype=bool)
    latest = idx[is_last]
    promoters = latest[(snap.score[latest] >= 9) & active[snap.acc[latest]]]
    ids = snap.accounts.ids
    return {"responses": responses, "mapped_active": mapped_active,
            "promoter_accounts": [int(ids[a]) for a in snap.acc[promoters].tolist()]}
