"""Today, as the app takes it: ``NPS_DESKTOP_TODAY=YYYY-MM-DD`` sets the day for scripted reports and tests.

Every date the numbers depend on (periods, due dates, "renews in N days", the pack's quarter) comes from
``today()``; ``now()`` is that day at the real time of day. File stamps (backups, locks) keep the real clock.
"""
from __future__ import annotations

import os
from datetime import date, datetime

ENV = "NPS_DESKTOP_TODAY"


def today() -> date:
    """The day the app takes as today: ``NPS_DESKTOP_TODAY`` when set, else the system's date."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{ENV}={value!r} is not a date (write YYYY-MM-DD)") from None


def now() -> datetime:
    """``today()`` at the real time of day."""
    real = datetime.now()
    return datetime.combine(today(), real.time()) if os.environ.get(ENV, "").strip() else real
