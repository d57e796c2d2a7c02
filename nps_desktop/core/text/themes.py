"""Themes: the dictionary of phrases that says what a comment is about, and its compiled index.

A theme has a ``name`` (a slug such as ``ease_of_use``, stored in ``response_themes.theme``), a
``label`` shown to people, and phrases in this syntax (also written in ``resources/themes.json``):

- words separated by spaces match whole words, ignoring case and accents: ``load time``;
- a word ending in ``*`` matches any ending: ``integrat*``;
- Chinese and Japanese are written without spaces: a phrase in them (``价格``, ``サポート``) matches
  wherever its characters stand together, inside longer words too;
- a leading ``~`` makes a phrase weak: it counts only when no other theme is named in the same part
  of the sentence (up to a comma, "but" or "and"): "easy" is ease of use, "easy to integrate" is not;
- a leading ``-`` (``+``) makes a phrase a complaint (praise) by itself: ``-doesn't support``.

Where phrases overlap the longest wins, so ``doesn't support`` (missing features) hides ``support``.
Matching itself happens in ``analyzer``, in the same pass as sentiment, so negation and contrast
("not slow at all", "works fine, but integrations keep failing") decide each theme's polarity.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..resources import resource_path
from .tokens import TOKEN_RE, TypoIndex, normalize_word, prepare

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MIN_STEM = 3
#: Typos are forgiven (one edit, same first letter) in dictionary words at least this long.
FUZZY_MIN_LENGTH = 8


class ThemeError(ValueError):
    """A theme or phrase that cannot be used; the message names it."""


@dataclass(frozen=True)
class Phrase:
    text: str                  # as the user wrote it
    words: tuple[str, ...]     # normalised words; a stem keeps its trailing '*'
    weak: bool = False
    polarity: int = 0          # -1 complaint by itself, +1 praise by itself, 0 neither


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    phrases: tuple[str, ...]
    enabled: bool = True

    def as_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "phrases": list(self.phrases),
                "enabled": self.enabled}


def slugify(label: str) -> str:
    """A theme name from a label: ``"Data export"`` → ``data_export``; ``"价格"`` (no letter a–z to
    keep) → ``theme``, for the user to rename."""
    words = [normalize_word(w) for w in TOKEN_RE.findall(label.lower()) if w[0].isalnum()]
    slug = "_".join(filter(None, (re.sub("[^a-z0-9_]", "", w) for w in words)))[:40].strip("_") or "theme"
    if not slug[0].isalpha():
        slug = "t_" + slug
    return slug[:40]


def check_name(name: str) -> str:
    if not NAME_RE.match(name):
        raise ThemeError(f"theme name {name!r} must start with a letter and use only a-z, 0-9 and _ "
                         f"(at most 40 characters)")
    return name


def parse_phrase(text: str) -> Phrase:
    """Parse one phrase of the syntax above; ``ThemeError`` names what is wrong with it."""
    raw = text.strip()
    body, weak, polarity = raw, False, 0
    while body[:1] in ("~", "+", "-"):
        mark, body = body[0], body[1:].lstrip()
        if mark == "~":
            weak = True
        elif polarity:
            raise ThemeError(f"phrase {text!r} has more than one of + and -")
        else:
            polarity = 1 if mark == "+" else -1
    words: list[str] = []
    for piece in prepare(body).split():
        stem = piece.endswith("*")
        tokens = TOKEN_RE.findall(piece.rstrip("*"))
        if not tokens or any(not t[0].isalnum() for t in tokens):
            raise ThemeError(f"phrase {text!r}: {piece!r} is not a word (use letters, digits, ' and -)")
        tokens = [normalize_word(t) for t in tokens]
        if stem:
            if len(tokens[-1]) < MIN_STEM:
                raise ThemeError(f"phrase {text!r}: a word ending in * needs at least {MIN_STEM} letters "
                                 f"before the *")
            tokens[-1] += "*"
        words += tokens
    if not words:
        raise ThemeError(f"phrase {text!r} has no words")
    return Phrase(raw, tuple(words), weak, polarity)


def make_theme(name: str, label: str | None, phrases: Iterable[str], enabled: bool = True) -> Theme:
    """A checked theme: valid name, every phrase parses, no phrase twice (after trimming)."""
    check_name(name)
    clean: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for p in phrases:
        if not str(p).strip():
            continue
        parsed = parse_phrase(str(p))
        if parsed.words in seen:
            continue
        seen.add(parsed.words)
        clean.append(parsed.text)
    return Theme(name, (label or name.replace("_", " ").capitalize()).strip(), tuple(clean), enabled)


def parse_dictionary(doc: dict, source: str = "theme dictionary") -> list[Theme]:
    """Themes from a document shaped like ``resources/themes.json``."""
    themes, names = [], set()
    for i, entry in enumerate(doc.get("themes", []), start=1):
        try:
            theme = make_theme(entry["name"], entry.get("label"), entry.get("phrases", []),
                               bool(entry.get("enabled", True)))
        except KeyError:
            raise ThemeError(f"{source}: theme {i} has no name") from None
        except ThemeError as exc:
            raise ThemeError(f"{source}: theme {i}: {exc}") from None
        if theme.name in names:
            raise ThemeError(f"{source}: theme {theme.name!r} appears twice")
        names.add(theme.name)
        themes.append(theme)
    return themes


def load_dictionary(path: Path) -> list[Theme]:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except json.JSONDecodeError as exc:
        raise ThemeError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    return parse_dictionary(doc, str(path))


@functools.lru_cache(maxsize=1)
def _default_themes() -> tuple[Theme, ...]:
    return tuple(load_dictionary(resource_path("themes.json")))


def default_themes() -> list[Theme]:
    """The default B2B dictionary shipped in ``resources/themes.json``."""
    return list(_default_themes())


# -- the compiled index ----------------------------------------------------------------------------
END = ""  # the trie key under which a node keeps the phrases that end there


@dataclass
class PhraseIndex:
    """Enabled themes compiled for matching: a word trie, stem prefixes and a typo index."""
    names: list[str]
    labels: list[str]
    trie: dict = field(default_factory=dict)
    exact: set[str] = field(default_factory=set)
    stems: dict[int, set[str]] = field(default_factory=dict)  # prefix length -> prefixes
    typos: TypoIndex | None = None

    def keys_for(self, word: str, known=frozenset()) -> tuple[str, ...]:
        """The dictionary words a normalised token stands for: itself, stems it starts with, or
        (for a token that is no ``known`` word) the one dictionary word a typo away."""
        keys = [word] if word in self.exact else []
        for length, prefixes in self.stems.items():
            if len(word) >= length and word[:length] in prefixes:
                keys.append(word[:length] + "*")
        if not keys and self.typos is not None and word not in known:
            keys.extend(self.typos.lookup(word))
        return tuple(keys)


def compile_themes(themes: Iterable[Theme]) -> PhraseIndex:
    """Compile the enabled themes into a ``PhraseIndex``."""
    enabled = [t for t in themes if t.enabled]
    index = PhraseIndex([t.name for t in enabled], [t.label for t in enabled])
    for theme_no, theme in enumerate(enabled):
        for text in theme.phrases:
            phrase = parse_phrase(text)
            node = index.trie
            for word in phrase.words:
                node = node.setdefault(word, {})
                if word.endswith("*"):
                    index.stems.setdefault(len(word) - 1, set()).add(word[:-1])
                else:
                    index.exact.add(word)
            entries = node.setdefault(END, [])
            entries[:] = [e for e in entries if e[0] != theme_no]
            entries.append((theme_no, phrase.weak, phrase.polarity))
    index.typos = TypoIndex(index.exact, FUZZY_MIN_LENGTH)
    return index
