"""The sentences that say why a contact is not planned: one function per rule, read by people."""
from __future__ import annotations

from datetime import date

#: Rule codes and a short name for each (the planner page groups exclusions by these).
RULE_NAMES = {
    "erased": "personal data erased",
    "no_email": "no email address",
    "opted_out": "opted out",
    "bounced": "bounced",
    "churned": "churned account",
    "relational_gap": "relational gap",
    "global_gap": "gap between invitations",
    "recent_response": "answered recently",
    "account_cap": "contacts per account",
    "capacity": "daily cap",
}


def ago(n: int) -> str:
    return "today" if n == 0 else "1 day ago" if n == 1 else f"{n} days ago"


def days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def later(n: int) -> str:
    return "the same day" if n == 0 else "1 day later" if n == 1 else f"{n} days later"


def erased() -> str:
    return "personal data erased"


def no_email() -> str:
    return "no email address"


def opted_out() -> str:
    return "opted out of surveys"


def bounced() -> str:
    return "email address bounced"


def churned(account: str) -> str:
    return f"{account} has churned; only loss surveys go to churned accounts"


def gap(rule: str, days: int, minimum: int, program: str | None) -> str:
    """A gap rule broken by an earlier invitation or answer (``program`` set: planned in this plan)."""
    if rule == "relational_gap":
        what = f"planned for {program} {ago(days)}" if program else f"surveyed {ago(days)}"
        return f"{what}; the minimum is {minimum}"
    if rule == "recent_response":
        return f"answered a survey {ago(days)}; nobody is asked within {minimum} days of answering"
    what = f"already planned for {program} {ago(days)}" if program else f"surveyed {ago(days)}"
    return f"{what}; at most one invitation per {minimum} days"


def upcoming(rule: str, on: date, days: int, minimum: int) -> str:
    """A gap rule broken by an invitation already recorded after the planned day."""
    what = "surveyed again" if rule == "relational_gap" else "already invited"
    limit = f"the minimum is {minimum}" if rule == "relational_gap" else \
        f"at most one invitation per {minimum} days"
    return f"{what} on {on.isoformat()}, {later(days)}; {limit}"


def account_cap(account: str, cap: int) -> str:
    return f"{cap} contacts of {account} are already in this wave; the maximum is {cap}"


def capacity(cap: int, first: date, last: date) -> str:
    span = f"on {first.isoformat()}" if first == last else \
        f"on every business day from {first.isoformat()} to {last.isoformat()}"
    return f"no room: the daily cap of {cap} is reached {span}"
