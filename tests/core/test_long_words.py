"""A comment with an enormous word cannot hang the analyser, and a retag is cancelled inside a batch."""
from __future__ import annotations

import random

from nps_desktop.core.responses import insert_responses
from nps_desktop.core.text import tagging, tokens
from nps_desktop.core.text.analyzer import Analyzer, default_analyzer
from nps_desktop.core.text.tokens import TypoIndex, within_one_edit

WORDS = ["support", "expensive", "onboarding", "reliable", "dashboard"]


def test_a_long_token_is_no_typo_and_costs_no_variants(monkeypatch):
    index = TypoIndex(WORDS, 5)
    built = []
    monkeypatch.setattr(tokens, "deletions", lambda w: built.append(len(w)) or set())
    assert index.lookup("s" + "x" * 100_000) == ()
    assert built == []  # the quadratic step never ran
    assert index.max_length == len("onboarding")


def test_the_cap_changes_no_answer():
    """Against brute force: every token up to and past the cap finds exactly the words one edit away."""
    index = TypoIndex(WORDS, 5)
    rng = random.Random(21)
    for _ in range(2000):
        word = rng.choice(WORDS)
        token = word + "".join(rng.choice("aeost") for _ in range(rng.randint(0, 3)))
        if rng.random() < 0.5:
            i = rng.randrange(len(token))
            token = token[:i] + token[i + 1:]
        expected = tuple(sorted(w for w in WORDS if w[0] == token[0] and within_one_edit(token, w)))
        if len(token) < 4 or not token.isalpha():
            expected = ()
        assert index.lookup(token) == expected, token


def test_a_ten_megabyte_word_is_analysed(monkeypatch):
    analyzer = default_analyzer()
    built = []
    original = tokens.deletions
    monkeypatch.setattr(tokens, "deletions", lambda w: built.append(len(w)) or original(w))
    result = analyzer.analyze("Great support but " + "x" * 10_000_000)
    assert max(built, default=0) < 50
    assert result == analyzer.analyze("Great support but " + "x" * 40)  # an unknown word, long or short


def test_a_retag_notices_cancel_inside_a_batch(ws, monkeypatch):
    with ws.transaction() as conn:
        insert_responses(conn, [dict(score=5, comment=f"slow support {i}", responded_at="2026-05-01")
                                for i in range(3 * tagging.CHECK_EVERY)])
    analysed = []
    original = Analyzer.analyze_fast
    monkeypatch.setattr(Analyzer, "analyze_fast", lambda self, text: analysed.append(text) or original(self, text))
    result = tagging.retag_all(ws, cancelled=lambda: True)
    assert result.cancelled
    assert len(analysed) < tagging.CHECK_EVERY  # the batch of 768 stopped at its first check
