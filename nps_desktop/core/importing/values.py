"""Cell values as exports write them → the values the workspace stores.

Each parser takes a raw cell (a string from a text file, or a number, date or bool from a workbook) and
returns the stored value, or raises ``ValueError`` whose message is the reason shown to the user. Blank
cells never reach a parser (the importer treats them as missing).

Dates: ISO, US (month first) and day-first forms, Excel serial numbers, with or without a time and a
zone. A response belongs to the local date written in its file, so a zone is dropped, never converted.
Whether ``03/04/2025`` is 4 March or 3 April is decided for the whole file by ``date_order``.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Iterable

MDY, DMY = "mdy", "dmy"
DATE_ORDERS = (MDY, DMY)

# -- missing values --------------------------------------------------------------------------------
#: What exports and R/pandas write for "no value": such a cell is blank (a blank score is "no score
#: given", a blank comment is no comment), never the text "NA".
MISSING = frozenset({"na", "n/a", "n.a.", "#n/a", "nan", "null", "none", "nil", "-", "--", "—", "(blank)",
                     "(empty)", "<na>"})


#: The first characters of the markers: most cells (numbers, dates, words) are told apart at once.
MISSING_INITIALS = frozenset(m[0] for m in MISSING) | frozenset(m[0].upper() for m in MISSING)


def is_missing(text: str) -> bool:
    """``text`` (stripped, not empty) is a missing-value marker such as ``NA``, ``N/A``, ``null`` or ``-``."""
    return text[0] in MISSING_INITIALS and len(text) <= 7 and text.lower() in MISSING


# -- scores --------------------------------------------------------------------------------------
#: 9, 9.0, 9,0 (a decimal comma, as European Excel writes it; not 1,000), "10 - Extremely likely"; not
#: 10/10, which may as well be a date.
_SCORE = re.compile(r"^\s*(\d{1,2})(?:\.0+|,00?)?\s*(?:$|[-–—:(]\s*\D.*$|\s+[A-Za-z].*$)")


@lru_cache(maxsize=4096)
def _score_text(text: str) -> int:
    m = _SCORE.match(text)
    if not m or not 0 <= int(m[1]) <= 10:
        raise ValueError("not a score from 0 to 10")
    return int(m[1])


def parse_score(v: Any) -> int:
    """0-10 from ``9``, ``9.0``, ``"9"``, ``"9.0"``, ``"9,0"``, ``"10 - Extremely likely"``."""
    if isinstance(v, bool):
        raise ValueError("not a score from 0 to 10")
    if isinstance(v, (int, float)):
        if v != v or v != int(v) or not 0 <= v <= 10:
            raise ValueError("not a score from 0 to 10")
        return int(v)
    return _score_text(str(v))


def is_score(v: Any) -> bool:
    try:
        parse_score(v)
    except ValueError:
        return False
    return True


# -- dates ---------------------------------------------------------------------------------------
_EXCEL_EPOCH = datetime(1899, 12, 30)
#: Serial numbers accepted as dates: 1954-10-03 … 2119-01-08 (plain numbers outside are not dates).
SERIAL_MIN, SERIAL_MAX = 20_000, 80_000
_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for m in names}
_TIME = (r"(?:[ T,]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?\s*"
         r"(?P<ap>[AaPp]\.?[Mm]\.?)?)?"
         r"\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?|\(?[A-Z]{2,5}\)?|[A-Za-z]+/[A-Za-z_]+)?\s*$")
_NUMERIC = re.compile(r"^\s*(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})" + _TIME)
_NAMED_DMY = re.compile(r"^\s*(?:[A-Za-z]{3,9},?\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?[ \-]"
                        r"(?P<mon>[A-Za-z]{3,9})\.?[ \-,]+(?P<y>\d{2,4})" + _TIME)
_NAMED_MDY = re.compile(r"^\s*(?:[A-Za-z]{3,9},?\s+)?(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})"
                        r"(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME)
_SERIAL = re.compile(r"^\s*\d{5}(?:\.\d+)?\s*$")
#: Japanese, Chinese and Korean dates: 2026年3月14日, 2026년 3월 14일 (year, month, day, always).
_CJK_DATE = re.compile(r"^\s*(?P<y>\d{4})\s*[年년]\s*(?P<mo>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일号]?" + _TIME)


def _year(text: str) -> int:
    y = int(text)
    if len(text) <= 2:
        y += 2000 if y < 70 else 1900
    return y


def _stamp(day: date, m: re.Match | None) -> str:
    """ISO text of a day and the optional time groups of ``m`` (``YYYY-MM-DD[THH:MM:SS]``)."""
    if m is None or m["h"] is None:
        return day.isoformat()
    h, mi, s = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
    if m["ap"]:
        if not 1 <= h <= 12:
            raise ValueError("not a time")
        h = h % 12 + (12 if m["ap"][0] in "Pp" else 0)
    return datetime.combine(day, time(h, mi, s)).isoformat()


def _day(y: int, mo: int, d: int) -> date:
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueError("not a date") from None


def serial_to_datetime(x: float) -> datetime:
    """An Excel serial day number (1900 system) as a datetime, rounded to the second."""
    if not SERIAL_MIN <= x <= SERIAL_MAX:
        raise ValueError("not a date")
    return _EXCEL_EPOCH + timedelta(seconds=round(x * 86400))


def _from_serial(x: float, with_time: bool) -> str:
    dt = serial_to_datetime(x)
    if not with_time or (dt.hour, dt.minute, dt.second) == (0, 0, 0):
        return dt.date().isoformat()
    return dt.isoformat()


def numeric_parts(text: str) -> tuple[int, int] | None:
    """The first two numbers of a ``a/b/yyyy`` date, or None when the form is not that one."""
    m = _NUMERIC.match(text)
    if m is None or len(m["a"]) == 4:
        return None
    return int(m["a"]), int(m["b"])


def detect_date_order(values: Iterable[Any]) -> tuple[str | None, str | None]:
    """``(order, example)`` from a column's values: ``mdy``/``dmy`` when some value decides it.

    ``order`` is None when no value decides (every ``a/b`` pair is ≤ 12); ``example`` is then an
    ambiguous value to show the user, or None when the column has no such dates at all. When values
    contradict each other the majority decides (the others are rejected as invalid dates).
    """
    votes = {MDY: 0, DMY: 0}
    example = None
    for v in values:
        if not isinstance(v, str):
            continue
        parts = numeric_parts(v)
        if parts is None:
            continue
        a, b = parts
        if a > 12 >= b:
            votes[DMY] += 1
        elif b > 12 >= a:
            votes[MDY] += 1
        elif example is None and a != b:
            example = v.strip()
    if votes[MDY] or votes[DMY]:
        return (MDY if votes[MDY] >= votes[DMY] else DMY), None
    return None, example


class DateParser:
    """Parses one column's dates with the file's date order; ``with_time`` keeps times of day."""

    def __init__(self, order: str | None = None, with_time: bool = True):
        self.order = order
        self.with_time = with_time
        self._cache: dict[str, str] = {}

    def __call__(self, v: Any) -> str:
        if type(v) is str:
            if len(v) == 19 and v[4] == "-" and v[10] in " T":   # YYYY-MM-DD HH:MM:SS, the common case
                try:
                    datetime.fromisoformat(v)
                except ValueError:
                    pass
                else:
                    return v[:10] + "T" + v[11:] if self.with_time else v[:10]
            cached = self._cache.get(v)
            if cached is None:
                cached = self._parse(v.strip())
                if len(self._cache) < 100_000:
                    self._cache[v] = cached
            return cached
        if isinstance(v, datetime):
            if not self.with_time or (v.hour, v.minute, v.second) == (0, 0, 0):
                return v.date().isoformat()
            return v.replace(tzinfo=None, microsecond=0).isoformat()
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, bool):
            raise ValueError("not a date")
        if isinstance(v, (int, float)):
            return _from_serial(float(v), self.with_time)
        return self(str(v))

    def _parse(self, text: str) -> str:
        if len(text) >= 10 and text[4] == "-":
            try:
                dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
            except ValueError:
                pass
            else:
                if len(text) == 10 or not self.with_time:
                    return dt.date().isoformat()
                return dt.replace(tzinfo=None, microsecond=0).isoformat()
        if _SERIAL.match(text):
            return _from_serial(float(text), self.with_time)
        m = _NUMERIC.match(text)
        if m:
            a, b, c = m["a"], int(m["b"]), m["c"]
            if len(a) == 4:
                day = _day(int(a), b, int(c))
            elif self.order is None:
                a_, b_ = int(a), b
                if a_ > 12 >= b_:
                    day = _day(_year(c), b_, a_)
                elif b_ > 12 >= a_ or a_ == b_:
                    day = _day(_year(c), a_, b_)
                else:
                    raise ValueError("month/day order unknown")
            elif self.order == MDY:
                day = _day(_year(c), int(a), b)
            else:
                day = _day(_year(c), b, int(a))
            return self._stamp(day, m)
        for pattern in (_NAMED_DMY, _NAMED_MDY):
            m = pattern.match(text)
            if m and m["mon"].lower() in _MONTHS:
                return self._stamp(_day(_year(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"])), m)
        m = _CJK_DATE.match(text)
        if m:
            return self._stamp(_day(int(m["y"]), int(m["mo"]), int(m["d"])), m)
        raise ValueError("not a date")

    def _stamp(self, day: date, m: re.Match) -> str:
        return _stamp(day, m if self.with_time else None)


def parse_date(v: Any, order: str | None = None) -> str:
    """A day as ``YYYY-MM-DD`` (a time, if any, is dropped)."""
    return DateParser(order, with_time=False)(v)


def looks_like_date(v: Any) -> bool:
    """A date in any accepted form (numbers only as Excel serials of plausible dates)."""
    if isinstance(v, (datetime, date)):
        return True
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return SERIAL_MIN <= v <= SERIAL_MAX
    if not isinstance(v, str):
        return False
    try:
        DateParser(None)(v)
    except ValueError as exc:
        return str(exc) == "month/day order unknown"
    return True


# -- numbers and money ----------------------------------------------------------------------------
_CURRENCY = re.compile(r"[$€£¥₹]|\b(?:USD|EUR|GBP|CAD|AUD|CHF|JPY|SEK|NOK|DKK|INR|NZD|SGD|BRL|MXN|ZAR)\b",
                       re.IGNORECASE)
_MONEY = re.compile(r"^([+-]?)(\d[\d.,' ]*)(k|m|mm|bn)?$", re.IGNORECASE)
_SCALE = {"k": 1e3, "m": 1e6, "mm": 1e6, "bn": 1e9}
#: "€ 12.000": a single thousands dot (money is not written to three decimals; 0.125 stays a decimal).
_THOUSANDS_DOT = re.compile(r"[1-9]\d{0,2}\.\d{3}")


@lru_cache(maxsize=8192)
def _money_text(text: str) -> float:
    s = _CURRENCY.sub("", text).replace("\u00a0", " ").replace("\u202f", " ").strip()
    negative = s.startswith("(") and s.endswith(")")
    s = s.strip("()").strip().replace(" ", "")
    m = _MONEY.match(s)
    if not m:
        raise ValueError("not an amount of money")
    digits = m[2].replace("'", "")
    if "," in digits and "." in digits:
        dec = "," if digits.rfind(",") > digits.rfind(".") else "."
        digits = digits.replace("." if dec == "," else ",", "").replace(",", ".")
    elif "," in digits:
        groups = digits.split(",")
        if len(groups) == 2 and len(groups[1]) != 3:
            digits = digits.replace(",", ".")
        elif all(len(g) == 3 for g in groups[1:]):
            digits = digits.replace(",", "")
        else:
            raise ValueError("not an amount of money")
    elif digits.count(".") > 1:
        if not all(len(g) == 3 for g in digits.split(".")[1:]):
            raise ValueError("not an amount of money")
        digits = digits.replace(".", "")
    elif _THOUSANDS_DOT.fullmatch(digits):
        digits = digits.replace(".", "")
    try:
        x = float(digits)
    except ValueError:
        raise ValueError("not an amount of money") from None
    x *= _SCALE.get((m[3] or "").lower(), 1)
    return -x if negative or m[1] == "-" else x


def parse_money(v: Any) -> float:
    """``$120,000``, ``120000.00 USD``, ``€1.234,56``, ``€ 12.000``, ``(1,200)`` → a float."""
    if isinstance(v, bool):
        raise ValueError("not an amount of money")
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError("not an amount of money")
        return float(v)
    return _money_text(str(v).strip())


def parse_int(v: Any) -> int:
    """A whole number: ``1,200``, ``1200``, ``1200.0``."""
    try:
        x = parse_money(v)
    except ValueError:
        raise ValueError("not a whole number") from None
    if x != int(x):
        raise ValueError("not a whole number")
    return int(x)


# -- flags ---------------------------------------------------------------------------------------
_TRUE = {"1", "true", "yes", "y", "x", "t", "on", "✓", "unsubscribed", "opted out", "opted-out",
         "opt out", "opt-out", "bounced", "finished", "complete", "completed",
         "ja", "wahr", "oui", "vrai", "si", "sí", "sim", "verdadero", "vero", "はい", "是", "예"}
_FALSE = {"0", "false", "no", "n", "f", "off", "subscribed", "opted in", "opted-in", "opt in",
          "opt-in", "active", "unfinished", "partial", "incomplete",
          "nein", "falsch", "non", "faux", "não", "nao", "nee", "falso", "いいえ", "否", "아니요"}


def parse_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError("not yes or no")


# -- text, emails, domains -------------------------------------------------------------------------
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+$")
_ANGLE = re.compile(r"<([^<>]+@[^<>]+)>")


def parse_text(v: Any) -> str:
    """A cell as text: whole floats without ``.0``; surrounding whitespace trimmed."""
    if type(v) is str:
        return v.strip()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return str(v).strip()


#: Invisible characters that copy-paste and exports leave in addresses: a BOM, zero-width spaces and
#: joiners, a word joiner, a soft hyphen; no-break spaces count as spaces.
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e]")
_ODD_SPACES = re.compile("[\u00a0\u2007\u202f\u3000]")


def normalise_email(v: Any) -> str:
    """``'  Ana.Lopez@Example.COM '`` → ``'ana.lopez@example.com'``; also ``Name <a@b.c>``, mailto:, and
    addresses carrying a BOM, zero-width characters, soft hyphens or no-break spaces."""
    s = v if type(v) is str else str(v)
    if not s.isascii():
        s = _ODD_SPACES.sub(" ", _INVISIBLE.sub("", s))
    s = s.strip()
    if "<" in s and (m := _ANGLE.search(s)):
        s = m[1].strip()
    s = s.lower()
    if s.startswith("mailto:"):
        s = s[7:]
    if not _EMAIL.match(s):
        raise ValueError("not an email address")
    return s


def is_email(v: Any) -> bool:
    try:
        normalise_email(v)
    except ValueError:
        return False
    return True


def email_domain(email: str | None) -> str | None:
    at = email.rfind("@") if email else -1
    return email[at + 1:] if at >= 0 else None


_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)+$")


def normalise_domain(v: Any) -> str:
    """``https://www.Acme.com/about`` or ``ana@acme.com`` → ``acme.com``."""
    s = str(v).strip().lower()
    if "@" in s:
        s = s.rsplit("@", 1)[1]
    s = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", s)
    s = s.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0].rstrip(".")
    if s.startswith("www."):
        s = s[4:]
    if not _DOMAIN.match(s):
        raise ValueError("not a web domain")
    return s


