"""The first-run checklist: what a new workspace still needs before its first dashboard and pack."""
from __future__ import annotations

from dataclasses import dataclass

from . import settings
from .workspace import Workspace


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    hint: str
    done: bool


def checklist(ws: Workspace) -> list[Step]:
    """The steps in the order a new user takes them, each marked done from the workspace's contents."""
    count = lambda table: ws.scalar(f"SELECT count(*) FROM {table}")  # noqa: E731
    return [
        Step("accounts", "Import your accounts",
             "The account list from your CRM (name, domain, ARR, renewal date, owner), as .xlsx or .csv.",
             count("accounts") > 0),
        Step("responses", "Import survey responses",
             "An export from Delighted, SurveyMonkey, Qualtrics, Typeform or Google Forms — or any sheet "
             "with a 0–10 score column.", count("responses") > 0),
        Step("company", "Name your company and add a logo",
             "They go on the cover of the quarterly executive review pack.",
             bool(settings.get(ws, "company_name"))),
        Step("goal", "Set your NPS goal",
             "The dashboard and the board pack show progress against it.",
             settings.get(ws, "nps_goal") is not None),
    ]


def is_new(ws: Workspace) -> bool:
    """A workspace with no responses yet: the app opens on the checklist rather than the dashboard."""
    return ws.scalar("SELECT count(*) FROM responses") == 0
