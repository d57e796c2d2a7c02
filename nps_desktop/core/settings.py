"""The workspace's settings, declared in one place with their defaults and meaning.

Values live in the ``settings`` table as JSON; read them with ``get`` so every caller sees the same
default. ``company_logo`` holds the image bytes base64-encoded, so a workspace file carries its logo.
"""
from __future__ import annotations

import base64
import json
import locale
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from .workspace import Workspace
from .worth import benchmarks


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    label: str
    help: str


SETTINGS: dict[str, Setting] = {s.key: s for s in [
    Setting("company_name", "", "Company name", "Shown on the report's cover and in exports."),
    Setting("company_logo", None, "Company logo", "PNG or JPEG shown on the report's cover (stored in the workspace)."),
    Setting("nps_goal", None, "NPS goal", "The NPS the program aims for; the report shows progress against it."),
    Setting("nps_goal_date", None, "Goal date", "When the goal should be reached (YYYY-MM-DD)."),
    Setting("nps_goal_start", None, "Goal plan starts in",
            "The quarter the goal's plan starts from, like 2026Q3 (empty: the last complete quarter)."),
    Setting("nps_benchmark", None, "Industry benchmark",
            "A published NPS benchmark to show beside your trend (external figures, with their source)."),
    Setting("fiscal_year_start_month", 1, "Fiscal year starts in",
            "Month 1–12; quarters are counted from it (1 = calendar quarters)."),
    Setting("page_size", "A4", "Report page size", "A4 or Letter."),
    Setting("min_responses", 30, "Minimum responses",
            "An NPS, a change or a segment row with fewer responses is shown greyed as “n too small”, "
            "with no significance arrow, no colour and no headline sentence."),
    Setting("min_accounts", 10, "Minimum accounts",
            "A renewal, churn or expansion rate over fewer accounts is shown greyed as “n too small”."),
    Setting("currency", None, "Currency",
            "ISO 4217 code shown on every money figure (empty: from the computer's locale)."),
    Setting("at_risk_min_contacts", 2, "Minimum responding contacts for at-risk",
            "An account counts as at risk, or as falling, only with at least this many responding contacts."),
    Setting("save_window_days", 180, "Save reconciliation window",
            "A save counts only if the account did not churn within this many days of the response."),
    Setting("brand_color", "#0f2747", "Company colour",
            "The colour of the report's cover, headings and slide titles (#RRGGBB)."),
]}

#: The currency of a locale's country, for the default of ``currency`` (else USD).
_COUNTRY_CURRENCY = {
    "US": "USD", "GB": "GBP", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "IE": "EUR", "DE": "EUR", "FR": "EUR",
    "ES": "EUR", "IT": "EUR", "NL": "EUR", "BE": "EUR", "AT": "EUR", "PT": "EUR", "FI": "EUR", "GR": "EUR",
    "LU": "EUR", "SK": "EUR", "SI": "EUR", "EE": "EUR", "LV": "EUR", "LT": "EUR", "HR": "EUR", "CY": "EUR",
    "MT": "EUR", "CH": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "PL": "PLN", "CZ": "CZK", "HU": "HUF",
    "JP": "JPY", "CN": "CNY", "IN": "INR", "SG": "SGD", "HK": "HKD", "KR": "KRW", "BR": "BRL", "MX": "MXN",
    "ZA": "ZAR", "IL": "ILS", "AE": "AED", "TR": "TRY",
}
_INTEGER_KEYS = {"min_responses": (1, 10_000), "min_accounts": (1, 10_000), "at_risk_min_contacts": (1, 100),
                 "save_window_days": (1, 3650)}


MAX_LOGO_BYTES = 2_000_000
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def get(ws: Workspace, key: str) -> Any:
    return value(ws.conn, key)


def value(conn: sqlite3.Connection, key: str) -> Any:
    """A setting read through a connection (for code that runs inside another transaction)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    stored = None if row is None else json.loads(row[0])
    if key == "currency":
        return stored or locale_currency()
    return SETTINGS[key].default if row is None else stored


def locale_currency() -> str:
    """The ISO currency of the computer's locale (``de_DE`` → EUR), USD when it cannot tell."""
    name = locale.getlocale(locale.LC_MONETARY)[0] or os.environ.get("LC_ALL") or os.environ.get("LC_MONETARY") \
        or os.environ.get("LANG") or ""
    m = re.match(r"[a-z]{2,3}[_-]([A-Z]{2})", name)
    return _COUNTRY_CURRENCY.get(m.group(1), "USD") if m else "USD"


def set_value(ws: Workspace, key: str, value: Any) -> None:
    check(key, value)
    ws.set_setting(key, value)


def set_values(ws: Workspace, values: dict[str, Any]) -> None:
    """Store several settings, all or nothing: each is checked before any is written."""
    for key, value in values.items():
        check(key, value)
    with ws.transaction() as conn:
        for key, value in values.items():
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, json.dumps(value)))


def check(key: str, value: Any) -> None:
    """A ValueError saying what is wrong when ``value`` cannot be stored under ``key``."""
    if key not in SETTINGS:
        raise ValueError(f"unknown setting {key!r}")
    if key == "fiscal_year_start_month" and value not in range(1, 13):
        raise ValueError("the fiscal year starts in a month from 1 to 12")
    if key == "nps_goal" and value is not None and not -100 <= value <= 100:
        raise ValueError("an NPS goal lies between -100 and 100")
    if key == "nps_goal_date" and value is not None:
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError(f"the goal date {value!r} is not a date: write it like 2027-12-31") from None
    if key == "nps_goal_start" and value is not None and not re.fullmatch(r"\d{4}Q[1-4]", str(value)):
        raise ValueError(f"the goal plan's first quarter {value!r} is not a quarter: write it like 2026Q3")
    if key == "nps_benchmark" and value is not None and value not in benchmarks.BENCHMARKS:
        raise ValueError(f"there is no bundled benchmark {value!r}")
    if key == "page_size" and value not in ("A4", "Letter"):
        raise ValueError("the page size is A4 or Letter")
    if key in _INTEGER_KEYS:
        lo, hi = _INTEGER_KEYS[key]
        if not isinstance(value, int) or not lo <= value <= hi:
            raise ValueError(f"{SETTINGS[key].label.lower()} is a whole number from {lo} to {hi:,}")
    if key == "currency" and value is not None:
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError("a currency is a three-letter ISO 4217 code such as EUR or USD")
    if key == "brand_color" and not (isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value)):
        raise ValueError(f"the company colour is written #RRGGBB, like #0f2747, not {value!r}")


def set_logo(ws: Workspace, data: bytes | None) -> None:
    """Store a PNG or JPEG logo (None removes it)."""
    if data is not None:
        if not data.startswith(_IMAGE_MAGIC):
            raise ValueError("the logo must be a PNG or JPEG image")
        if len(data) > MAX_LOGO_BYTES:
            raise ValueError("the logo is larger than 2 MB; use a smaller image")
    ws.set_setting("company_logo", None if data is None else base64.b64encode(data).decode("ascii"))


def logo_bytes(ws: Workspace) -> bytes | None:
    value = get(ws, "company_logo")
    return None if not value else base64.b64decode(value)