# -- enumerations --------------------------------------------------------------------------------
_PROGRAM_KINDS = {"rnps": "rnps", "relational": "rnps", "relationship": "rnps", "nps": "rnps",
                  "tnps": "tnps", "transactional": "tnps", "enps": "enps", "employee": "enps",
                  "partner": "partner", "pnps": "partner"}
#: Survey types of other questions (Delighted and others export them alongside NPS).
NOT_NPS = {"csat", "ces", "smileys", "thumbs", "5-star", "5star", "pmf", "survey"}


def parse_program_kind(v: Any) -> str | None:
    """rnps/tnps/enps/partner from a survey type; None for a survey that is not NPS (skipped)."""
    s = parse_text(v).lower()
    key = re.sub(r"[\s_\-]+", "", s)
    for k, kind in _PROGRAM_KINDS.items():
        if key == k or key.startswith(k):
            return kind
    if key in NOT_NPS:
        return None
    raise ValueError("not a program kind (rnps, tnps, enps or partner)")


_REVENUE_KINDS = [("cross", "cross_sell"), ("downsell", "downsell"), ("down", "downsell"),
                  ("contraction", "downsell"), ("upsell", "upsell"), ("up", "upsell"),
                  ("expansion", "upsell"), ("renew", "renewal"), ("churn", "churn"),
                  ("cancel", "churn"), ("lost", "churn"), ("new", "new")]


