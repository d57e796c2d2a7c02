"""Export any table to .xlsx or .csv: an "Export" button, the file dialog, and the writing in the background
with progress and Cancel. The writing itself (formula-safe cells, UTF-8 CSV) is
``core.export_safety.write_table``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QProgressDialog, QToolButton, QWidget

from ...core import export_safety
from ..workers import Task, run_task
from .rows_model import SORT_ROLE

FILTERS = {".xlsx": "Excel workbook (*.xlsx)", ".csv": "CSV, UTF-8 (*.csv)"}


class ExportCancelled(Exception):
    """The user cancelled an export; no file was left behind."""


def export_button(parent: QWidget, on_export: Callable[[str], None], text: str = "Export") -> QToolButton:
    """A button whose menu offers .xlsx and .csv; ``on_export(suffix)`` runs on a choice."""
    button = QToolButton(parent)
    button.setText(f"{text}  ")
    button.setToolTip("Save this table as an Excel workbook or a CSV file")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    menu.addAction("Excel workbook (.xlsx)…", lambda: on_export(".xlsx"))
    menu.addAction("CSV file (.csv)…", lambda: on_export(".csv"))
    button.setMenu(menu)
    return button


def ask_path(parent: QWidget, name: str, suffix: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Export table", f"{name}{suffix}", FILTERS[suffix])
    if not path:
        return None
    return Path(path if path.lower().endswith(suffix) else path + suffix)


def model_table(model: QAbstractItemModel) -> tuple[list[str], list[list[Any]]]:
    """The header and rows a view shows, in its order; numbers stay numbers (their sort value)."""
    header = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    rows = []
    for r in range(model.rowCount()):
        row = []
        for c in range(model.columnCount()):
            index = model.index(r, c)
            raw = model.data(index, SORT_ROLE)
            text = model.data(index, Qt.ItemDataRole.DisplayRole)
            text = "" if text is None or text == "—" else str(text)
            row.append(raw if text and isinstance(raw, (int, float)) and not isinstance(raw, bool) else text)
        rows.append(row)
    return header, rows


def write_in_background(parent: QWidget, path: Path, header: Sequence[str],
                        rows: Callable[[Any], Iterable[Sequence[Any]]], *, session=None,
                        total: int = 0, on_done: Callable[[int], None] | None = None) -> Task:
    """Write ``rows(ws)`` (``ws`` is None without ``session``) to ``path`` with a progress dialog."""
    dialog = QProgressDialog(f"Writing {path.name}…", "Cancel", 0, max(total, 0), parent)
    dialog.setWindowTitle("Export")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)

    def write(ws, progress, cancelled) -> int:
        def checked():
            for n, row in enumerate(rows(ws)):
                if n % 1000 == 0 and cancelled():
                    raise ExportCancelled(f"export to {path.name} cancelled")
                yield row
        return export_safety.write_table(path, header, checked(), progress=progress, total=total)

    job = session.job(write, read_only=True) if session is not None else (
        lambda progress, cancelled: write(None, progress, cancelled))

    def done(n: int) -> None:
        dialog.reset()
        if on_done:
            on_done(n)

    def failed(message: str, details: str = "") -> None:
        dialog.reset()
        if not task.cancelled:
            QMessageBox.warning(parent, "Export", f"The export failed: {message}")

    task = run_task(job, owner=parent, on_done=done, on_error=failed,
                    on_progress=lambda d, t: dialog.setValue(min(d, dialog.maximum())) if t else None)
    dialog.canceled.connect(task.cancel)
    return task


def export_model(parent: QWidget, model: QAbstractItemModel, name: str, suffix: str,
                 path: Path | None = None) -> Task | None:
    """Export what ``model`` shows (asking for a file unless ``path`` is given)."""
    path = path or ask_path(parent, name, suffix)
    if path is None:
        return None
    header, rows = model_table(model)
    return write_in_background(parent, path, header, lambda ws: rows, total=len(rows))
