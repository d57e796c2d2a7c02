"""Survey programs: what is asked of whom, and what triggers it, stored in the ``programs`` table.

A program is *periodic* (a relational pulse each quarter, half-year or year, sent in waves to a
lifecycle group or a list) or *triggered* by a dated moment: N days after the customer start
(onboarding), N days before the renewal date (renewal), N days after a support case or milestone from
``touchpoint_events``. eNPS and partner programs run on their own lists (accounts, email domains or
roles); customer programs leave the people on those lists alone.

The defaults are written once per workspace that has no cadence yet (a setting remembers it, so a
program the team deletes does not come back). Programs written by imports without a trigger are kept but never planned.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from ..workspace import Workspace
from .explain import days

KINDS = ("rnps", "tnps", "enps", "partner")
KIND_LABELS = {"rnps": "relational NPS", "tnps": "transactional NPS", "enps": "employee NPS",
               "partner": "partner NPS"}
#: Periodic triggers and the length of their period in months.
PERIODIC = {"quarterly": 3, "semiannual": 6, "annual": 12}
#: Triggers that come from a dated moment.
MOMENTS = ("onboarding", "renewal", "support_case", "milestone")
TRIGGERS = (*PERIODIC, *MOMENTS)
TRIGGER_LABELS = {"quarterly": "every quarter", "semiannual": "every half-year", "annual": "every year",
                  "onboarding": "after the customer start", "renewal": "before the renewal",
                  "support_case": "after a support case", "milestone": "after a milestone"}
#: Lifecycle groups a program can target, plus ``list`` (eNPS and partner programs).
TARGETS = ("customers", "prospects", "new_customers", "renewals", "advocates", "losses", "list")
TARGET_LABELS = {
    "customers": "all active customers",
    "prospects": "prospects",
    "new_customers": "new customers (started in the last 180 days)",
    "renewals": "renewals (renewing in the next 90 days)",
    "advocates": "advocates (customers for 2+ years with an upsell or cross-sell)",
    "losses": "losses (churned accounts)",
    "list": "its own list",
}
NEW_CUSTOMER_DAYS = 180
RENEWAL_WINDOW_DAYS = 90
ADVOCATE_DAYS = 730

SEEDED_SETTING = "cadence.programs_seeded"


@dataclass(frozen=True)
class Program:
    """One survey program. ``list_*`` select the people of a ``list`` program (any match counts)."""
    name: str
    kind: str = "rnps"
    trigger: str | None = "quarterly"
    trigger_days: int = 0
    target: str = "customers"
    question: str | None = None
    active: bool = True
    list_accounts: tuple[str, ...] = ()   # account external ids or names
    list_domains: tuple[str, ...] = ()    # email domains
    list_roles: tuple[str, ...] = ()      # contact roles
    id: int | None = field(default=None, compare=False)

    @property
    def periodic(self) -> bool:
        return self.trigger in PERIODIC

    @property
    def plannable(self) -> bool:
        return self.active and self.trigger in TRIGGERS

    def describe(self) -> str:
        """One line a user reads: "every quarter to all active customers"."""
        if self.periodic:
            when = TRIGGER_LABELS[self.trigger]
        elif self.trigger in MOMENTS:
            when = f"{days(self.trigger_days)} {TRIGGER_LABELS[self.trigger]}"
        else:
            when = "no trigger (not planned)"
        who = TARGET_LABELS.get(self.target, self.target)
        if self.target == "list":
            parts = [f"{k}: {', '.join(v)}" for k, v in (("accounts", self.list_accounts),
                     ("domains", self.list_domains), ("roles", self.list_roles)) if v]
            who = "its list (" + ("; ".join(parts) or "empty") + ")"
        return f"{when}, to {who}" + ("" if self.active else " — paused")


DEFAULT_PROGRAMS = (
    Program("Relational NPS", "rnps", "quarterly", 0, "customers",
            "How likely are you to recommend us to a friend or colleague?"),
    Program("Onboarding tNPS", "tnps", "onboarding", 30, "customers",
            "How likely are you to recommend us, based on your onboarding?"),
    Program("Renewal tNPS", "tnps", "renewal", 60, "customers",
            "How likely are you to recommend us to a friend or colleague?"),
    Program("Support tNPS", "tnps", "support_case", 1, "customers",
            "Based on your recent support case, how likely are you to recommend us?"),
    Program("Milestone tNPS", "tnps", "milestone", 1, "customers",
            "How likely are you to recommend us to a friend or colleague?"),
    Program("Loss survey", "rnps", "quarterly", 0, "losses",
            "How likely would you be to recommend us to a friend or colleague?", active=False),
    Program("Employee NPS", "enps", "semiannual", 0, "list",
            "How likely are you to recommend working here to a friend?", active=False),
    Program("Partner NPS", "partner", "semiannual", 0, "list",
            "How likely are you to recommend partnering with us?", active=False),
)


def validate(p: Program) -> None:
    """Raise ``ValueError`` with a one-line message if ``p`` cannot be stored."""
    if not p.name or not p.name.strip():
        raise ValueError("a program needs a name")
    if p.kind not in KINDS:
        raise ValueError(f"program {p.name!r}: kind {p.kind!r} is not one of {', '.join(KINDS)}")
    if p.trigger is not None and p.trigger not in TRIGGERS:
        raise ValueError(f"program {p.name!r}: trigger {p.trigger!r} is not one of {', '.join(TRIGGERS)}")
    if p.target not in TARGETS:
        raise ValueError(f"program {p.name!r}: target {p.target!r} is not one of {', '.join(TARGETS)}")
    if not isinstance(p.trigger_days, int) or not 0 <= p.trigger_days <= 3650:
        raise ValueError(f"program {p.name!r}: trigger days must be a whole number from 0 to 3650")
    if p.target == "list" and p.trigger not in PERIODIC and p.trigger is not None:
        raise ValueError(f"program {p.name!r}: a list program runs quarterly, semiannual or annual")


def _from_row(row: Any) -> Program:
    settings = json.loads(row["settings"]) if row["settings"] else {}
    lst = settings.get("list") or {}
    return Program(row["name"], row["kind"], row["trigger"], int(row["trigger_days"] or 0),
                   row["target"] or ("list" if row["kind"] in ("enps", "partner") else "customers"),
                   row["question"], bool(row["active"]), tuple(lst.get("accounts", ())),
                   tuple(d.lower().lstrip("@") for d in lst.get("domains", ())),
                   tuple(lst.get("roles", ())), id=row["id"])


def _values(p: Program) -> tuple:
    lst = {k: list(v) for k, v in (("accounts", p.list_accounts), ("domains", p.list_domains),
                                    ("roles", p.list_roles)) if v}
    return (p.name.strip(), p.kind, p.question, p.trigger, p.trigger_days, p.target, int(p.active),
            json.dumps({"list": lst}) if lst else None)


def seed_defaults(ws: Workspace) -> None:
    """Write the default programs once per workspace, unless it already has programs with triggers
    (an imported or demo cadence is kept as it is); names already present are left alone."""
    if ws.read_only or ws.get_setting(SEEDED_SETTING, False):
        return
    has_cadence = ws.scalar(f"SELECT count(*) FROM programs WHERE trigger IN ({','.join('?' * len(TRIGGERS))})",
                            TRIGGERS)
    with ws.transaction() as conn:
        conn.executemany("INSERT OR IGNORE INTO programs(name, kind, question, trigger, trigger_days, "
                         "target, active, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [] if has_cadence else [_values(p) for p in DEFAULT_PROGRAMS])
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, 'true')", (SEEDED_SETTING,))


def load_programs(ws: Workspace, seed: bool = True) -> list[Program]:
    """Every program, in id order; writes the defaults first the first time (unless read-only)."""
    if seed:
        seed_defaults(ws)
    rows = ws.query("SELECT id, name, kind, question, trigger, trigger_days, target, active, settings "
                    "FROM programs ORDER BY id")
    return [_from_row(r) for r in rows]


def save_program(ws: Workspace, p: Program) -> Program:
    """Insert ``p`` (no id) or update the program with its id; returns it with its id."""
    validate(p)
    with ws.transaction() as conn:
        clash = conn.execute("SELECT id FROM programs WHERE name = ? AND id IS NOT ?",
                             (p.name.strip(), p.id)).fetchone()
        if clash:
            raise ValueError(f"a program called {p.name.strip()!r} already exists")
        if p.id is None:
            cur = conn.execute("INSERT INTO programs(name, kind, question, trigger, trigger_days, target, "
                               "active, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _values(p))
            return replace(p, id=cur.lastrowid)
        conn.execute("UPDATE programs SET name = ?, kind = ?, question = ?, trigger = ?, trigger_days = ?, "
                     "target = ?, active = ?, settings = ? WHERE id = ?", (*_values(p), p.id))
    return p
