"""The NPS maths against DESIGN.md: hand-worked examples and properties."""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nps_desktop.core import nps

scores = st.lists(st.integers(0, 10), min_size=0, max_size=300)


def test_classify_boundaries():
    assert [nps.classify(s) for s in range(11)] == ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2
    for bad in (-1, 11, 7.5):
        with pytest.raises(ValueError):
            nps.classify(bad)


def test_hand_worked_example():
    # 5 promoters, 3 passives, 2 detractors: NPS = 50 − 20 = 30.
    r = nps.from_scores([10, 9, 9, 10, 9, 7, 8, 8, 0, 6])
    assert (r.promoters, r.passives, r.detractors, r.responses) == (5, 3, 2, 10)
    assert r.nps == pytest.approx(30.0)
    # variance = p + d − (p − d)² = 0.5 + 0.2 − 0.09 = 0.61; margin = 1.96·100·sqrt(0.061)
    assert r.margin95 == pytest.approx(1.96 * 100 * math.sqrt(0.061))
    assert r.small_sample


def test_margin_needs_two_responses():
    assert nps.from_scores([10]).margin95 is None
    assert nps.from_scores([]).nps is None
    assert nps.from_scores([10, 10]).margin95 == 0.0


@given(scores)
def test_nps_bounds_and_identity(xs):
    r = nps.from_scores(xs)
    if not xs:
        assert r.nps is None
        return
    assert -100 <= r.nps <= 100
    assert r.promoters + r.passives + r.detractors == len(xs)
    expected = 100 * (sum(s >= 9 for s in xs) - sum(s <= 6 for s in xs)) / len(xs)
    assert r.nps == pytest.approx(expected)
    if len(xs) >= 2:
        assert 0 <= r.margin95 <= 196 / math.sqrt(len(xs)) + 1e-9


@given(scores.filter(lambda xs: len(xs) >= 2))
def test_margin_matches_sample_standard_error(xs):
    # Each response scores +1, 0 or −1; NPS/100 is their mean; the margin is 1.96·100·sd/sqrt(n)
    # with the population variance of those values.
    values = [1 if s >= 9 else -1 if s <= 6 else 0 for s in xs]
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / len(values)
    assert nps.from_scores(xs).margin95 == pytest.approx(196 * math.sqrt(var / len(xs)), abs=1e-9)


def test_change_significance_hand_worked():
    before = nps.from_counts(30, 40, 30)   # NPS 0, variance 0.6, se = 100·sqrt(0.6/100)
    after = nps.from_counts(50, 30, 20)    # NPS 30, variance 0.7 − 0.09 = 0.61
    c = nps.change(before, after)
    se1, se2 = 100 * math.sqrt(0.6 / 100), 100 * math.sqrt(0.61 / 100)
    assert c.delta == pytest.approx(30)
    assert c.threshold == pytest.approx(1.96 * math.sqrt(se1 ** 2 + se2 ** 2))
    assert c.significant
    assert not nps.change(before, nps.from_counts(31, 40, 29)).significant
    assert nps.change(nps.from_scores([]), after) is None


@given(scores, scores)
def test_change_is_antisymmetric(a, b):
    ra, rb = nps.from_scores(a), nps.from_scores(b)
    c1, c2 = nps.change(ra, rb), nps.change(rb, ra)
    if c1 is None:
        assert c2 is None
    else:
        assert c1.delta == pytest.approx(-c2.delta)
        assert c1.significant == c2.significant


def test_account_rollup_uses_each_contacts_latest_and_true_nps():
    rows = [
        (1, "ann", "2026-01-05T10:00", 2),   # superseded by her later 10
        (1, "ann", "2026-03-01T09:00", 10),
        (1, "bob", "2026-02-01T09:00", 9),
        (1, "cat", "2026-02-02T09:00", 6),
        (2, "dan", "2026-02-02T09:00", 8),
    ]
    out = nps.account_rollup(rows)
    a1 = out[1]
    assert a1.result.responses == 3
    assert a1.nps == pytest.approx(100 * (2 - 1) / 3)       # true NPS, not an average score
    assert a1.mean_score == pytest.approx(25 / 3)            # 8.33 → 8 → passive
    assert a1.category == "passive"
    assert (a1.latest_score, a1.latest_on) == (10, "2026-03-01")
    assert out[2].category == "passive"


def test_category_rounds_half_up():
    out = nps.account_rollup([(1, "a", "2026-01-01", 8), (1, "b", "2026-01-01", 9)])  # mean 8.5 → 9
    assert out[1].category == "promoter"
    out = nps.account_rollup([(1, "a", "2026-01-01", 6), (1, "b", "2026-01-01", 7)])  # 6.5 → 7
    assert out[1].category == "passive"


def test_arr_weighted_nps_hand_worked():
    # 100·(100k − 50k + 0·30k)/(180k) with an unscored account and a zero-ARR account ignored.
    accounts = [(100_000, "promoter"), (50_000, "detractor"), (30_000, "passive"), (80_000, None), (0, "promoter")]
    assert nps.arr_weighted_nps(accounts) == pytest.approx(100 * 50_000 / 180_000)
    assert nps.arr_weighted_nps([]) is None


@given(st.lists(st.tuples(st.floats(1, 1e7), st.sampled_from(nps.CATEGORIES)), min_size=1))
def test_arr_weighted_bounds(accounts):
    v = nps.arr_weighted_nps(accounts)
    assert -100 - 1e-9 <= v <= 100 + 1e-9
    if all(c == "promoter" for _, c in accounts):
        assert v == pytest.approx(100)


def test_counts_are_said_in_words():
    from nps_desktop.core.words import plural
    assert [plural(n, "contact") for n in (0, 1, 2, 2014)] == ["0 contacts", "1 contact", "2 contacts", "2,014 contacts"]
    assert plural(3, "reply", "replies") == "3 replies" and plural(1, "reply", "replies") == "1 reply"
