"""The import wizard: what the file is → its columns → the counts before importing → the import.

Every slow step (reading the file, the dry run, the import) runs in a worker with a progress bar and
Cancel, so the window stays responsive; the counts shown before importing come from a full dry run
(``importer.plan``), so they are the counts the import gives.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QWidget, QWizard)

from ...core.importing import ImportOptions, ImportRefused, importer, mapping
from ..workers import run_task
from .mapping_page import MappingPage
from .preview_page import PreviewPage
from .run_pages import ResultPage, SummaryPage


# -- the wizard ----------------------------------------------------------------------------------
class ImportWizard(QWizard):
    imported = Signal(object)    # the ImportResult of a finished import
    previewed = Signal()         # a preview (or its failure) arrived

    def __init__(self, session, path: str | Path, kind: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.path = Path(path)
        self.options = ImportOptions(kind=kind)
        self.preview: importer.Preview | None = None
        self.profiles: list[mapping.Profile] = []
        self.busy = False
        self.setWindowTitle(f"Import {self.path.name}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(1040, 720)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.summary_page = SummaryPage(self)
        self.result_page = ResultPage(self)
        for page in (self.preview_page, self.mapping_page, self.summary_page, self.result_page):
            self.addPage(page)
        self.load_profiles()
        self.reread()

    def load_profiles(self) -> None:
        self.profiles = mapping.list_profiles(self.session.ws) if self.session.ws else []

    def reread(self, **changes: Any) -> None:
        """Read the file (again) with changed options, in the background."""
        if "sheet" in changes or "profile" in changes:
            changes.setdefault("mapping", None)
        self.options = replace(self.options, **changes)
        options, path = self.options, self.path
        self.busy = True
        self.preview_page.completeChanged.emit()
        run_task(self.session.job(lambda ws, p, c: importer.preview(path, options, ws, strict=False),
                                  read_only=True), owner=self,
                 on_done=self._previewed, on_error=self._preview_failed)

    def _previewed(self, preview: importer.Preview) -> None:
        self.busy = False
        self.preview = preview
        self.options = preview.options
        self.preview_page.show_preview()
        self.previewed.emit()

    def _preview_failed(self, message: str, details: str = "") -> None:
        self.busy = False
        self.preview = None
        self.preview_page.show_failure(message)
        self.previewed.emit()

    def set_kind(self, kind: str) -> None:
        self.adjust(kind=kind, mapping=None, profile=None)
        self.preview_page.show_preview()

    def adjust(self, **changes: Any) -> None:
        """The same file with another kind, mapping or date order (quick: the sample is in memory)."""
        if "mapping" in changes and changes["mapping"] is not None:
            changes.setdefault("profile", None)
            changes.setdefault("source", self.preview.source if self.preview.preset == "generic" else None)
        try:
            self.preview = self.preview.adjust(self.session.ws, **changes)
        except ImportRefused as exc:
            self.preview.problem = exc
        self.options = self.preview.options
        if self.currentPage() is self.mapping_page:
            if "kind" in changes:
                self.mapping_page.rebuild()
            else:
                self.mapping_page.show_state()

    def reject(self) -> None:
        """Closing while a job runs cancels it (an import cancelled rolls back)."""
        for page in (self.summary_page, self.result_page):
            if page.running:
                page.cancel()
        super().reject()
