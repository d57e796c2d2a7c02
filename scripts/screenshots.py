"""Save a screenshot of every page of the app on the demo workspace, for the user guide.

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR] [--empty]   (default docs/screenshots; offscreen)
Each page is shown in a 1400×880 window, given time to load in the background, and grabbed to PNG.
With --empty the pages are shown on a new, empty workspace instead (files named empty-<page>.png).
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
from nps_desktop.core.workspace import open_workspace  # noqa: E402
from nps_desktop.ui.app import make_app  # noqa: E402
from nps_desktop.ui.main_window import MainWindow  # noqa: E402
from nps_desktop.ui.pages import PAGES  # noqa: E402

AS_OF = date(2026, 11, 23)


def settle(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main(out: Path, empty: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("NPS_DESKTOP_HOME", tempfile.mkdtemp(prefix="nps-shots-"))
    app = make_app()
    path = Path(tempfile.mkdtemp()) / "workspace.npsdb"
    if empty:
        open_workspace(path).close()
    else:
        build_demo(path, seed=7, as_of=AS_OF)
    window = MainWindow()
    window.resize(1400, 880)
    window.show()
    window.open_path(path)
    for key, *_ in PAGES:
        window.show_page(key)
        settle(app, 2.5)
        shot = out / f"{'empty-' if empty else ''}{key}.png"
        window.grab().save(str(shot))
        print(shot)
    window.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--empty"]
    main(Path(args[0]) if args else Path("docs/screenshots"), empty="--empty" in sys.argv[1:])
