"""Planner: the page (``page``), its calendar model (``day_grid``), the columns of its tables and small
widget helpers (``views``).
"""
from .page import PlannerPage
from .day_grid import DayGridModel

__all__ = ["DayGridModel", "PlannerPage"]
