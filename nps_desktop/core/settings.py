"""The workspace's settings, declared in one place with their defaults and meaning.

Values live in the ``settings`` table as JSON; read them with ``get`` so every caller sees the same
default. ``company_logo`` holds the image bytes base64-encoded, so a workspace file carries its logo.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from .workspace import Workspace


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
    Setting("fiscal_year_start_month", 1, "Fiscal year starts in",
            "Month 1–12; quarters are counted from it (1 = calendar quarters)."),
    Setting("page_size", "A4", "Report page size", "A4 or Letter."),
    Setting("brand_color", "#0f2747", "Company colour",
            "The colour of the report's cover, headings and slide titles (#RRGGBB)."),
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
    if key == "page_size" and value not in ("A4", "Letter"):
        raise ValueError("the page size is A4 or Letter")
    if key == "brand_color" and not (isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value)):
        raise ValueError(f"the company colour is written #RRGGBB, like #0f2747, not {value!r}")
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
