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
from . import sources

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Step = Callable[[Workspace], Any]

#: The segment tables of the pack, in order: (dimension, title).
SEGMENT_DIMENSIONS = (("region", "Region"), ("industry", "Industry"), ("tier", "Tier"),
                      ("lifecycle_stage", "Lifecycle stage"))
TREND_QUARTERS = 8
NO_ACCOUNT = "No account"


class ReportCancelled(Exception):
    """The user cancelled the report; nothing was written."""


@dataclass
class PackData:
    """Every figure the pack prints."""
    period: str
    period_label: str
    start: date
    end: date
    previous_period: str
    segment: str | None
    filters: analytics.Filters
    company: str
    stats: dict[str, Any]                 # analytics.stats for the period (what stats --json prints)
    previous: dict[str, Any]              # counts, NPS and margin of the quarter before
    change: dict[str, Any] | None         # {delta, threshold, significant} of NPS against last quarter
    trend: list[dict[str, Any]]           # up to 8 quarters ending with the period
    distribution: list[int]               # responses per score 0..10
    segments: dict[str, list[dict[str, Any]]]
    coverage: dict[str, Any]
    goal: dict[str, Any] | None
    at_risk: dict[str, Any] | None = None
    revenue: dict[str, Any] | None = None
    themes: dict[str, Any] | None = None
    loop: dict[str, Any] | None = None
    missing: dict[str, str] = field(default_factory=dict)   # section -> why it is not in the pack


def quarter_label(key: str, fy_start: int = 1) -> str:
    """``2026Q3`` → ``2026 Q3`` (``FY2026 Q3`` when the fiscal year does not start in January)."""
    year, q = key.split("Q")
    return f"{'FY' if fy_start != 1 else ''}{year} Q{q}"


def default_period(ws: Workspace, today: date | None = None) -> str | None:
    """The last quarter that has ended and has responses; else the latest quarter with responses."""
    fy = analytics.fiscal_year_start(ws)
    keys = [k for k, _ in analytics.trend(ws, analytics.Filters(), "quarter") if k]
    if not keys:
        return None
    current = periods.quarter_key(today or date.today(), fy)
    done = [k for k in keys if k < current]
    return done[-1] if done else keys[-1]


def scope_filters(ws: Workspace, period: str, segment: str | None) -> analytics.Filters:
    """The filters of the pack: a saved segment's fields (its own dates are replaced by the period's)."""
    start, end = periods.bounds(period, analytics.fiscal_year_start(ws))
    base = analytics.load_segment(ws, segment) if segment else analytics.Filters()
    return base.with_dates(start, end)


def figures(result: nps.NpsResult) -> dict[str, Any]:
    """The counts of a result and its NPS and margin, rounded as ``stats --json`` rounds them."""
    return {**result.as_dict(), "nps": _r2(result.nps), "margin95": _r2(result.margin95),
            "small_sample": result.small_sample}


def _r2(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _result(doc: dict[str, Any]) -> nps.NpsResult:
    return nps.NpsResult(doc["responses"], doc["promoters"], doc["passives"], doc["detractors"])


def _change(before: nps.NpsResult, after: nps.NpsResult) -> dict[str, Any] | None:
    return analytics.change_dict(nps.change(before, after))


def segment_rows(ws: Workspace, current: analytics.Filters, previous: analytics.Filters,
                 by: str) -> list[dict[str, Any]]:
    """NPS per value of ``by`` in the period, with its change against the previous period."""
    before = {k: r for k, r in analytics.groups(ws, previous, by)}
    rows = []
    for key, result in analytics.groups(ws, current, by):
        prev = before.get(key)
        rows.append({"key": key, "label": NO_ACCOUNT if key is None else str(key), **figures(result),
                     "previous_nps": _r2(prev.nps) if prev else None,
                     "previous_responses": prev.responses if prev else 0,
                     "change": _change(prev, result) if prev else None})
    return rows


def gather(ws: Workspace, period: str, segment: str | None = None, *,
           progress: Progress | None = None, cancelled: Cancelled | None = None,
           today: date | None = None) -> PackData:
    """Collect every figure of the pack for ``period`` (``2026Q3``) and an optional saved segment."""
    progress = progress or (lambda done, total: None)
    cancelled = cancelled or (lambda: False)
    today = today or date.today()
    fy = analytics.fiscal_year_start(ws)
    current = scope_filters(ws, period, segment)
    as_of = min(current.date_to, today)
    prev_key = periods.shift(period, -1, fy)
    previous = current.with_dates(*periods.bounds(prev_key, fy))
    first = periods.shift(period, -(TREND_QUARTERS - 1), fy)
    trend_filters = current.with_dates(periods.bounds(first, fy)[0], current.date_to)

    steps: list[tuple[str, Step]] = [  # the slowest first, so that the two lanes end together
        ("themes", lambda w: sources.themes(w, current)),
        *[(f"segment:{dim}", (lambda w, d=dim: segment_rows(w, current, previous, d)))
          for dim, _ in SEGMENT_DIMENSIONS],
        ("at_risk", lambda w: sources.accounts_at_risk(w, current, as_of)),
        ("stats", lambda w: analytics.stats(w, current)),
        ("coverage", lambda w: sources.coverage(w, current)),
        ("revenue", lambda w: sources.revenue(w, current)),
        ("trend", lambda w: [{"period": k, **figures(r)} for k, r in analytics.trend(w, trend_filters)]),
        ("previous", lambda w: figures(analytics.overall(w, previous))),
        ("loop", lambda w: sources.loop(w, current, today)),
    ]
    if not sources.has_themes():  # the themes report counts the comments; without it, count them here
        steps.append(("comments", lambda w: sources.comment_count(w, current)))
    got = run_steps(ws, steps, progress, cancelled)
    stats = got["stats"]
    got["coverage"]["with_comment"] = got["comments"] if "comments" in got else got["themes"]["comments"]
    before, after = _result(got["previous"]), _result(stats)
    missing = {name: reason for name in ("revenue", "themes", "loop", "at_risk")
               if isinstance(reason := got[name], sources.Unavailable)}
    return PackData(
        period=period, period_label=quarter_label(period, fy), start=current.date_from,
        end=current.date_to, previous_period=prev_key, segment=segment, filters=current,
        company=sources.company_name(ws), stats=stats, previous=got["previous"],
        change=_change(before, after), trend=got["trend"], distribution=stats["distribution"],
        segments={dim: got[f"segment:{dim}"] for dim, _ in SEGMENT_DIMENSIONS},
        coverage=got["coverage"], goal=goal_progress(ws, stats, got["trend"]),
        **{k: None if k in missing else got[k] for k in ("at_risk", "revenue", "themes", "loop")},
        missing={k: str(v) for k, v in missing.items()})


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
            progress(done, len(steps)) if threading.current_thread() is main else None

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
    start = next((t for t in trend if t["nps"] is not None), None)
    baseline = start["nps"] if start else None
    gap = round(goal - stats["nps"], 2)
    covered = None
    if baseline is not None and goal != baseline:
        covered = round((stats["nps"] - baseline) / (goal - baseline), 4)
    return {"goal": goal, "goal_date": settings.get(ws, "nps_goal_date"), "nps": stats["nps"],
            "gap": gap, "met": gap <= 0, "baseline": baseline,
            "baseline_period": start["period"] if start else None, "covered": covered}
