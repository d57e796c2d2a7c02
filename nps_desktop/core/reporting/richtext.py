"""The pack's editable words as a safe subset of HTML: paragraphs and bullets of text in bold or italics.

The editor hands over whatever HTML it holds (Qt writes bold as ``<span style="font-weight:700">``);
``parse`` keeps only the subset and drops everything else (scripts, links, images, fonts, colours), and
``to_html`` writes it back canonically for storage. The pack reads ``Block``s: ``paragraph_markup`` turns
a block into reportlab Paragraph markup in which every character of the user's text is escaped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from .fonts import Fonts
from .text import markup

PARAGRAPH, BULLET = "p", "li"
_SKIP = {"head", "style", "script", "title", "template"}
_BOLD = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.I)
_ITALIC = re.compile(r"font-style\s*:\s*italic", re.I)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    """A paragraph (``p``) or a bullet (``li``): runs of text; a newline inside a run is a line break."""
    kind: str
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.stack: list[tuple[str, bool, bool]] = []   # (tag, sets bold, sets italic)
        self.skip = 0
        self.block: Block | None = None

    def _style(self) -> tuple[bool, bool]:
        return any(b for _, b, _ in self.stack), any(i for _, _, i in self.stack)

    def _open(self, kind: str) -> Block:
        self.block = Block(kind)
        self.blocks.append(self.block)
        return self.block

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "br":
            self.handle_data("\n")
            return
        if tag in ("p", "div", "h1", "h2", "h3", "h4", "blockquote"):
            self._open(PARAGRAPH)
        elif tag == "li":
            self._open(BULLET)
        style = dict(attrs).get("style") or ""
        bold = tag in ("b", "strong", "h1", "h2", "h3", "h4") or bool(_BOLD.search(style))
        self.stack.append((tag, bold, tag in ("i", "em") or bool(_ITALIC.search(style))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_data("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag in ("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
            self.block = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if data != "\n":
            data = re.sub(r"\s+", " ", data)
        if not data.strip(" ") and self.block is None:
            return
        block = self.block if self.block is not None else self._open(PARAGRAPH)
        bold, italic = self._style()
        runs = block.runs
        if runs and (runs[-1].bold, runs[-1].italic) == (bold, italic):
            runs[-1] = Run(runs[-1].text + data, bold, italic)
        else:
            runs.append(Run(data, bold, italic))


def parse(html: str | None) -> list[Block]:
    """The blocks of ``html`` in the safe subset; blank blocks are dropped, spaces at the edges trimmed."""
    if not html:
        return []
    reader = _Reader()
    reader.feed(html)
    reader.close()
    out = []
    for b in reader.blocks:
        runs = [r for r in b.runs if r.text]
        if runs:
            runs[0] = Run(runs[0].text.lstrip(" \n"), runs[0].bold, runs[0].italic)
            runs[-1] = Run(runs[-1].text.rstrip(" \n"), runs[-1].bold, runs[-1].italic)
            runs = [r for r in runs if r.text]
        if runs:
            out.append(Block(b.kind, runs))
    return out


def to_html(blocks: list[Block]) -> str:
    """The canonical stored form: ``<p>`` and ``<ul><li>`` with ``<b>``, ``<i>`` and ``<br/>``; text escaped."""
    out: list[str] = []
    in_list = False
    for b in blocks:
        if (b.kind == BULLET) != in_list:
            out.append("<ul>" if not in_list else "</ul>")
            in_list = not in_list
        out.append(f"<{b.kind}>{_runs_html(b.runs, lambda s: escape(s).replace(chr(10), '<br/>'))}</{b.kind}>")
    if in_list:
        out.append("</ul>")
    return "".join(out)


def sanitize(html: str | None) -> str:
    """Any HTML reduced to the stored subset ('' when nothing is left)."""
    return to_html(parse(html))


def from_sentences(sentences: list[str], lead: str | None = None) -> str:
    """Stored HTML of an optional lead paragraph and one bullet per sentence (the generated summary)."""
    blocks = ([Block(PARAGRAPH, [Run(lead)])] if lead else []) + [Block(BULLET, [Run(s)]) for s in sentences]
    return to_html(blocks)


def plain(html: str | None) -> str:
    """The words without formatting, one block a line (bullets start with '• ')."""
    return "\n".join(("• " if b.kind == BULLET else "") + b.text for b in parse(html))


def paragraph_markup(block: Block, fonts: Fonts) -> str:
    """reportlab Paragraph markup of ``block``: the user's text escaped, only ``<b>``/``<i>`` added."""
    return _runs_html(block.runs, lambda s: markup(s, fonts))


def _runs_html(runs: list[Run], text) -> str:
    out = []
    for r in runs:
        s = text(r.text)
        if r.italic:
            s = f"<i>{s}</i>"
        if r.bold:
            s = f"<b>{s}</b>"
        out.append(s)
    return "".join(out)
