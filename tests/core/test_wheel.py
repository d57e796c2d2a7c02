"""``pip install .`` gives a working app: the wheel carries the resources, and its command runs."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*cmd: str | Path, cwd: Path, env: dict | None = None) -> str:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.slow
def test_a_wheel_installs_an_app_that_builds_a_demo_and_a_board_pack(tmp_path):
    src = tmp_path / "src"   # a copy, so that the build leaves nothing in the checkout
    shutil.copytree(ROOT / "nps_desktop", src / "nps_desktop", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path / "dist",
        src, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("nps_desktop-*.whl"))
    site = tmp_path / "site"
    run(sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", site, wheel,
        cwd=tmp_path)

    # Only the installed copy is importable: the checkout is neither the working folder nor on the path.
    env = {**os.environ, "PYTHONPATH": str(site), "NPS_DESKTOP_TODAY": "2026-11-23"}
    app = site / "bin" / "nps-desktop"
    where = run(sys.executable, "-c", "import nps_desktop.core.resources as r; print(r.resource_path('themes.json'))",
                cwd=tmp_path, env=env).strip()
    assert Path(where).is_file() and Path(where).is_relative_to(site)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert run(app, "--version", cwd=tmp_path, env=env).strip() == f"nps-desktop {version}"
    run(app, "demo", "--workspace", "demo.npsdb", cwd=tmp_path, env=env)   # tags comments: needs the lexicon
    doc = json.loads(run(app, "report", "--workspace", "demo.npsdb", "--out", "pack.pdf", "--json",
                         cwd=tmp_path, env=env))
    assert doc["pages"] >= 5 and (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
