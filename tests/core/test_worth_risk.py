"""Churn risk: a planted signal is found and the backtest reports it; the rule wins when it is as good;
no feature reads anything dated on or after the scoring day."""
import json
import random
from datetime import date, timedelta

import numpy as np
import pytest

from nps_desktop.core.worth import features, history, model, risk

from .loop_data import cli
from .worth_data import START, TODAY, build

DEMO_TODAY = "2026-11-23"


def _silent_then_churn():
    """Categories at random; a quarter of the accounts fall silent at a random day, and those churn at
    their first anniversary more than 120 days later. Nothing else predicts churn."""
    rng = random.Random(11)
    kinds = [rng.choice(["promoter", "passive", "detractor"]) for _ in range(240)]
    quiet = {i: START + timedelta(days=rng.randint(200, 1000)) for i in range(1, 241) if rng.random() < 0.25}
    h = build(kinds, lambda r, i, kind: False, silent_from=lambda r, i: quiet.get(i))
    for i, q in quiet.items():  # rewrite their renewals: churn at the first one well after falling silent
        evs = h.events[i]
        first = next((k for k, e in enumerate(evs) if e.kind == "renewal" and e.day > q + timedelta(days=120)), None)
        if first is not None:
            e = evs[first]
            h.events[i] = evs[:first] + [history.Event(i, e.day, "churn", e.arr_before, -e.arr_before, e.arr_before)]
    return h


def test_a_planted_signal_is_found_and_the_backtest_reports_it():
    h = _silent_then_churn()
    report = risk.risk_report(h)
    b = report.backtest
    assert len(b.quarters) >= 4
    assert b.auc is not None and b.rule_auc is not None and b.top_share is not None
    assert b.auc > 0.85 and b.auc > b.rule_auc + 0.2
    assert b.top_share > 0.5          # a tenth of the accounts hold most of the lost ARR
    assert report.model_shown and b.beats_rule
    silence = [a for a in report.accounts[:10] if any("answer" in r for r in a.reasons)]
    assert len(silence) >= 5
    assert b.summary.startswith(f"On your last {len(b.quarters)} quarters, the top 10% of accounts by risk held "
                                f"{b.top_share:.0%}")
    doc = report.as_json()                      # what ``risk --json`` prints, keys in their order
    assert list(doc) == ["as_of", "label", "features", "backtest", "model_shown", "accounts", "coefficients"]
    assert doc["backtest"]["top_decile_share"] == round(b.top_share, 4)
    assert doc["backtest"]["summary"] == b.summary and len(doc["backtest"]["quarters"]) == len(b.quarters)
    assert doc["accounts"][0] == {"account_id": report.accounts[0].account_id, "name": report.accounts[0].name,
                                  "arr": report.accounts[0].arr, "risk": report.accounts[0].risk,
                                  "expected_loss": report.accounts[0].expected_loss,
                                  "category": report.accounts[0].category, "renewal": report.accounts[0].renewal,
                                  "rule": report.accounts[0].rule, "reasons": list(report.accounts[0].reasons)}


def test_the_rule_is_shown_instead_when_the_model_cannot_beat_it():
    """Detractors churn at their first renewal and nobody else churns: the rule is perfect (AUC 1), so no
    model is shown, only the rule's list: the detractors still with us whose renewal falls within 180 days."""
    rng = random.Random(5)
    kinds = [rng.choice(["promoter", "passive", "detractor"]) for _ in range(300)]
    h = build(kinds, lambda r, i, kind: kind == "detractor",
              since=lambda r, i: START + timedelta(days=r.randint(0, 1100)) if kinds[i - 1] == "detractor" else None)
    report = risk.risk_report(h)
    assert report.backtest.rule_auc == pytest.approx(1.0)
    assert not report.model_shown and "did not beat the simple rule" in (report.backtest.reason or "")
    assert all(a.risk is None and a.rule for a in report.accounts)
    assert "coefficients" not in report.as_json()
    soon = set()
    for i, kind in enumerate(kinds, start=1):
        since = h.accounts[i].customer_since
        renewal = since.replace(year=since.year + 1, day=min(since.day, 28))
        if kind == "detractor" and TODAY < renewal < TODAY + timedelta(days=181) and since < TODAY - timedelta(days=90):
            soon.add(i)
    assert soon and {a.account_id for a in report.accounts} == soon


