"""Numbers a board can act on, against hand-worked fixtures: the minimum-sample policy, Wilson
intervals, the previous (fiscal) quarter as baseline, at risk as it stood on a past day, saves
reconciled with revenue, currency on money, and a past quarter's pack that does not move with the clock."""
from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from nps_desktop.core import analytics as A
from nps_desktop.core import as_of, money, nps, revenue, settings
from nps_desktop.core.loop import actions, engine, health, metrics

from .loop_data import account, contact, event, respond


# -- the minimum-sample policy and its settings ------------------------------------------------------
def test_wilson_interval_hand_worked():
    # 8 of 10: centre (0.8 + 1.96²/20) / (1 + 1.96²/10) = 0.71675, half-width 0.22658
    lo, hi = nps.wilson95(8, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.4902, 0.9433)
    assert nps.wilson95(0, 0) is None
    lo, hi = nps.wilson95(0, 5)   # never below 0, and not a zero-width interval at 0%
    assert lo == 0.0 and hi == pytest.approx(3.8416 / 5 / (1 + 3.8416 / 5))


@pytest.mark.parametrize("key,value", [("min_responses", 0), ("min_accounts", "10"), ("currency", "euro"),
                                       ("currency", "eur"), ("at_risk_min_contacts", 1.5),
                                       ("save_window_days", 0)])
def test_new_settings_refuse_bad_values(ws, key, value):
    with pytest.raises(ValueError):
        settings.set_value(ws, key, value)
    assert ws.scalar("SELECT count(*) FROM settings") == 0


def test_settings_defaults_and_currency_from_the_locale(ws, monkeypatch):
    assert [settings.get(ws, k) for k in ("min_responses", "min_accounts", "at_risk_min_contacts",
                                          "save_window_days")] == [30, 10, 2, 180]
    monkeypatch.setattr(settings.locale, "getlocale", lambda *a: ("de_DE", "UTF-8"))
    assert settings.get(ws, "currency") == "EUR"
    monkeypatch.setattr(settings.locale, "getlocale", lambda *a: ("en_GB", "UTF-8"))
    assert settings.get(ws, "currency") == "GBP"
    settings.set_value(ws, "currency", "CHF")
    assert settings.get(ws, "currency") == "CHF"


def _responses(conn, day: str, promoters: int, detractors: int, passives: int = 0) -> None:
    for score, k in ((10, promoters), (3, detractors), (8, passives)):
        for _ in range(k):
            respond(conn, None, day, score, account_id=None, email=None)


def test_a_change_needs_both_quarters_to_pass_the_minimum(ws):
    with ws.transaction() as conn:
        _responses(conn, "2026-02-10", promoters=20, detractors=9)      # Q1: 29 responses, NPS +37.9
        _responses(conn, "2026-05-10", promoters=10, detractors=20)     # Q2: 30 responses, NPS −33.3
    q2 = A.Filters(date(2026, 4, 1), date(2026, 6, 30))
    s = A.stats(ws, q2)
    assert s["previous"]["label"] == "2026 Q1" and s["previous"]["responses"] == 29
    assert s["small_sample"] is False and s["previous"]["small_sample"] is True
    # a fall of 71.3 points would be significant, but Q1 has 29 responses: not reliable, not significant
    assert s["change"]["delta"] == pytest.approx(-33.33 - 37.93, abs=0.01)
    assert s["change"] | {"delta": 0} == {"delta": 0, "threshold": s["change"]["threshold"],
                                          "significant": False, "reliable": False}
    settings.set_value(ws, "min_responses", 29)
    s = A.stats(ws, q2)
    assert s["change"]["reliable"] is True and s["change"]["significant"] is True


