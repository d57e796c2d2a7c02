"""Fatigue rules and programs: defaults, validation with readable messages, storage."""
from __future__ import annotations

from dataclasses import replace

import pytest

from nps_desktop.core.cadence.programs import Program, load_programs, save_program, validate
from nps_desktop.core.cadence.rules import Rules, load_rules, save_rules
from nps_desktop.core.cadence.rules import validate as validate_rules


def test_the_issue_defaults():
    r = Rules()
    assert (r.relational_gap_days, r.global_gap_days, r.account_cap_per_wave, r.recent_response_days) == \
        (180, 30, 3, 30)
    assert r.skip_opted_out and r.skip_bounced and r.skip_churned
    assert r.business_weekdays == (0, 1, 2, 3, 4) and r.daily_cap > 0 and r.wave_business_days > 1


def test_rules_are_stored_in_the_workspace_settings(ws):
    assert load_rules(ws) == Rules()
    edited = replace(Rules(), relational_gap_days=90, daily_cap=50, holidays=("2026-12-25",),
                     business_weekdays=(0, 1, 2, 3))
    save_rules(ws, edited)
    assert load_rules(ws) == edited
    assert ws.get_setting("cadence.rules")["relational_gap_days"] == 90


@pytest.mark.parametrize("data, message", [
    ({"daily_cap": 0}, "Invitations per day: 0 is not a whole number from 1 to 10000000"),
    ({"relational_gap_days": "often"}, "Days between relational surveys: 'often' is not a whole number"),
    ({"account_cap_per_wave": True}, "Contacts per account per wave: True is not a whole number"),
    ({"skip_bounced": "yes"}, "Never invite contacts whose email bounced: 'yes' is not true or false"),
    ({"business_weekdays": []}, "business days: give at least one weekday"),
    ({"business_weekdays": [7]}, "business days: give at least one weekday"),
    ({"holidays": ["25/12/2026"]}, "holidays: write each date as YYYY-MM-DD"),
    ({"weekly_cap": 3}, "unknown fatigue rule 'weekly_cap'"),
])
def test_bad_rules_are_refused_with_a_message(data, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        validate_rules(data)


def test_programs_are_validated_and_stored(ws):
    programs = load_programs(ws)
    pulse = save_program(ws, Program("Advocate pulse", "rnps", "semiannual", target="advocates"))
    assert pulse.id is not None and pulse in load_programs(ws)
    save_program(ws, replace(pulse, active=False, list_domains=()))
    assert [p.active for p in load_programs(ws) if p.name == "Advocate pulse"] == [False]
    staff = save_program(ws, Program("Staff", "enps", "annual", target="list", list_domains=("ourco.com",),
                                     list_roles=("Employee",)))
    [back] = [p for p in load_programs(ws) if p.id == staff.id]
    assert (back.list_domains, back.list_roles) == (("ourco.com",), ("Employee",))
    assert back.describe() == "every year, to its list (domains: ourco.com; roles: Employee)"
    assert len(load_programs(ws)) == len(programs) + 2
    with pytest.raises(ValueError, match="a program called 'Staff' already exists"):
        save_program(ws, Program("Staff", "enps", "annual", target="list"))


@pytest.mark.parametrize("program, message", [
    (Program(" ", "rnps"), "a program needs a name"),
    (Program("X", "csat"), "kind 'csat' is not one of rnps, tnps, enps, partner"),
    (Program("X", "tnps", "weekly"), "trigger 'weekly' is not one of"),
    (Program("X", target="fans"), "target 'fans' is not one of"),
    (Program("X", "tnps", "onboarding", -1), "trigger days must be a whole number from 0 to 3650"),
    (Program("X", "enps", "onboarding", 30, "list"), "a list program runs quarterly, semiannual or annual"),
])
def test_bad_programs_are_refused(program, message):
    with pytest.raises(ValueError, match=message):
        validate(program)


def test_descriptions_read_well():
    assert Program("R", "rnps", "quarterly").describe() == "every quarter, to all active customers"
    assert Program("O", "tnps", "onboarding", 30).describe() == "30 days after the customer start, to all " \
                                                                "active customers"
    assert Program("L", "rnps", "annual", target="losses", active=False).describe() == \
        "every year, to losses (churned accounts) — paused"
    assert Program("I", "rnps", None).describe() == "no trigger (not planned), to all active customers"