def test_no_backtest_without_enough_churn():
    h = build(["promoter", "detractor"] * 10, lambda r, i, kind: False)
    report = risk.risk_report(h)
    assert report.backtest.quarters == () and not report.model_shown
    assert report.as_json()["backtest"]["quarters"] == []
    assert "not yet enough history" in report.backtest.summary


def test_auc_by_hand():
    y = np.array([1, 0, 1, 0, 0])
    s = np.array([0.9, 0.8, 0.4, 0.4, 0.1])
    # pairs (pos, neg): (0.9: beats all 3) + (0.4: beats 0.1, ties 0.4, loses to 0.8) = 3 + 1.5 = 4.5 of 6
    assert model.auc(s, y) == pytest.approx(4.5 / 6)
    assert model.auc(s, np.zeros(5)) is None


def test_logistic_fit_recovers_a_known_slope():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 2))
    p = 1 / (1 + np.exp(-(-1.0 + 2.0 * x[:, 0])))
    y = (rng.random(4000) < p).astype(float)
    m = model.fit(x, y, ridge=0.0)
    slope = m.coef / m.scale          # back on the raw scale
    assert slope[0] == pytest.approx(2.0, abs=0.2) and abs(slope[1]) < 0.15


# -- leakage ---------------------------------------------------------------------------------------
def _features(ws, t):
    h = history.History.load(ws, date.fromisoformat(DEMO_TODAY))
    return {r.account_id: (r.x.tolist(), r.arr, r.category, r.renewal) for r in features.rows_at(h, t, False)}


def _forget_from(ws, t):
    """Delete everything dated on or after ``t`` and scramble what only says how things ended."""
    day = t.isoformat()
    with ws.transaction() as conn:
        conn.execute("DELETE FROM responses WHERE responded_on >= ?", (day,))
        conn.execute("DELETE FROM revenue_events WHERE occurred_on >= ?", (day,))
        conn.execute("DELETE FROM actions WHERE created_at >= ?", (day,))
        conn.execute("UPDATE actions SET closed_at = NULL, outcome = NULL, status = 'open' WHERE closed_at >= ?",
                     (day,))
        conn.execute("UPDATE accounts SET arr = 1, status = 'churned', renewal_date = '2001-01-01', "
                     "lifecycle_stage = 'churned'")


@pytest.mark.parametrize("t", [date(2025, 7, 1), date(2026, 7, 1)])
def test_no_feature_uses_data_dated_on_or_after_the_scoring_day(demo_ws, t):
    before = _features(demo_ws, t)
    _forget_from(demo_ws, t)
    assert _features(demo_ws, t) == before


def test_the_leakage_check_catches_a_feature_that_peeks(demo_ws, monkeypatch):
    """The same check fails a model whose NPS feature reads a month past the scoring day."""
    t = date(2025, 7, 1)
    honest = history.History.rollup
    monkeypatch.setattr(history.History, "rollup",
                        lambda self, day, days=365: honest(self, day + timedelta(days=30), days))
    before = _features(demo_ws, t)
    _forget_from(demo_ws, t)
    assert _features(demo_ws, t) != before


def test_cli_risk_json_on_the_demo(demo_file):
    out = cli("--workspace", str(demo_file), "--json", "risk", "--as-of", DEMO_TODAY, "--limit", "5")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    b = doc["backtest"]
    assert doc["model_shown"] and b["auc"] > b["rule_auc"]
    assert len(doc["accounts"]) == 5 and all(len(a["reasons"]) <= 3 and a["risk"] > 0 for a in doc["accounts"])
    losses = [a["expected_loss"] for a in doc["accounts"]]
    assert losses == sorted(losses, reverse=True)
    assert abs(sum(q["top_decile_lost_arr"] for q in b["quarters"]) / sum(q["lost_arr"] for q in b["quarters"])
               - b["top_decile_share"]) < 1e-3