def test_the_baseline_is_the_previous_fiscal_quarter(ws):
    settings.set_value(ws, "fiscal_year_start_month", 4)
    with ws.transaction() as conn:
        _responses(conn, "2026-03-31", promoters=1, detractors=0)      # FY2026 Q4 (Jan – Mar 2026)
        _responses(conn, "2025-12-31", promoters=0, detractors=1)      # FY2026 Q3: not the baseline
    s = A.stats(ws, A.Filters(date(2026, 4, 1), date(2026, 6, 30)))   # FY2027 Q1: 91 days
    assert (s["previous"]["from"], s["previous"]["to"], s["previous"]["label"]) == \
        ("2026-01-01", "2026-03-31", "FY2026 Q4")
    assert s["previous"]["responses"] == 1 and s["previous"]["promoters"] == 1
    # a scope that is not a whole quarter or month keeps the same number of days before it
    assert A.previous_period(A.Filters(date(2026, 4, 5), date(2026, 4, 14)), 4).date_from == date(2026, 3, 26)


def test_trend_marks_the_partial_quarter(ws):
    with ws.transaction() as conn:
        _responses(conn, "2026-09-10", promoters=2, detractors=0)
        _responses(conn, "2026-10-10", promoters=1, detractors=1)
    s = A.stats(ws, A.Filters(date(2026, 7, 1), date(2026, 12, 31)), period="quarter", today=date(2026, 11, 5))
    assert [(t["period"], t["partial"], t["small_sample"]) for t in s["trend"]] == [
        ("2026Q3", False, True), ("2026Q4", True, True)]


# -- rates with n and a Wilson interval --------------------------------------------------------------
def test_revenue_rates_carry_n_interval_and_minimum(ws):
    with ws.transaction() as conn:
        for a in range(1, 13):      # 12 promoter accounts: 10 renew, 2 churn
            account(conn, a, arr=1000)
            contact(conn, a, a)
            respond(conn, a, "2026-01-10", 10)
            event(conn, a, "renewal" if a <= 10 else "churn", "2026-05-01", 0 if a <= 10 else -1000, 1000)
    rows = {r["category"]: r for r in revenue.category_table(ws.conn, date(2026, 4, 1), date(2026, 6, 30))}
    lo, hi = nps.wilson95(10, 12)
    assert rows["promoter"]["renewal"] == {"rate": 0.8333, "n": 12, "low": round(lo, 4), "high": round(hi, 4),
                                           "small_sample": False}
    assert rows["promoter"]["churn"]["rate"] == 0.1667 and rows["promoter"]["expansion"]["n"] == 12
    settings.set_value(ws, "min_accounts", 13)
    rows = {r["category"]: r for r in revenue.category_table(ws.conn, date(2026, 4, 1), date(2026, 6, 30))}
    assert rows["promoter"]["renewal"]["small_sample"] is True and rows["promoter"]["nrr_small_sample"] is True


# -- as of a past day ------------------------------------------------------------------------------
SEP30 = date(2026, 9, 30)


@pytest.fixture
def history(ws):
    """Accounts whose state changed after 30 Sep 2026 (today: 6 Dec 2026)."""
    with ws.transaction() as conn:
        # 1 renewed on 20 Oct; its renewal date has moved to next year
        account(conn, 1, "Renewed", arr=120_000, renewal="2027-10-20")
        # 2 churned on 15 Nov: active on 30 Sep, renewing then
        account(conn, 2, "Churned", arr=0, renewal="2026-11-15", status="churned")
        # 3 upsold on 1 Nov: its ARR on 30 Sep was 50k
        account(conn, 3, "Upsold", arr=80_000, renewal="2026-12-01")
        # 4 a promoter account renewing soon: never at risk
        account(conn, 4, "Happy", arr=500_000, renewal="2026-11-01")
        for a, scores in ((1, [3, 5]), (2, [2, 6]), (3, [4, 4]), (4, [10, 9])):
            for k, s in enumerate(scores):
                contact(conn, a * 10 + k, a)
                respond(conn, a * 10 + k, "2026-08-01", s)
        event(conn, 1, "renewal", "2026-10-20", 0, 120_000)
        event(conn, 2, "churn", "2026-11-15", -70_000, 70_000)
        event(conn, 3, "upsell", "2026-11-01", 30_000, 50_000)
    return ws


