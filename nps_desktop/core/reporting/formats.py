"""How the pack writes numbers, in one place so the tiles, the tables, the prose and the tests agree."""
from __future__ import annotations

from datetime import date

from .. import money as _money

DASH = "—"
SMALL = "n too small"


def nps(x: float | None) -> str:
    """An NPS level as the board reads it: a whole number (−7, 0, 32)."""
    return DASH if x is None else f"{_whole(x):d}".replace("-", "−")


def nps1(x: float | None) -> str:
    """An NPS level in a table: one decimal (32.4)."""
    return DASH if x is None else f"{x:.1f}".replace("-", "−")


def margin(x: float | None) -> str:
    return "n < 30" if x is None else f"±{x:.1f}"


def delta(x: float | None) -> str:
    """A change in points with its sign (+2.5, −14.0, 0.0)."""
    if x is None:
        return DASH
    return "0.0" if round(x, 1) == 0 else f"{x:+.1f}".replace("-", "−")


def points(x: float) -> str:
    """An unsigned number of points for prose: 6, 2.5, 0.4."""
    s = f"{abs(x):.1f}"
    return s[:-2] if s.endswith(".0") else s


def pct(x: float | None, digits: int = 0) -> str:
    return DASH if x is None else f"{100 * x:.{digits}f}%"


def share(part: int, whole: int) -> str:
    return DASH if not whole else pct(part / whole)


def count(n: int | None) -> str:
    return DASH if n is None else f"{n:,}"


def money(x: float | None, currency: str = "") -> str:
    """ARR compactly with its currency: EUR 548k, EUR 3.2M, EUR 950."""
    return _money.compact(x, currency)


def interval(rate: dict | None) -> str:
    """A rate with its n and Wilson 95% interval: ``80% (62–91%, n = 25)``; greyed words below the minimum."""
    if not rate or rate["rate"] is None:
        return DASH
    if rate["small_sample"]:
        return f"{SMALL} (n = {rate['n']:,})"
    return f"{pct(rate['rate'])} ({ci(rate)})"


def ci(rate: dict) -> str:
    """A rate's Wilson 95% interval and n: ``62–91%, n = 25``."""
    return f"{100 * rate['low']:.0f}–{pct(rate['high'])}, n = {rate['n']:,}"


def day(d: date | str | None) -> str:
    """``2026-09-30`` → ``30 Sep 2026``."""
    if d is None or d == "":
        return DASH
    d = date.fromisoformat(d[:10]) if isinstance(d, str) else d
    return f"{d.day} {d:%b %Y}"


def _whole(x: float) -> int:
    """Round half away from zero, as people do (37.5 → 38, −2.5 → −3)."""
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)
