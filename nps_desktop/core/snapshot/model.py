"""The snapshot in memory, and the counts every figure is made of, computed over it with numpy.

Responses are sorted by account, contact, time and id, so each contact's latest response is the last
of its run (the account rollup of DESIGN.md). A field's values are small integer codes into its labels
(code 0: no value); account and contact fields live on their tables, each with a last "none" row that
responses without an account (contact) point to.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from ..filters import BLANK, Filters, level

#: A score's category as an index: promoter 0, passive 1, detractor 2.
CATEGORY = np.array([2] * 7 + [1] * 2 + [0] * 2, dtype=np.int8)


@dataclass(frozen=True)
class Table:
    """Accounts or contacts: sorted ids, ARR, and each field's codes — one row more than ids (none)."""
    ids: np.ndarray
    arr: np.ndarray
    codes: dict[str, np.ndarray]
    labels: dict[str, list[Any]]

    @property
    def none(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Rollup:
    """Per account row (the last row: no account): category counts from the split on and before it,
    and the rollup over the responses from the split on (contacts counted, their latest responses'
    category counts and score sum, the latest ``time · 16 + score``, −1 without one)."""
    now: np.ndarray
    before: np.ndarray
    contacts: np.ndarray
    latest_counts: np.ndarray
    score_sum: np.ndarray
    latest: np.ndarray


@dataclass(frozen=True)
class Snapshot:
    """The columns of every response (sorted for the rollup) and of accounts and contacts."""
    key: tuple[int, int] | None
    day: np.ndarray        # date.toordinal() of responded_on
    score: np.ndarray
    category: np.ndarray
    acc: np.ndarray        # row in ``accounts`` (``accounts.none`` without one)
    con: np.ndarray        # row in ``contacts``
    time: np.ndarray       # seconds, as the rollup orders a contact's responses
    rid: np.ndarray        # the response's id (ties on time: the higher id is the later row)
    codes: dict[str, np.ndarray]
    labels: dict[str, list[Any]]
    accounts: Table
    contacts: Table

    @classmethod
    def build(cls, *, key, day, score, acc, con, time, rid, codes, labels, accounts, contacts) -> "Snapshot":
        """Sort columns for the rollup: by account, contact, time and id."""
        order = np.lexsort((rid, time, con, acc))
        return cls(key=key, day=day[order].astype(np.int32), score=score[order].astype(np.int8),
                   category=CATEGORY[score[order]], acc=acc[order].astype(np.int32), con=con[order].astype(np.int32),
                   time=time[order].astype(np.int64), rid=rid[order].astype(np.int64),
                   codes={d: c[order].astype(_code_type(labels[d])) for d, c in codes.items()},
                   labels=labels, accounts=accounts, contacts=contacts)

    def __len__(self) -> int:
        return len(self.day)

    # -- which responses ---------------------------------------------------------------------------
    def mask(self, filters: Filters, date_from: date | None = None) -> np.ndarray:
        """The responses under ``filters`` (dates resolved), from ``date_from`` when given instead."""
        keep = np.ones(len(self), dtype=bool)
        start = date_from or filters.date_from
        if start:
            keep &= self.day >= start.toordinal()
        if filters.date_to:
            keep &= self.day <= filters.date_to.toordinal()
        for dim, allowed in filters.values.items():
            if allowed:
                keep &= self._allowed(dim, allowed)[self.field(dim)]
        return keep

    def _allowed(self, dim: str, allowed: tuple[str, ...]) -> np.ndarray:
        labels = self._labels(dim)
        ok = np.zeros(len(labels), dtype=bool)
        ok[0] = BLANK in allowed
        wanted = set(allowed)
        ok[1:] = [v in wanted for v in labels[1:]]
        return ok

    def _labels(self, dim: str) -> list[Any]:
        lvl = level(dim)
        return {"r": self.labels, "a": self.accounts.labels, "c": self.contacts.labels}[lvl][dim]

    def field(self, dim: str) -> np.ndarray:
        """Each response's code of a field, wherever the field lives."""
        lvl = level(dim)
        if lvl == "r":
            return self.codes[dim]
        if lvl == "a":
            return self.accounts.codes[dim][self.acc]
        return self.contacts.codes[dim][self.con]

    # -- counts ------------------------------------------------------------------------------------
    def cube(self, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Days with responses (ordinals, ascending), responses per day × score, and how many per day
        are linked to an account."""
        day = self.day[keep]
        if not len(day):
            return np.zeros(0, dtype=np.int64), np.zeros((0, 11), dtype=np.int64), np.zeros(0, dtype=np.int64)
        first = int(day.min())
        offset = day - first
        span = int(offset.max()) + 1
        counts = np.bincount(offset * 11 + self.score[keep], minlength=span * 11).reshape(span, 11)
        mapped = np.bincount(offset[self.acc[keep] != self.accounts.none], minlength=span)
        found = counts.any(axis=1)
        return np.flatnonzero(found) + first, counts[found], mapped[found]

    def groups(self, keep: np.ndarray, by: str, split: date | None) -> list[tuple[Any, tuple, tuple]]:
        """Per value of ``by`` with responses: category counts from ``split`` on, and before it."""
        labels = self._labels(by)
        now, before = self._split(keep, split)
        code = self.field(by).astype(np.int64)
        sums = [np.bincount(code[m] * 3 + self.category[m], minlength=3 * len(labels)).reshape(-1, 3)
                for m in (now, before)]
        return [(labels[i], tuple(sums[0][i].tolist()), tuple(sums[1][i].tolist()))
                for i in np.flatnonzero(sums[0].any(axis=1) | sums[1].any(axis=1))]

    def _split(self, keep: np.ndarray, split: date | None) -> tuple[np.ndarray, np.ndarray]:
        if split is None:
            return keep, np.zeros_like(keep)
        late = self.day >= split.toordinal()
        return keep & late, keep & ~late

    def rollup(self, keep: np.ndarray, split: date | None) -> Rollup:
        """Per account: counts and the rollup of DESIGN.md (each contact's latest response from
        ``split`` on counts once; responses without a contact count each on their own)."""
        rows = self.accounts.none + 1
        now, before = self._split(keep, split)
        counts = [np.bincount(self.acc[m] * 3 + self.category[m], minlength=3 * rows).reshape(rows, 3)
                  for m in (now, before)]
        idx = np.flatnonzero(now & (self.acc != self.accounts.none))
        acc, con = self.acc[idx], self.con[idx]
        last = np.ones(len(idx), dtype=bool)
        last[:-1] = (acc[1:] != acc[:-1]) | (con[1:] != con[:-1])
        chosen = idx[last | (con == self.contacts.none)]
        acc = self.acc[chosen]
        score = self.score[chosen].astype(np.int64)
        latest = np.full(rows, -1, dtype=np.int64)
        if len(chosen):
            starts = np.flatnonzero(np.r_[True, acc[1:] != acc[:-1]])
            latest[acc[starts]] = np.maximum.reduceat(self.time[chosen] * 16 + score, starts)
        return Rollup(now=counts[0], before=counts[1], contacts=np.bincount(acc, minlength=rows),
                      latest_counts=np.bincount(acc * 3 + self.category[chosen], minlength=3 * rows).reshape(rows, 3),
                      score_sum=np.bincount(acc, weights=score, minlength=rows).astype(np.int64), latest=latest)


def _code_type(labels: list[Any]) -> type:
    return np.int8 if len(labels) < 128 else np.int16 if len(labels) < 32768 else np.int32
