"""Actions: the close-the-loop work queue (``page``), its Plays tab (``plays_tab``), and what they share
(``common``: the filters' choices, the queue's columns).
"""
from .page import ActionsPage
from .plays_tab import PlaysTab
from .common import action_columns
from ...widgets.rows_model import ROW_ROLE

__all__ = ["ROW_ROLE", "ActionsPage", "PlaysTab", "action_columns"]
