"""Fatigue rules: how often anyone may be asked, kept in the workspace settings (``cadence.rules``).

Defaults follow the issue and the tools users know: one relational invitation per contact per 180 days
(per program kind), at most one invitation of any program per 30 days, at most 3 contacts of one account
per wave, nobody who answered any survey in the last 30 days, never opted-out or bounced contacts nor
contacts of churned accounts (loss surveys aside), waves spread over 10 business days with a daily cap.
Reminders are not invitations: the planner never plans them and they count toward no rule.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

from ..workspace import Workspace

SETTING = "cadence.rules"
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Rules:
    relational_gap_days: int = 180
    global_gap_days: int = 30
    recent_response_days: int = 30
    account_cap_per_wave: int = 3
    daily_cap: int = 500
    wave_business_days: int = 10
    max_delay_business_days: int = 5
    skip_opted_out: bool = True
    skip_bounced: bool = True
    skip_churned: bool = True
    business_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)   # Monday = 0
    holidays: tuple[str, ...] = ()                          # ISO dates with no sends

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["business_weekdays"] = list(self.business_weekdays)
        d["holidays"] = list(self.holidays)
        return d


#: name -> (label, help, minimum, maximum) of each number rule, for editors and validation.
NUMBER_RULES: dict[str, tuple[str, str, int, int]] = {
    "relational_gap_days": ("Days between relational surveys",
                            "One relational invitation per contact per this many days (per kind).", 0, 3650),
    "global_gap_days": ("Days between any two invitations",
                        "At most one invitation of any program per contact in this many days.", 0, 3650),
    "recent_response_days": ("Days of rest after an answer",
                             "Nobody who answered any survey in this many days is asked.", 0, 3650),
    "account_cap_per_wave": ("Contacts per account per wave",
                             "At most this many contacts of one account in one wave.", 1, 100000),
    "daily_cap": ("Invitations per day", "At most this many invitations on one business day.", 1, 10**7),
    "wave_business_days": ("Business days a wave is spread over",
                           "A relational wave is spread evenly over this many business days.", 1, 120),
    "max_delay_business_days": ("Business days a triggered survey may wait",
                                "A triggered survey may move this many business days later for "
                                "the daily cap or a gap; after that it is dropped.", 0, 60),
}
FLAG_RULES: dict[str, str] = {
    "skip_opted_out": "Never invite opted-out contacts",
    "skip_bounced": "Never invite contacts whose email bounced",
    "skip_churned": "Never invite contacts of churned accounts (loss surveys aside)",
}


def validate(data: dict[str, Any]) -> Rules:
    """Build ``Rules`` from a dict (missing keys take defaults); ``ValueError`` names a bad rule."""
    known = {f.name for f in fields(Rules)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown fatigue rule {unknown[0]!r}")
    values: dict[str, Any] = {}
    for name, (label, _, lo, hi) in NUMBER_RULES.items():
        if name in data:
            v = data[name]
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{label}: {v!r} is not a whole number from {lo} to {hi}")
            values[name] = v
    for name, label in FLAG_RULES.items():
        if name in data:
            if not isinstance(data[name], bool):
                raise ValueError(f"{label}: {data[name]!r} is not true or false")
            values[name] = data[name]
    if "business_weekdays" in data:
        days = data["business_weekdays"]
        if not days or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
            raise ValueError("business days: give at least one weekday number from 0 (Monday) to 6")
        values["business_weekdays"] = tuple(sorted(set(days)))
    if "holidays" in data:
        try:
            values["holidays"] = tuple(sorted({date.fromisoformat(str(h)).isoformat()
                                               for h in data["holidays"]}))
        except ValueError:
            raise ValueError("holidays: write each date as YYYY-MM-DD") from None
    return replace(Rules(), **values)


def load_rules(ws: Workspace) -> Rules:
    """The workspace's rules; defaults for anything not set."""
    return validate(ws.get_setting(SETTING, {}) or {})


def save_rules(ws: Workspace, rules: Rules) -> None:
    validate(rules.to_dict())
    ws.set_setting(SETTING, rules.to_dict())
