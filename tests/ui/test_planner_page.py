"""The Planner page shows what core.cadence plans, records waves, shows rates, and edits rules and programs."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt

from nps_desktop.core.cadence import load_programs, load_rules, plan
from nps_desktop.core.cadence.export import PLANNED_COLUMNS
from nps_desktop.ui import workers
from nps_desktop.ui.pages.planner import PlannerPage
from nps_desktop.ui.session import Session
from tests.core.cadence_data import db_acme, db_response
from tests.ui.dialogs import OK, Answer, answering
from .gestures import click, click_row, click_tab, pick, tick

START, END = date(2026, 7, 1), date(2026, 7, 31)


@pytest.fixture
def page(qtbot, ws):
    """Acme (customer since 2026-06-01, five contacts, c1 answered 2026-05-19) and churned Gone Ltd."""
    with ws.transaction() as conn:
        db_acme(conn)
        db_response(conn, "2026-05-19", contact_id=1)
    session = Session()
    session.open_path(ws.path)
    page = PlannerPage(session)
    qtbot.addWidget(page)
    page.today = START
    page.resize(1200, 760)
    with qtbot.waitSignal(page.plan_ready, timeout=10000):
        page.show()
    page.date_to.setDate(QDate(END))
    with qtbot.waitSignal(page.plan_ready, timeout=10000):
        click(qtbot, page.plan_button)
    yield page
    session.close()


def texts(model, column: int) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_the_page_shows_the_core_plan(page, qtbot, ws):
    core = plan(ws, START, END)
    assert page.range() == (START, END)
    assert page.planned == list(core.planned) and page.excluded == list(core.excluded)
    assert texts(page.send_model, 1) == [p.email for p in core.planned]
    assert texts(page.send_model, 2)[0] == "First1 Last1"
    assert page.status.text() == f"{len(core.planned)} invitations in 2 waves; {len(core.excluded)} excluded"
    assert [page.wave_filter.itemText(i) for i in range(page.wave_filter.count())] == [
        "All waves (5)", "Onboarding tNPS 2026-W27 (3)", "Relational NPS 2026Q3 (2)"]
    reasons = dict(zip(texts(page.excluded_model, 1), texts(page.excluded_model, 5)))
    assert reasons["c6@example.com"] == "Gone Ltd has churned; only loss surveys go to churned accounts"
    pick(qtbot, page.rule_filter, "relational_gap")
    assert texts(page.excluded_model, 5) == ["surveyed 43 days ago; the minimum is 180"]
    # the calendar: July 2026 starts on a Wednesday; four invitations on the 1st, one on the 2nd
    grid = page.day_model
    first = grid.index(0, 2)
    assert grid.day(first) == START and grid.data(first) == "1 Jul\n4"
    assert grid.data(grid.index(0, 3)) == "2 Jul\n1"
    assert "Onboarding tNPS 2026-W27: 3" in grid.data(first, 3)   # tooltip role


def test_the_send_list_of_one_wave_is_exported(page, qtbot, tmp_path):
    pick(qtbot, page.wave_filter, "Relational NPS 2026Q3")
    assert page.send_model.rowCount() == 2 and page.mark_button.isEnabled()
    xlsx = next(a for a in page.export.menu().actions() if a.text().startswith("Excel"))
    with answering(Answer(fill={"file": str(tmp_path / "wave.xlsx")})) as dialogs:
        xlsx.trigger()
    assert dialogs.seen[0].kind == "QFileDialog"
    qtbot.waitUntil(lambda: page.status.text() == "2 rows written to wave.xlsx.", timeout=10000)
    rows = list(load_workbook(tmp_path / "wave.xlsx").active.iter_rows(values_only=True))
    assert rows[0] == PLANNED_COLUMNS
    # c5 takes the place c2 leaves (onboarding asks c2 that day), then c4 its own
    assert [(r[0], r[5].date()) for r in rows[1:]] == [("c5@example.com", date(2026, 7, 1)),
                                                       ("c4@example.com", date(2026, 7, 2))]


def test_marking_a_wave_sent_records_it_and_the_plan_follows(page, qtbot, ws):
    click_tab(qtbot, page.tabs, "Calendar")
    click_row(qtbot, page.wave_view, 1)
    assert page.selected_wave() == "Relational NPS 2026Q3" and page.wave_mark_button.isEnabled()
    assert page.day_model.highlight == {date(2026, 7, 1), date(2026, 7, 2)}
    with qtbot.waitSignal(page.plan_ready, timeout=10000):
        with qtbot.waitSignal(page.wave_marked, timeout=10000) as marked, answering(OK) as dialogs:
            qtbot.mouseClick(page.wave_mark_button, Qt.LeftButton)
    assert dialogs.seen[0].kind == "QMessageBox"
    assert marked.args == ["Relational NPS 2026Q3", 2]
    assert ws.scalar("SELECT count(*) FROM invitations WHERE wave = 'Relational NPS 2026Q3'") == 2
    assert page.plan.wave("Relational NPS 2026Q3").sent == 2
    assert "Relational NPS 2026Q3" not in {p.wave for p in page.planned}


def test_response_rates_after_answers_come_back(page, qtbot, ws):
    click_tab(qtbot, page.tabs, "Calendar")
    click_row(qtbot, page.wave_view, 1)
    with qtbot.waitSignal(page.wave_marked, timeout=10000), answering(OK):
        qtbot.mouseClick(page.wave_mark_button, Qt.LeftButton)
    with ws.transaction() as conn:
        db_response(conn, "2026-07-06", contact_id=4)
    with qtbot.waitSignal(page.rates_ready, timeout=10000):
        click_tab(qtbot, page.tabs, "Response rates")
    assert texts(page.rate_wave_model, 0) == ["Relational NPS 2026Q3"]
    assert [texts(page.rate_wave_model, c)[0] for c in (1, 2, 3)] == ["2", "1", "50.0%"]
    assert page.rates_status.text().startswith("1 response newly matched.")


def test_rules_are_edited_and_checked(page, qtbot, ws):
    click_tab(qtbot, page.tabs, "Rules and programs")
    page.rule_spins["daily_cap"].setValue(1)
    tick(qtbot, page.weekday_boxes[5], True)
    page.holidays.setText("2026-07-02")
    with qtbot.waitSignal(page.plan_ready, timeout=10000):
        qtbot.mouseClick(page.save_rules_button, Qt.LeftButton)
    rules = load_rules(ws)
    assert (rules.daily_cap, rules.business_weekdays, rules.holidays) == (1, (0, 1, 2, 3, 4, 5), ("2026-07-02",))
    assert all(n == 1 for n in page.plan.per_day.values()) and date(2026, 7, 2) not in page.plan.per_day
    page.holidays.setText("July 4th")
    qtbot.mouseClick(page.save_rules_button, Qt.LeftButton)
    assert page.rules_status.text() == "holidays: write each date as YYYY-MM-DD"
    assert load_rules(ws).holidays == ("2026-07-02",)


def test_programs_are_edited(page, qtbot, ws):
    names = [p.name for p in load_programs(ws)]
    click_row(qtbot, page.program_view, names.index("Onboarding tNPS"))
    assert page.p_name.text() == "Onboarding tNPS" and page.p_days.isEnabled() and not page.p_lists.isEnabled()
    page.p_days.setValue(45)
    with qtbot.waitSignal(page.plan_ready, timeout=10000):
        qtbot.mouseClick(page.save_program_button, Qt.LeftButton)
    assert [p.trigger_days for p in load_programs(ws) if p.name == "Onboarding tNPS"] == [45]
    assert page.program_status.text() == "Saved Onboarding tNPS: 45 days after the customer start, to all " \
                                         "active customers."
    qtbot.mouseClick(page.new_program_button, Qt.LeftButton)
    page.p_name.setText("Staff pulse")
    pick(qtbot, page.p_kind, "enps")
    pick(qtbot, page.p_target, "list")
    page.p_lists.setText("domains ourco.com")
    qtbot.mouseClick(page.save_program_button, Qt.LeftButton)
    assert "Staff pulse" not in [p.name for p in load_programs(ws)]
    assert page.program_status.text().startswith("list: write 'accounts: …; domains: …; roles: …'")
    page.p_lists.setText("domains: ourco.com")
    with qtbot.waitSignal(page.plan_ready, timeout=10000):
        qtbot.mouseClick(page.save_program_button, Qt.LeftButton)
    [staff] = [p for p in load_programs(ws) if p.name == "Staff pulse"]
    assert (staff.kind, staff.target, staff.list_domains) == ("enps", "list", ("ourco.com",))


def test_a_cancelled_plan_changes_nothing(page, qtbot):
    before = page.plan
    qtbot.mouseClick(page.plan_button, Qt.LeftButton)
    task = page._plan_task
    qtbot.mouseClick(page.cancel_button, Qt.LeftButton)
    assert page.status.text() == "Planning cancelled." and page.plan_button.isEnabled()
    qtbot.waitUntil(lambda: task not in workers._running, timeout=10000)
    assert page.plan is before
