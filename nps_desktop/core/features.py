"""Wires the features into the importer's hooks, once, without import cycles.

Import this module from every entry point that imports data (the importer's callers, the CLI, the UI):
``import nps_desktop.core.features`` (or call ``install()``). The importer itself never imports the
features, and the features never import the importer except its ``hooks`` list, so neither can form a
cycle. ``install()`` is idempotent, and a no-op while the importer does not exist yet.
"""
from __future__ import annotations

import importlib


def install() -> bool:
    """Register the loop's engine in ``importing.hooks.AFTER_RESPONSES``; True when the hook is in place."""
    try:
        hooks = importlib.import_module("nps_desktop.core.importing.hooks")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("nps_desktop.core.importing"):
            return False
        raise
    from .loop.engine import after_responses

    if after_responses not in hooks.AFTER_RESPONSES:
        hooks.AFTER_RESPONSES.append(after_responses)
    return True


install()
