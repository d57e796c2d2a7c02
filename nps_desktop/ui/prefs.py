"""User preferences kept between runs (window geometry, recent workspaces), declared in one place."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ..core import paths

MAX_RECENT = 8


class Prefs:
    def __init__(self) -> None:
        self.q = QSettings(str(paths.config_dir() / "settings.ini"), QSettings.Format.IniFormat)

    def recent(self) -> list[str]:
        value = self.q.value("recent", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [p for p in items if Path(p).exists()]

    def add_recent(self, path: Path | str) -> None:
        path = str(Path(path).resolve())
        items = [path] + [p for p in self.recent() if p != path]
        self.q.setValue("recent", items[:MAX_RECENT])

    def geometry(self) -> QByteArray | None:
        value = self.q.value("geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, data: QByteArray) -> None:
        self.q.setValue("geometry", data)

    def sync(self) -> None:
        self.q.sync()
