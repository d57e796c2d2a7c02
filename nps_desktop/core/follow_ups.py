"""The follow-up steps that every import and undo started by the app or the CLI runs (``STANDARD``).

An imported response's comment gets its themes and sentiment, then the plays create actions for it
(its tags go with it by cascade when the batch is undone); undoing a batch removes the actions it
created that nobody touched, and moves back the actions it moved to a newer response. Whoever starts
an import passes them in: ``import_file(ws, path, follow_ups=follow_ups.STANDARD)``; nothing is
registered anywhere as a side effect of importing this module. ``NONE`` imports rows only.
"""
from __future__ import annotations

from .importing.hooks import NONE, FollowUps
from .loop import engine as plays
from .text import tagging

__all__ = ["NONE", "STANDARD", "FollowUps"]

STANDARD = FollowUps(after_responses=(tagging.after_responses, plays.after_responses),
                     after_undo=(plays.after_undo,))
