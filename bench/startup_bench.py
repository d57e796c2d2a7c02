"""Time from process start to the main window shown, and to the dashboard's figures on the demo.

Usage: .venv/bin/python bench/startup_bench.py [WORKSPACE]   (builds a small demo if none is given)
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = r"""
import time, sys
t0 = float(sys.argv[1])
from nps_desktop.ui.app import make_app
from nps_desktop.ui.main_window import MainWindow
from PySide6.QtCore import QTimer
app = make_app(); w = MainWindow(); w.show(); app.processEvents()
shown = time.time() - t0
w.open_path(sys.argv[2]); page = w.page("dashboard")
def check():
    if page.last_stats is not None:
        print(f"{shown:.3f} {time.time() - t0:.3f}"); app.exit(0)
timer = QTimer(); timer.timeout.connect(check); timer.start(5)
app.exec()
"""


def main() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as tmp:
        env["NPS_DESKTOP_HOME"] = tmp
        ws = sys.argv[1] if len(sys.argv) > 1 else str(Path(tmp) / "demo.npsdb")
        if len(sys.argv) == 1:
            subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--workspace", ws], check=True,
                           env=env, stdout=subprocess.DEVNULL)
        shown, ready = [], []
        for _ in range(5):
            out = subprocess.run([sys.executable, "-c", CODE, repr(time.time()), ws], env=env, cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.split()
            shown.append(float(out[0]))
            ready.append(float(out[1]))
    print(f"window shown: median {statistics.median(shown):.2f} s (target < 1 s); "
          f"dashboard figures: median {statistics.median(ready):.2f} s  [{ws}]")


if __name__ == "__main__":
    main()
