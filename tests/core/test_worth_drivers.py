"""Key drivers: differences by hand, and a multivariable estimate that does not count a theme twice nor
blame a theme for its segment."""
import random

import pytest

from nps_desktop.core.responses import insert_responses
from nps_desktop.core.worth import drivers


def _build(ws, rows):
    """``rows``: (tier, score, themes) per commented answer, each from its own account of that tier."""
    with ws.transaction() as conn:
        batch = []
        for i, (tier, score, _themes) in enumerate(rows, start=1):
            conn.execute("INSERT INTO accounts(id, name, tier) VALUES (?, ?, ?)", (i, f"A{i}", tier))
            batch.append({"score": score, "comment": "words", "responded_at": "2026-03-02T10:00:00",
                          "account_id": i, "source": "test"})
        insert_responses(conn, batch)
        ids = [r[0] for r in conn.execute("SELECT id FROM responses ORDER BY id")]
        conn.executemany("INSERT INTO response_themes(response_id, theme, polarity) VALUES (?, ?, 0)",
                         [(rid, t) for rid, (_, _, themes) in zip(ids, rows) for t in themes])


def test_difference_by_hand(ws, monkeypatch):
    monkeypatch.setattr(drivers, "MIN_MENTIONS", 1)
    _build(ws, [("SMB", 10, ["price"]), ("SMB", 2, ["price"]), ("SMB", 3, ["price"]),
                ("SMB", 9, []), ("SMB", 10, [])])
    doc = drivers.key_drivers(ws, bootstrap=50)
    (d,) = doc["drivers"]
    # with: 1 promoter, 2 detractors of 3 → −33.33; without: 2 promoters of 2 → +100
    assert d["difference"] == pytest.approx(-133.33, abs=0.01)
    assert d["adjusted"] == pytest.approx(-133.33, abs=0.01)   # one theme, one tier: the same
    assert d["prevalence"] == 0.6 and d["impact"] == pytest.approx(-80.0, abs=0.01)


def _score(rng, p_promoter, p_detractor):
    u = rng.random()
    return 10 if u < p_promoter else 3 if u < p_promoter + p_detractor else 8


def test_a_tagalong_theme_is_not_counted_twice(ws):
    """'slow' drags the score down; 'ui' only ever comes with 'slow' and does nothing of its own: its raw
    difference is strongly negative, its adjusted one is near zero with an interval that covers it."""
    rng, rows = random.Random(3), []
    for _ in range(1500):
        slow = rng.random() < 0.4
        ui = slow and rng.random() < 0.5
        rows.append(("SMB", _score(rng, 0.2, 0.6) if slow else _score(rng, 0.5, 0.1),
                     ["slow"] * slow + ["ui"] * ui))
    _build(ws, rows)
    by = {d["theme"]: d for d in drivers.key_drivers(ws)["drivers"]}
    assert by["slow"]["adjusted_high"] < 0 and not by["slow"]["uncertain"]
    assert by["ui"]["difference_high"] < -30
    assert by["ui"]["uncertain"] and by["ui"]["adjusted_low"] < 0 < by["ui"]["adjusted_high"]
    assert next(d["theme"] for d in drivers.key_drivers(ws)["drivers"]) == "slow"


def test_a_theme_is_not_blamed_for_its_segment(ws):
    """SMB accounts score lower whatever they say, and mention 'billing' more; billing does nothing."""
    rng, rows = random.Random(8), []
    for _ in range(1500):
        tier = rng.choice(["SMB", "Enterprise"])
        billing = rng.random() < (0.5 if tier == "SMB" else 0.1)
        rows.append((tier, _score(rng, 0.2, 0.5) if tier == "SMB" else _score(rng, 0.6, 0.1),
                     ["billing"] * billing))
    _build(ws, rows)
    (d,) = drivers.key_drivers(ws)["drivers"]
    assert d["difference_high"] < -20
    assert d["uncertain"] and abs(d["adjusted"]) < 10


def test_no_drivers_without_enough_mentions(ws):
    _build(ws, [("SMB", 9, ["rare"])] * 3)
    doc = drivers.key_drivers(ws)
    assert doc["drivers"] == [] and "at least 10 comments" in doc["reason"]
