"""Shared fixtures. Qt runs offscreen unless a display is present (so xvfb-run uses the real X)."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import settings  # noqa: E402

# The same examples every run, so that a run never fails by chance; HYPOTHESIS_PROFILE=explore hunts for
# new failing cases (add what it finds as an explicit @example).
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.register_profile("explore", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: The demo's fixed "today", so that every test sees the same data.
DEMO_AS_OF = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep settings, logs and default workspaces of every test out of the user's folders."""
    monkeypatch.setenv("NPS_DESKTOP_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def ws(tmp_path):
    """A new, empty workspace."""
    from nps_desktop.core.workspace import open_workspace
    with open_workspace(tmp_path / "test.npsdb") as w:
        yield w


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """A small seeded demo workspace built once per test run; copy it before changing it."""
    from nps_desktop.core.demo import build_demo
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.npsdb", seed=7, as_of=DEMO_AS_OF)


@pytest.fixture
def demo_ws(demo_file, tmp_path):
    """A private copy of the demo workspace, free to change."""
    import shutil

    from nps_desktop.core.workspace import open_workspace
    copy = tmp_path / "demo.npsdb"
    shutil.copy(demo_file, copy)
    with open_workspace(copy) as w:
        yield w
