"""Goals with a date and their path; the bundled benchmarks and the settings that choose them."""
from datetime import date

import pytest

from nps_desktop.core import settings
from nps_desktop.core.worth import benchmarks, goals

from .loop_data import account, contact, respond


@pytest.fixture
def w(ws):
    """2026Q2: 10 answers, 5 promoters and 1 detractor (NPS +40); 2026Q3: 10 answers, NPS +20."""
    with ws.transaction() as conn:
        account(conn, 1)
        for i in range(20):
            contact(conn, i + 1, 1)
        for i, s in enumerate([10] * 5 + [8] * 4 + [3]):
            respond(conn, i + 1, "2026-05-04", s)
        for i, s in enumerate([10] * 4 + [8] * 4 + [3] * 2):
            respond(conn, i + 11, "2026-08-03", s)
    return ws


def test_no_plan_without_a_goal_date(w):
    settings.set_value(w, "nps_goal", 50)
    assert goals.goal_path(w, date(2026, 11, 23)) is None


def test_the_path_by_hand(w):
    settings.set_value(w, "nps_goal", 50)
    settings.set_value(w, "nps_goal_date", "2027-06-30")
    settings.set_value(w, "nps_goal_start", "2026Q2")
    doc = goals.goal_path(w, date(2026, 11, 23))
    # 2026Q2 (+40) to 2027Q2 (+50) in four steps of 2.5; 2026Q3 reached +20, below its +42.5
    assert [q["quarter"] for q in doc["quarters"]] == ["2026Q2", "2026Q3", "2026Q4", "2027Q1", "2027Q2"]
    assert [q["planned"] for q in doc["quarters"]] == [40, 42.5, 45, 47.5, 50]
    assert [q["actual"] for q in doc["quarters"]] == [40, 20, None, None, None]
    assert doc["on_track"] is False and doc["volume"] == 10 and doc["latest"] == 20
    # 2026Q4 needs +45 from today's +20: 25 points at 10 answers a quarter = 2.5 → 3 moves up, 2 turned
    q4 = doc["quarters"][2]
    assert q4["moves_needed"] == 3 and q4["detractors_to_promoters"] == 2
    assert goals.sentence(doc).startswith("Goal +50 by 2027Q2: the plan from 2026Q2 (+40) needs +45 in 2026Q4")


def test_a_goal_date_before_the_start_is_explained(w):
    settings.set_value(w, "nps_goal", 50)
    settings.set_value(w, "nps_goal_date", "2026-05-01")
    doc = goals.goal_path(w, date(2026, 11, 23))
    assert doc["quarters"] == [] and "not after the plan's first quarter 2026Q3" in doc["reason"]


@pytest.mark.parametrize("key, value, message", [
    ("nps_goal_date", "next year", "is not a date"),
    ("nps_goal_start", "Q3 2026", "is not a quarter"),
    ("nps_benchmark", "airlines", "no bundled benchmark"),
])
def test_settings_refuse_bad_values(ws, key, value, message):
    with pytest.raises(ValueError, match=message):
        settings.set_value(ws, key, value)
    assert settings.get(ws, key) is None


def test_every_benchmark_names_its_source_year_and_address():
    assert benchmarks.BENCHMARKS
    for b in benchmarks.BENCHMARKS.values():
        assert b.source and b.year and b.url.startswith("https://") and -100 <= b.nps <= 100
        assert b.as_dict()["external"] is True


def test_benchmark_sentence_is_marked_external():
    b = benchmarks.get("b2b_services")
    text = benchmarks.sentence(b, 30.4)
    assert text.startswith("External benchmark:") and "18" in text and "12 points above" in text
