"""Splitting a comment into the tokens both themes and sentiment read: words, clause marks, emoji.

Text is lower-cased before tokenising; each distinct token is then normalised once (accents and a
possessive ``'s`` removed) by the analyser, which caches the result.
"""
from __future__ import annotations

import re
import unicodedata

#: Chinese and Japanese characters (kana, ideographs, half-width katakana): written without spaces, so
#: each is a token of its own and dictionary words in these scripts are phrases of characters.
CJK = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_WORD = rf"[^\W{CJK}]"
#: Words (with inner apostrophes: don't), CJK characters, emoticons, sentence ends, commas and emoji.
TOKEN_RE = re.compile(
    r">:\(|:'\(|<3"                              # emoticons that start with another character
    r"|[:;=]-?[()dp/|]"                           # :) :-( ;) :d :/ (text is lower-cased first)
    rf"|{_WORD}+(?:'{_WORD}+)*"                    # words: don't, customer's, 2fa, über
    rf"|[{CJK}]"                                   # one Chinese or Japanese character
    r"|[.!?;\n]+"                                  # sentence ends (a line break ends one too)
    r"|,"                                          # clause break
    r"|[\u2600-\u27bf\u2b50\u2764\U0001F000-\U0001FAFF]"  # emoji and pictographs, one each
)
_CJK_CHAR = re.compile(f"[{CJK}]")
#: Typographic quotes, and full-width punctuation as Chinese and Japanese write it, as ASCII.
_TO_ASCII = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                           "\u3002": ".", "\uff01": "!", "\uff1f": "?", "\uff1b": ";", "\uff0c": ",",
                           "\u3001": ",", "\uff61": ".", "\uff64": ","})
_JOINERS = re.compile("[\ufe0f\ufe0e\u200d\U0001F3FB-\U0001F3FF]")  # emoji variation/skin/joiner


def prepare(text: str) -> str:
    """The form of a comment that is tokenised: quotes and full-width punctuation as ASCII, lower case."""
    text = text.translate(_TO_ASCII).lower()
    if not text.isascii():
        text = _JOINERS.sub("", text)
    return text


def tokenize(text: str) -> list[str]:
    """All tokens of ``text`` (see ``TOKEN_RE``), lower case."""
    return TOKEN_RE.findall(prepare(text))


def tokenize_spans(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The tokens of ``tokenize`` with their ``(start, end)`` character offsets in ``text``."""
    lowered = text.translate(_TO_ASCII).lower()
    if len(lowered) != len(text):  # a rare character whose lower case is longer: match the original
        lowered = text
    tokens, spans = [], []
    for m in TOKEN_RE.finditer(lowered):
        token = m.group().lower()
        if not token.isascii():
            token = _JOINERS.sub("", token)
        if token:
            tokens.append(token)
            spans.append(m.span())
    return tokens, spans


_CJK_GAP = re.compile(f"(?<=[{CJK}]) (?=[{CJK}])")


def join_tokens(tokens: list[str]) -> str:
    """Tokens as the words they were: spaces between words, none between Chinese or Japanese characters."""
    text = " ".join(tokens)
    return text if text.isascii() else _CJK_GAP.sub("", text)


def normalize_word(token: str) -> str:
    """The dictionary form of one token: accents removed, possessive ``'s`` dropped; a Chinese or
    Japanese character in its standard width, its voicing marks kept (ば is not は)."""
    if _CJK_CHAR.fullmatch(token):
        return unicodedata.normalize("NFKC", token)
    if not token.isascii():
        decomposed = unicodedata.normalize("NFKD", token)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        token = stripped or token
    if token.endswith("'s") and len(token) > 3:
        token = token[:-2]
    return token


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])
    return a[i:] == b[i + 1:] if la < lb else a[i + 1:] == b[i:]


def deletions(word: str) -> set[str]:
    """Every string made by removing one character of ``word``."""
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class TypoIndex:
    """Finds the one dictionary word a misspelt token stands for (one edit, same first letter)."""

    def __init__(self, words, min_length: int):
        self.min_length = min_length
        self._index: dict[str, set[str]] = {}
        self.max_length = 0  # a token longer than the longest word + 1 is no typo of any: not looked up
        for word in words:
            if len(word) >= min_length and word.isalpha():
                self.max_length = max(self.max_length, len(word))
                for d in deletions(word) | {word}:
                    self._index.setdefault(d, set()).add(word)

    def lookup(self, token: str) -> tuple[str, ...]:
        """The dictionary words within one edit of ``token`` (usually none or one).

        Building the deletions of a token is quadratic in its length, so a token longer than any
        dictionary word plus one letter (which no single edit can match) returns at once."""
        if not self.min_length - 1 <= len(token) <= self.max_length + 1 or not token.isalpha():
            return ()
        candidates = set(self._index.get(token, ()))
        for d in deletions(token):
            candidates |= self._index.get(d, set())
        return tuple(sorted(w for w in candidates if w[0] == token[0] and within_one_edit(token, w)))
