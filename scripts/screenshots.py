"""Save a screenshot of every page of the app on the demo workspace, for the user guide.

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR]   (default docs/screenshots; runs offscreen)
Each page is shown in a 1400×880 window, given time to load in the background, and grabbed to PNG.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_desktop.core.demo import build_demo  # noqa: E402
from nps_desktop.ui.app import make_app  # noqa: E402
from nps_desktop.ui.main_window import MainWindow  # noqa: E402
from nps_desktop.ui.pages import PAGES  # noqa: E402

AS_OF = date(2026, 11, 23)


def settle(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("NPS_DESKTOP_HOME", tempfile.mkdtemp(prefix="nps-shots-"))
    app = make_app()
    path = build_demo(Path(tempfile.mkdtemp()) / "demo.npsdb", seed=7, as_of=AS_OF)
    window = MainWindow()
    window.resize(1400, 880)
    window.show()
    window.open_path(path)
    for key, *_ in PAGES:
        window.show_page(key)
        settle(app, 2.5)
        window.grab().save(str(out / f"{key}.png"))
        print(out / f"{key}.png")
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
