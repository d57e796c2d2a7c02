"""The value of a move, on hand-built histories where the answer is known."""

from hypothesis import given, settings
from hypothesis import strategies as st

from nps_desktop.core.worth import value

from .worth_data import build


@settings(max_examples=25)
@given(st.integers(12, 30), st.integers(12, 30), st.integers(0, 10_000), st.floats(0.3, 1.0))
def test_detractors_churning_more_gives_a_positive_promoter_value(n_pro, n_det, seed, p_det):
    """Detractors churn with probability ``p_det`` at each renewal, promoters and passives never: every
    bootstrap resample sees promoters keep more ARR, so the value and its whole interval are positive."""
    kinds = ["promoter"] * n_pro + ["passive"] * 12 + ["detractor"] * n_det
    h = build(kinds, lambda rng, i, kind: kind == "detractor" and (rng.random() < p_det or i == len(kinds)),
              seed=seed)
    v = value.value_of_move(h, min_outcomes=1, bootstrap=200)
    assert v.available, v.reason
    move = v.moves[0]
    assert (move.from_category, move.to_category) == ("detractor", "promoter")
    assert move.value > 0 and move.low > 0 and not move.covers_zero
    det = next(c for c in v.categories if c.category == "detractor")
    # the estimate is (promoter rate − detractor rate) × the detractors' average ARR, by hand
    pro = next(c for c in v.categories if c.category == "promoter")
    assert pro.net_change_rate == 0
    assert det.net_change_rate is not None and det.average_arr is not None
    assert abs(move.value + det.net_change_rate * det.average_arr) <= 1e-4 * det.average_arr + 0.01
    # as_json is the dict ``revenue --json`` prints, in its keys and order
    doc = v.as_json()
    assert list(doc) == ["method", "origins", "observations", "accounts", "min_outcomes", "categories",
                         "available", "reason", "moves", "saves"]
    assert doc["moves"][0] == {"from": "detractor", "to": "promoter", "average_arr": move.average_arr,
                               "value": move.value, "low": move.low, "high": move.high, "covers_zero": False}
    assert doc["categories"][2]["category"] == "detractor" and doc["saves"]["method"].startswith("each recovered")


def test_a_shuffled_history_gives_intervals_covering_zero():
    """Churn at random, whatever the category: a 90% interval covers the true value 0 about 9 times in
    10. Over 20 such histories, at least 15 cover zero (the chance of fewer is under 2%)."""
    covered = 0
    for seed in range(20):
        kinds = ["promoter", "passive", "detractor"] * 25
        h = build(kinds, lambda rng, i, kind: rng.random() < 0.15, seed=seed)
        covered += value.value_of_move(h, min_outcomes=1, bootstrap=300).moves[0].covers_zero
    assert covered >= 15


def test_a_thin_history_is_refused_with_a_sentence():
    kinds = ["promoter"] * 4 + ["passive"] * 20 + ["detractor"] * 20
    h = build(kinds, lambda rng, i, kind: kind == "detractor" and rng.random() < 0.5)
    v = value.value_of_move(h, min_outcomes=10)
    assert not v.available and v.moves == () and v.saves is None
    assert v.as_json()["moves"] == [] and v.as_json()["saves"] is None
    promoters = next(c for c in v.categories if c.category == "promoter")
    assert promoters.renewals + promoters.churns < 10
    assert v.reason is not None
    assert v.reason.startswith(f"promoter accounts have {promoters.renewals + promoters.churns} renewal")
    assert value.sentence(v).startswith("Promoter accounts have")


def test_observations_use_the_category_at_the_origin_and_the_year_after():
    """One promoter account of 50,000 that churns on its anniversary: every origin in the year before the
    churn records −50,000; the origin's own quarter counts the churn once."""
    h = build(["promoter"], lambda rng, i, kind: True, arr=lambda rng, i: 50_000)
    churn = h.events[1][-1]
    obs = value.observations(h)
    assert obs and all(o.category == "promoter" and o.arr == 50_000 for o in obs)
    assert all(o.change == -50_000 for o in obs if o.origin <= churn.day)
    assert sum(o.churns for o in obs) == 1
    assert all(o.origin.day == 1 and o.origin.month in (1, 4, 7, 10) for o in obs)


def test_saves_are_valued_as_a_move_to_passive():
    kinds = ["promoter"] * 15 + ["passive"] * 15 + ["detractor"] * 15
    h = build(kinds, lambda rng, i, kind: kind == "detractor" and rng.random() < 0.6, seed=3)
    v = value.value_of_move(h, min_outcomes=1, saves=[(1, 10_000.0), (2, 30_000.0)], bootstrap=200)
    move = v.move("detractor", "passive")
    per_arr = move.value / move.average_arr
    s = v.saves
    assert s is not None and s.accounts == 2 and s.arr == 40_000
    assert abs(s.value - per_arr * 40_000) < 1
    assert s.low <= s.value <= s.high


def test_revenue_json_gains_value_of_move_on_the_demo(demo_file):
    from .loop_data import cli_json
    doc = cli_json("revenue", "--as-of", "2026-11-23", "--workspace", str(demo_file))["value_of_move"]
    assert doc["available"] and doc["observations"] > 500
    move = doc["moves"][0]
    assert move["low"] > 0 and move["low"] < move["value"] < move["high"]
    cats = {c["category"]: c for c in doc["categories"]}
    # in the demo, healthier accounts keep and grow more of their ARR
    rate = {c: cats[c]["net_change_rate"] for c in cats}
    assert rate["promoter"] > rate["passive"] > rate["detractor"]
    assert abs(move["value"] - (cats["promoter"]["net_change_rate"] - cats["detractor"]["net_change_rate"])
               * cats["detractor"]["average_arr"]) < 0.01 * move["value"]
