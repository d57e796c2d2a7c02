"""One pass over a comment's tokens that yields its sentiment and its themes with their polarity.

The comment is cut into sentences (. ! ? ; line break), clauses (comma, "but", "although", a
sentence-initial "if" or "when") and sub-clauses ("and"). Each word's valence is added to its
sub-clause after negation and boosters. A sentence-initial condition counts half ("whenever
something breaks, support is on it right away"); praise after a hedge ("a template library would
make setup faster") or inside a question ("why does a simple question take a week?") is not
asserted and does not count. A theme's polarity is the sign of the sub-clauses where it was named
(falling back to their clauses, the sentence, then the whole comment). So in "not slow at all" the
performance theme is praise, and in "works fine, but integrations keep failing" integrations is a
complaint while the comment's sentiment leans on what follows "but".

Each distinct token is looked up once and cached, which keeps the per-comment work to a few list
operations: a million comments take well under a minute on two cores (``bench/text_bench.py``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable

from .sentiment import (EXCLAMATION_BOOST, NEGATION_SCALAR, NEGATION_WINDOW, UNRESOLVED_NEGATION,
                        Lexicon, default_lexicon, squash)
from .themes import END, PhraseIndex, Theme, compile_themes, default_themes
from .tokens import TOKEN_RE, TypoIndex, join_tokens, normalize_word, prepare, tokenize_spans

# Token roles; those from STOP on end a part of the sentence.
PLAIN, FILLER, NEG, BOOST, HEDGE, STOP, COMMA, AND, BUT, ALTHOUGH, IF = range(11)
AND_WORDS = frozenset("and also plus und et".split())
#: Contrast words that concede rather than oppose: "wrong for a year despite several requests".
CONCESSIONS = frozenset({"despite", "trotz", "malgre", "pese"})
#: Words that open a condition when they start a sentence: "whenever something breaks, ...".
CONDITIONS = frozenset("if when whenever once wenn quand cuando".split())
#: The idiom value of a hedge phrase ("would make", "could be").
HEDGE_IDIOM = "hedge"
#: The weight of a sentence-initial condition's clause.
CONDITION_WEIGHT = 0.5
#: The valence a silent side of a contrast takes (opposite to the other side).
CONTRAST_IMPLIED = 1.0
#: A phrase marked - or + counts as a word of this valence.
PHRASE_VALENCE = 2.0
#: Sentiment words are forgiven one typo when the dictionary word is at least this long.
LEXICON_TYPO_MIN = 8
#: The per-token cache is cleared when it grows past this many distinct tokens.
CACHE_LIMIT = 400_000


@dataclass(frozen=True)
class ThemeHit:
    """One theme found in a comment."""
    name: str
    polarity: int                          # -1 complaint, 0 mention, +1 praise
    matched: tuple[str, ...]               # the words that matched, lower case
    spans: tuple[tuple[int, int], ...] = ()  # their character offsets (``analyze(spans=True)``)


@dataclass(frozen=True)
class Analysis:
    sentiment: float | None                # None for a blank comment
    themes: tuple[ThemeHit, ...]

    def theme(self, name: str) -> ThemeHit | None:
        return next((t for t in self.themes if t.name == name), None)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.themes]


class Analyzer:
    """Sentiment and themes of comments, for one theme dictionary and one lexicon."""

    def __init__(self, themes: Iterable[Theme], lexicon: Lexicon | None = None):
        self.lexicon = lexicon or default_lexicon()
        self.index: PhraseIndex = compile_themes(themes)
        self.names = self.index.names
        lex = self.lexicon
        self._idioms: dict = {}
        idioms = {**{words: HEDGE_IDIOM for words in lex.hedges}, **lex.idioms}
        for words, value in idioms.items():
            node = self._idioms
            for w in words:
                node = node.setdefault(w, {})
            node[END] = value
        self._known = (set(lex.valence) | set(lex.negators) | set(lex.boosters) | self.index.exact
                       | {w for words in lex.idioms for w in words} | set(lex.fillers))
        self._lexicon_typos = TypoIndex(lex.valence, LEXICON_TYPO_MIN)
        self._cache: dict[str, tuple] = {}

    # -- tokens ----------------------------------------------------------------------------------
    def _learn(self, token: str) -> tuple:
        """(role, valence or boost, dictionary keys, normalised word, starts an idiom, starts a phrase)."""
        lex = self.lexicon
        first = token[0]
        if not (first.isalnum() or first == "_"):
            if token == ",":
                info = (COMMA, 0.0, (), token, False, False)
            elif first in ".!?;\n":
                info = (STOP, float(token.count("!")), (), token, False, False)
            else:  # emoji, emoticon
                info = (PLAIN, lex.valence.get(token, 0.0), (), token, False, False)
        else:
            word = normalize_word(token)
            keys = self.index.keys_for(word, self._known)
            role = (NEG if word in lex.negators else BOOST if word in lex.boosters
                    else BUT if word in lex.contrast_after else ALTHOUGH if word in lex.contrast_before
                    else AND if word in AND_WORDS else IF if word in CONDITIONS
                    else FILLER if word in lex.fillers else PLAIN)
            if role == BOOST:
                value = lex.boosters[word]
            else:
                value = lex.valence.get(word, 0.0)
                if not value and role == PLAIN and not keys and word not in self._known:
                    typos = {lex.valence[t] for t in self._lexicon_typos.lookup(word)}
                    value = typos.pop() if len(typos) == 1 else 0.0
            info = (role, value, keys, word, word in self._idioms, any(k in self.index.trie for k in keys))
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = info
        return info

    # -- the stages ------------------------------------------------------------------------------
    def _token_infos(self, tokens: list[str]) -> list[tuple]:
        """Stage 1: each token's role, valence and dictionary keys (cached per distinct token)."""
        cache = self._cache
        return [cache.get(t) or self._learn(t) for t in tokens]

    def _match_phrase(self, infos: list, i: int, n: int, sub: int, clause: int,
                      matches: list) -> tuple[int, int]:
        """Stage 2: record the longest theme phrase at token ``i``: (its end or 0, its polarity)."""
        end, entries = 0, None
        stack = [(self.index.trie, i)]
        while stack:
            node, j = stack.pop()
            if j >= n:
                continue
            for key in infos[j][2]:
                child = node.get(key)
                if child is not None:
                    found = child.get(END)
                    if found and j + 1 > end:
                        end, entries = j + 1, found
                    stack.append((child, j + 1))
        if not entries:
            return 0, 0
        polar = 0
        for theme_no, weak, polarity in entries:
            matches.append((theme_no, weak, sub, clause, i, end))
            polar = polar or polarity
        return end, polar

    def _resolve_idiom(self, infos: list, i: int, n: int) -> tuple[int, int, float, bool] | None:
        """Stage 3: the longest idiom at token ``i`` as one word: (end, role, valence, carries negation)."""
        end, idiom_value, node, j = 0, 0.0, self._idioms, i
        while j < n:
            node = node.get(infos[j][3])
            if node is None:
                break
            j += 1
            if END in node:
                end, idiom_value = j, node[END]
        if end <= i + 1:
            return None
        if idiom_value is None:
            return end, NEG, 0.0, False
        if idiom_value is HEDGE_IDIOM:
            return end, HEDGE, 0.0, False
        # "doesn't work reliably": the idiom's negation reaches past it
        carry = idiom_value < 0 and any(infos[k][0] == NEG for k in range(i, end))
        return end, PLAIN, idiom_value, carry

    def _run(self, tokens: list[str]) -> tuple[float, list[tuple[int, int, list[tuple[int, int]]]]]:
        """Sentiment and ``(theme_no, polarity, [(first token, end token), …])`` of a token list.

        The per-token pass: themes, idioms and clause boundaries are handed to the stage methods;
        word valence (negation, boosters, hedges) is scored inline, as it is the inner loop.
        """
        infos = self._token_infos(tokens)
        n = len(infos)
        parts = _Clauses()
        subs, praise = parts.subs, parts.praise
        cur = 0               # the current sub-clause
        sentence_words = False
        words = 0             # words so far
        neg = 0               # words the current negation still reaches
        neg_sub = -1          # sub-clause of a negation that has flipped nothing yet
        boost = 0.0
        hedged = False        # a hedge ("would make") has made the rest of the sub-clause hypothetical
        matches: list = []    # (theme_no, weak, sub, clause, start, end)
        consumed = skip_until = 0
        for i in range(n):
            role, value, _, word, idiom_start, phrase_start = infos[i]
            if role == IF and sentence_words:
                role = PLAIN  # "it crashes when we export": only a sentence-initial condition
            if role < STOP:
                sentence_words = True
                words += 1
            decided = carry_neg = False
            if phrase_start and i >= consumed:
                end, polar = self._match_phrase(infos, i, n, cur, parts.clause, matches)
                if end:
                    consumed = end
                    if polar and i >= skip_until:  # the phrase counts as one word of its polarity
                        value, role, skip_until, decided = polar * PHRASE_VALENCE, PLAIN, end, True
            if not decided:
                if i < skip_until:
                    continue
                if idiom_start:
                    idiom = self._resolve_idiom(infos, i, n)
                    if idiom is not None:
                        skip_until, role, value, carry_neg = idiom
            if role:
                if role == FILLER:
                    continue
                if role >= STOP:
                    if neg_sub >= 0:
                        subs[neg_sub] += UNRESOLVED_NEGATION
                        neg_sub = -1
                    parts.boundary(role, word, value, sentence_words, words)
                    cur = parts.cur
                    if role == STOP:
                        value = 0.0
                        sentence_words = False
                    neg = 0
                    boost = 0.0
                    hedged = False
                    if not value:
                        continue
                elif role == NEG:
                    if neg_sub >= 0:
                        subs[neg_sub] += UNRESOLVED_NEGATION
                    neg, neg_sub = NEGATION_WINDOW, cur
                    continue
                elif role == HEDGE:
                    hedged = True
                    continue
                else:  # BOOST
                    boost = value
                    continue
            if value:
                if boost:
                    value += boost if value > 0 else -boost
                if neg:
                    value *= NEGATION_SCALAR
                    neg_sub = -1
                if hedged and value > 0:
                    value = 0.0  # "a template library would make setup faster" praises nothing yet
                subs[cur] += value
                if value > 0:
                    praise[cur] += value
            boost = 0.0
            if neg:
                neg -= 1
                if not neg and neg_sub >= 0:
                    subs[neg_sub] += UNRESOLVED_NEGATION
                    neg_sub = -1
            if carry_neg:  # the idiom is a complaint already: nothing left to flip is no further one
                neg = NEGATION_WINDOW
        if neg_sub >= 0:
            subs[neg_sub] += UNRESOLVED_NEGATION
        compound = parts.score(words)
        if not matches:
            return compound, []
        return compound, self._hits(matches, subs, parts.sub_clause, parts.clause_sentence, compound)

    def _hits(self, matches, subs, sub_clause, clause_sentence, compound):
        """Stage 5: each theme's polarity from the sub-clauses, clauses or sentence that named it."""
        strong: dict[int, set[int]] = {}
        for theme_no, weak, sub, _, _, _ in matches:
            if not weak:
                strong.setdefault(sub, set()).add(theme_no)
        found: dict[int, tuple[set, list]] = {}
        for theme_no, weak, sub, _clause, start, end in matches:
            if weak and strong.get(sub, set()) - {theme_no}:
                continue
            where, spans = found.setdefault(theme_no, (set(), []))
            where.add(sub)
            spans.append((start, end))
        hits = []
        for theme_no, (where, spans) in found.items():
            score = sum(subs[s] for s in where)
            if not score:
                clauses = {sub_clause[s] for s in where}
                score = sum(v for s, v in enumerate(subs) if sub_clause[s] in clauses)
            if not score:
                sentences = {clause_sentence[sub_clause[s]] for s in where}
                score = sum(v for s, v in enumerate(subs) if clause_sentence[sub_clause[s]] in sentences)
            if not score and abs(compound) >= 0.3:
                score = compound
            hits.append((theme_no, (score > 0) - (score < 0), spans))
        return hits

    # -- public ----------------------------------------------------------------------------------
    def analyze_fast(self, text: str | None) -> tuple[float | None, list[tuple[str, int, str]]]:
        """``(sentiment, [(theme, polarity, matched words), …])``: the tagging hot path."""
        if not text or text.isspace():
            return None, []
        tokens = TOKEN_RE.findall(prepare(text))
        if not tokens:
            return 0.0, []
        compound, hits = self._run(tokens)
        names = self.names
        return round(compound, 4), [
            (names[t], pol, ", ".join(dict.fromkeys(join_tokens(tokens[s:e]) for s, e in spans)))
            for t, pol, spans in hits]

    def analyze(self, text: str | None, spans: bool = False) -> Analysis:
        """Sentiment and themes of one comment; with ``spans`` the matched words' offsets too."""
        if not text or text.isspace():
            return Analysis(None, ())
        if spans:
            tokens, offsets = tokenize_spans(text)
        else:
            tokens, offsets = TOKEN_RE.findall(prepare(text)), []
        if not tokens:
            return Analysis(0.0, ())
        compound, hits = self._run(tokens)
        out = []
        for theme_no, polarity, where in hits:
            matched = tuple(dict.fromkeys(join_tokens(tokens[s:e]) for s, e in where))
            char_spans = tuple((offsets[s][0], offsets[e - 1][1]) for s, e in where) if spans else ()
            out.append(ThemeHit(self.names[theme_no], polarity, matched, char_spans))
        return Analysis(round(compound, 4), tuple(out))


