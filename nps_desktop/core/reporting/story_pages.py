"""The PDF pages of the pack's own words: the summary as the VP wrote it, the chosen quotes, "You said,
we did" and "What we will do next quarter". Each builder takes the pack's story (``pack._Story``: its
styles, helpers, figures and ``narrative``) and returns flowables.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.lib.units import mm

from . import formats as f
from . import richtext, summary
from .you_said import MIN_FOLLOWUPS
from ..loop.actions import OUTCOME_LABELS as OUTCOME_TEXT

if TYPE_CHECKING:
    from .data import PackData
    from .narrative import Narrative
    from .pack import _Story


class Told(Protocol):
    """What the summary's words need: the figures and the saved words (the PDF's story, the slides)."""

    @property
    def d(self) -> PackData: ...

    @property
    def narrative(self) -> Narrative: ...


def words(story: "_Story", html: str | None) -> list[Flowable]:
    """Stored rich text as paragraphs and bullets (the user's text escaped)."""
    out: list[Flowable] = []
    for block in richtext.parse(html):
        text = richtext.paragraph_markup(block, story.fonts)
        if block.kind == richtext.BULLET:
            out.append(Paragraph(text, story.st["bullet"], bulletText="•"))
        else:
            out.append(Paragraph(text, story.st["body"]))
            out.append(Spacer(1, 2 * mm))
    return out


def summary_html(story: Told) -> str:
    """The summary's words: as saved for the quarter, else generated from the figures."""
    saved = story.narrative.words.summary
    return saved if saved is not None else richtext.from_sentences(summary.sentences(story.d))


def summary_words(story: "_Story") -> list[Flowable]:
    return words(story, summary_html(story))


def next_quarter(story: "_Story") -> list[Flowable]:
    out = story.h1("What we will do next quarter", new_page=False)
    text = story.narrative.words.next_quarter
    if not text:
        return out + [story.p("Nothing is written for next quarter yet. Write it in the pack editor on the "
                              "Reports page.", "lede")]
    return out + words(story, text)


def quotes(story: "_Story") -> list[Flowable]:
    chosen = story.narrative.quotes
    out = story.h1("In their words")
    if not chosen:
        return out + [story.p("No quotes are chosen for this quarter. Choose them with “Add to pack” on the "
                              "Responses and Themes pages.", "lede")]
    out.append(story.p(f"{len(chosen)} comment{'s' if len(chosen) != 1 else ''} of {story.d.period_label} chosen "
                       "for the board, with the score given and the comment's theme. Names are shown only "
                       "where the team chose to; typing errors may be corrected, the original is kept.", "lede"))
    rows = []
    for q in chosen:
        cell = [story.p("“" + story.u(q.text, 600) + "”", "body"),
                story.p(story.u(q.attribution() + " · " + f.day(q.responded_on), 160), "small")]
        rows.append([cell, f"<b>{q.score}</b>", story.u(q.theme_label or f.DASH, 40)])
    out.append(story.table(["Quote", "Score", "Theme"], rows, story.cols(5.4, 0.7, 1.4), numeric={1}))
    return out


def you_said(story: "_Story") -> list[Flowable]:
    items = story.narrative.you_said
    out = story.h1("You said, we did")
    out.append(story.p("Themes of the quarter's detractor comments, the close-the-loop actions closed with an "
                       "outcome on those comments, and what came of them. Score change: the mean change from "
                       "the detractor's score to their next answer, shown from "
                       f"{MIN_FOLLOWUPS} answers on.", "lede"))
    if not items:
        return out + [story.p("No close-the-loop action on a detractor comment of this quarter is closed with "
                              "an outcome yet.", "body")]
    rows = []
    for t in items:
        said = [story.p(f"<b>{story.u(t['label'], 60)}</b> · {f.count(t['detractors'])} detractor comments",
                        "cell")]
        said += [story.p("“" + story.u(q["text"], 260) + "”", "quote") for q in t["quotes"]]
        did = [story.p(f"{f.count(t['actions'])} action{'s' if t['actions'] != 1 else ''} closed", "cell")]
        did += [story.p(story.u(f"{OUTCOME_TEXT.get(k, k)}: {n}"), "small") for k, n in t["outcomes"].items()]
        rows.append([said, did, [story.p(story.u(line), "cell") for line in result_lines(t)]])
    out.append(story.table(["You said", "We did", "Result"], rows, story.cols(3.6, 1.6, 1.8)))
    return out


def result_lines(t: dict) -> list[str]:
    """The result of a theme's actions in words, each figure with its n."""
    lines = [f"{t['recovered']} of {t['actions']} recovered"]
    if t["score_change"] is not None:
        lines.append(f"Score change {f.delta(t['score_change'])} (n = {t['followups']})")
        lines.append(f"{t['now_promoters_or_passives']} of {t['followups']} now answer 7 or more")
    else:
        lines.append(f"{t['followups']} answered again: too few for a score change")
    return lines
