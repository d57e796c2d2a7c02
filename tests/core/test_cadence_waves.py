"""The planner on a workspace: what it reads, recording waves, matching responses back, response rates."""
from __future__ import annotations

import pytest

from nps_desktop.core.cadence import load_programs, plan, waves
from nps_desktop.core.cadence.inputs import load_inputs
from nps_desktop.core.cadence.programs import DEFAULT_PROGRAMS

from .cadence_data import D, db_acme, db_response, o


@pytest.fixture
def acme(ws):
    """Acme (a customer since 2026-06-01) with five contacts; Gone Ltd (churned) with one."""
    with ws.transaction() as conn:
        db_acme(conn)
    return ws


def program_id(ws, name: str) -> int:
    return ws.scalar("SELECT id FROM programs WHERE name = ?", (name,))


def test_a_new_workspace_gets_the_default_programs_once(ws):
    assert [p.name for p in load_programs(ws)] == [p.name for p in DEFAULT_PROGRAMS]
    with ws.transaction() as conn:
        conn.execute("DELETE FROM programs WHERE name = 'Milestone tNPS'")
    assert "Milestone tNPS" not in {p.name for p in load_programs(ws)}


def test_a_workspace_with_its_own_cadence_keeps_it(ws):
    with ws.transaction() as conn:
        conn.execute("INSERT INTO programs(name, kind, trigger) VALUES ('Pulse', 'rnps', 'quarterly')")
    [p] = load_programs(ws)
    assert (p.name, p.trigger, p.target, p.plannable) == ("Pulse", "quarterly", "customers", True)


def test_plan_reads_people_responses_and_events_from_the_workspace(acme):
    with acme.transaction() as conn:
        db_response(conn, "2026-05-19", contact_id=1)                       # relational, 43 days before
        db_response(conn, "2026-06-25", email="c2@example.com", kind="tnps")  # known by its email only
        conn.execute("INSERT INTO touchpoint_events(kind, occurred_on, contact_id, reference) "
                     "VALUES ('support_case', '2026-07-20', 3, 'CS-9')")
    result = plan(acme, D("2026-07-01"), D("2026-07-31"))
    got = {(p.email, p.program, p.planned_on.isoformat()) for p in result.planned}
    # onboarding (due 2026-07-01) comes first and takes Acme's three places in its week
    assert got == {("c1@example.com", "Onboarding tNPS", "2026-07-01"),
                   ("c3@example.com", "Onboarding tNPS", "2026-07-01"),
                   ("c4@example.com", "Onboarding tNPS", "2026-07-01"),
                   ("c5@example.com", "Relational NPS", "2026-07-01")}
    why = {(e.email, e.program): e.reason for e in result.excluded}
    assert why == {
        ("c2@example.com", "Onboarding tNPS"): "answered a survey 6 days ago; nobody is asked within 30 days "
                                               "of answering",
        ("c5@example.com", "Onboarding tNPS"): "3 contacts of Acme are already in this wave; the maximum is 3",
        ("c6@example.com", "Relational NPS"): "Gone Ltd has churned; only loss surveys go to churned accounts",
        ("c2@example.com", "Relational NPS"): "answered a survey 6 days ago; nobody is asked within 30 days "
                                              "of answering",
        ("c1@example.com", "Relational NPS"): "surveyed 43 days ago; the minimum is 180",
        ("c3@example.com", "Relational NPS"): "already planned for Onboarding tNPS today; at most one "
                                              "invitation per 30 days",
        ("c4@example.com", "Relational NPS"): "already planned for Onboarding tNPS today; at most one "
                                              "invitation per 30 days",
        ("c3@example.com", "Support tNPS"): "already planned for Onboarding tNPS 20 days ago; at most one "
                                            "invitation per 30 days"}
    [p] = [p for p in result.planned if p.email == "c4@example.com"]
    assert (p.first_name, p.last_name, p.account, p.account_id) == ("First4", "Last4", "Acme", 1)
    assert plan(acme, D("2026-07-01"), D("2026-07-31")).to_json(True) == result.to_json(True)