class _Clauses:
    """Stage 4: the comment's sub-clauses as they are read, with their valence and contrast weight."""

    __slots__ = ("after_w", "although_from", "clause", "clause_sentence", "clause_w", "contrast_from",
                 "cur", "exclamations", "in_although", "open_from", "open_pre", "open_words", "praise",
                 "sentence", "sentence_from", "sub_clause", "subs", "weights")

    def __init__(self) -> None:
        self.subs = [0.0]          # valence per sub-clause
        self.praise = [0.0]        # the positive part of it
        self.weights = [1.0]       # contrast weight per sub-clause
        self.sub_clause = [0]      # clause of each sub-clause
        self.clause_sentence = [0]
        self.cur = self.clause = self.sentence = 0
        self.sentence_from = 0     # the current sentence's first sub-clause
        self.after_w = self.clause_w = 1.0
        self.contrast_from = 0     # first sub-clause not yet halved by a "but"
        self.in_although = False
        self.although_from = 0     # first sub-clause of a sentence-initial "although" clause
        self.open_from = -1        # first sub-clause after a contrast, waiting to see if it says anything
        self.open_pre = 0.0        # the valence of what it contrasts with
        self.open_words = 0        # words when the contrast opened
        self.exclamations = 0

    def boundary(self, role: int, word: str, value: float, sentence_words: bool, words: int) -> None:
        """Close the current sub-clause at a boundary token (stop, comma, and, but, although, if)."""
        subs = self.subs
        cur = self.cur
        if role == STOP and "?" in word:
            _retract_praise(subs, self.praise, self.sentence_from, cur)
        if role == ALTHOUGH and sentence_words and word not in CONCESSIONS:
            role = BUT  # "great tool, although the price went up" reads as "but"
        if self.open_from >= 0 and (role == STOP or role == BUT):
            if words > self.open_words:
                _imply(subs, self.open_from, cur, self.open_pre)
            self.open_from = -1
        if role == STOP:
            self.exclamations += int(value)
            self.sentence += 1
            self.sentence_from = cur + 1
            self.in_although = False
        if role != AND:
            self.clause += 1
            if self.in_although and role == COMMA:
                self.after_w = 1.5
                self.open_from, self.open_pre = cur + 1, sum(subs[self.although_from:cur + 1])
                self.open_words = words
            self.in_although = False
            self.clause_w = 1.0
            self.clause_sentence.append(self.sentence)
        if role == BUT:
            self.open_from, self.open_pre = cur + 1, sum(subs[self.contrast_from:cur + 1])
            self.open_words = words
            weights = self.weights
            for k in range(self.contrast_from, cur + 1):
                weights[k] *= 0.5
            self.contrast_from = cur + 1
            self.after_w = 1.5
        elif role == ALTHOUGH:
            self.in_although, self.clause_w, self.although_from = True, 0.5, cur + 1
        elif role == IF:
            self.clause_w = CONDITION_WEIGHT
        self.cur = cur + 1
        subs.append(0.0)
        self.praise.append(0.0)
        self.weights.append(self.after_w * self.clause_w)
        self.sub_clause.append(self.clause)

    def score(self, words: int) -> float:
        """The comment's sentiment: its sub-clauses' weighted valence with exclamations, squashed."""
        subs = self.subs
        if self.open_from >= 0 and words > self.open_words:
            _imply(subs, self.open_from, self.cur, self.open_pre)
        weights = self.weights
        total = 0.0
        for k in range(self.cur + 1):
            total += subs[k] * weights[k]
        if total and self.exclamations:
            bonus = min(self.exclamations, 3) * EXCLAMATION_BOOST
            total += bonus if total > 0 else -bonus
        return squash(total)


def _imply(subs: list[float], start: int, end: int, before: float) -> None:
    """The two sides of a contrast differ: a side that says nothing takes the opposite of the other
    ("great product, but the price went up 20%" complains about the price)."""
    if before and not sum(subs[start:end + 1]):
        subs[start] += -CONTRAST_IMPLIED if before > 0 else CONTRAST_IMPLIED


def _retract_praise(subs: list[float], praise: list[float], start: int, end: int) -> None:
    """A question asks rather than praises: "why does it take a week to answer a simple question?"."""
    for k in range(start, end + 1):
        subs[k] -= praise[k]
        praise[k] = 0.0


@functools.lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """An analyser over the default dictionary (for callers without a workspace)."""
    return Analyzer(default_themes())


def sentiment(text: str | None) -> float | None:
    """Sentiment of one comment from −1 to 1; None for a missing or blank comment."""
    return default_analyzer().analyze(text).sentiment
