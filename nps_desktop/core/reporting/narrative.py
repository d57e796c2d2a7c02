"""The pack's own words, kept per quarter in the workspace: the executive summary as the VP rewrote it,
"What we will do next quarter", which sections are in the pack and in what order, and the chosen quotes.

A pack rebuilt later for the same quarter reads the same words from here. Every write is one transaction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from .. import analytics, periods
from ..workspace import Workspace, now_iso
from . import richtext, you_said

MAX_QUOTE = 600


class NarrativeError(ValueError):
    """A change the pack's words cannot take (a missing response, an empty quote); nothing was written."""


@dataclass
class Words:
    """What the VP wrote for a quarter. ``summary`` None: the summary generated from the figures."""
    period: str
    summary: str | None = None
    next_quarter: str | None = None
    sections: list[tuple[str, bool]] = field(default_factory=list)   # saved order; [] = the default

    def layout(self, known: list[str]) -> list[tuple[str, bool]]:
        """The sections of the pack in order with their on/off switch: the saved order (sections the
        pack no longer has are dropped); a section the pack gained since comes switched on, right after
        the section it follows in the default order."""
        saved = [(k, on) for k, on in self.sections if k in known]
        for i, key in enumerate(known):
            if key not in [k for k, _ in saved]:
                at = next((j + 1 for j, (k, _) in enumerate(saved) if i and k == known[i - 1]), 0)
                saved.insert(at, (key, True))
        return saved

    def enabled(self, known: list[str]) -> list[str]:
        return [k for k, on in self.layout(known) if on]


def load_words(ws: Workspace, period: str) -> Words:
    row = ws.conn.execute("SELECT summary, next_quarter, sections FROM pack_words WHERE period = ?",
                          (period,)).fetchone()
    if row is None:
        return Words(period)
    sections = [(str(k), bool(on)) for k, on in json.loads(row["sections"] or "[]")]
    return Words(period, row["summary"], row["next_quarter"], sections)


def save_words(ws: Workspace, words: Words) -> Words:
    """Store ``words`` for its quarter (rich text reduced to the safe subset); returns what was stored."""
    _check_period(words.period)
    stored = Words(words.period, _rich(words.summary), _rich(words.next_quarter),
                   [(str(k), bool(on)) for k, on in words.sections])
    with ws.transaction() as conn:
        conn.execute("INSERT INTO pack_words (period, summary, next_quarter, sections, updated_at) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT(period) DO UPDATE SET summary = excluded.summary, "
                     "next_quarter = excluded.next_quarter, sections = excluded.sections, "
                     "updated_at = excluded.updated_at",
                     (stored.period, stored.summary, stored.next_quarter,
                      json.dumps([[k, on] for k, on in stored.sections]), now_iso()))
    return stored


def _rich(html: str | None) -> str | None:
    return None if html is None else (richtext.sanitize(html) or None)


def _check_period(period: str) -> None:
    import re
    if not re.fullmatch(r"\d{4}Q[1-4]", period or ""):
        raise NarrativeError(f"{period!r} is not a quarter: write it like 2026Q3")


# -- quotes ----------------------------------------------------------------------------------------
@dataclass
class Quote:
    """A chosen verbatim with what the pack prints beside it."""
    id: int
    period: str
    response_id: int
    text: str
    original: str
    theme: str | None
    theme_label: str | None
    show_name: bool
    score: int
    responded_on: str
    name: str | None
    role: str | None
    account: str | None
    tier: str | None
    industry: str | None

    @property
    def edited(self) -> bool:
        """Whether the printed words differ from the comment (spacing aside)."""
        return self.text != " ".join(self.original.split())

    def attribution(self) -> str:
        """Who said it: role and account segment; the person's and account's names only when shown."""
        segment = ", ".join(x for x in (self.tier, self.industry) if x)
        if self.show_name:
            person = ", ".join(x for x in (self.name, self.role) if x)
            parts = [person, self.account, segment]
        else:
            parts = [self.role or "Respondent", f"{segment} account" if segment else ""]
        return " · ".join(p for p in parts if p)


_QUOTES = """
SELECT q.id, q.period, q.response_id, q.text, q.original, q.show_name, r.score, r.responded_on,
       trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) AS name, c.role,
       a.name AS account, a.tier, a.industry,
       coalesce(q.theme, (SELECT rt.theme FROM response_themes rt WHERE rt.response_id = q.response_id
                          ORDER BY rt.polarity = 0, rt.theme LIMIT 1)) AS theme
FROM pack_quotes q JOIN responses r ON r.id = q.response_id
LEFT JOIN contacts c ON c.id = r.contact_id LEFT JOIN accounts a ON a.id = r.account_id
"""


def quotes(ws: Workspace, period: str) -> list[Quote]:
    """The quotes chosen for ``period`` in the order the pack prints them."""
    rows = ws.conn.execute(_QUOTES + " WHERE q.period = ? ORDER BY q.position, q.id", (period,)).fetchall()
    labels = {r["name"]: r["label"] or r["name"] for r in ws.conn.execute("SELECT name, label FROM themes")}
    return [Quote(r["id"], r["period"], r["response_id"], r["text"], r["original"], r["theme"],
                  labels.get(r["theme"], r["theme"]) if r["theme"] else None, bool(r["show_name"]), r["score"],
                  r["responded_on"], r["name"] or None, r["role"], r["account"], r["tier"], r["industry"])
            for r in rows]


