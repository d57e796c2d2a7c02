"""Where the app's read-only resources live: in the package, or in a PyInstaller bundle.

``nps_desktop/resources/`` is package data, so the source tree, an editable install and a wheel
(``pip install .``) all have it beside the code; a PyInstaller bundle unpacks it under
``sys._MEIPASS/resources`` (the spec adds ``("nps_desktop/resources", "resources")``).
"""
from __future__ import annotations

import sys
from pathlib import Path

_SOURCE = Path(__file__).resolve().parents[1] / "resources"


def resources_dir() -> Path:
    """The folder holding ``themes.json``, the sentiment lexicon, icons and the stylesheet."""
    if _SOURCE.is_dir():
        return _SOURCE
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle and (Path(bundle) / "resources").is_dir():
        return Path(bundle) / "resources"
    raise FileNotFoundError(f"the resources folder is missing (looked in {_SOURCE}"
                            + (f" and {Path(bundle) / 'resources'}" if bundle else "") + ")")


def resource_path(*parts: str) -> Path:
    """The path of one resource, e.g. ``resource_path("themes.json")``."""
    return resources_dir().joinpath(*parts)
