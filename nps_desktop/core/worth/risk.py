"""Churn risk per account, and how well it would have worked on the workspace's own past.

The label: a churn or a contraction (downsell) in the 180 days after a day ``t``. The rows: every account
with ARR at the first day of each past quarter, its features from what was known before that day
(``features.rows_at``). The model is a logistic regression (``model.fit``).

Rolling-origin backtest: for each of the last ``QUARTERS`` quarters whose 180 days have passed, fit on the
rows whose outcome was already known when that quarter began, score that quarter's accounts, and compare
with what happened. Pooled over those quarters: AUC, calibration (predicted against observed churn by
fifth of predicted risk), and the share of the lost ARR held by the top 10% of accounts ranked by expected
loss (risk × ARR), the order of the risk list. The model is shown
only when it beats the rule "detractor account renewing within 180 days" on both AUC and on the lost ARR
caught by as many accounts as the rule flags.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Any, Callable

import numpy as np

from . import features as F
from .history import History, quarter_starts
from .model import Logistic, auc, fit

QUARTERS = 6
TOP = 0.10
#: Fewest churned rows a training set needs before a model is fitted on it.
MIN_POSITIVES = 8
FIRST_ORIGIN_AFTER = timedelta(days=91)   # a quarter of answers before the first origin


def rule_flag(row: F.Row) -> bool:
    """The simple rule the model must beat: a detractor account renewing within 180 days."""
    return row.category == "detractor" and row.renewal is not None and row.renewal < row.t + F.HORIZON


def origins(h: History) -> list[date]:
    """The quarter starts whose 180 days have passed, from a quarter after the first answer."""
    if not h.responses:
        return []
    return quarter_starts(h.responses[0].day + FIRST_ORIGIN_AFTER, h.today + timedelta(days=1) - F.HORIZON)


def _xy(rows: list[F.Row]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([r.x for r in rows]), np.array([float(bool(r.churned)) for r in rows])


def _capture(score: np.ndarray, lost: np.ndarray, k: int) -> float:
    """Lost ARR held by the ``k`` highest scores."""
    if k <= 0:
        return 0.0
    return float(lost[np.argsort(-score, kind="stable")[:k]].sum())


@dataclass(frozen=True)
class BacktestQuarter:
    """One quarter of the backtest: the model fitted on earlier quarters, scored on this one."""
    quarter_start: str
    accounts: int
    churned: int
    lost_arr: float
    top_decile_lost_arr: float
    rule_flagged: int
    rule_lost_arr: float
    model_lost_arr_at_rule_size: float
    trained_on: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CalibrationBin:
    """Predicted against observed churn in one fifth of predicted risk."""
    rows: int
    predicted: float
    observed: float

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Backtest:
    quarters: tuple[BacktestQuarter, ...]
    auc: float | None
    rule_auc: float | None
    top_share: float | None          # share of the lost ARR held by the top 10%
    rule_share: float | None         # share held by the rule's flagged accounts
    model_share_at_rule: float | None  # share held by the model's top accounts, as many as the rule flags
    calibration: tuple[CalibrationBin, ...]
    rows: int
    churned: int
    beats_rule: bool
    reason: str | None

    @property
    def summary(self) -> str:
        return summary(self)

    def as_json(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)
        return {"quarters": [q.as_json() for q in self.quarters], "auc": r(self.auc), "rule_auc": r(self.rule_auc),
                "top_decile_share": r(self.top_share), "rule_share": r(self.rule_share),
                "model_share_at_rule_size": r(self.model_share_at_rule),
                "calibration": [c.as_json() for c in self.calibration],
                "rows": self.rows, "churned": self.churned, "beats_rule": self.beats_rule, "reason": self.reason,
                "summary": summary(self)}


def summary(b: Backtest) -> str:
    """The backtest in one sentence."""
    if b.top_share is None:
        return b.reason or "No backtest yet."
    return (f"On your last {len(b.quarters)} quarters, the top 10% of accounts by risk held "
            f"{b.top_share:.0%} of the ARR lost to churn or contraction (AUC {b.auc:.2f}); the accounts flagged by "
            f"the rule \"detractor renewing within 180 days\" held {b.rule_share:.0%} (AUC {b.rule_auc:.2f}).")


Check = Callable[[], bool]


def backtest(h: History, rows_by_origin: dict[date, list[F.Row]] | None = None,
             cancelled: Check = lambda: False) -> Backtest:
    rows_by_origin = rows_by_origin or {t: F.rows_at(h, t) for t in origins(h)}
    tested: list[F.Row] = []
    scores: list[np.ndarray] = []
    rule: list[np.ndarray] = []
    quarters: list[BacktestQuarter] = []
    for q in sorted(rows_by_origin)[-QUARTERS:]:
        if cancelled():
            raise Cancelled()
        train = [r for t, rows in rows_by_origin.items() if t + F.HORIZON <= q for r in rows]
        test = rows_by_origin[q]
        if sum(bool(r.churned) for r in train) < MIN_POSITIVES or not test:
            continue
        m = fit(*_xy(train))
        s = m.predict(np.array([r.x for r in test]))
        expected = s * np.array([r.arr for r in test])
        flags = np.array([rule_flag(r) for r in test], dtype=float)
        lost = np.array([r.lost for r in test])
        k = max(1, round(TOP * len(test)))
        quarters.append(BacktestQuarter(
            q.isoformat(), len(test), sum(bool(r.churned) for r in test), round(float(lost.sum()), 2),
            round(_capture(expected, lost, k), 2), int(flags.sum()), round(float((flags * lost).sum()), 2),
            round(_capture(expected, lost, int(flags.sum())), 2), len(train)))
        tested += test
        scores.append(s)
        rule.append(flags)
    if not quarters:
        return Backtest((), None, None, None, None, None, (), 0, 0, False,
                        "There is not yet enough history of churn to test a risk model on your own past "
                        f"(each quarter needs at least {MIN_POSITIVES} churned or contracted accounts known "
                        "before it).")
    s, flags = np.concatenate(scores), np.concatenate(rule)
    _, y = _xy(tested)
    lost_total = sum(q.lost_arr for q in quarters)

    def share(held: Callable[[BacktestQuarter], float]) -> float | None:
        return (sum(held(q) for q in quarters) / lost_total if lost_total else None)
    b = Backtest(tuple(quarters), auc(s, y), auc(flags, y), share(lambda q: q.top_decile_lost_arr),
                 share(lambda q: q.rule_lost_arr), share(lambda q: q.model_lost_arr_at_rule_size),
                 calibration(s, y), len(y), int(y.sum()), False, None)
    beats = bool(b.auc is not None and b.rule_auc is not None and b.auc > b.rule_auc
                 and (b.model_share_at_rule or 0) >= (b.rule_share or 0) and lost_total > 0)
    if not beats:
        return replace(b, reason="The risk model is not shown: on your own past it did not beat the simple rule "
                                 "\"detractor account renewing within 180 days\".")
    return replace(b, beats_rule=True)


def calibration(score: np.ndarray, y: np.ndarray, bins: int = 5) -> tuple[CalibrationBin, ...]:
    """Predicted against observed churn by fifth of predicted risk."""
    order = np.argsort(score, kind="stable")
    out = []
    for part in np.array_split(order, bins):
        if len(part):
            out.append(CalibrationBin(len(part), round(float(score[part].mean()), 4),
                                      round(float(y[part].mean()), 4)))
    return tuple(out)


class Cancelled(Exception):
    """The risk computation was cancelled."""


def reasons(m: Logistic, x: np.ndarray, n: int = 3) -> list[str]:
    """The account's ``n`` biggest pushes towards risk, in words (one per group of related features,
    described by the group's strongest feature)."""
    c = m.contributions(x)
    push: dict[str, float] = {}
    strongest: dict[str, int] = {}
    for i, f in enumerate(F.FEATURES):
        push[f.group] = push.get(f.group, 0.0) + c[i]
        if f.group not in strongest or c[i] > c[strongest[f.group]]:
            strongest[f.group] = i
    top = sorted((g for g in push if push[g] > 0), key=lambda g: -push[g])[:n]
    values = dict(zip(F.NAMES, map(float, x)))
    return [F.FEATURES[strongest[g]].describe(values) for g in top]


