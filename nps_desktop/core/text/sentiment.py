"""The offline sentiment lexicon (``resources/sentiment.json``); ``analyzer.sentiment`` scores a comment.

The method is VADER's, re-implemented for speed and for B2B feedback: word valences from −4 to +4,
multi-word idioms, negation (× −0.74 for the next three words; a negation with nothing to flip is
a mild complaint), boosters and dampeners, contrast ("but" halves what came before and strengthens
what follows; "although" weakens its own clause), hedges ("would make", "could be": the praise that
follows is hypothetical), exclamation marks, and emoji. The sum is squashed to −1 … 1 with
``x / sqrt(x² + 15)``. The scoring loop itself lives in ``analyzer`` because it shares one pass over
the tokens with theme matching.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..resources import resource_path
from .tokens import TOKEN_RE, normalize_word

#: VADER's constants.
NEGATION_SCALAR = -0.74
ALPHA = 15.0
EXCLAMATION_BOOST = 0.25
NEGATION_WINDOW = 3
#: A negation that flips no word is a mild complaint: "the reports don't match", "no offline mode".
UNRESOLVED_NEGATION = -0.6


@dataclass(frozen=True)
class Lexicon:
    """Everything the scorer knows about words; all keys are normalised tokens."""
    valence: dict[str, float]
    idioms: dict[tuple[str, ...], float | None]   # None: the phrase negates ("used to be")
    negators: frozenset[str]
    boosters: dict[str, float]
    contrast_after: frozenset[str]
    contrast_before: frozenset[str]
    #: Words that do not use up the negation window: "not slow AT ALL", "no REAL issues".
    fillers: frozenset[str] = field(default=frozenset(
        "a an the any at all that this these those my our their it its is are was were be been "
        "really very much many".split()))
    #: Phrases after which praise in the same sub-clause is only hypothetical: "would make it faster".
    hedges: frozenset[tuple[str, ...]] = frozenset()


def _words(text: str) -> list[str]:
    return [normalize_word(t) for t in TOKEN_RE.findall(text.lower())]


def parse_lexicon(doc: dict) -> Lexicon:
    """Build a ``Lexicon`` from the JSON document described in ``sentiment.json``'s ``about``."""
    valence: dict[str, float] = {}
    for section in ("words", "emoji"):
        for value, words in doc.get(section, {}).items():
            for word in words.split():
                valence[normalize_word(word.lower())] = float(value)
    idioms: dict[tuple[str, ...], float | None] = {}
    for phrase, value in {**doc.get("idioms", {}), **doc.get("cjk", {})}.items():
        key = tuple(_words(phrase))
        if len(key) == 1:
            valence[key[0]] = float(value)
        elif key:
            idioms[key] = float(value)
    for phrase in doc.get("negator_phrases", "").split("|"):
        if len(_words(phrase)) > 1:
            idioms[tuple(_words(phrase))] = None
    boosters = {normalize_word(w): float(v) for v, ws in doc.get("boosters", {}).items()
                for w in ws.split()}
    return Lexicon(valence, idioms,
                   frozenset(normalize_word(w) for w in doc.get("negators", "").split()),
                   boosters,
                   frozenset(doc.get("contrast_after", "").split()),
                   frozenset(doc.get("contrast_before", "").split()),
                   hedges=frozenset(tuple(words) for words in map(_words, doc.get("hedge_phrases", "").split("|"))
                                    if len(words) > 1))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon at ``path``, by default the one shipped in ``resources/sentiment.json``."""
    if path is None:
        return default_lexicon()
    with open(path, encoding="utf-8") as fh:
        return parse_lexicon(json.load(fh))


@functools.lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon(resource_path("sentiment.json"))


def squash(total: float) -> float:
    """VADER's normalisation of a valence sum to −1 … 1."""
    return total / (total * total + ALPHA) ** 0.5


def sign(score: float | None, threshold: float = 0.05) -> int:
    """−1, 0 or +1: VADER's convention (|score| < 0.05 is neutral)."""
    if score is None or abs(score) < threshold:
        return 0
    return 1 if score > 0 else -1
