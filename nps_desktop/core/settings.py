"""The workspace's settings: every one declared once here, with its type, default, label and meaning.

Read one with ``get(ws, MIN_RESPONSES)`` (typed) or ``get(ws, "min_responses")``; store with ``set_value``
or ``set_values`` (checked first, all or nothing). Code inside an import's transaction, which holds only
its connection, reads with ``get_in(conn, …)``.

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
from typing import Any, Generic, TypeVar, overload

from .workspace import Workspace
from .worth import benchmarks


T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: its key in the ``settings`` table, its type, its default, its label and what it means.
    ``optional``: None is a value it may take (no goal, no logo…)."""

    key: str
    type: type
    default: T
    label: str
    help: str
    optional: bool = False


#: Health components and their default weights (they need not sum to 1; they are normalised).
DEFAULT_HEALTH_WEIGHTS = {"nps": 0.35, "trend": 0.2, "open_saves": 0.15, "revenue": 0.15, "renewal": 0.15}

COMPANY_NAME = Setting[str]("company_name", str, "", "Company name", "Shown on the report's cover and in exports.")
COMPANY_LOGO = Setting[str | None]("company_logo", str, None, "Company logo",
                                   "PNG or JPEG shown on the report's cover (stored in the workspace).", True)
NPS_GOAL = Setting[float | None]("nps_goal", float, None, "NPS goal",
                                 "The NPS the program aims for; the report shows progress against it.", True)
NPS_GOAL_DATE = Setting[str | None]("nps_goal_date", str, None, "Goal date",
                                    "When the goal should be reached (YYYY-MM-DD).", True)
NPS_GOAL_START = Setting[str | None]("nps_goal_start", str, None, "Goal plan starts in",
                                     "The quarter the goal's plan starts from, like 2026Q3 "
                                     "(empty: the last complete quarter).", True)
NPS_BENCHMARK = Setting[str | None]("nps_benchmark", str, None, "Industry benchmark",
                                    "A published NPS benchmark to show beside your trend "
                                    "(external figures, with their source).", True)
FISCAL_YEAR_START_MONTH = Setting[int]("fiscal_year_start_month", int, 1, "Fiscal year starts in",
                                       "Month 1–12; quarters are counted from it (1 = calendar quarters).")
PAGE_SIZE = Setting[str]("page_size", str, "A4", "Report page size", "A4 or Letter.")
MIN_RESPONSES = Setting[int]("min_responses", int, 30, "Minimum responses",
                             "An NPS, a change or a segment row with fewer responses is shown greyed as “n too "
                             "small”, with no significance arrow, no colour and no headline sentence.")
MIN_ACCOUNTS = Setting[int]("min_accounts", int, 10, "Minimum accounts",
                            "A renewal, churn or expansion rate over fewer accounts is shown greyed as “n too small”.")
CURRENCY = Setting[str | None]("currency", str, None, "Currency",
                               "ISO 4217 code shown on every money figure (empty: from the computer's locale).", True)
AT_RISK_MIN_CONTACTS = Setting[int]("at_risk_min_contacts", int, 2, "Minimum responding contacts for at-risk",
                                    "An account counts as at risk, or as falling, only with at least this many "
                                    "responding contacts.")
SAVE_WINDOW_DAYS = Setting[int]("save_window_days", int, 180, "Save reconciliation window",
                                "A save counts only if the account did not churn within this many days of the "
                                "response.")
BRAND_COLOR = Setting[str]("brand_color", str, "#0f2747", "Company colour",
                           "The colour of the report's cover, headings and slide titles (#RRGGBB).")
# The closed loop's settings.
LOOP_HISTORY_DAYS = Setting[int]("loop.history_days", int, 30, "History cut-off (days)",
                                 "Imported responses older than this many days create no actions: history is history.")
LOOP_HOLIDAYS = Setting[list]("loop.holidays", list, [], "Holidays",
                              "ISO dates that are not business days when due dates are counted.")
LOOP_HEALTH_WEIGHTS = Setting[dict]("loop.health_weights", dict, DEFAULT_HEALTH_WEIGHTS, "Account health weights",
                                    "Weight of each part of the 0–100 account health: nps, trend, open_saves, "
                                    "revenue, renewal.")
