"""Where the app keeps its files (platformdirs), with an override for development and tests.

Set ``NPS_DESKTOP_HOME`` to keep data, settings, logs and backups under one folder.
"""
from __future__ import annotations

import os
from pathlib import Path

APP = "nps-desktop"


def _base(kind: str) -> Path:
    home = os.environ.get("NPS_DESKTOP_HOME")
    if home:
        return Path(home) / kind
    import platformdirs
    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP, appauthor=False))


def data_dir() -> Path:
    return _base("data")


def config_dir() -> Path:
    return _base("config")


def log_dir() -> Path:
    return _base("log")


def backup_dir(workspace: Path) -> Path:
    """Backups of a workspace live beside it, in ``<name>.backups/``."""
    return workspace.parent / f"{workspace.name}.backups"


def demo_path() -> Path:
    return data_dir() / "demo.npsdb"
