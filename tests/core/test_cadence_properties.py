"""Properties of the planner over random people, histories, events, programs and rules.

- no contact is ever planned inside a minimum gap (between any two invitations, between relational
  surveys of one kind, after an answer), counting history before and after the planned day;
- no contact a rule excludes whatever the day (opted out, bounced, erased, no email, churned) is planned;
- a relational wave holds each contact once, planned or excluded;
- the daily cap, the account cap per wave, the range and the business days hold;
- the same inputs, in any order, give the same plan.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from nps_desktop.core.cadence.inputs import Account, Contact, Event, Inputs, Recorded, Touch
from nps_desktop.core.cadence.planner import make_plan
from nps_desktop.core.cadence.programs import Program
from nps_desktop.core.cadence.rules import Rules

BASE = date(2026, 7, 1).toordinal()
PROGRAMS = [
    Program("Relational NPS", "rnps", "quarterly", 0, "customers", id=1),
    Program("Onboarding tNPS", "tnps", "onboarding", 30, "customers", id=2),
    Program("Renewal tNPS", "tnps", "renewal", 60, "customers", id=3),
    Program("Support tNPS", "tnps", "support_case", 1, "customers", id=4),
    Program("Milestone tNPS", "tnps", "milestone", 3, "customers", id=5),
    Program("Loss survey", "rnps", "semiannual", 0, "losses", id=6),
    Program("Pulse for renewals", "rnps", "quarterly", 0, "renewals", id=7),
    Program("Employee NPS", "enps", "annual", 0, "list", list_domains=("ourco.com",), id=8),
]
WAVES = ["Relational NPS 2026Q3", "Relational NPS 2026Q4", "Support tNPS 2026-W28", "Employee NPS 2026"]


def day_near(lo: int = -300, hi: int = 300):
    return st.integers(BASE + lo, BASE + hi)


@st.composite
def scenarios(draw):
    n_accounts = draw(st.integers(1, 4))
    accounts = {a: Account(f"E{a}", f"Account {a}", None,
                           draw(st.sampled_from(["active", "active", "churned", "prospect"])),
                           draw(st.none() | day_near(-900, 200)), draw(st.none() | day_near(-100, 400)),
                           draw(st.none() | day_near(-400, 100)))
                for a in range(1, n_accounts + 1)}
    contacts = {}
    for c in range(1, draw(st.integers(1, 14)) + 1):
        domain = draw(st.sampled_from(["acme.com", "ourco.com", "acme.com", "acme.com"]))
        email = None if draw(st.integers(0, 15)) == 0 else f"c{c}@{domain}"
        contacts[c] = Contact(email, None, None, draw(st.none() | st.integers(1, n_accounts)), None,
                              draw(st.integers(0, 4)) == 0, draw(st.integers(0, 4)) == 0,
                              draw(st.integers(0, 12)) == 0)
    ids = st.integers(1, len(contacts))
    touches = [Touch(c, d, k, k != "tnps") for c, d, k in draw(st.lists(
        st.tuples(ids, day_near(), st.sampled_from(["rnps", "tnps", "enps", None])), max_size=12))]
    answers = draw(st.lists(st.tuples(ids, day_near()), max_size=8))
    recorded = []
    for t in touches:   # some history is invitations recorded in a named wave (the loader gives both)
        if draw(st.integers(0, 2)) == 0:
            wave = draw(st.sampled_from(WAVES))
            recorded.append(Recorded({"R": 1, "S": 4, "E": 8}[wave[0]], wave, t.contact_id, t.day))
    events = [Event(k, d, c, a, None) for k, d, c, a in draw(st.lists(st.tuples(
        st.sampled_from(["support_case", "milestone"]), day_near(-10, 250), st.none() | ids,
        st.integers(1, n_accounts)), max_size=6))]
    programs = [p for p in PROGRAMS if draw(st.booleans())]
    rules = Rules(
        relational_gap_days=draw(st.sampled_from([0, 30, 90, 180])),
        global_gap_days=draw(st.sampled_from([0, 7, 30, 60])),
        recent_response_days=draw(st.sampled_from([0, 14, 30])),
        account_cap_per_wave=draw(st.integers(1, 3)), daily_cap=draw(st.integers(1, 6)),
        wave_business_days=draw(st.integers(1, 10)), max_delay_business_days=draw(st.integers(0, 5)),
        skip_opted_out=draw(st.booleans()), skip_bounced=draw(st.booleans()), skip_churned=draw(st.booleans()),
        business_weekdays=tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1)))),
        holidays=tuple(sorted({date.fromordinal(d).isoformat()
                               for d in draw(st.lists(day_near(0, 200), max_size=3))})))
    start = BASE + draw(st.integers(-20, 120))
    end = start + draw(st.integers(0, 240))
    inputs = Inputs(contacts, accounts, events, touches, answers, recorded)
    return inputs, programs, rules, date.fromordinal(start), date.fromordinal(end)


def _plan(scenario):
    inputs, programs, rules, start, end = scenario
    return make_plan(inputs, programs, rules, start, end)


@given(scenarios())
def test_no_contact_is_planned_inside_a_minimum_gap(scenario):
    inputs, programs, rules, _, _ = scenario
    plan = _plan(scenario)
    by_name = {p.name: p for p in programs}
    G, R, Q = rules.global_gap_days, rules.relational_gap_days, rules.recent_response_days
    planned = defaultdict(list)
    for p in plan.planned:
        prog = by_name[p.program]
        planned[p.contact_id].append((p.planned_on.toordinal(), prog.kind, prog.periodic))
    for cid, mine in planned.items():
        for i, (day, kind, periodic) in enumerate(mine):
            for other_day, other_kind, other_periodic in mine[i + 1:]:
                assert abs(other_day - day) >= G, (cid, mine)
                if periodic and other_periodic and kind == other_kind:
                    assert abs(other_day - day) >= R, (cid, mine)
            for t in inputs.touches:
                if t.contact_id == cid:
                    assert abs(t.day - day) >= G, (cid, day, t)
                    if periodic and t.relational and t.kind == kind:
                        assert abs(t.day - day) >= R, (cid, day, t)
            for c, answered in inputs.answers:
                if c == cid and answered <= day:
                    assert day - answered >= Q, (cid, day, answered)


@given(scenarios())
def test_no_excluded_contact_is_ever_planned(scenario):
    inputs, programs, rules, _, _ = scenario
    plan = _plan(scenario)
    by_name = {p.name: p for p in programs}
    for p in plan.planned:
        c = inputs.contacts[p.contact_id]
        a = inputs.accounts.get(c.account_id)
        assert c.email and not c.erased
        assert not (rules.skip_opted_out and c.opted_out)
        assert not (rules.skip_bounced and c.bounced)
        if rules.skip_churned and by_name[p.program].target != "losses":
            assert a is None or a.status != "churned"
    static = {"opted_out", "bounced", "erased", "no_email", "churned"}
    excluded_always = {(e.contact_id, e.program) for e in plan.excluded if e.rule in static}
    assert not excluded_always & {(p.contact_id, p.program) for p in plan.planned}
    # a relational wave holds each contact once, planned or excluded
    periodic = {p.name for p in programs if p.periodic}
    seen = Counter((p.contact_id, p.wave) for p in plan.planned if p.program in periodic)
    seen.update((e.contact_id, e.wave) for e in plan.excluded if e.program in periodic)
    assert all(n == 1 for n in seen.values()), seen


@given(scenarios())
def test_caps_range_and_business_days_hold(scenario):
    inputs, programs, rules, start, end = scenario
    plan = _plan(scenario)
    assert sum(plan.per_day.values()) == len(plan.planned)
    assert all(n <= rules.daily_cap for n in plan.per_day.values())
    holidays = {date.fromisoformat(h) for h in rules.holidays}
    for p in plan.planned:
        assert start <= p.planned_on <= end
        assert p.planned_on.weekday() in rules.business_weekdays and p.planned_on not in holidays
    places = Counter((p.wave, p.account_id) for p in plan.planned if p.account_id is not None)
    # a place is a contact: one recorded twice in a wave (sent again) holds one place
    recorded_places = Counter((wave, inputs.contacts[contact].account_id)
                              for wave, contact in {(r.wave, r.contact_id) for r in inputs.recorded})
    for (wave, acct), n in places.items():
        already = recorded_places[(wave, acct)]
        assert n + already <= max(rules.account_cap_per_wave, already), (wave, acct, n, already)


@given(scenarios(), st.randoms(use_true_random=False))
def test_the_same_inputs_in_any_order_give_the_same_plan(scenario, rnd):
    inputs, programs, rules, start, end = scenario
    first = make_plan(inputs, programs, rules, start, end)
    shuffled_contacts = list(inputs.contacts.items())
    rnd.shuffle(shuffled_contacts)
    touches, answers, recorded = list(inputs.touches), list(inputs.answers), list(inputs.recorded)
    for items in (touches, answers, recorded):
        rnd.shuffle(items)
    again = make_plan(Inputs(dict(shuffled_contacts), dict(inputs.accounts), list(inputs.events), touches,
                             answers, recorded), programs, rules, start, end)
    assert list(again.planned) == list(first.planned)
    assert list(again.excluded) == list(first.excluded)
    assert again.waves == first.waves
    assert make_plan(inputs, programs, rules, start, end).to_json(True) == first.to_json(True)


def test_a_year_of_waves_rotates_through_an_account():
    """Quarterly waves with a 180-day gap and 3 places per account: every contact of a 6-person account
    is asked once in the first two quarters and again in the next two, never twice within 180 days."""
    contacts = {c: Contact(f"c{c}@acme.com", None, None, 1, None, False, False, False) for c in range(1, 7)}
    inputs = Inputs(contacts, {1: Account(None, "Acme", None, "active", None, None, None)})
    plan = make_plan(inputs, PROGRAMS[:1], Rules(), date(2026, 1, 1), date(2026, 12, 31))
    asked = defaultdict(list)
    for p in plan.planned:
        asked[p.contact_id].append(p.planned_on)
    assert sorted(asked) == list(range(1, 7))
    assert all(len(days) == 2 and days[1] - days[0] >= timedelta(days=180) for days in asked.values())
