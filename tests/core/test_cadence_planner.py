"""Hand-built cases for every planning rule: the plan and the words of each exclusion.

Calendar used throughout: 2026-07-01 is a Wednesday; the Q3 2026 relational wave spreads over the ten
business days 2026-07-01 .. 2026-07-14.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from nps_desktop.core.cadence import periods_of
from nps_desktop.core.cadence.planner import PlanCancelled
from nps_desktop.core.cadence.programs import Program
from nps_desktop.core.cadence.rules import Rules

from .cadence_data import (LOSS, MILESTONE, ONBOARDING, RENEWAL, RNPS, SUPPORT, D, account, contact, event,
                           people, planned_set, recorded, run, touch)

Q3_DAYS = ["2026-07-01", "2026-07-02", "2026-07-03", "2026-07-06", "2026-07-07", "2026-07-08", "2026-07-09",
           "2026-07-10", "2026-07-13", "2026-07-14"]


def reasons(plan) -> dict[tuple[str, str], str]:
    """(email, wave) -> reason of every exclusion."""
    return {(e.email, e.wave): e.reason for e in plan.excluded}


# -- relational waves and the gap rules ----------------------------------------------------------
def test_relational_gap_excludes_with_the_issue_wording():
    plan = run(people(2), [RNPS], "2026-07-01", "2026-07-31", touches=[touch(1, "2026-05-19")])
    assert planned_set(plan) == {("c2@example.com", "Relational NPS", "2026-07-01")}
    assert reasons(plan) == {("c1@example.com", "Relational NPS 2026Q3"): "surveyed 43 days ago; the minimum is 180"}
    [e] = plan.excluded
    assert (e.rule, e.due_on, e.program, e.account) == ("relational_gap", D("2026-07-01"), "Relational NPS", "Acme")


def test_relational_gap_counts_relational_surveys_only():
    # a transactional survey 43 days ago is outside the 30-day gap between any two invitations
    plan = run(people(1), [RNPS], "2026-07-01", "2026-07-31", touches=[touch(1, "2026-05-19", "tnps")])
    assert planned_set(plan) == {("c1@example.com", "Relational NPS", "2026-07-01")}


def test_a_gap_ending_inside_the_wave_moves_the_invitation():
    # surveyed 2026-06-06; 30 days later is Monday 2026-07-06, still inside the wave
    plan = run(people(1), [RNPS], "2026-07-01", "2026-07-31", touches=[touch(1, "2026-06-06", "tnps")])
    assert planned_set(plan) == {("c1@example.com", "Relational NPS", "2026-07-06")}
    assert plan.excluded == []


def test_a_gap_ending_after_the_wave_excludes():
    plan = run(people(1), [RNPS], "2026-07-01", "2026-07-31", touches=[touch(1, "2026-06-21", "tnps")])
    assert plan.planned == []
    assert reasons(plan) == {("c1@example.com", "Relational NPS 2026Q3"):
                             "surveyed 10 days ago; at most one invitation per 30 days"}


def test_an_answer_explains_a_tie_and_counts_as_an_invitation():
    # an unmatched tNPS answer nine days before: both 30-day rules block until 2026-07-22
    plan = run(people(1), [RNPS], "2026-07-01", "2026-07-31", touches=[touch(1, "2026-06-22", "tnps")],
               answers=[(1, "2026-06-22")])
    [e] = plan.excluded
    assert (e.rule, e.reason) == ("recent_response",
                                  "answered a survey 9 days ago; nobody is asked within 30 days of answering")


def test_recent_answer_rule_on_its_own_and_switched_off():
    rules = Rules(global_gap_days=0)
    plan = run(people(1), [RNPS], "2026-07-01", "2026-07-31", rules=rules, answers=[(1, "2026-06-22")])
    assert [e.rule for e in plan.excluded] == ["recent_response"]
    plan = run(people(1), [RNPS], "2026-07-01", "2026-07-31", rules=replace(rules, recent_response_days=0),
               answers=[(1, "2026-06-22")])
    assert planned_set(plan) == {("c1@example.com", "Relational NPS", "2026-07-01")}


def test_planned_invitations_count_against_later_waves():
    plan = run(people(1), [RNPS], "2026-07-01", "2027-01-31")
    assert planned_set(plan) == {("c1@example.com", "Relational NPS", "2026-07-01"),
                                 ("c1@example.com", "Relational NPS", "2027-01-01")}
    assert reasons(plan) == {("c1@example.com", "Relational NPS 2026Q4"):
                             "planned for Relational NPS 92 days ago; the minimum is 180"}


def test_an_invitation_already_recorded_after_the_day_blocks_it():
    plan = run(people(1), [RNPS], "2026-07-01", "2026-07-31", touches=[touch(1, "2026-07-10", "tnps")],
               recorded=[recorded(4, "Support tNPS 2026-W28", 1, "2026-07-10")])
    assert plan.planned == []
    [e] = plan.excluded
    assert (e.rule, e.reason) == ("global_gap",
                                  "already invited on 2026-07-10, 9 days later; at most one invitation per 30 days")


# -- accounts, waves and the daily cap -------------------------------------------------------------
def test_at_most_three_contacts_of_an_account_per_wave_stalest_first():
    touches = [touch(1, "2025-12-01"), touch(2, "2025-11-01")]     # both outside the 180-day gap
    contacts = {**people(5), 9: contact("other@example.com", 2)}
    accounts = {1: account("Acme"), 2: account("Other")}
    plan = run(contacts, [RNPS], "2026-07-01", "2026-07-31", accounts=accounts, touches=touches)
    assert {p.email for p in plan.planned} == {"c3@example.com", "c4@example.com", "c5@example.com",
                                              "other@example.com"}
    assert reasons(plan) == {
        (f"c{i}@example.com", "Relational NPS 2026Q3"): "3 contacts of Acme are already in this wave; the maximum is 3"
        for i in (1, 2)}
    plan = run(contacts, [RNPS], "2026-07-01", "2026-07-31", accounts=accounts, touches=touches,
               rules=Rules(account_cap_per_wave=4))
    assert "c2@example.com" in {p.email for p in plan.planned}       # asked longer ago than c1
    assert {e.email for e in plan.excluded} == {"c1@example.com"}


def test_a_wave_spreads_evenly_over_its_business_days():
    contacts = {i: contact(f"c{i}@example.com", i) for i in range(1, 21)}
    accounts = {i: account(f"A{i}") for i in range(1, 21)}
    plan = run(contacts, [RNPS], "2026-07-01", "2026-07-31", accounts=accounts)
    assert plan.per_day == {D(d): 2 for d in Q3_DAYS}
    [wave] = plan.waves
    assert (wave.name, wave.start, wave.end, wave.planned) == ("Relational NPS 2026Q3", D("2026-07-01"),
                                                               D("2026-07-14"), 20)


def test_daily_cap_leaves_the_rest_of_a_wave_out_with_a_reason():
    contacts = {i: contact(f"c{i}@example.com", i) for i in range(1, 21)}
    accounts = {i: account(f"A{i}") for i in range(1, 21)}
    plan = run(contacts, [RNPS], "2026-07-01", "2026-07-31", accounts=accounts, rules=Rules(daily_cap=1))
    assert plan.per_day == {D(d): 1 for d in Q3_DAYS}
    assert len(plan.excluded) == 10
    assert {e.reason for e in plan.excluded} == {
        "no room: the daily cap of 1 is reached on every business day from 2026-07-01 to 2026-07-14"}


def test_a_wave_of_a_period_not_yet_sent_opens_at_the_start_of_the_range():
    plan = run(people(1), [RNPS], "2026-08-03", "2026-09-30", rules=Rules(wave_business_days=3))
    [wave] = plan.waves
    assert (wave.name, wave.start, wave.end) == ("Relational NPS 2026Q3", D("2026-08-03"), D("2026-08-05"))


def test_recorded_invitations_are_not_planned_again_and_take_their_places():
    wave = "Relational NPS 2026Q3"
    rec = [recorded(1, wave, 1, "2026-07-01"), recorded(1, wave, 2, "2026-07-01")]
    plan = run(people(5), [RNPS], "2026-07-01", "2026-07-31", recorded=rec,
               touches=[touch(1, "2026-07-01"), touch(2, "2026-07-01")])
    assert {p.email for p in plan.planned} == {"c3@example.com"}
    assert {e.email for e in plan.excluded} == {"c4@example.com", "c5@example.com"}
    w = plan.wave(wave)
    assert (w.planned, w.excluded, w.sent) == (1, 2, 2)


# -- who may never be asked -----------------------------------------------------------------------
def test_people_who_may_never_be_asked():
    contacts = {1: contact("out@example.com", opted_out=True), 2: contact("bounce@example.com", bounced=True),
                3: contact("gone@example.com", erased=True), 4: contact(None), 5: contact("ok@example.com"),
                6: contact("lost@example.com", 2)}
    accounts = {1: account("Acme"), 2: account("Gone Ltd", "churned")}
    plan = run(contacts, [RNPS], "2026-07-01", "2026-07-31", accounts=accounts)
    assert [p.email for p in plan.planned] == ["ok@example.com"]
    assert {(e.contact_id, e.rule, e.reason) for e in plan.excluded} == {
        (1, "opted_out", "opted out of surveys"), (2, "bounced", "email address bounced"),
        (3, "erased", "personal data erased"), (4, "no_email", "no email address"),
        (6, "churned", "Gone Ltd has churned; only loss surveys go to churned accounts")}


def test_rules_for_bounced_and_churned_can_be_switched_off():
    contacts = {1: contact("bounce@example.com", bounced=True), 2: contact("lost@example.com", 2)}
    accounts = {1: account("Acme"), 2: account("Gone Ltd", "churned")}
    plan = run(contacts, [RNPS], "2026-07-01", "2026-07-31", accounts=accounts,
               rules=Rules(skip_bounced=False, skip_churned=False))
    assert {p.email for p in plan.planned} == {"bounce@example.com", "lost@example.com"}


def test_a_loss_survey_goes_to_churned_accounts_only():
    contacts = {1: contact("ok@example.com"), 2: contact("lost@example.com", 2)}
    accounts = {1: account("Acme"), 2: account("Gone Ltd", "churned")}
    plan = run(contacts, [LOSS], "2026-07-01", "2026-07-31", accounts=accounts)
    assert {(p.email, p.wave) for p in plan.planned} == {("lost@example.com", "Loss survey 2026Q3")}
    assert plan.excluded == []


# -- triggered programs ------------------------------------------------------------------------------
def test_onboarding_on_a_weekend_or_holiday_moves_to_the_next_business_day():
    accounts = {1: account("Acme", since="2026-06-04")}        # + 30 days = Saturday 2026-07-04
    plan = run(people(1), [ONBOARDING], "2026-07-01", "2026-07-31", accounts=accounts)
    [p] = plan.planned
    assert (p.planned_on, p.trigger, p.detail, p.wave, p.kind) == (
        D("2026-07-06"), "onboarding", "customer since 2026-06-04 + 30 days", "Onboarding tNPS 2026-W28", "tnps")
    plan = run(people(1), [ONBOARDING], "2026-07-01", "2026-07-31", accounts=accounts,
               rules=Rules(holidays=("2026-07-06",)))
    assert [p.planned_on for p in plan.planned] == [D("2026-07-07")]


def test_a_trigger_due_outside_the_range_is_left_to_that_range():
    accounts = {1: account("Acme", since="2026-06-04")}        # due Monday 2026-07-06
    assert run(people(1), [ONBOARDING], "2026-07-07", "2026-07-31", accounts=accounts).planned == []
    assert run(people(1), [ONBOARDING], "2026-07-01", "2026-07-05", accounts=accounts).planned == []


def test_renewal_support_case_and_milestone_triggers():
    accounts = {1: account("Acme", renewal="2026-09-29")}      # - 60 days = Friday 2026-07-31
    events = [event("support_case", "2026-07-08", 2, reference="CS-7"), event("milestone", "2026-07-20", 3)]
    plan = run(people(3), [RENEWAL, SUPPORT, MILESTONE], "2026-07-01", "2026-07-31", accounts=accounts,
               events=events)
    got = {(p.email, p.program, p.planned_on.isoformat(), p.detail) for p in plan.planned}
    assert got == {
        ("c2@example.com", "Support tNPS", "2026-07-09", "support case CS-7 on 2026-07-08 + 1 day"),
        ("c3@example.com", "Milestone tNPS", "2026-07-21", "milestone on 2026-07-20 + 1 day"),
        ("c1@example.com", "Renewal tNPS", "2026-07-31", "renews 2026-09-29 − 60 days")}
    # c2 and c3 were asked this month: the renewal survey reaches only c1
    assert {(e.email, e.rule) for e in plan.excluded} == {("c2@example.com", "global_gap"),
                                                          ("c3@example.com", "global_gap")}


def test_an_account_level_event_reaches_its_contacts_within_the_account_cap():
    plan = run(people(5), [SUPPORT], "2026-07-01", "2026-07-31", events=[event("support_case", "2026-07-08",
                                                                               account_id=1)])
    assert [p.email for p in plan.planned] == ["c1@example.com", "c2@example.com", "c3@example.com"]
    assert {e.rule for e in plan.excluded} == {"account_cap"}


def test_a_triggered_survey_waits_for_room_then_is_dropped():
    events = [event("support_case", "2026-07-08", i) for i in (1, 2, 3)]
    contacts = {i: contact(f"c{i}@example.com", i) for i in (1, 2, 3)}
    accounts = {i: account(f"A{i}") for i in (1, 2, 3)}
    plan = run(contacts, [SUPPORT], "2026-07-01", "2026-07-31", accounts=accounts, events=events,
               rules=Rules(daily_cap=1, max_delay_business_days=1))
    assert planned_set(plan) == {("c1@example.com", "Support tNPS", "2026-07-09"),
                                 ("c2@example.com", "Support tNPS", "2026-07-10")}
    [e] = plan.excluded
    assert (e.email, e.reason) == ("c3@example.com", "no room: the daily cap of 1 is reached on every business "
                                                     "day from 2026-07-09 to 2026-07-10")


def test_triggered_surveys_come_before_the_relational_wave_on_the_same_day():
    accounts = {1: account("Acme", since="2026-06-01")}        # onboarding due Wednesday 2026-07-01
    plan = run(people(1), [RNPS, ONBOARDING], "2026-07-01", "2026-07-31", accounts=accounts)
    assert planned_set(plan) == {("c1@example.com", "Onboarding tNPS", "2026-07-01")}
    assert [e.reason for e in plan.excluded] == [
        "already planned for Onboarding tNPS today; at most one invitation per 30 days"]


# -- groups and lists --------------------------------------------------------------------------------
@pytest.mark.parametrize("target, in_group, out_of_group", [
    ("new_customers", account("New", since="2026-03-01"), account("Old", since="2020-01-01")),
    ("renewals", account("Soon", renewal="2026-08-15"), account("Later", renewal="2027-03-01")),
    ("advocates", account("Fan", since="2023-01-01", expansion="2025-05-01"), account("Plain", since="2023-01-01")),
    ("prospects", account("Maybe", "prospect"), account("Client")),
])
def test_a_wave_targets_its_lifecycle_group(target, in_group, out_of_group):
    program = replace(RNPS, name="Pulse", target=target)
    plan = run({1: contact("in@example.com", 1), 2: contact("out@example.com", 2)}, [program], "2026-07-01",
               "2026-07-31", accounts={1: in_group, 2: out_of_group})
    assert [p.email for p in plan.planned] == ["in@example.com"]
    assert plan.excluded == []


def test_employee_and_partner_programs_run_on_their_own_lists():
    enps = Program("Employee NPS", "enps", "semiannual", target="list", list_domains=("ourco.com",), id=7)
    partner = Program("Partner NPS", "partner", "annual", target="list", list_accounts=("P-1",), id=8)
    contacts = {1: contact("me@ourco.com", None), 2: contact("ally@partner.com", 2),
                3: contact("client@acme.com", 1)}
    accounts = {1: account("Acme"), 2: account("Partner Co", ext="P-1")}
    plan = run(contacts, [RNPS, enps, partner], "2026-07-01", "2026-07-31", accounts=accounts)
    assert {(p.email, p.program, p.kind, p.wave) for p in plan.planned} == {
        ("me@ourco.com", "Employee NPS", "enps", "Employee NPS 2026H2"),
        ("ally@partner.com", "Partner NPS", "partner", "Partner NPS 2026"),   # not sent yet: opens now
        ("client@acme.com", "Relational NPS", "rnps", "Relational NPS 2026Q3")}
    assert plan.excluded == []


def test_period_labels_and_fiscal_years():
    assert periods_of.periods_between(D("2026-05-10"), D("2026-07-02"), 3) == [
        (D("2026-04-01"), D("2026-06-30"), "2026Q2"), (D("2026-07-01"), D("2026-09-30"), "2026Q3")]
    assert [p[2] for p in periods_of.periods_between(D("2026-01-01"), D("2027-01-01"), 6)] == [
        "2026H1", "2026H2", "2027H1"]
    assert periods_of.periods_between(D("2026-01-15"), D("2026-01-31"), 3, fy_start=2) == [
        (D("2025-11-01"), D("2026-01-31"), "2026Q4")]
    assert periods_of.periods_between(D("2026-03-01"), D("2026-03-01"), 12, fy_start=2) == [
        (D("2026-02-01"), D("2027-01-31"), "FY2027")]


# -- the run itself ----------------------------------------------------------------------------------
def test_progress_reaches_the_end_and_cancel_stops():
    seen = []
    run_plan = run(people(2), [RNPS], "2026-07-01", "2026-07-31")
    assert len(run_plan.planned) == 2
    from nps_desktop.core.cadence.planner import make_plan
    from nps_desktop.core.cadence.inputs import Inputs
    inputs = Inputs(people(2), {1: account()})
    make_plan(inputs, [RNPS], Rules(), D("2026-07-01"), D("2026-07-31"), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (23, 23) and len(seen) == 23                  # 23 business days in July 2026
    with pytest.raises(PlanCancelled):
        make_plan(inputs, [RNPS], Rules(), D("2026-07-01"), D("2026-07-31"), cancelled=lambda: True)


def test_json_document_has_the_contract_fields():
    plan = run(people(2), [RNPS], "2026-07-01", "2026-07-31", touches=[touch(1, "2026-05-19")])
    doc = plan.to_json(include_excluded=True)
    assert doc["planned"] == [{"email": "c2@example.com", "account_id": 1, "program": "Relational NPS",
                               "kind": "rnps", "planned_on": "2026-07-01", "trigger": "quarterly",
                               "detail": "2026Q3 quarterly wave", "wave": "Relational NPS 2026Q3",
                               "first_name": None, "last_name": None, "account": "Acme"}]
    assert doc["excluded"] == [{"email": "c1@example.com", "reason": "surveyed 43 days ago; the minimum is 180",
                                "rule": "relational_gap", "program": "Relational NPS",
                                "wave": "Relational NPS 2026Q3", "due_on": "2026-07-01", "account_id": 1}]
    assert "excluded" not in plan.to_json()
    assert plan.excluded_by_rule == {"relational_gap": 1}
    assert date(2026, 7, 1) in plan.per_day
