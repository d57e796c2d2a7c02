"""The figures of the executive review pack, gathered from the core functions that the app and
``stats --json`` use, so the pack, the screen and the CLI always agree.

``gather`` returns a ``PackData``: plain values that the PDF, the summary and the tests all read.
Sections whose core module has not landed yet carry ``None`` and a reason in ``missing``.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from .. import analytics, nps, periods, settings
from ..workspace import Workspace, WorkspaceError, open_workspace
from . import sources, worth_page
from .. import clock, labels

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Step = Callable[[Workspace], Any]

#: The segment tables of the pack, in order: (dimension, title).
SEGMENT_DIMENSIONS = (("region", "Region"), ("industry", "Industry"), ("tier", "Tier"),
                      ("lifecycle_stage", "Lifecycle stage"))
TREND_QUARTERS = 8
NO_ACCOUNT = labels.NO_ACCOUNT


class ReportCancelled(Exception):
    """The user cancelled the report; nothing was written."""


@dataclass
class PackData:
    """Every figure the pack prints."""
    period: str
    period_label: str
    start: date
    end: date
    previous_label: str                   # "2026 Q2": the (fiscal) quarter before, compared with
    segment: str | None
    filters: analytics.Filters
    company: str
    stats: dict[str, Any]                 # analytics.stats for the period (what stats --json prints)
    previous: dict[str, Any] | None       # stats' previous period: the same length just before
    change: dict[str, Any] | None         # {delta, threshold, significant} of NPS against it
    trend: list[dict[str, Any]]           # up to 8 quarters ending with the period
    distribution: list[int]               # responses per score 0..10
    segments: dict[str, list[dict[str, Any]]]
    coverage: dict[str, Any]
    goal: dict[str, Any] | None
    at_risk: dict[str, Any] | None = None
    revenue: dict[str, Any] | None = None
    themes: dict[str, Any] | None = None
    loop: dict[str, Any] | None = None
    worth: dict[str, Any] | None = None   # worth_page.gather: value of a move, risk, drivers, goal path
    missing: dict[str, str] = field(default_factory=dict)   # section -> why it is not in the pack
    as_of: date | None = None             # the day every figure describes: the quarter's end, or today
    currency: str = ""                    # ISO code of every money figure
    min_responses: int = nps.MIN_RELIABLE_N   # the minimum-sample policy of Settings
    min_accounts: int = 10


def quarter_label(key: str, fy_start: int = 1) -> str:
    """``2026Q3`` → ``2026 Q3`` (``FY2026 Q3`` when the fiscal year does not start in January)."""
    return analytics.period_label(key, fy_start)


def default_period(ws: Workspace, today: date | None = None) -> str | None:
    """The last quarter that has ended and has responses; else the latest quarter with responses."""
    fy = analytics.fiscal_year_start(ws)
    keys = [k for k, _ in analytics.trend(ws, analytics.Filters(), "quarter") if k]
    if not keys:
        return None
    current = periods.quarter_key(today or clock.today(), fy)
    done = [k for k in keys if k < current]
    return done[-1] if done else keys[-1]


def scope_filters(ws: Workspace, period: str, segment: str | None) -> analytics.Filters:
    """The filters of the pack: a saved segment's fields (its own dates are replaced by the period's)."""
    start, end = periods.bounds(period, analytics.fiscal_year_start(ws))
    base = analytics.load_segment(ws, segment) if segment else analytics.Filters()
    return base.with_dates(start, end)


def figures(result: nps.NpsResult, min_n: int = nps.MIN_RELIABLE_N) -> dict[str, Any]:
    """The counts of a result and its NPS and margin, rounded as ``stats --json`` rounds them."""
    return {**result.as_dict(), "nps": _r2(result.nps), "margin95": _r2(result.margin95),
            "small_sample": result.responses < min_n}


def _r2(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def segment_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The groups of ``stats --by`` with a printable label (responses without an account: "No account")."""
    return [{**g, "label": analytics.group_label(doc["by"], g["key"])} for g in doc["groups"]]