def test_accounts_as_they_stood(history):
    then = as_of.accounts(history.conn, SEP30)
    assert (then[1].status, then[1].renewal_date, then[1].arr) == ("active", "2026-10-20", 120_000)
    assert (then[2].status, then[2].renewal_date) == ("active", "2026-11-15")
    # 3's first event (the upsell) says its ARR before it: 50k; no renewal since: today's renewal date
    assert then[3].arr == 50_000 and then[3].renewal_date == "2026-12-01"
    now = as_of.accounts(history.conn, date(2026, 12, 6))
    assert (now[2].status, now[2].arr) == ("churned", 0.0) and now[3].arr == 80_000


def test_at_risk_as_of_the_quarter_end(history):
    rows = health.arr_at_risk(history, 120, SEP30)
    # renewing within 120 days of 30 Sep, as detractors with two contacts: 1, 2, 3 (not the promoter 4)
    assert [(r.account_id, r.days_to_renewal, r.contacts, r.arr) for r in rows] == [
        (1, 20, 2, 120_000), (2, 46, 2, 70_000), (3, 62, 2, 50_000)]
    # today only account 3 is still active and renewing within the horizon
    assert [r.account_id for r in health.arr_at_risk(history, 120, date(2026, 11, 20))] == [3]


def test_account_snapshots_and_the_events_between_them(ws):
    with ws.transaction() as conn:
        account(conn, 1, arr=90_000, renewal="2027-03-01")
        conn.execute("INSERT INTO account_snapshots(account_id, taken_on, arr, status, renewal_date) "
                     "VALUES (1, '2026-06-01', 60000, 'active', '2026-09-01'), "
                     "(1, '2026-10-01', 90000, 'active', '2027-03-01')")
        event(conn, 1, "upsell", "2026-08-01", 10_000, 60_000)   # between the snapshots: applied from the first
    july, sep = as_of.accounts(ws.conn, date(2026, 7, 1))[1], as_of.accounts(ws.conn, date(2026, 9, 1))[1]
    assert (july.arr, july.renewal_date) == (60_000, "2026-09-01")     # the upsell after it is undone too
    assert (sep.arr, sep.renewal_date) == (70_000, "2026-09-01")
    assert as_of.accounts(ws.conn, date(2026, 11, 1))[1].renewal_date == "2027-03-01"
    assert as_of.accounts(ws.conn, date(2026, 11, 1))[1].arr == 90_000


def test_actions_as_they_stood(ws):
    with ws.transaction() as conn:
        account(conn, 1)
        contact(conn, 1, 1)
        rid = respond(conn, 1, "2026-09-01", 2)
        (aid,) = engine.create_actions_in(conn, [rid], today=date(2026, 9, 1),
                                                     now=datetime(2026, 9, 1, 12)).created
        actions.set_status(ws, aid, "in_progress", now=datetime(2026, 9, 20, 9))
        actions.set_status(ws, aid, "done", now=datetime(2026, 10, 5, 9))
    assert as_of.action_states(ws.conn, date(2026, 8, 31)) == {}
    sep = as_of.action_states(ws.conn, date(2026, 9, 10))[aid]
    assert (sep["status"], sep["first_touch_at"], sep["closed_at"]) == ("open", None, None)
    assert as_of.action_states(ws.conn, SEP30)[aid]["status"] == "in_progress"
    assert as_of.action_states(ws.conn, date(2026, 10, 5))[aid]["status"] == "done"
    m = metrics.loop_metrics(ws, date(2026, 7, 1), SEP30, SEP30)
    assert (m.open, m.in_progress, m.done) == (0, 1, 0)


