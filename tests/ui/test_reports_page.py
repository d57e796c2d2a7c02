"""The Reports page: its options, the pack built in the background with a page preview, exports, and
Cancel; the same figures and files as the core functions give."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from nps_desktop.core.reporting import data, preview
from nps_desktop.core.reporting.data import ReportCancelled
from nps_desktop.ui.main_window import MainWindow
from tests.core import report_data as R
from tests.ui.dialogs import Answer, answering
from tests.ui.gestures import go, pick


@pytest.fixture
def page(qtbot, ws):
    R.build(ws)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.open_path(ws.path)
    go(qtbot, w, "reports")
    p = w.page("reports")
    qtbot.waitUntil(lambda: p.period.count() > 0, timeout=10000)
    return p


def test_the_page_is_listed_and_offers_quarters_segments_and_page_sizes(page, ws):
    assert type(page).__name__ == "ReportsPage"
    assert [page.period.itemData(i) for i in range(page.period.count())] == ["2026Q3", "2026Q2"]
    assert page.period.currentData() == data.default_period(ws)
    assert page.segment.itemText(0) == "All responses" and page.segment.currentData() is None
    assert [page.page_size.itemText(i) for i in range(page.page_size.count())] == ["A4", "Letter"]
    assert page.default_pack_name() == "Acme & Söhne -GmbH- NPS review 2026Q3.pdf"


def test_generate_builds_the_pack_and_previews_its_pages(page, qtbot, tmp_path):
    pick(qtbot, page.period, "2026Q3")
    out = tmp_path / "pack.pdf"
    with answering(Answer(fill={"file": str(out)})) as dialogs:
        qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    assert dialogs.seen[0].kind == "QFileDialog" and dialogs.seen[0].title == "Save the pack as"
    assert not page.generate_button.isEnabled() and page.pack_job.cancel_button.isVisible()
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=30000)
    result = page.last_result
    assert out.read_bytes().startswith(b"%PDF") and result.data.stats["nps"] == 30.0
    assert page.generate_button.isEnabled() and page.open_button.isEnabled()
    assert page.pack_job.status.text().startswith(f"Wrote pack.pdf: {result.pages} pages")
    if preview.available():
        assert page.thumbs.count() == result.pages
        assert page.page_view.pixmap() is not None and not page.page_view.pixmap().isNull()
    else:
        assert page.thumbs.count() == len(result.sections)


def test_export_writes_the_chosen_table_for_the_quarter(page, qtbot, tmp_path):
    pick(qtbot, page.what, "responses")
    out = tmp_path / "responses.xlsx"
    with answering(Answer(fill={"file": str(out)})):
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=30000)
    sheet = openpyxl.load_workbook(out).active
    assert sheet.max_row == 11 and sheet.freeze_panes == "A2"
    assert page.export_job.status.text() == "Wrote 10 rows to responses.xlsx."
    assert page.export_button.isEnabled()


def test_cancel_stops_the_job_and_says_nothing_was_written(page, qtbot):
    started, strip = threading.Event(), page.export_job

    def job(progress, cancelled):
        started.set()
        while not cancelled():
            pass
        raise ReportCancelled("export cancelled")

    finished = []
    task = strip.start(job, on_done=lambda r: None, on_error=lambda m, d: pytest.fail(m),
                       label="Exporting…", on_finish=lambda: finished.append(True))
    assert started.wait(10)
    assert strip.cancel_button.isEnabled()
    with qtbot.waitSignal(task.signals.failed, timeout=10000):
        qtbot.mouseClick(strip.cancel_button, Qt.MouseButton.LeftButton)
    assert strip.status.text() == "Cancelled; nothing was written." and finished == [True]
    assert not strip.busy and not strip.cancel_button.isVisible()


def test_the_preview_lists_sections_without_pdftoppm(page, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert preview.render_pages(Path("missing.pdf"), tmp_path) == []
    with answering(Answer(fill={"file": str(tmp_path / "p.pdf")})):
        qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=30000)
    assert [page.thumbs.item(i).text() for i in range(page.thumbs.count())] == page.last_result.sections
    assert "pdftoppm" in page.page_view.text()
