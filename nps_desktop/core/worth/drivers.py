"""Key drivers: which themes move the score, with their doubt.

Over the comments in scope (responses with a non-blank comment), each answer counts +100 (promoter),
0 (passive) or −100 (detractor), so that a mean of these is an NPS. For each theme mentioned at least
``MIN_MENTIONS`` times:

- *difference*: the NPS of comments with the theme minus the NPS of comments without it;
- *adjusted*: the same difference from one least-squares fit of all themes together plus the account's
  tier (the segment), so that two themes that come together are not counted twice and a theme common
  among, say, SMB accounts is not blamed for what SMB accounts score anyway;
- *prevalence*: the share of comments that mention it; *impact*: adjusted × prevalence, the NPS points
  the theme accounts for across all comments. Drivers are ranked by the size of the impact.

Both differences carry a 90% interval from a bootstrap over answers; a driver whose adjusted interval
crosses zero is marked ``uncertain`` (shown greyed).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..analytics import Filters, resolve, where
from ..workspace import Workspace

MIN_MENTIONS = 10
BOOTSTRAP = 400
LEVEL = 0.90
SEED = 7


def _data(ws: Workspace, filters: Filters) -> tuple[np.ndarray, list[str], np.ndarray, list[str]]:
    joins, cond, params = where(resolve(ws, filters))
    cond = (cond + " AND " if cond else " WHERE ") + "r.comment IS NOT NULL AND trim(r.comment) <> ''"
    rows = ws.conn.execute(
        f"SELECT r.id, r.score, (SELECT tier FROM accounts x WHERE x.id = r.account_id) FROM responses r{joins}{cond}",
        params).fetchall()
    ids = [r[0] for r in rows]
    y = np.array([100.0 if r[1] >= 9 else -100.0 if r[1] <= 6 else 0.0 for r in rows])
    tiers = [r[2] or "no tier" for r in rows]
    index = {rid: i for i, rid in enumerate(ids)}
    mentions: dict[str, list[int]] = {}
    for rid, theme in ws.conn.execute("SELECT response_id, theme FROM response_themes"):
        if rid in index:
            mentions.setdefault(theme, []).append(index[rid])
    names = sorted(t for t, m in mentions.items() if len(m) >= MIN_MENTIONS)
    x = np.zeros((len(ids), len(names)))
    for j, t in enumerate(names):
        x[mentions[t], j] = 1.0
    return y, names, x, tiers


def _design(x: np.ndarray, tiers: list[str]) -> np.ndarray:
    """Intercept, the themes, and one indicator per tier but the most common."""
    levels = sorted(set(tiers), key=lambda t: (-tiers.count(t), t))[1:]
    seg = np.array([[t == level for level in levels] for t in tiers], dtype=float).reshape(len(tiers), len(levels))
    return np.column_stack([np.ones(len(tiers)), x, seg])


class _Patterns:
    """The answers grouped by their row of the design (themes and tier): a resample is then a count and
    a sum of scores per group, so the bootstrap works on a few hundred groups, not every answer."""

    def __init__(self, d: np.ndarray, y: np.ndarray, k: int):
        self.d, self.index = np.unique(d, axis=0, return_inverse=True)
        self.index = self.index.ravel()
        self.y, self.k = y, k

    def estimates(self, picks: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(difference, adjusted) per theme for the answers ``picks`` (default: all, once each)."""
        groups = self.index if picks is None else self.index[picks]
        y = self.y if picks is None else self.y[picks]
        n = np.bincount(groups, minlength=len(self.d)).astype(float)
        total = np.bincount(groups, weights=y, minlength=len(self.d))
        themes = self.d[:, 1:self.k + 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            difference = (total @ themes) / (n @ themes) - (total @ (1 - themes)) / (n @ (1 - themes))
        a = (self.d * n[:, None]).T @ self.d + 1e-6 * np.eye(self.d.shape[1])  # tiny ridge: a theme may be absent
        return difference, np.linalg.solve(a, self.d.T @ total)[1:self.k + 1]


def key_drivers(ws: Workspace, filters: Filters = Filters(), bootstrap: int = BOOTSTRAP,
                seed: int = SEED) -> dict[str, Any]:
    """The themes ranked by impact, each with its differences and their 90% intervals."""
    y, names, x, tiers = _data(ws, filters)
    doc: dict[str, Any] = {"comments": len(y), "min_mentions": MIN_MENTIONS, "segment": "tier",
                           "nps": round(float(y.mean()), 2) if len(y) else None, "drivers": []}
    if not names:
        doc["reason"] = (f"no theme is mentioned in at least {MIN_MENTIONS} comments in this scope, so there are "
                         "no drivers to estimate")
        return doc
    k = len(names)
    patterns = _Patterns(_design(x, tiers), y, k)
    raw, adj = patterns.estimates()
    rng = np.random.default_rng(seed)
    boots = [patterns.estimates(rng.integers(0, len(y), len(y))) for _ in range(bootstrap)]
    boot_raw, boot_adj = np.array([b[0] for b in boots]), np.array([b[1] for b in boots])
    tail = 50 * (1 - LEVEL)
    raw_lo, raw_hi = np.nanpercentile(boot_raw, [tail, 100 - tail], axis=0)
    adj_lo, adj_hi = np.nanpercentile(boot_adj, [tail, 100 - tail], axis=0)
    prevalence = x.mean(axis=0)
    for j, name in enumerate(names):
        doc["drivers"].append({
            "theme": name, "mentions": int(x[:, j].sum()), "prevalence": round(float(prevalence[j]), 4),
            "difference": round(float(raw[j]), 2), "difference_low": round(float(raw_lo[j]), 2),
            "difference_high": round(float(raw_hi[j]), 2),
            "adjusted": round(float(adj[j]), 2), "adjusted_low": round(float(adj_lo[j]), 2),
            "adjusted_high": round(float(adj_hi[j]), 2),
            "impact": round(float(adj[j] * prevalence[j]), 2),
            "uncertain": bool(adj_lo[j] <= 0 <= adj_hi[j])})
    doc["drivers"].sort(key=lambda r: (-abs(r["impact"]), r["theme"]))
    return doc