def test_marking_a_wave_sent_records_it_and_the_next_plan_keeps_it(acme):
    first = plan(acme, D("2026-07-01"), D("2026-07-31"))
    assert waves.mark_wave_sent(acme, first, "Onboarding tNPS 2026-W27") == 3
    assert waves.mark_wave_sent(acme, first, "Relational NPS 2026Q3") == 2
    rows = acme.query("SELECT contact_id, wave, trigger, planned_on, sent_on, status FROM invitations "
                      "WHERE wave LIKE 'Relational%' ORDER BY contact_id")
    assert [tuple(r) for r in rows] == [
        (4, "Relational NPS 2026Q3", "quarterly", "2026-07-01", "2026-07-01", "sent"),
        (5, "Relational NPS 2026Q3", "quarterly", "2026-07-02", "2026-07-02", "sent")]
    assert waves.mark_wave_sent(acme, first, "Relational NPS 2026Q3") == 0        # never twice
    again = plan(acme, D("2026-07-01"), D("2026-07-31"))
    assert again.planned == []
    assert (again.wave("Relational NPS 2026Q3").sent, again.wave("Onboarding tNPS 2026-W27").sent) == (2, 3)
    assert {(e.email, e.program) for e in again.excluded} == {(e.email, e.program) for e in first.excluded}
    later = plan(acme, D("2026-10-01"), D("2026-10-31"))     # sent invitations are history now
    why = {(e.email, e.wave): e.reason for e in later.excluded}
    assert why[("c4@example.com", "Relational NPS 2026Q4")] == "surveyed 92 days ago; the minimum is 180"
    assert why[("c5@example.com", "Relational NPS 2026Q4")] == "surveyed 91 days ago; the minimum is 180"
    assert {p.email for p in later.planned} == {"c1@example.com", "c2@example.com", "c3@example.com"}
    assert waves.sent_waves(acme) == {"Relational NPS 2026Q3": 2, "Onboarding tNPS 2026-W27": 3}
    assert waves.unmark_wave(acme, "Relational NPS 2026Q3") == 2
    assert waves.sent_waves(acme) == {"Onboarding tNPS 2026-W27": 3}


def test_marking_an_unknown_wave_names_the_waves(acme):
    result = plan(acme, D("2026-07-01"), D("2026-07-31"))
    with pytest.raises(ValueError, match="nothing is planned in a wave called 'Nope'; waves with invitations: "
                                         "Onboarding tNPS 2026-W27, Relational NPS 2026Q3"):
        waves.mark_wave_sent(acme, result, "Nope")


def test_responses_are_matched_back_and_rates_computed(acme):
    result = plan(acme, D("2026-07-01"), D("2026-07-31"))
    waves.mark_wave_sent(acme, result, "Relational NPS 2026Q3")        # c4 on 2026-07-01, c5 on 2026-07-02
    waves.mark_wave_sent(acme, result, "Onboarding tNPS 2026-W27", sent_on=D("2026-07-02"))  # c1, c2, c3
    rnps = program_id(acme, "Relational NPS")
    with acme.transaction() as conn:
        db_response(conn, "2026-07-05", contact_id=4)                              # answers its wave
        db_response(conn, "2026-07-09", contact_id=4, kind="tnps")                 # no tNPS sent to c4
        db_response(conn, "2026-09-01", contact_id=3, kind="tnps")                 # after the 30 days
        db_response(conn, "2026-07-03", email="c1@example.com", kind="tnps")       # onboarding, by email
        db_response(conn, "2026-07-01", contact_id=2, kind="tnps")                 # before it was sent
        db_response(conn, "2026-07-06", contact_id=4, program_id=rnps)             # a second answer
    assert waves.match_responses(acme) == 2
    assert waves.match_responses(acme) == 0
    by_wave = {r.key: (r.sent, r.responded, r.rate) for r in waves.response_rates(acme, "wave")}
    assert by_wave == {"Relational NPS 2026Q3": (2, 1, 50.0),
                       "Onboarding tNPS 2026-W27": (3, 1, pytest.approx(100 / 3))}
    by_program = {r.key: (r.sent, r.responded) for r in waves.response_rates(acme, "program")}
    assert by_program == {"Onboarding tNPS": (3, 1), "Relational NPS": (2, 1)}
    matched = acme.query("SELECT i.contact_id, r.responded_on FROM invitations i "
                         "JOIN responses r ON r.id = i.response_id ORDER BY i.contact_id")
    assert [tuple(r) for r in matched] == [(1, "2026-07-03"), (4, "2026-07-05")]
    # the planner's history: a matched response is the invitation it answers, not a second one
    inputs = load_inputs(acme, D("2026-07-01"), D("2026-07-31"), 200, 200)
    assert sorted(t.day for t in inputs.touches if t.contact_id == 4) == [o("2026-07-01"), o("2026-07-06"),
                                                                          o("2026-07-09")]
    assert sorted(d for c, d in inputs.answers if c == 4) == [o("2026-07-05"), o("2026-07-06"), o("2026-07-09")]


def test_response_rates_refuse_an_unknown_grouping(ws):
    with pytest.raises(ValueError, match="by wave or by program"):
        waves.response_rates(ws, "month")
