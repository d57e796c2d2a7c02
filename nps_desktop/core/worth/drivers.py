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
from ..text.store import list_themes
from ..workspace import Workspace

MIN_MENTIONS = 10
BOOTSTRAP = 400
LEVEL = 0.90
SEED = 7


class _Groups:
    """The comments grouped by what the estimates see of them: their themes, their account's tier and their
    category. Resampling comments is then a multinomial draw of group counts, the same as drawing comments
    one by one, on a few hundred groups instead of every comment."""

    def __init__(self, keys: dict[tuple, int], names: list[str], tiers: list[str]):
        self.names = names
        levels = tiers[1:]                     # one indicator per tier but the most common
        rows: list[list[float]] = []
        counts: list[int] = []
        ys: list[float] = []
        for (themes, tier, y), n in keys.items():
            rows.append([1.0] + [float(t in themes) for t in range(len(names))] + [float(tier == v) for v in levels])
            counts.append(n)
            ys.append(y)
        self.d = np.array(rows).reshape(len(rows), 1 + len(names) + len(levels))
        self.count, self.y = np.array(counts, dtype=float), np.array(ys)
        self.k = len(names)

    def estimates(self, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(difference, adjusted) per theme when group ``g`` holds ``n[g]`` comments."""
        total = n * self.y
        themes = self.d[:, 1:self.k + 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            difference = (total @ themes) / (n @ themes) - (total @ (1 - themes)) / (n @ (1 - themes))
        a = (self.d * n[:, None]).T @ self.d + 1e-6 * np.eye(self.d.shape[1])  # tiny ridge: a theme may be absent
        return difference, np.linalg.solve(a, self.d.T @ total)[1:self.k + 1]


def _groups(ws: Workspace, filters: Filters) -> tuple[_Groups, int]:
    """The comments in scope, grouped; and how many there are."""
    joins, cond, params = where(resolve(ws, filters))
    cond = (cond + " AND " if cond else " WHERE ") + "r.comment IS NOT NULL AND trim(r.comment) <> ''"
    rows = ws.conn.execute(f"SELECT r.id, r.score, (SELECT tier FROM accounts x WHERE x.id = r.account_id) "
                           f"FROM responses r{joins}{cond}", params).fetchall()
    in_scope = {r[0] for r in rows}
    themes: dict[int, list[str]] = {}
    mentions: dict[str, int] = {}
    for rid, theme in ws.conn.execute("SELECT response_id, theme FROM response_themes"):
        if rid in in_scope:
            themes.setdefault(rid, []).append(theme)
            mentions[theme] = mentions.get(theme, 0) + 1
    names = sorted(t for t, m in mentions.items() if m >= MIN_MENTIONS)
    col = {t: j for j, t in enumerate(names)}
    tier_count: dict[str, int] = {}
    keys: dict[tuple, int] = {}
    for rid, score, tier in rows:
        tier = tier or "no tier"
        tier_count[tier] = tier_count.get(tier, 0) + 1
        key = (frozenset(col[t] for t in themes.get(rid, ()) if t in col), tier,
               100.0 if score >= 9 else -100.0 if score <= 6 else 0.0)
        keys[key] = keys.get(key, 0) + 1
    tiers = sorted(tier_count, key=lambda t: (-tier_count[t], t))
    return _Groups(keys, names, tiers), len(rows)


def key_drivers(ws: Workspace, filters: Filters = Filters(), bootstrap: int = BOOTSTRAP,
                seed: int = SEED) -> dict[str, Any]:
    """The themes ranked by impact, each with its differences and their 90% intervals."""
    g, n = _groups(ws, filters)
    names = g.names
    doc: dict[str, Any] = {"comments": n, "min_mentions": MIN_MENTIONS, "segment": "tier",
                           "nps": round(float(g.count @ g.y / n), 2) if n else None, "drivers": []}
    if not names:
        doc["reason"] = (f"no theme is mentioned in at least {MIN_MENTIONS} comments in this scope, so there are "
                         "no drivers to estimate")
        return doc
    raw, adj = g.estimates(g.count)
    rng = np.random.default_rng(seed)
    boots = [g.estimates(rng.multinomial(n, g.count / n).astype(float)) for _ in range(bootstrap)]
    boot_raw, boot_adj = np.array([b[0] for b in boots]), np.array([b[1] for b in boots])
    tail = 50 * (1 - LEVEL)
    raw_lo, raw_hi = np.nanpercentile(boot_raw, [tail, 100 - tail], axis=0)
    adj_lo, adj_hi = np.nanpercentile(boot_adj, [tail, 100 - tail], axis=0)
    labels = {t.name: t.label for t in list_themes(ws)}
    with_theme = g.count @ g.d[:, 1:g.k + 1]
    prevalence = with_theme / n
    for j, name in enumerate(names):
        doc["drivers"].append({
            "theme": name, "label": labels.get(name) or name, "mentions": int(with_theme[j]),
            "prevalence": round(float(prevalence[j]), 4),
            "difference": round(float(raw[j]), 2), "difference_low": round(float(raw_lo[j]), 2),
            "difference_high": round(float(raw_hi[j]), 2),
            "adjusted": round(float(adj[j]), 2), "adjusted_low": round(float(adj_lo[j]), 2),
            "adjusted_high": round(float(adj_hi[j]), 2),
            "impact": round(float(adj[j] * prevalence[j]), 2),
            "uncertain": bool(adj_lo[j] <= 0 <= adj_hi[j])})
    doc["drivers"].sort(key=lambda r: (-abs(r["impact"]), r["theme"]))
    return doc