def draft_quote(ws: Workspace, response_id: int, theme: str | None = None) -> Quote:
    """The quote of ``response_id`` as the "Add to pack" dialog starts it: the saved one when the
    response is already chosen for its quarter, else its comment as written (``id`` 0)."""
    period = response_period(ws, response_id)
    saved = [q for q in quotes(ws, period) if q.response_id == response_id]
    if saved:
        return saved[0]
    r = ws.conn.execute(
        "SELECT r.score, r.responded_on, r.comment, trim(coalesce(c.first_name, '') || ' ' || "
        "coalesce(c.last_name, '')) AS name, c.role, a.name AS account, a.tier, a.industry FROM responses r "
        "LEFT JOIN contacts c ON c.id = r.contact_id LEFT JOIN accounts a ON a.id = r.account_id WHERE r.id = ?",
        (response_id,)).fetchone()
    if not (r["comment"] or "").strip():
        raise NarrativeError(f"response {response_id} has no comment to quote")
    label = ws.scalar("SELECT coalesce(label, name) FROM themes WHERE name = ?", (theme,)) if theme else None
    return Quote(0, period, response_id, " ".join(r["comment"].split()), r["comment"].strip(), theme, label, False, r["score"], r["responded_on"],
                 r["name"] or None, r["role"], r["account"], r["tier"], r["industry"])


def response_period(ws: Workspace, response_id: int) -> str:
    """The fiscal quarter of a response (the pack it belongs to by default)."""
    day = ws.scalar("SELECT responded_on FROM responses WHERE id = ?", (response_id,))
    if day is None:
        raise NarrativeError(f"response {response_id} does not exist")
    return periods.quarter_key(date.fromisoformat(day), analytics.fiscal_year_start(ws))


def add_quote(ws: Workspace, response_id: int, text: str | None = None, *, theme: str | None = None,
              show_name: bool = False, period: str | None = None) -> int:
    """Choose the comment of ``response_id`` for the pack of ``period`` (default: the response's quarter),
    printed as ``text`` (default: the comment as written, which is kept as the original). Choosing the
    same response again updates its quote. Returns the quote's id."""
    comment = ws.scalar("SELECT comment FROM responses WHERE id = ?", (response_id,))
    if comment is None or not str(comment).strip():
        raise NarrativeError(f"response {response_id} has no comment to quote")
    period = period or response_period(ws, response_id)
    _check_period(period)
    text = _quote_text(comment if text is None else text, response_id)
    with ws.transaction() as conn:
        position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM pack_quotes WHERE period = ?",
                                (period,)).fetchone()[0]
        conn.execute("INSERT INTO pack_quotes (period, response_id, text, original, theme, show_name, position, "
                     "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(period, response_id) DO UPDATE SET "
                     "text = excluded.text, theme = coalesce(excluded.theme, pack_quotes.theme), "
                     "show_name = excluded.show_name",
                     (period, response_id, text, str(comment).strip(), theme, int(show_name), position, now_iso()))
        return conn.execute("SELECT id FROM pack_quotes WHERE period = ? AND response_id = ?",
                            (period, response_id)).fetchone()[0]


def update_quote(ws: Workspace, quote_id: int, text: str, show_name: bool) -> None:
    """Print the quote as ``text`` (the original stays as the respondent wrote it)."""
    text = _quote_text(text, quote_id)
    with ws.transaction() as conn:
        if conn.execute("UPDATE pack_quotes SET text = ?, show_name = ? WHERE id = ?",
                        (text, int(show_name), quote_id)).rowcount == 0:
            raise NarrativeError(f"quote {quote_id} does not exist")


def remove_quote(ws: Workspace, quote_id: int) -> None:
    with ws.transaction() as conn:
        conn.execute("DELETE FROM pack_quotes WHERE id = ?", (quote_id,))


def move_quote(ws: Workspace, quote_id: int, step: int) -> None:
    """Move a quote ``step`` places up (−1) or down (+1) among its quarter's quotes."""
    period = ws.scalar("SELECT period FROM pack_quotes WHERE id = ?", (quote_id,))
    if period is None:
        raise NarrativeError(f"quote {quote_id} does not exist")
    ids = [q.id for q in quotes(ws, period)]
    i = ids.index(quote_id)
    j = min(max(i + step, 0), len(ids) - 1)
    ids.insert(j, ids.pop(i))
    with ws.transaction() as conn:
        conn.executemany("UPDATE pack_quotes SET position = ? WHERE id = ?",
                         [(n, qid) for n, qid in enumerate(ids, start=1)])


def _quote_text(text: str, what: int) -> str:
    text = " ".join(str(text).split())
    if not text:
        raise NarrativeError(f"quote of {what}: the text is empty")
    if len(text) > MAX_QUOTE:
        raise NarrativeError(f"quote of {what}: {len(text)} characters; a quote holds at most {MAX_QUOTE}")
    return text


# -- what a pack prints beside its figures ---------------------------------------------------------
@dataclass
class Narrative:
    """The words, quotes and "You said, we did" of one pack."""
    words: Words
    quotes: list[Quote] = field(default_factory=list)
    you_said: list[dict] = field(default_factory=list)


def gather(ws: Workspace, period: str, filters: analytics.Filters) -> Narrative:
    """Everything the pack of ``period`` prints that is not a figure of ``data.gather``."""
    return Narrative(load_words(ws, period), quotes(ws, period), you_said.you_said_we_did(ws, filters))
