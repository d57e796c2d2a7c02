"""What each kind of import can fill (its fields), how a mapping column → field is checked, and the
named mapping profiles a user saves (table ``mapping_profiles``).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from . import errors, values

if TYPE_CHECKING:
    from ..workspace import Workspace

KINDS = ("responses", "accounts", "contacts", "revenue")
#: The mapping value of a column that is not imported.
IGNORE = ""


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str            # a key of PARSERS, or "datetime"/"date" (parsed with the file's date order)
    required: bool = False


FIELDS: dict[str, tuple[Field, ...]] = {
    "responses": (
        Field("score", "Score (0-10)", "score", True),
        Field("responded_at", "Responded at", "datetime", True),
        Field("comment", "Comment", "text"),
        Field("email", "Email", "email"),
        Field("first_name", "First name", "text"),
        Field("last_name", "Last name", "text"),
        Field("name", "Respondent name", "text"),
        Field("source_id", "Response id", "text"),
        Field("account", "Account id", "text"),
        Field("kind", "Program kind (rNPS, tNPS…)", "program_kind"),
        Field("touchpoint", "Touchpoint", "text"),
        Field("product", "Product", "text"),
        Field("status", "Response status (preview, test…)", "text"),
        Field("finished", "Finished", "bool"),
    ),
    "accounts": (
        Field("external_id", "Account id", "text"),
        Field("name", "Account name", "text"),
        Field("domain", "Domain or website", "domain"),
        Field("arr", "ARR", "money"),
        Field("seats", "Seats", "int"),
        Field("industry", "Industry", "text"),
        Field("region", "Region", "text"),
        Field("tier", "Tier", "text"),
        Field("lifecycle_stage", "Lifecycle stage", "text"),
        Field("customer_since", "Customer since", "date"),
        Field("renewal_date", "Renewal date", "date"),
        Field("owner", "Owner", "text"),
        Field("status", "Status (active, churned, prospect)", "account_status"),
    ),
    "contacts": (
        Field("email", "Email", "email", True),
        Field("first_name", "First name", "text"),
        Field("last_name", "Last name", "text"),
        Field("name", "Full name", "text"),
        Field("role", "Role or title", "text"),
        Field("account", "Account id", "text"),
        Field("account_name", "Account name", "text"),
        Field("opted_out", "Unsubscribed / opted out", "bool"),
        Field("subscribed", "Subscribed (yes = not opted out)", "bool"),
        Field("bounced", "Bounced", "bool"),
    ),
    "revenue": (
        Field("account", "Account id", "text"),
        Field("account_name", "Account name", "text"),
        Field("kind", "Event (renewal, churn, upsell…)", "revenue_kind", True),
        Field("occurred_on", "Date", "date", True),
        Field("arr_change", "ARR change", "money"),
        Field("arr_before", "ARR before", "money"),
        Field("note", "Note", "text"),
        Field("source_key", "Event id", "text"),
    ),
}
#: Fields of which at least one must be mapped (beyond the required ones).
ONE_OF: dict[str, tuple[str, ...]] = {"accounts": ("external_id", "name"), "revenue": ("account", "account_name")}

PARSERS: dict[str, Callable[[Any], Any]] = {
    "score": values.parse_score, "text": values.parse_text, "email": values.normalise_email,
    "domain": values.normalise_domain, "money": values.parse_money, "int": values.parse_int,
    "bool": values.parse_bool, "program_kind": values.parse_program_kind,
    "revenue_kind": values.parse_revenue_kind, "account_status": values.parse_account_status,
}


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise errors.bad_kind(kind)
    return kind


def fields(kind: str) -> tuple[Field, ...]:
    return FIELDS[check_kind(kind)]


def get_field(kind: str, name: str) -> Field:
    return next(f for f in fields(kind) if f.name == name)


def missing(kind: str, mapping: dict[str, str]) -> list[tuple[Field, ...]]:
    """The required fields that no column is mapped to; a group where any one of them will do."""
    mapped = set(mapping.values())
    out = [(f,) for f in fields(kind) if f.required and f.name not in mapped]
    one_of = ONE_OF.get(kind, ())
    if one_of and not mapped & set(one_of):
        out.append(tuple(get_field(kind, n) for n in one_of))
    return out


def remap(kind: str, mapping: dict[str, str], changes: dict[str, str], columns: list[str]) -> dict[str, str]:
    """``mapping`` with ``changes`` (column → field name, or ``IGNORE``) on top: a field given a new
    column leaves the column it had. A column the file lacks, or a field the kind lacks, is refused."""
    known = {f.name for f in fields(kind)}
    out = dict(mapping)
    for col, name in changes.items():
        if col not in columns:
            raise errors.ImportRefused(f'There is no column "{col}" to map; columns seen: '
                                       f"{errors.columns_text(columns)}.")
        if name != IGNORE and name not in known:
            raise errors.ImportRefused(f'Column "{col}" cannot be mapped to {name!r}: {kind} have '
                                       f"{', '.join(sorted(known))} (or ignore).")
        out = {c: f for c, f in out.items() if c != col and (name == IGNORE or f != name)}
        if name != IGNORE:
            out[col] = name
    return out


def clean(kind: str, mapping: dict[str, str], columns: list[str]) -> dict[str, str]:
    """The mapping restricted to the file's columns and the kind's fields, one column per field."""
    known = {f.name for f in fields(kind)}
    out: dict[str, str] = {}
    taken: set[str] = set()
    for col in columns:
        name = mapping.get(col, IGNORE)
        if name == IGNORE:
            continue
        if name not in known:
            raise errors.ImportRefused(f'Column "{col}" is mapped to {name!r}, which {kind} do not have; '
                                       f"fields: {', '.join(sorted(known))}.")
        if name in taken:
            raise errors.ImportRefused(f"Two columns are mapped to {get_field(kind, name).label}; map one.")
        taken.add(name)
        out[col] = name
    return out


# -- profiles ------------------------------------------------------------------------------------
@dataclass
class Profile:
    name: str
    kind: str
    columns: dict[str, str]
    options: dict[str, Any] = field(default_factory=dict)   # date_order


def save_profile(conn: sqlite3.Connection, profile: Profile) -> None:
    """Save (or replace) a named mapping; the caller holds the transaction."""
    check_kind(profile.kind)
    doc = json.dumps({"columns": profile.columns, **profile.options}, ensure_ascii=False, sort_keys=True)
    conn.execute("INSERT INTO mapping_profiles(name, kind, mapping) VALUES (?, ?, ?) "
                 "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, mapping = excluded.mapping",
                 (profile.name, profile.kind, doc))


def load_profile(conn: sqlite3.Connection, name: str) -> Profile:
    row = conn.execute("SELECT name, kind, mapping FROM mapping_profiles WHERE name = ?", (name,)).fetchone()
    if row is None:
        known = [r[0] for r in conn.execute("SELECT name FROM mapping_profiles ORDER BY name")]
        raise errors.ImportRefused(f"No saved mapping named {name!r}; saved: {errors.columns_text(known)}.")
    doc = json.loads(row[2])
    columns = doc.pop("columns", {})
    return Profile(row[0], row[1], columns, doc)


def list_profiles(ws: Workspace) -> list[Profile]:
    """Every saved mapping profile, by name."""
    out = []
    for name, kind, doc in ws.conn.execute("SELECT name, kind, mapping FROM mapping_profiles ORDER BY name"):
        d = json.loads(doc)
        out.append(Profile(name, kind, d.pop("columns", {}), d))
    return out


def delete_profile(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("DELETE FROM mapping_profiles WHERE name = ?", (name,)).rowcount > 0