def parse_revenue_kind(v: Any) -> str:
    """renewal, churn, upsell, cross_sell, downsell or new, from the words CRMs use for them."""
    key = re.sub(r"[\s_\-]+", "", parse_text(v).lower())
    for prefix, kind in _REVENUE_KINDS:
        if key.startswith(prefix):
            return kind
    raise ValueError("not a revenue event (renewal, churn, upsell, cross_sell, downsell, new)")


def parse_account_status(v: Any) -> str:
    """active, churned or prospect."""
    s = parse_text(v).lower()
    if any(w in s for w in ("churn", "former", "lost", "cancel", "inactive", "closed")):
        return "churned"
    if any(w in s for w in ("prospect", "trial", "lead", "pilot")):
        return "prospect"
    if any(w in s for w in ("active", "customer", "current", "client", "live")):
        return "active"
    raise ValueError("not an account status (active, churned or prospect)")


def split_name(v: Any) -> tuple[str | None, str | None]:
    """``'Ada Lovelace'`` → (Ada, Lovelace); ``'Lovelace, Ada'`` → (Ada, Lovelace)."""
    s = " ".join(parse_text(v).split())
    if not s:
        return None, None
    if "," in s:
        last, first = (p.strip() for p in s.split(",", 1))
        return first or None, last or None
    first, _, last = s.partition(" ")
    return first, last or None