@dataclass(frozen=True)
class RiskAccount:
    """One account on the risk list (``risk`` and ``expected_loss`` None on the rule's list)."""
    account_id: int
    name: str | None
    arr: float
    risk: float | None
    expected_loss: float | None
    category: str | None
    renewal: str | None
    rule: bool
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "name": self.name, "arr": self.arr, "risk": self.risk,
                "expected_loss": self.expected_loss, "category": self.category, "renewal": self.renewal,
                "rule": self.rule, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class RiskReport:
    """The backtest and the risk list; ``as_json`` is what ``risk --json`` prints."""
    as_of: str
    label: str
    features: tuple[str, ...]
    backtest: Backtest
    model_shown: bool
    accounts: tuple[RiskAccount, ...]
    coefficients: dict[str, float] | None = None   # when the model is shown

    def as_json(self) -> dict[str, Any]:
        doc = {"as_of": self.as_of, "label": self.label, "features": list(self.features),
               "backtest": self.backtest.as_json(), "model_shown": self.model_shown,
               "accounts": [a.as_json() for a in self.accounts]}
        if self.coefficients is not None:
            doc["coefficients"] = dict(self.coefficients)
        return doc


def risk_report(h: History, cancelled: Check = lambda: False, limit: int | None = None) -> RiskReport:
    """The backtest, and each account's risk and reasons when the model beat the rule (else only the
    rule's list); ``as_json`` is what ``risk --json`` prints."""
    rows_by_origin = {}
    for t in origins(h):
        if cancelled():
            raise Cancelled()
        rows_by_origin[t] = F.rows_at(h, t)
    b = backtest(h, rows_by_origin, cancelled)
    now = h.today + timedelta(days=1)
    live = F.rows_at(h, now, with_label=False)
    train = [r for rows in rows_by_origin.values() for r in rows]
    names = {a: acc.name for a, acc in h.accounts.items()}
    coefficients: dict[str, float] | None = None
    if b.beats_rule:
        m = fit(*_xy(train))
        p = m.predict(np.array([r.x for r in live])) if live else np.array([])
        coefficients = {f.key: round(float(c), 4) for f, c in zip(F.FEATURES, m.coef)}
        accounts = [RiskAccount(r.account_id, names.get(r.account_id), round(r.arr, 2), round(float(pi), 4),
                                round(float(pi) * r.arr, 2), r.category,
                                r.renewal.isoformat() if r.renewal else None, rule_flag(r), tuple(reasons(m, r.x)))
                    for r, pi in zip(live, p)]
        accounts.sort(key=lambda a: (-(a.expected_loss or 0.0), -(a.risk or 0.0), a.account_id))
    else:
        accounts = [RiskAccount(r.account_id, names.get(r.account_id), round(r.arr, 2), None, None, r.category,
                                r.renewal.isoformat() if r.renewal else None, True,
                                ("detractor account", f"renews {r.renewal}"))
                    for r in live if rule_flag(r)]
        accounts.sort(key=lambda a: (a.renewal or "", -a.arr, a.account_id))
    return RiskReport(h.today.isoformat(), "churn or contraction in the next 180 days",
                      tuple(f.key for f in F.FEATURES), b, b.beats_rule,
                      tuple(accounts[:limit] if limit else accounts), coefficients)
