"""The comment analyser: negation, contrast, several themes, typos, other languages, blanks, spans."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nps_desktop.core.text.analyzer import Analyzer, default_analyzer, sentiment
from nps_desktop.core.text.sentiment import sign
from nps_desktop.core.text.themes import default_themes, make_theme


@pytest.fixture(scope="module")
def an() -> Analyzer:
    return default_analyzer()


def polarities(an: Analyzer, text: str) -> dict[str, int]:
    return {t.name: t.polarity for t in an.analyze(text).themes}


def vader(total: float) -> float:
    """VADER's normalisation, written out here independently of the code under test."""
    return total / math.sqrt(total * total + 15)


# -- negation ---------------------------------------------------------------------------------------
def test_negated_complaint_is_no_complaint(an):
    assert polarities(an, "not slow at all") == {"performance": 1}
    assert an.analyze("not slow at all").sentiment > 0
    assert polarities(an, "The app is painfully slow") == {"performance": -1}


@pytest.mark.parametrize("text, theme", [
    ("No issues with billing at all.", "billing"),
    ("Never had any downtime.", "reliability"),
    ("I can't complain about the support team.", "support"),
    ("Zero downtime in two years.", "reliability"),
])
def test_negated_problems_read_as_praise(an, text, theme):
    assert polarities(an, text)[theme] == 1
    assert an.analyze(text).sentiment > 0


def test_negated_praise_reads_as_complaint(an):
    assert polarities(an, "The support is not helpful") == {"support": -1}
    assert an.analyze("The new interface is not intuitive.").sentiment < 0


def test_negation_that_flips_nothing_is_a_mild_complaint(an):
    # "don't match" has no sentiment word to flip: it still reads as a (mild) complaint.
    result = an.analyze("The help articles don't match the product.")
    assert result.sentiment == pytest.approx(vader(-0.6), abs=1e-4)
    assert polarities(an, "The help articles don't match the product.") == {"documentation": -1}


def test_used_to_be_negates(an):
    assert an.analyze("Support used to be great.").sentiment < 0
    assert an.analyze("Support used to be slow.").sentiment > 0


# -- contrast ---------------------------------------------------------------------------------------
def test_contrast_makes_the_second_part_count(an):
    text = "works fine, but integrations keep failing"
    assert polarities(an, text) == {"integrations": -1}
    assert an.analyze(text).sentiment < 0


def test_contrast_gives_each_theme_its_own_polarity(an):
    text = "Support is great but pricing is too expensive"
    assert polarities(an, text) == {"support": 1, "pricing": -1}
    assert an.analyze(text).sentiment < 0  # what follows "but" weighs more


def test_although_weakens_its_own_clause(an):
    text = "Although it is expensive, the support team is fantastic"
    assert polarities(an, text) == {"pricing": -1, "support": 1}
    assert an.analyze(text).sentiment > 0


def test_not_only_but_also_is_no_negation_and_no_contrast(an):
    assert sentiment("Not only fast but also reliable.") == pytest.approx(vader(2.2 + 2.6), abs=1e-4)


# -- conditions, questions, hedges --------------------------------------------------------------------
def test_sentence_initial_condition_counts_half():
    # breaks = -1.5 halved in the "whenever" clause; "right away" = 1.5
    text = "Whenever something breaks, the support crew is on it right away."
    assert sentiment(text) == pytest.approx(vader(-1.5 * 0.5 + 1.5), abs=1e-4)
    # a "when" inside the sentence opens nothing
    assert sentiment("It breaks when we export.") == pytest.approx(vader(-1.5), abs=1e-4)


def test_praise_inside_a_question_is_not_asserted():
    # why = -1.0; "simple" (2.2) is asked about, not praised; so slow = -1.5 - 0.35
    assert sentiment("Why is a simple export so slow?") == pytest.approx(vader(-1.0 - 1.85), abs=1e-4)
    # ... only in the question's own sentence
    assert sentiment("Great support. Any plans for dark mode?") == pytest.approx(vader(2.6), abs=1e-4)


def test_hedged_praise_is_hypothetical(an):
    assert an.analyze("A template library would make setup faster.").sentiment == 0
    assert an.analyze("The charts could be prettier.").sentiment == 0
    assert sign(an.analyze("I would definitely recommend it").sentiment) == 1   # no hedge phrase
    assert sign(an.analyze("Would not buy again.").sentiment) == -1
    assert sign(an.analyze("The export should be faster.").sentiment) == -1   # "should be" negates


