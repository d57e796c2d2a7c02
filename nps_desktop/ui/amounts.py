"""Money on screen, with the workspace's currency (Settings) on every amount.

The session sets the currency when a workspace opens and whenever its data or settings change, so the
tables' cell functions need no access to the workspace.
"""
from __future__ import annotations

from ..core import money as _money
from ..core import settings

_currency = {"code": ""}


def use_currency_of(ws) -> None:
    """Take the currency of ``ws`` (None: no workspace, no currency)."""
    _currency["code"] = settings.get(ws, "currency") if ws is not None else ""


def currency() -> str:
    return _currency["code"]


def money(x: float | None) -> str:
    """``EUR 1,691,100``; a dash for None."""
    return _money.full(x, _currency["code"])