LOOP_DROP_POINTS = Setting[float]("loop.drop_points", float, 20, "Account NPS drop (points)",
                                  "An account whose NPS fell by this much between consecutive periods raises a "
                                  "signal.")
LOOP_CONTACT_DROP = Setting[int]("loop.contact_drop", int, 3, "Contact score drop",
                                 "A contact whose score fell by this much between consecutive responses raises a "
                                 "signal.")
LOOP_RISK_RENEWAL_DAYS = Setting[int]("loop.risk_renewal_days", int, 120, "Renewal horizon for ARR at risk (days)",
                                      "Detractor or falling accounts renewing within this many days head the "
                                      "priority list.")

#: Every setting, declared once above, by key.
_DECLARED: list[Setting[Any]] = [
    COMPANY_NAME, COMPANY_LOGO, NPS_GOAL, NPS_GOAL_DATE, NPS_GOAL_START, NPS_BENCHMARK, FISCAL_YEAR_START_MONTH,
    PAGE_SIZE, MIN_RESPONSES, MIN_ACCOUNTS, CURRENCY, AT_RISK_MIN_CONTACTS, SAVE_WINDOW_DAYS, BRAND_COLOR,
    LOOP_HISTORY_DAYS, LOOP_HOLIDAYS, LOOP_HEALTH_WEIGHTS, LOOP_DROP_POINTS, LOOP_CONTACT_DROP,
    LOOP_RISK_RENEWAL_DAYS,
]
SETTINGS: dict[str, Setting[Any]] = {s.key: s for s in _DECLARED}
#: The closed loop's settings (the actions page's settings tab).
LOOP_SETTINGS = {k: s for k, s in SETTINGS.items() if k.startswith("loop.")}

#: The currency of a locale's country, for the default of ``currency`` (else USD).
_COUNTRY_CURRENCY = {
    "US": "USD", "GB": "GBP", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "IE": "EUR", "DE": "EUR", "FR": "EUR",
    "ES": "EUR", "IT": "EUR", "NL": "EUR", "BE": "EUR", "AT": "EUR", "PT": "EUR", "FI": "EUR", "GR": "EUR",
    "LU": "EUR", "SK": "EUR", "SI": "EUR", "EE": "EUR", "LV": "EUR", "LT": "EUR", "HR": "EUR", "CY": "EUR",
    "MT": "EUR", "CH": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "PL": "PLN", "CZ": "CZK", "HU": "HUF",
    "JP": "JPY", "CN": "CNY", "IN": "INR", "SG": "SGD", "HK": "HKD", "KR": "KRW", "BR": "BRL", "MX": "MXN",
    "ZA": "ZAR", "IL": "ILS", "AE": "AED", "TR": "TRY",
}
_TYPE_WORDS = {str: "a text", int: "a whole number", float: "a number", list: "a list", dict: "a mapping"}
_INTEGER_KEYS = {"min_responses": (1, 10_000), "min_accounts": (1, 10_000), "at_risk_min_contacts": (1, 100),
                 "save_window_days": (1, 3650)}


MAX_LOGO_BYTES = 2_000_000
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


@overload
def get(ws: Workspace, key: Setting[T]) -> T: ...
@overload
def get(ws: Workspace, key: str) -> Any: ...
def get(ws: Workspace, key: str | Setting[Any]) -> Any:
    """The value of a setting (by its declaration or its key), or its declared default."""
    return get_in(ws.conn, key)


def get_in(conn: sqlite3.Connection, key: str | Setting[Any]) -> Any:
    """``get`` for code that holds only the connection of a transaction under way (an import's follow-ups)."""
    setting = _declared(key)
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (setting.key,)).fetchone()
    stored = None if row is None else json.loads(row[0])
    if setting is CURRENCY:
        return stored or locale_currency()
    return setting.default if row is None else stored


def _declared(key: str | Setting[Any]) -> Setting[Any]:
    if isinstance(key, Setting):
        return key
    if key not in SETTINGS:
        raise ValueError(f"unknown setting {key!r}")
    return SETTINGS[key]