def test_cant_remember_the_last_time_negates():
    assert sentiment("I can't remember the last time it crashed.") == pytest.approx(
        vader(-1.5 * -0.74), abs=1e-4)


def test_common_words_are_not_read_as_typos(an):
    # "through" is one edit from "thorough" but is no sentiment word
    assert an.analyze("We went through three account managers.").sentiment == 0


def test_passive_churn_risk_example_from_the_domain_notes(an):
    text = "works fine, but we've had ongoing integration issues that haven't been resolved"
    assert polarities(an, text) == {"integrations": -1}
    assert sign(an.analyze(text).sentiment) == -1


# -- hand-worked sentiment ----------------------------------------------------------------------------
def test_sentiment_hand_worked():
    # good = 2.2; "not helpful" = 2.6 x -0.74; before "but" x0.5, after x1.5; "!" adds 0.25.
    assert sentiment("good") == pytest.approx(vader(2.2), abs=1e-4)
    assert sentiment("The support is not helpful") == pytest.approx(vader(2.6 * -0.74), abs=1e-4)
    assert sentiment("Good product but slow") == pytest.approx(vader(2.2 * 0.5 - 1.5 * 1.5), abs=1e-4)
    assert sentiment("Great!") == pytest.approx(vader(2.6 + 0.25), abs=1e-4)
    assert sentiment("very good") == pytest.approx(vader(2.6), abs=1e-4)   # an idiom of its own
    assert sentiment("really slow") == pytest.approx(vader(-1.5 - 0.35), abs=1e-4)


# -- several themes, phrases, typos -------------------------------------------------------------------
def test_several_themes_in_one_comment(an):
    text = ("Support is great, but pricing went up 30% at renewal, the mobile app crashes daily "
            "and the Salesforce integration drops records.")
    got = polarities(an, text)
    assert set(got) == {"support", "pricing", "mobile", "reliability", "integrations"}
    assert got["support"] == 1 and got["mobile"] == -1 and got["reliability"] == -1


def test_longest_phrase_wins(an):
    # "doesn't support" is a missing feature, not a remark about the support team.
    assert set(polarities(an, "It doesn't support SSO")) == {"missing_features", "security"}
    assert polarities(an, "It doesn't support SSO")["missing_features"] == -1


def test_weak_phrase_yields_to_a_named_theme(an):
    assert set(polarities(an, "Easy to integrate with Slack")) == {"integrations"}
    assert set(polarities(an, "Easy.")) == {"ease_of_use"}
    # ... but only within its own part of the sentence
    assert set(polarities(an, "Fast and reliable.")) == {"performance", "reliability"}


@pytest.mark.parametrize("text, theme", [
    ("the intergration with netsuite", "integrations"),
    ("onbaording took forever", "onboarding"),
    ("documentaion is thin", "documentation"),
    ("our acount manager", "account_management"),  # listed as a word form
    ("Onboarding was smooth", "onboarding"),        # case-insensitive
    ("the dashbord is great", "reporting"),
])
def test_typos_and_case(an, text, theme):
    assert theme in polarities(an, text)


def test_stems_match_word_forms():
    an = Analyzer([make_theme("data_export", "Data export", ["export*", "csv"])])
    assert an.analyze("Exporting to CSV is clunky").names == ["data_export"]
    assert an.analyze("exports never finish").names == ["data_export"]
    assert an.analyze("the expo was fun").names == []


def test_phrase_polarity_marker():
    an = Analyzer([make_theme("contract", None, ["-auto renewal", "contract"])])
    hit = an.analyze("The auto renewal.").theme("contract")
    assert hit.polarity == -1
    assert an.analyze("The auto renewal.").sentiment == pytest.approx(vader(-2.0), abs=1e-4)


# -- other languages, emoji, blanks --------------------------------------------------------------------
@pytest.mark.parametrize("text, theme, expected_sign", [
    ("Zu teuer für das, was es kann.", "pricing", -1),
    ("Der Support ist schnell und sehr kompetent.", "support", 1),
    ("Excelente herramienta, muy fácil de usar.", "ease_of_use", 1),
    ("Le support est trop lent.", "support", -1),
    ("Très bon produit, merci !", None, 1),
])
def test_non_english(an, text, theme, expected_sign):
    result = an.analyze(text)
    assert sign(result.sentiment) == expected_sign
    if theme:
        assert theme in result.names


