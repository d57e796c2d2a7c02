"""User text made safe for reportlab: escaped, cleaned, shortened with care, set in fonts that draw it.

reportlab's ``Paragraph`` parses markup, so ``<b>unclosed`` raises, ``&b=2`` is corrupted and
``<script>`` vanishes. Every user string goes through ``markup`` before it reaches a Paragraph; chart
labels (drawn as plain strings) pick their font with ``label_font``.
"""
from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

from .fonts import Fonts

ELLIPSIS = "…"
#: Characters XML (and so reportlab's parser) cannot hold, and bidi/format controls that confuse layout.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_JOINERS = {"\u200d", "\ufe0f", "\ufe0e"}


def clean(text: object) -> str:
    """A printable string: None → '', newlines normalised, characters XML cannot hold removed."""
    if text is None:
        return ""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVALID.sub("", s)


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters (plus '…'): cut at a word boundary near the limit when there is one,
    never between a letter and its accent or inside an emoji sequence."""
    if limit <= 0 or len(text) <= limit:
        return text
    cut = limit
    space = text.rfind(" ", int(limit * 0.8), limit + 1)
    if space > 0:
        cut = space
    while cut > 0 and (unicodedata.combining(text[cut]) or text[cut] in _JOINERS
                       or text[cut - 1] in _JOINERS or _is_skin_tone(text[cut])):
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS


def _is_skin_tone(ch: str) -> bool:
    return "\U0001f3fb" <= ch <= "\U0001f3ff"


def markup(text: object, fonts: Fonts, limit: int = 0) -> str:
    """Paragraph markup that prints ``text`` literally: escaped, newlines as ``<br/>``, runs of
    characters the main font lacks set in the fallback font, shortened to ``limit`` characters."""
    s = clean(text)
    if limit:
        s = truncate(s, limit)
    s = "".join(ch for ch in s if not _invisible_gap(ch, fonts))
    out: list[str] = []
    for run, in_fallback in _runs(s, fonts):
        piece = escape(run).replace("\n", "<br/>")
        out.append(f'<font name="{fonts.fallback}">{piece}</font>' if in_fallback else piece)
    return "".join(out)


def _invisible_gap(ch: str, fonts: Fonts) -> bool:
    """A joiner, variation selector or skin-tone modifier that no font draws: it would print as a box."""
    if fonts.covers(ch) or fonts.fallback_covers(ch):
        return False
    return ch in _JOINERS or _is_skin_tone(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me")


def _runs(s: str, fonts: Fonts):
    """Split ``s`` into (text, set-in-fallback) runs."""
    start, current = 0, False
    for i, ch in enumerate(s):
        use_fallback = ch != "\n" and not fonts.covers(ch) and fonts.fallback_covers(ch)
        if use_fallback != current and i > start:
            yield s[start:i], current
            start = i
        current = use_fallback
    if start < len(s):
        yield s[start:], current


def label_font(text: str, fonts: Fonts, bold: bool = False) -> str:
    """The font for a plain-string chart label: the fallback font only when the main font lacks some
    of its characters and the fallback draws all of them."""
    main = fonts.bold if bold else fonts.regular
    if all(fonts.covers(ch) for ch in text):
        return main
    if fonts.fallback and all(ch == " " or fonts.fallback_covers(ch) for ch in text):
        return fonts.fallback
    return main
