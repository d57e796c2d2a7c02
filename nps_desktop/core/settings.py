"""The workspace's settings, declared in one place with their defaults and meaning.

Values live in the ``settings`` table as JSON; read them with ``get`` so every caller sees the same
default. ``company_logo`` holds the image bytes base64-encoded, so a workspace file carries its logo.
"""
from __future__ import annotations

import base64
import re
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
]}

MAX_LOGO_BYTES = 2_000_000
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def get(ws: Workspace, key: str) -> Any:
    return ws.get_setting(key, SETTINGS[key].default)


def set_value(ws: Workspace, key: str, value: Any) -> None:
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
    ws.set_setting(key, value)


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