@pytest.mark.parametrize("text, theme, matched, expected_sign", [
    ("客服态度很好，问题很快就解决了。", "support", "客服", 1),
    ("价格太贵了，而且经常崩溃。", "pricing", "价格", -1),
    ("导出报表不太好用。", "reporting", "报表", -1),
    ("レポート機能が使いにくいです。", "reporting", "レポート", -1),
    ("サポートの皆さんには本当に感謝しています！", "support", "サポート", 1),
    ("料金が高すぎると思います。", "pricing", "料金", -1),
])
def test_chinese_and_japanese_are_read_without_spaces(an, text, theme, matched, expected_sign):
    result = an.analyze(text, spans=True)
    assert sign(result.sentiment) == expected_sign
    hit = result.theme(theme)
    assert hit is not None and [text[s:e] for s, e in hit.spans] == [matched]
    assert hit.matched == (matched.lower(),)
    assert (theme, hit.polarity, matched.lower()) in an.analyze_fast(text)[1]


def test_cjk_characters_keep_their_voicing_marks():
    from nps_desktop.core.text.tokens import normalize_word, tokenize
    assert tokenize("バグ、遅い") == ["バ", "グ", ",", "遅", "い"]   # full-width comma is a clause break
    assert normalize_word("バ") == "バ" != normalize_word("ハ")
    assert normalize_word("ｶ") == "カ"                          # half-width katakana, standard width


def test_negative_idiom_with_a_negation_reaches_past_itself():
    # "doesn't work" = −2.0, then its negation flips "reliably" (2.2 × −0.74): a complaint, not praise
    assert sentiment("It doesn't work reliably") == pytest.approx(vader(-2.0 + 2.2 * -0.74), abs=1e-4)
    assert sentiment("Das funktioniert nicht gut") < -0.5
    assert sentiment("It doesn't work") == pytest.approx(vader(-2.0), abs=1e-4)   # nothing to flip: no extra


@pytest.mark.parametrize("text", ["价格太贵了", "使いやすいです", "Это очень удобно", "ممتاز جدا", "🤷‍♂️🏽",
                                  "...", "?!", "\n\n", "𝕌𝕟𝕚𝕔𝕠𝕕𝕖", "İstanbul office"])
def test_anything_is_analysed_without_failing(an, text):
    result = an.analyze(text, spans=True)
    assert result.sentiment is None or -1 <= result.sentiment <= 1


def test_emoji_only(an):
    assert an.analyze("👍").sentiment > 0
    assert an.analyze("😡😡").sentiment < 0
    assert an.analyze("❤️").sentiment > 0      # with the emoji variation selector
    assert an.analyze("👍🏽").sentiment > 0      # with a skin tone
    assert an.analyze(":-(").sentiment < 0


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
def test_blank_comments_have_no_sentiment(an, text):
    assert an.analyze(text).sentiment is None
    assert an.analyze(text).themes == ()
    assert an.analyze_fast(text) == (None, [])


# -- spans -------------------------------------------------------------------------------------------
def test_spans_point_at_the_matched_words(an):
    text = "Great product. The Salesforce Integration keeps breaking!"
    hit = an.analyze(text, spans=True).theme("integrations")
    assert [text[s:e] for s, e in hit.spans] == ["Salesforce", "Integration"]
    assert hit.matched == ("salesforce", "integration")


def test_spans_with_typographic_apostrophes(an):
    text = "It doesn’t support SAML"
    hit = an.analyze(text, spans=True).theme("missing_features")
    assert [text[s:e] for s, e in hit.spans] == ["doesn’t support"]


@given(st.text(max_size=200))
def test_property_never_fails_and_both_paths_agree(text):
    an = default_analyzer()
    full = an.analyze(text, spans=True)
    fast_sentiment, fast_hits = an.analyze_fast(text)
    assert full.sentiment is None or -1 <= full.sentiment <= 1
    assert {(t.name, t.polarity) for t in full.themes} == {(n, p) for n, p, _ in fast_hits}
    for hit in full.themes:
        for s, e in hit.spans:
            assert 0 <= s < e <= len(text)


@given(st.lists(st.sampled_from(["slow", "great", "not", "but", "support", "pricing", ",", ".", "and",
                                 "very", "although", "no", "issues", "😡", "easy", "used to be"]),
                max_size=25))
def test_property_word_salad_stays_in_range(words):
    result = default_analyzer().analyze(" ".join(words))
    assert result.sentiment is None or -1 < result.sentiment < 1
    assert len(result.names) == len(set(result.names))


def test_default_dictionary_has_the_required_themes():
    names = {t.name for t in default_themes()}
    assert {"pricing", "billing", "support", "onboarding", "ease_of_use", "reliability", "performance",
            "integrations", "missing_features", "reporting", "documentation", "account_management",
            "mobile", "security"} <= names