def gather(ws: Workspace, period: str, segment: str | None = None, *,
           progress: Progress | None = None, cancelled: Cancelled | None = None,
           today: date | None = None) -> PackData:
    """Collect every figure of the pack for ``period`` (``2026Q3``) and an optional saved segment."""
    progress = progress or (lambda done, total: None)
    cancelled = cancelled or (lambda: False)
    today = today or clock.today()
    fy = analytics.fiscal_year_start(ws)
    current = scope_filters(ws, period, segment)
    start, end = periods.bounds(period, fy)  # the dates scope_filters gave ``current``
    if start > today:
        raise ValueError(f"{quarter_label(period, fy)} has not started yet (today is {today}); "
                         "choose a quarter that has begun")
    as_of = min(end, today)
    first = periods.shift(period, -(TREND_QUARTERS - 1), fy)
    trend_filters = current.with_dates(periods.bounds(first, fy)[0], end)
    min_n = analytics.min_responses(ws)

    def quarter(k: str, r: nps.NpsResult) -> dict[str, Any]:
        return {"period": k, **figures(r, min_n), "partial": periods.bounds(k, fy)[1] > as_of}

    steps: list[tuple[str, Step]] = [  # the slowest first, so that the two lanes end together
        ("themes", lambda w: sources.themes(w, current)),
        # what ``stats --by DIM --json`` prints for the quarter: one scan each gives the KPIs, the
        # previous period and the change, and the segment table with each group's change
        *[(f"stats:{dim}", (lambda w, d=dim: analytics.stats(w, current, by=d))) for dim, _ in SEGMENT_DIMENSIONS],
        ("at_risk", lambda w: sources.accounts_at_risk(w, current, as_of)),
        ("coverage", lambda w: sources.coverage(w, current)),
        ("revenue", lambda w: sources.revenue(w, current)),
        ("trend", lambda w: [quarter(k, r) for k, r in analytics.trend(w, trend_filters)]),
        ("loop", lambda w: sources.loop(w, current, as_of)),
        ("worth", lambda w: worth_page.gather(w, current, as_of)),
    ]
    if not sources.has_themes():  # the themes report counts the comments; without it, count them here
        steps.append(("comments", lambda w: sources.comment_count(w, current)))
    got = run_steps(ws, steps, progress, cancelled)
    by_dim = {dim: got[f"stats:{dim}"] for dim, _ in SEGMENT_DIMENSIONS}
    stats = {k: v for k, v in by_dim[SEGMENT_DIMENSIONS[0][0]].items() if k not in ("by", "groups")}
    got["coverage"]["with_comment"] = got["comments"] if "comments" in got else got["themes"]["comments"]
    missing = {name: reason for name in ("revenue", "themes", "loop", "at_risk")
               if isinstance(reason := got[name], sources.Unavailable)}
    return PackData(
        period=period, period_label=quarter_label(period, fy), start=start,
        end=end, previous_label=(stats["previous"] or {}).get("label", ""), segment=segment,
        filters=current, company=sources.company_name(ws), stats=stats, previous=stats["previous"],
        change=stats["change"], trend=got["trend"], distribution=stats["distribution"],
        segments={dim: segment_rows(doc) for dim, doc in by_dim.items()},
        coverage=got["coverage"], goal=goal_progress(ws, stats, got["trend"]),
        **{k: None if k in missing else got[k] for k in ("at_risk", "revenue", "themes", "loop")},
        worth=got["worth"], missing={k: str(v) for k, v in missing.items()}, as_of=as_of,
        currency=settings.get(ws, "currency"), min_responses=min_n, min_accounts=int(settings.get(ws, "min_accounts")))


def run_steps(ws: Workspace, steps: list[tuple[str, Step]], progress: Progress, cancelled: Cancelled
              ) -> dict[str, Any]:
    """Run independent read-only steps in two lanes: this thread with ``ws`` and a helper thread with
    its own read-only connection (SQLite answers two queries at once on two cores). Without a second
    connection the steps run here, one after the other. Raises ``ReportCancelled`` when cancelled."""
    pending = list(steps)
    got: dict[str, Any] = {}
    lock = threading.Lock()
    failure: list[BaseException] = []

    def lane(w: Workspace) -> None:
        while not failure and not cancelled():
            with lock:
                if not pending:
                    return
                name, fn = pending.pop(0)
            try:
                value = fn(w)
            except BaseException as exc:  # handed to the calling thread
                failure.append(exc)
                return
            with lock:
                got[name] = value
                done = len(got)
            if threading.current_thread() is main:  # progress is reported from the caller's thread only
                progress(done, len(steps))

    main = threading.current_thread()
    helper = None
    try:
        other = open_workspace(ws.path, create=False, read_only=True)
    except (WorkspaceError, OSError):
        other = None
    if other is not None:
        def run_helper() -> None:
            with other:
                lane(other)
        helper = threading.Thread(target=run_helper, name="pack-figures", daemon=True)
        helper.start()
    lane(ws)
    if helper is not None:
        helper.join()
    if failure:
        raise failure[0]
    if cancelled() or len(got) < len(steps):
        raise ReportCancelled("report cancelled")
    progress(len(steps), len(steps))
    return got


def goal_progress(ws: Workspace, stats: dict[str, Any], trend: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Where NPS stands against the goal in settings: the gap and the distance covered since the
    first quarter of the trend."""
    goal = settings.get(ws, "nps_goal")
    if goal is None or stats["nps"] is None:
        return None
    start = next((t for t in trend if t["nps"] is not None and not t["small_sample"]), None)
    baseline = start["nps"] if start else None
    gap = round(goal - stats["nps"], 2)
    covered = None
    if baseline is not None and goal != baseline:
        covered = round((stats["nps"] - baseline) / (goal - baseline), 4)
    return {"goal": goal, "goal_date": settings.get(ws, "nps_goal_date"), "nps": stats["nps"],
            "gap": gap, "met": gap <= 0, "baseline": baseline,
            "baseline_period": start["period"] if start else None, "covered": covered}
