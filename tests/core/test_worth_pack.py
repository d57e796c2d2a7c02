"""The pack's page "What NPS is worth": on the demo its figures are those of the worth modules; on a thin
history it says why there is no value."""
import subprocess
from datetime import date

from nps_desktop.core import settings
from nps_desktop.core.reporting import build
from nps_desktop.core.worth import history, risk, value

from .loop_data import account, contact, event, respond

TODAY = date(2026, 11, 23)


def _text(path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def test_the_demo_pack_has_the_page_with_checkable_figures(demo_ws, tmp_path):
    settings.set_value(demo_ws, "nps_goal_date", "2027-12-31")
    settings.set_value(demo_ws, "nps_benchmark", "b2b_services")
    result = build.build_pack(demo_ws, tmp_path / "pack.pdf", "2026Q3", today=TODAY)
    assert "What NPS is worth" in result.sections
    text = _text(result.path)
    as_of = date(2026, 9, 30)                          # the pack looks back from its quarter's end
    h = history.History.load(demo_ws, as_of)
    v = value.value_of_move(h)
    assert value.sentence(v) in text
    move = v.moves[0]
    assert f"{move.value:,.0f}" in text and f"{move.low:,.0f}" in text
    b = risk.risk_report(h).backtest
    assert " ".join(b.summary.split()) in text
    assert "External benchmark: the published NPS of B2B service providers (U.S. and Canada) is 18" in text
    assert "Goal +40 by 2027Q4: the plan from 2026Q3" in text


def test_a_thin_history_is_refused_in_the_pack(ws, tmp_path):
    with ws.transaction() as conn:
        for a, score in [(1, 10), (2, 3)]:
            account(conn, a, arr=1000)
            contact(conn, a, a)
            respond(conn, a, "2025-02-03", score)
            respond(conn, a, "2026-08-03", score)
            event(conn, a, "new", "2025-01-01", 1000)
        event(conn, 2, "churn", "2026-01-01", -1000)
    result = build.build_pack(ws, tmp_path / "pack.pdf", "2026Q3", today=TODAY)
    text = _text(result.path)
    assert "What NPS is worth" in result.sections
    assert "Promoter accounts have 0 renewals and churns on record (at least 10 are needed in each category)" in text
    assert "not yet enough history of churn to test a risk model" in text
