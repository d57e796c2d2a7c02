"""The pages of the sidebar, in order: (key, title, module, class name, what it is for)."""
from __future__ import annotations

import importlib

PAGES: list[tuple[str, str, str, str, str]] = [
    ("dashboard", "Dashboard", "dashboard", "DashboardPage",
     "Where you stand: NPS with its margin, the split, the trend."),
    ("responses", "Responses", "responses", "ResponsesPage",
     "Every response, searchable, with the contact's and the account's history."),
    ("accounts", "Accounts", "accounts", "AccountsPage",
     "The account rollup: true NPS per account, ARR, renewal, open actions."),
    ("themes", "Themes", "themes", "ThemesPage",
     "What drives detractors and promoters: themes and sentiment of the comments."),
    ("actions", "Actions", "actions", "ActionsPage",
     "The close-the-loop queue: every detractor an owner and a due date."),
    ("revenue", "Revenue", "revenue", "RevenuePage",
     "Renewal, churn and expansion by promoter, passive and detractor."),
    ("planner", "Planner", "planner", "PlannerPage",
     "Who to survey when, within the fatigue rules."),
    ("imports", "Imports", "imports", "ImportsPage",
     "Import survey exports and CRM lists; every batch listed and undoable."),
    ("reports", "Reports", "reports", "ReportsPage",
     "The quarterly executive review pack (PDF) and Excel exports."),
    ("settings", "Settings", "settings", "SettingsPage",
     "Company name and logo, NPS goal, fiscal year, report page size."),
]


def page_class(key: str) -> type:
    """The page class for ``key``, imported on first use (some pages load pyqtgraph)."""
    _, _title, module, cls, _summary = next(p for p in PAGES if p[0] == key)
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)


def page_keys(index: int) -> str:
    """The shortcut of the sidebar's ``index``-th page: Ctrl+1 … Ctrl+9, then Ctrl+0."""
    return f"Ctrl+{(index + 1) % 10}" if index < 10 else ""
