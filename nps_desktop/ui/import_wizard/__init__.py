"""The import wizard, one file per page: ``preview_page`` (what the file is), ``mapping_page`` (its
columns), ``run_pages`` (the counts before importing, then the import), ``wizard`` (the pages together),
``entry`` (File ▸ Import… and dropped files: ``install(window)``), ``common`` (what they share).

Every slow step (reading the file, the dry run, the import) runs in a worker with a progress bar and
Cancel, so the window stays responsive; the counts shown before importing come from a full dry run
(``importer.plan``), so they are the counts the import gives.
"""
from .entry import ImportEntry, install
from .wizard import ImportWizard
from .common import KIND_LABELS, REJECT_COLUMNS, counts_text
from .preview_page import PreviewPage
from .mapping_page import MappingPage
from .run_pages import ResultPage, SummaryPage
from PySide6.QtWidgets import QFileDialog  # tests answer its dialogs through this module

__all__ = ["QFileDialog", "ImportEntry", "ImportWizard", "KIND_LABELS", "MappingPage", "PreviewPage", "REJECT_COLUMNS", "ResultPage", "SummaryPage", "counts_text", "install"]
