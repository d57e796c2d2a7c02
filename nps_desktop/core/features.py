"""Wires the features into the importer's hooks, once, without import cycles.

Import this module from every entry point that imports data (the importer's callers, the CLI, the UI):
``import nps_desktop.core.features`` (or call ``install()``). The importer itself never imports the
features, and the features never import the importer except its ``hooks`` list, so neither can form a
cycle. ``install()`` is idempotent, and a no-op while the importer does not exist yet.
"""
from __future__ import annotations

import importlib


def install() -> bool:
    """Register the features in the importer's hooks; True when they are in place.

    ``AFTER_RESPONSES``: the new responses' comments get their themes and sentiment, then the plays
    create actions for them (their tags go with them by cascade when the batch is undone); ``AFTER_UNDO``: actions an undone
    batch created and nobody touched go, and actions it moved to a newer response go back; its account
    snapshot goes.
    """
    try:
        hooks = importlib.import_module("nps_desktop.core.importing.hooks")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("nps_desktop.core.importing"):
            return False
        raise
    from .as_of import forget_snapshots
    from .loop.engine import after_responses, after_undo
    from .text.tagging import after_responses as tag_after_responses

    hooks.register(hooks.AFTER_RESPONSES, tag_after_responses)
    hooks.register(hooks.AFTER_RESPONSES, after_responses)
    hooks.register(hooks.AFTER_UNDO, after_undo)
    hooks.register(hooks.AFTER_UNDO, forget_snapshots)
    return True


install()