# -- saves reconciled with revenue -------------------------------------------------------------------
def test_a_save_counts_only_if_the_account_did_not_churn_within_the_window(ws):
    with ws.transaction() as conn:
        for a in (1, 2, 3):
            account(conn, a, arr=10_000)
            contact(conn, a, a)
            rid = respond(conn, a, "2026-01-10", 2)
            engine.create_actions_in(conn, [rid], today=date(2026, 1, 10), now=datetime(2026, 1, 10, 12))
            respond(conn, a, "2026-02-10", 9)                    # each answered 9 again: saved as reported
        event(conn, 1, "churn", "2026-03-10", -10_000, 10_000)   # 59 days after the response: not a save
        event(conn, 2, "churn", "2026-08-10", -10_000, 10_000)   # 212 days after: the save stands
    m = metrics.loop_metrics(ws, today=date(2026, 12, 1))
    assert (m.saves_resolved, m.saved, m.save_rate) == (3, 3, 1.0)
    assert (m.saved_reconciled, m.save_rate_reconciled, m.save_window_days) == (2, 0.6667, 180)
    settings.set_value(ws, "save_window_days", 240)
    assert metrics.loop_metrics(ws, today=date(2026, 12, 1)).saved_reconciled == 1


# -- money -----------------------------------------------------------------------------------------
def test_money_formats():
    assert money.full(1_691_100, "EUR") == "EUR 1,691,100" and money.full(-12_000, "USD") == "USD −12,000"
    assert money.compact(726_000, "EUR") == "EUR 726k" and money.compact(3_240_000, "GBP") == "GBP 3.2M"
    assert money.full(None, "EUR") == "—" and money.compact(950, "") == "950"
    assert money.excel_format("EUR") == '"EUR" #,##0;"EUR" -#,##0'


def test_excel_money_cells_are_numbers_with_the_currency_format(ws, tmp_path):
    from openpyxl import load_workbook
    from nps_desktop.core.reporting import excel, tables
    settings.set_value(ws, "currency", "EUR")
    with ws.transaction() as conn:
        account(conn, 1, "Acme", arr=1234.0)
    out = tmp_path / "accounts.xlsx"
    excel.write(out, tables.build(ws, "accounts", A.Filters()))
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(2, header.index("arr") + 1)
    assert cell.value == 1234 and isinstance(cell.value, (int, float))
    assert cell.number_format == money.excel_format("EUR")
    assert math.isclose(cell.value, 1234.0)


# -- a past quarter's pack does not move with the clock -----------------------------------------------
def test_the_q3_pack_is_the_same_a_month_later(demo_file, tmp_path, monkeypatch):
    """Built on the demo's day and again a month later (nothing imported between), the Q3 pack prints
    the same figures and the same words, apart from the day it was prepared."""
    import contextlib
    import io
    import json
    import re
    import shutil
    import subprocess

    from nps_desktop.cli import main
    path = tmp_path / "demo.npsdb"
    shutil.copy(demo_file, path)
    docs, texts = [], []
    for day in ("2026-11-23", "2026-12-23"):
        monkeypatch.setenv("NPS_DESKTOP_TODAY", day)
        out = tmp_path / f"q3-{day}.pdf"
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert main(["report", "--workspace", str(path), "--period", "2026Q3", "--out", str(out), "--json"]) == 0
        docs.append(json.loads(buffer.getvalue())["figures"])
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        texts.append(re.sub(r"Prepared \d+ \w+ \d{4}", "Prepared …", text))
    assert docs[0]["as_of"] == docs[1]["as_of"] == "2026-09-30"
    assert docs[0] == docs[1]
    assert texts[0] == texts[1]
    assert docs[0]["at_risk"]["count"] > 0 and docs[0]["loop"]["actions"] > 0


def test_a_crm_import_snapshots_the_accounts_and_undo_forgets_it(ws, tmp_path, monkeypatch):
    """Rows only (no follow-ups): the snapshot is the importer's own, and so is forgetting it on undo."""
    from nps_desktop.core.importing.importer import import_file
    from nps_desktop.core.importing.undo import undo_batch
    path = tmp_path / "accounts.csv"
    path.write_text("Account ID,Account Name,ARR,Renewal Date,Status\nA-1,Acme,120000,2026-12-01,active\n",
                    encoding="utf-8")
    monkeypatch.setenv("NPS_DESKTOP_TODAY", "2026-06-30")
    batch = import_file(ws, path).batch_id
    assert ws.query("SELECT taken_on, arr, status, renewal_date FROM account_snapshots")[0][:] == \
        ("2026-06-30", 120000.0, "active", "2026-12-01")
    ws.conn.execute("UPDATE accounts SET arr = 200000, renewal_date = '2027-12-01'")   # changed since
    ws.conn.commit()
    then = as_of.accounts(ws.conn, date(2026, 7, 15))
    assert [(a.arr, a.renewal_date) for a in then.values()] == [(120_000, "2026-12-01")]
    undo_batch(ws, batch)
    assert ws.scalar("SELECT count(*) FROM account_snapshots") == 0


