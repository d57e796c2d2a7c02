"""What a user can filter and group responses by: the dimensions, the date presets, and ``Filters``.

Below ``core.analytics`` (which re-exports all of it) and ``core.snapshot``, which both read filters.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Iterable

from . import labels


#: Dimensions a user can filter or group by, and the SQL expression behind each.
ARR_BANDS = ("<10k", "10k-50k", "50k-100k", "100k-250k", "250k+")
ARR_BAND_SQL = ("CASE WHEN a.arr IS NULL THEN NULL WHEN a.arr < 10000 THEN '<10k' "
                "WHEN a.arr < 50000 THEN '10k-50k' WHEN a.arr < 100000 THEN '50k-100k' "
                "WHEN a.arr < 250000 THEN '100k-250k' ELSE '250k+' END")
DIMENSIONS: dict[str, str] = {
    "kind": "r.kind", "touchpoint": "r.touchpoint", "product": "r.product", "source": "r.source",
    "region": "a.region", "industry": "a.industry", "tier": "a.tier",
    "lifecycle_stage": "a.lifecycle_stage", "owner": "a.owner", "account_status": "a.status",
    "account": "a.name", "arr_band": ARR_BAND_SQL, "role": "c.role",
}
DIMENSION_LABELS: dict[str, str] = {
    "kind": "Program kind", "touchpoint": "Touchpoint", "product": "Product", "source": "Source",
    "region": "Region", "industry": "Industry", "tier": "Tier", "lifecycle_stage": "Lifecycle stage",
    "owner": "Owner", "account_status": "Account status", "account": "Account", "arr_band": "ARR band",
    "role": "Role",
}
KINDS = ("rnps", "tnps", "enps", "partner")
KIND_LABELS = labels.PROGRAM_KIND
#: A filter value that matches a missing value (no region, or no account at all).
BLANK = "(blank)"

#: Date presets, in the order the filter bar offers them.
PRESETS: dict[str, str] = {
    "last_30_days": "Last 30 days", "last_60_days": "Last 60 days", "last_90_days": "Last 90 days",
    "last_180_days": "Last 180 days", "this_quarter": "This quarter", "last_quarter": "Last quarter",
    "year_to_date": "Year to date", "last_12_months": "Last 12 months", "all_time": "All time",
}
#: The rolling windows among the presets: the last N days, today included.
ROLLING_DAYS = {"last_30_days": 30, "last_60_days": 60, "last_90_days": 90, "last_180_days": 180}


def level(dim: str) -> str:
    """Which table a dimension lives on: ``r`` (response), ``a`` (account) or ``c`` (contact)."""
    if dim not in DIMENSIONS:
        raise ValueError(f"unknown field {dim!r}; known: {', '.join(sorted(DIMENSIONS))}")
    return DIMENSIONS[dim].split(".", 1)[0][-1]


#: Fields whose values are the app's own lowercase keys (``mature``, ``at_risk``), shown capitalised.
STORED_KEYS = ("lifecycle_stage", "account_status")


def group_label(by: str, key: object) -> str:
    """How a group of ``--by`` and the dashboard is named: "No account" for responses without an account
    (an account field), "(blank)" for a missing response or contact field, program kinds as rNPS/tNPS."""
    if key is None:
        return labels.NO_ACCOUNT if level(by) == "a" else BLANK
    return labels.display(by, key) if by in STORED_KEYS or by == "kind" else str(key)


@dataclass(frozen=True)
class Filters:
    """Which responses are in scope. Empty means everything."""
    date_from: date | None = None
    date_to: date | None = None
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dimension -> allowed values
    preset: str | None = None                                         # a key of PRESETS, or None

    def with_dates(self, date_from: date | None, date_to: date | None) -> "Filters":
        """Explicit dates (they replace any preset)."""
        return replace(self, date_from=date_from, date_to=date_to, preset=None)

    def with_preset(self, preset: str | None) -> "Filters":
        if preset is not None and preset not in PRESETS:
            raise ValueError(f"unknown date preset {preset!r}; use one of {', '.join(PRESETS)}")
        return replace(self, preset=preset, date_from=None, date_to=None)

    def with_values(self, dim: str, allowed: Iterable[str] | None) -> "Filters":
        """Restrict ``dim`` to ``allowed`` (None or empty: no restriction)."""
        level(dim)
        values = dict(self.values)
        values.pop(dim, None)
        if allowed:
            values[dim] = tuple(allowed)
        return replace(self, values=values)

    def to_json(self) -> str:
        d = asdict(self)
        d["date_from"] = self.date_from.isoformat() if self.date_from else None
        d["date_to"] = self.date_to.isoformat() if self.date_to else None
        d["values"] = {k: list(v) for k, v in self.values.items()}
        return json.dumps(d, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Filters":
        d = json.loads(text)
        return cls(date.fromisoformat(d["date_from"]) if d.get("date_from") else None,
                   date.fromisoformat(d["date_to"]) if d.get("date_to") else None,
                   {k: tuple(v) for k, v in (d.get("values") or {}).items()},
                   d.get("preset") or None)

    def describe(self) -> str:
        """One line a person reads: ``Last 90 days (2026-08-26 – 2026-11-23) · Region: EMEA``."""
        if self.preset and self.preset != "all_time" and self.date_from:
            when = f"{PRESETS[self.preset]} ({_span(self)})"
        elif self.preset:
            when = PRESETS[self.preset]
        else:
            when = _span(self) if (self.date_from or self.date_to) else "All time"
        parts = [when]
        for dim, allowed in sorted(self.values.items()):
            shown = [KIND_LABELS.get(v, v) if dim == "kind" else v for v in allowed]
            parts.append(f"{DIMENSION_LABELS[dim]}: {', '.join(shown)}")
        return " · ".join(parts)


def _span(f: Filters) -> str:
    start = f.date_from.isoformat() if f.date_from else "…"
    end = f.date_to.isoformat() if f.date_to else "…"
    return f"{start} – {end}"