def locale_currency() -> str:
    """The ISO currency of the computer's locale (``de_DE`` → EUR), USD when it cannot tell."""
    name = locale.getlocale(locale.LC_MONETARY)[0] or os.environ.get("LC_ALL") or os.environ.get("LC_MONETARY") \
        or os.environ.get("LANG") or ""
    m = re.match(r"[a-z]{2,3}[_-]([A-Z]{2})", name)
    return _COUNTRY_CURRENCY.get(m.group(1), "USD") if m else "USD"


def set_value(ws: Workspace, key: str | Setting[T], value: T) -> None:
    """Store one setting after checking it (a ValueError says what is wrong, and nothing is written)."""
    set_values(ws, {_declared(key).key: value})


def set_values(ws: Workspace, values: dict[str, Any]) -> None:
    """Store several settings, all or nothing: each is checked before any is written."""
    checked = {key: check(key, value) for key, value in values.items()}
    with ws.transaction() as conn:
        for key, value in checked.items():
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, json.dumps(value)))


def check(key: str, value: Any) -> Any:
    """The value to store under ``key`` (health weights normalised), or a ValueError saying what is wrong."""
    if key not in SETTINGS:
        raise ValueError(f"unknown setting {key!r}")
    setting = SETTINGS[key]
    if value is None and setting.optional:
        return None
    try:
        value = _checked(key, value)
    except (TypeError, AttributeError):
        pass  # a value of the wrong type: said below
    if not _of_type(value, setting):
        raise ValueError(f"{setting.label.lower()} takes {_TYPE_WORDS[setting.type]}, not {value!r}")
    return value


def _checked(key: str, value: Any) -> Any:
    """The checks of one setting beyond its type (a TypeError when the value is of another type)."""
    if key == "loop.health_weights":
        return check_weights(value)
    if key == "loop.holidays":
        return check_holidays(value)
    if key in ("loop.history_days", "loop.contact_drop", "loop.risk_renewal_days") and \
            (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ValueError(f"{SETTINGS[key].label.lower()} is a whole number, zero or more")
    if key == "loop.drop_points" and (not isinstance(value, (int, float)) or not 0 < value <= 200):
        raise ValueError("the account NPS drop is a number of points above 0 and up to 200")
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
    return value


def _of_type(value: Any, setting: Setting[Any]) -> bool:
    return isinstance(value, (setting.type, int) if setting.type is float else setting.type)


def check_weights(weights: dict[str, float]) -> dict[str, float]:
    """Health weights with every component (missing ones 0.0), or a ValueError naming what is wrong."""
    unknown = set(weights) - set(DEFAULT_HEALTH_WEIGHTS)
    if unknown:
        raise ValueError(f"unknown health component {sorted(unknown)[0]!r}; "
                         f"known: {', '.join(DEFAULT_HEALTH_WEIGHTS)}")
    if any(w < 0 for w in weights.values()) or not any(weights.values()):
        raise ValueError("health weights are zero or more, and at least one is above zero")
    return {k: float(weights.get(k, 0.0)) for k in DEFAULT_HEALTH_WEIGHTS}


def check_holidays(days: list[str]) -> list[str]:
    for d in days:
        try:
            date.fromisoformat(d)
        except (TypeError, ValueError):
            raise ValueError(f"the holiday {d!r} is not a date: write it like 2026-12-25") from None
    return list(days)


def holidays_in(conn: sqlite3.Connection) -> frozenset[date]:
    """The holidays (``loop.holidays``) as dates, read in the caller's transaction."""
    return frozenset(date.fromisoformat(d) for d in get_in(conn, LOOP_HOLIDAYS))


def set_logo(ws: Workspace, data: bytes | None) -> None:
    """Store a PNG or JPEG logo (None removes it)."""
    if data is not None:
        if not data.startswith(_IMAGE_MAGIC):
            raise ValueError("the logo must be a PNG or JPEG image")
        if len(data) > MAX_LOGO_BYTES:
            raise ValueError("the logo is larger than 2 MB; use a smaller image")
    set_value(ws, COMPANY_LOGO, None if data is None else base64.b64encode(data).decode("ascii"))


def logo_bytes(ws: Workspace) -> bytes | None:
    value = get(ws, COMPANY_LOGO)
    return None if not value else base64.b64decode(value)