# -- the pack's sentences compare groups only when their intervals allow ------------------------------
def _renewals(renewed: int, n: int, least: int = 10) -> dict:
    return {"renewal": revenue.rate(renewed, n, least)}


@pytest.mark.parametrize("pro, det, expected", [
    # 30 of 30 (89–100%) against 5 of 12 (19–68%): the intervals are apart, so the two are compared
    ((30, 30), (5, 12), "Promoter accounts renewed at 100% (89–100%, n = 30) against 42% (19–68%, n = 12) for "
                        "detractor accounts."),
    # 11 of 12 (65–99%) against 9 of 12 (47–91%): they overlap, so no group is said to renew more
    ((11, 12), (9, 12), "Renewal rates of promoter (92% (65–99%, n = 12)) and detractor accounts (75% (47–91%, "
                        "n = 12)) do not differ beyond their 95% intervals."),
    # 5 detractor accounts: below the minimum, so only the promoters' rate is given
    ((30, 30), (3, 5), "Promoter accounts renewed at 100% (89–100%, n = 30)."),
    ((6, 8), (3, 5), None),
])
def test_revenue_sentence_compares_only_what_the_intervals_allow(pro, det, expected):
    from types import SimpleNamespace

    from nps_desktop.core.reporting import summary
    d = SimpleNamespace(currency="EUR", revenue={"expansion_share_promoters": None, "expansion_arr": 0, "categories": [
        {"category": "promoter", **_renewals(*pro)}, {"category": "detractor", **_renewals(*det)}]})
    assert summary.revenue(d) == expected


def test_extremes_named_only_when_the_margins_do_not_overlap():
    from types import SimpleNamespace

    from nps_desktop.core.reporting import summary

    def row(label, nps_, margin, n=100):
        return {"key": label, "label": label, "nps": nps_, "margin95": margin, "responses": n, "small_sample": n < 30}
    apart = SimpleNamespace(segments={"region": [row("EMEA", 50, 8), row("LATAM", 20, 10), row("APAC", 35, 9)]})
    assert summary.extremes(apart) == ("By region, EMEA scores highest (50 ±8, n = 100) and LATAM lowest (20 ±10, "
                                       "n = 100).")
    close = SimpleNamespace(segments={"region": [row("EMEA", 40, 12), row("LATAM", 27, 26.6)]})
    assert summary.extremes(close) is None                       # "LATAM lowest (27)" with ±26.6: no claim
    tiny = SimpleNamespace(segments={"region": [row("EMEA", 60, 8), row("LATAM", -10, 20, n=12)]})
    assert summary.extremes(tiny) is None                        # one region below the minimum sample


def test_a_pack_below_the_minimum_sample_greys_and_concludes_nothing(ws, tmp_path):
    import re
    import subprocess

    from nps_desktop.core.reporting import build

    from . import report_data
    report_data.build(ws)                       # 10 responses in 2026 Q3, 8 in Q2: all below 30
    result = build.build_pack(ws, tmp_path / "q3.pdf", "2026Q3", today=report_data.TODAY)
    text = " ".join(subprocess.run(["pdftotext", str(result.path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "fewer than the 30 a reliable NPS needs" in text
    points = text[text.index("Key points"):text.index("NPS over eight quarters")]
    assert "▲" not in text and "▼" not in text and "rose" not in points and "fell" not in points
    assert "Change vs 2026 Q2" in text and "needs 30 in each quarter" in text
    region = text[text.rindex("By region"):text.rindex("By industry")]   # the section, not the contents
    assert region.count("n too small") >= 2 * 3   # each region's margin and verdict
    assert not re.search(r"within margin|significant", region)
