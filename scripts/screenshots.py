"""Save a screenshot of every page of the app on the demo workspace, for the user guide.

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR] [--empty]   (default docs/screenshots; offscreen)
Each page is shown in a 1366×768 window (the most common laptop screen), given time to load in the background, and grabbed to PNG.
With --empty the pages are shown on a new, empty workspace instead (files named empty-<page>.png, and
getting-started.png; the guide shows getting-started and empty-dashboard); without, the pack's first pages
are saved too (pack-<n>.png), and the planner's Response rates tab (planner-rates.png).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_desktop.core import follow_ups  # noqa: E402
from nps_desktop.core.demo import build_demo  # noqa: E402
from nps_desktop.core.importing import importer  # noqa: E402
from nps_desktop.core.workspace import open_workspace  # noqa: E402
from PySide6.QtWidgets import QTabWidget  # noqa: E402

from nps_desktop.ui.app import make_app  # noqa: E402
from nps_desktop.ui.main_window import MainWindow  # noqa: E402
from nps_desktop.ui.pages import PAGES  # noqa: E402

SAMPLE_SCORES = (10, 9, 8, 10, 9, 7, 10, 6, 9, 3)  # the sample export's scores, cycled: NPS +40 like the demo
PACK_PAGES = 3  # the pack's first pages, as the preview draws them
SIZE = (1366, 768)  # the most common laptop screen: every page must show whole at this size
AS_OF = date.today()  # the app counts overdue and "last 90 days" from today


def settle(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def sample_import(path: Path) -> int:
    """Import a small survey export into the demo (two bad rows, one repeat), as a user would."""
    ws = open_workspace(path)
    try:
        people = ws.conn.execute("SELECT first_name || ' ' || last_name, email FROM contacts ORDER BY id LIMIT 40").fetchall()
        lines = ["Response ID,Score,Comment,Name,Email,Created At"]
        for i, (name, email) in enumerate(people):
            when = f"{(AS_OF - timedelta(days=i % 45)).isoformat()} 0{i % 9}:{i % 60:02d}:00"
            score = SAMPLE_SCORES[i % len(SAMPLE_SCORES)]
            lines.append(f'd{i},{score},"{"Setup was quick" if score > 6 else "Slow reports"}",'
                         f'"{name}",{email},{when}')
        lines += ["d1,7,Setup was quick,again,,2026-11-01 10:00:00", "d90,11,Too high,,x@example.com,2026-11-01",
                  "d91,8,No date,,y@example.com,"]
        csv = path.parent / "survey-export.csv"
        csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return importer.commit(ws, importer.preview(csv), follow_ups=follow_ups.STANDARD).batch_id
    finally:
        ws.close()


def wizard_mapping(window, app, out: Path) -> None:
    """The import wizard's mapping page on a Qualtrics export that asks three 0-10 recommend questions."""
    ids = ["StartDate", "EndDate", "Status", "Finished", "RecordedDate", "ResponseId", "RecipientEmail",
           "Q1", "Q2", "Q3", "Q4"]
    questions = ["How likely are you to recommend Acme Analytics to a friend or colleague?",
                 "How likely are you to recommend our support team?",
                 "How likely are you to recommend Acme as an employer?", "What is the main reason for your score?"]
    labels = ["Start Date", "End Date", "Response Type", "Finished", "Recorded Date", "Response ID",
              "Recipient Email"] + questions
    lines = [",".join(ids), ",".join(f'"{x}"' for x in labels),
             ",".join(f'"{{""ImportId"":""{i}""}}"' for i in ids)]
    for i in range(30):
        when = f"{(AS_OF - timedelta(days=i)).isoformat()} 1{i % 10}:0{i % 6}:00"
        lines.append(f"{when},{when},IP Address,True,{when},R_{i:05d}a,p{i}@example.com,"
                     f"{SAMPLE_SCORES[i % 10]},{(i * 3) % 11},{(i * 7) % 11},\"Reason number {i}, in words\"")
    csv = Path(tempfile.mkdtemp()) / "qualtrics-export.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    wizard = window.importer.open(csv)
    while wizard.preview is None:
        settle(app, 0.2)
    wizard.next()
    settle(app, 1.0)
    wizard.grab().save(str(out / "import-mapping.png"))
    print(out / "import-mapping.png")
    wizard.close()


def main(out: Path, empty: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("NPS_DESKTOP_HOME", tempfile.mkdtemp(prefix="nps-shots-"))
    app = make_app()
    path = Path(tempfile.mkdtemp()) / "workspace.npsdb"
    if empty:
        open_workspace(path).close()
    else:
        build_demo(path, seed=7, as_of=AS_OF)
        batch = sample_import(path)
    window = MainWindow()
    window.resize(*SIZE)
    window.show()
    window.open_path(path)
    if empty:
        save(window, app, out / "getting-started.png")  # a new workspace opens on the checklist
    for key, *_ in PAGES:
        window.show_page(key)
        settle(app, 2.5)
        if key == "imports" and not empty:
            window.page(key).select_batch(batch)
        if key == "reports" and not empty:
            page = window.page(key)
            page.generate(path.parent / "pack.pdf")
            while page.last_result is None:
                settle(app, 0.2)
            for i, image in enumerate(page._pages[:PACK_PAGES], start=1):
                shutil.copy(image, out / f"pack-{i}.png")
        save(window, app, out / f"{'empty-' if empty else ''}{key}.png")
        if key == "planner" and not empty:   # the Response rates tab: the demo's sent waves
            tabs = window.page(key).findChild(QTabWidget)
            assert tabs is not None
            tabs.setCurrentIndex(3)
            settle(app, 2.5)
            save(window, app, out / "planner-rates.png")
    if not empty:
        wizard_mapping(window, app, out)
    window.close()


def save(window, app, path: Path) -> None:
    settle(app, 1.0)
    window.grab().save(str(path))
    print(path)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--empty"]
    main(Path(args[0]) if args else Path("docs/screenshots"), empty="--empty" in sys.argv[1:])
