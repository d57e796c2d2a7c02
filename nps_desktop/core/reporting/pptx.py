"""The pack as PowerPoint slides: one slide per section of the PDF, in the order and with the words saved
for the quarter, charts as native charts (their data editable in PowerPoint), the method in the speaker
notes. The figures are the ``PackData`` the PDF prints, so both carry the same numbers.
"""
from __future__ import annotations

import io
import os
import re
from datetime import date
from pathlib import Path
from typing import Callable

from pptx import Presentation
from pptx.util import Inches

from .. import clock
from ..worth import value as worth_value
from . import formats as f
from . import narrative, richtext, slide_kit as k, story_pages, summary
from .data import PackData, ReportCancelled
from .pack import SECTIONS, PackResult, definitions, methodology, scope_text, write_atomically
from .text import truncate

CATEGORY_COLOURS = {"promoter": k.rgb("#16a34a"), "passive": k.rgb("#f59e0b"), "detractor": k.rgb("#dc2626"),
                    "unscored": k.rgb("#9ca3af")}
GOAL_COLOUR = k.rgb("#7c3aed")
HALF = (k.BODY_W - Inches(0.4)) // 2


class _Slides:
    def __init__(self, data: PackData, words: narrative.Narrative, deck: k.Deck, today: date):
        self.d, self.words, self.deck, self.today = data, words, deck, today
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = k.SLIDE_W, k.SLIDE_H
        self.titles: list[str] = []

    def new(self, title: str, method: str, subtitle: str | None = None):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])   # blank
        k.title_bar(slide, self.deck, title, self.d.period_label if subtitle is None else subtitle)
        k.notes(slide, method)
        self.titles.append(title)
        return slide

    def unavailable(self, slide, key: str) -> None:
        reason = self.d.missing.get(key, "not available yet")
        k.text_box(slide, [reason[:1].upper() + reason[1:] + "."], k.MARGIN, k.BODY_TOP, k.BODY_W, Inches(1))

    # -- slides ------------------------------------------------------------------------------------
    def cover(self) -> None:
        d = self.d
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])
        band = slide.shapes.add_shape(1, 0, 0, k.SLIDE_W, int(k.SLIDE_H * 0.62))
        band.fill.solid()
        band.fill.fore_color.rgb = self.deck.brand
        band.line.fill.background()
        if self.deck.logo:
            k.logo_card(slide, self.deck.logo, k.SLIDE_W - k.MARGIN, Inches(0.45), Inches(0.9))
        box = slide.shapes.add_textbox(k.MARGIN, Inches(1.6), k.BODY_W, Inches(2.8)).text_frame
        box.word_wrap = True
        k.add_run(box.paragraphs[0], truncate(d.company or "Net Promoter Score programme", 70), 22, bold=True,
                  colour=k.rgb("#bcd0f0"))
        k.add_run(box.add_paragraph(), "Quarterly executive review", 40, bold=True, colour=k.WHITE)
        k.add_run(box.add_paragraph(), f"Net Promoter Score · {d.period_label} · {f.day(d.start)} – "
                  f"{f.day(d.end)}" + (f" · segment {truncate(d.segment, 40)}" if d.segment else ""), 18,
                  colour=k.rgb("#dbe6fb"))
        k.text_box(slide, [summary.headline(d)], k.MARGIN, int(k.SLIDE_H * 0.62) + Inches(0.35), k.BODY_W,
                   Inches(1.3), sizes=(22, 20, 18, 16))
        k.text_box(slide, [f"Prepared {f.day(self.today)} · confidential: for the executive team and the board"],
                   k.MARGIN, k.SLIDE_H - Inches(0.9), k.BODY_W, Inches(0.5), sizes=(12,))
        k.notes(slide, f"{scope_text(d)} Figures as of {f.day(self.today)}.")
        self.titles.append("Cover")

    def summary(self) -> None:
        d, s = self.d, self.d.stats
        slide = self.new("Executive summary", _method(d, 0, 1, 2, 3))
        c, small = d.change, s["small_sample"]
        if c is None:
            change = ("Change", f.DASH, f"no responses in {d.previous_label}")
        elif not c["reliable"]:
            change = (f"Change vs {d.previous_label}", f.SMALL,
                      f"needs {d.min_responses} responses in each quarter")
        else:
            change = (f"Change vs {d.previous_label}", f.delta(c["delta"]),
                      "significant at 95%" if c["significant"] else "within the margin of error")
        n = f"n = {f.count(s['responses'])}"
        items = [("NPS", f.SMALL if small else f.nps(s["nps"]),
                  f"{n} of {d.min_responses} needed" if small else f"{f.margin(s['margin95'])} (95%), {n}"),
                 change, ("Responses", f.count(s["responses"]), f"{f.pct(s['mapped_share'])} mapped to accounts"),
                 ("ARR-weighted NPS", f.SMALL if small else f.nps(s["arr_weighted_nps"]), "accounts weighted by ARR")]
        if d.goal:
            items.append(("Goal", f"{d.goal['goal']:g}", f.SMALL if small else "met" if d.goal["met"]
                          else f"{f.points(d.goal['gap'])} points to go"))
        k.tiles(slide, self.deck, items, k.BODY_TOP)
        top = k.BODY_TOP + Inches(1.7)
        k.rich_box(slide, richtext.parse(story_pages.summary_html(self)), k.MARGIN, top,
                   int(k.BODY_W * 0.62), k.SLIDE_H - top - Inches(0.4))
        k.bar_chart(slide, ["Promoters (9–10)", "Passives (7–8)", "Detractors (0–6)"],
                    {"Responses": [s["promoters"], s["passives"], s["detractors"]]},
                    k.MARGIN + int(k.BODY_W * 0.64), top, int(k.BODY_W * 0.36), k.SLIDE_H - top - Inches(0.4),
                    [CATEGORY_COLOURS[c] for c in ("promoter", "passive", "detractor")], horizontal=True,
                    title=f"Responses by category (n = {f.count(s['responses'])})")

    @property
    def narrative(self) -> narrative.Narrative:   # what story_pages reads the saved words from
        return self.words

    def trend(self) -> None:
        d = self.d
        slide = self.new("NPS over eight quarters", _method(d, 0, 1, 2) + " n is the number of responses; a "
                         f"quarter with fewer than {d.min_responses} has no point on the line.")
        cats = [f"{t['period'].replace('Q', ' Q')} (n={t['responses']})" for t in d.trend]
        series = {"NPS": [None if t["small_sample"] else t["nps"] for t in d.trend]}
        if d.goal:
            series["Goal"] = [d.goal["goal"]] * len(d.trend)
        height = k.BODY_H
        k.line_chart(slide, cats, series, k.MARGIN, k.BODY_TOP, int(k.BODY_W * 0.6), height,
                     [self.deck.brand, GOAL_COLOUR], title="NPS by quarter")
        k.bar_chart(slide, [str(i) for i in range(11)], {"Responses": d.distribution},
                    k.MARGIN + int(k.BODY_W * 0.62), k.BODY_TOP, int(k.BODY_W * 0.38), height,
                    [CATEGORY_COLOURS["detractor"]] * 7 + [CATEGORY_COLOURS["passive"]] * 2
                    + [CATEGORY_COLOURS["promoter"]] * 2,
                    title=f"Scores in {d.period_label} (n = {f.count(d.stats['responses'])})")

    def segments(self) -> None:
        d = self.d
        slide = self.new("Segments", _method(d, 1, 2, 3) + f" Segments with fewer than {d.min_responses} "
                         "responses are marked “n too small” and left out of the chart: their NPS can swing widely.")
        rows = d.segments["region"]
        usable = [r for r in rows if r["nps"] is not None and not r["small_sample"]][:8]
        k.bar_chart(slide, [f"{r['label']} (n={r['responses']})" for r in usable],
                    {"NPS": [r["nps"] for r in usable]}, k.MARGIN, k.BODY_TOP, HALF, k.BODY_H,
                    [self.deck.brand], horizontal=True, title="NPS by region")
        body = []
        for r in rows[:9]:
            c = r["change"]
            if r["small_sample"]:
                body.append([r["label"], f.count(r["responses"]), f.SMALL, f.DASH, f.DASH, f.SMALL])
                continue
            if c is not None and not c["reliable"]:
                verdict, c = f.SMALL, None
            else:
                verdict = f.DASH if c is None else "significant" if c["significant"] else "within margin"
            body.append([r["label"], f.count(r["responses"]), f.nps1(r["nps"]), f.margin(r["margin95"]),
                         f.delta(c["delta"]) if c else f.DASH, verdict])
        k.table(slide, ["Region", "n", "NPS", "Margin", "Change", "Verdict"], body,
                k.MARGIN + HALF + Inches(0.4), k.BODY_TOP, HALF, (2.2, 0.8, 0.8, 0.9, 0.9, 1.4), {1, 2, 3, 4})

    def revenue(self) -> None:
        d, r = self.d, self.d.revenue
        slide = self.new("Revenue by NPS category", "Revenue events dated in the quarter, each attributed to "
                         "its account's NPS category over the 365 days before the event; accounts with no "
                         "response then are unscored. Rates show their Wilson 95% interval and n; over fewer "
                         f"than {d.min_accounts} accounts they read “n too small”. NRR: net revenue retention "
                         "of the category's accounts.")
        if r is None:
            return self.unavailable(slide, "revenue")
        cats = [c for c in r["categories"] if c["accounts"]]
        if not any(c["events"] for c in r["categories"]):
            k.text_box(slide, [f"No revenue events are recorded in {d.period_label}. Import renewals, churn and "
                               "expansion from your CRM to see them here."], k.MARGIN, k.BODY_TOP, k.BODY_W,
                       Inches(1))
            return
        cur = d.currency
        k.table(slide, ["Category", "Accounts", "Renewal rate", "Churned ARR", "Expansion ARR", "NRR"],
                [[c["category"].capitalize(), f.count(c["accounts"]), f.interval(c["renewal"]),
                  f.money(c["churned_arr"], cur), f.money(c["expansion_arr"], cur),
                  f.SMALL if c["nrr_small_sample"] and c["nrr"] is not None else f.pct(c["nrr"])] for c in cats],
                k.MARGIN, k.BODY_TOP, k.BODY_W, (1.4, 1, 1.9, 1.1, 1.2, 0.9), {1, 2, 3, 4, 5}, size=13)
        rated = [c for c in cats if c["renewal_rate"] is not None and not c["renewal"]["small_sample"]]
        if rated:
            top = k.BODY_TOP + Inches(0.45) * (len(cats) + 1) + Inches(0.3)
            k.bar_chart(slide, [f"{c['category'].capitalize()} (n={c['renewal']['n']})" for c in rated],
                        {"Renewal rate": [c["renewal_rate"] for c in rated]}, k.MARGIN, top, k.BODY_W,
                        k.SLIDE_H - top - Inches(0.4), [CATEGORY_COLOURS.get(c["category"], self.deck.brand)
                                                        for c in rated], number_format="0%",
                        title="Renewal rate by category")

    def worth(self) -> None:
        w, cur = self.d.worth, self.d.currency
        slide = self.new("What NPS is worth", "From the workspace's own history: each past quarter with a full "
                         "year after it, every account with ARR and an NPS category counts once. A move's worth is "
                         "the difference in the net change of ARR between two categories, times the average ARR; "
                         "the interval holds 90% of resamples, and a move whose interval crosses zero may be "
                         "nothing. The risk list's backtest fits on earlier quarters only.")
        if w is None:
            return self.unavailable(slide, "worth")
        v, r = w["value"], w["risk"]
        k.text_box(slide, [worth_value.sentence(v), r.backtest.summary], k.MARGIN, k.BODY_TOP, HALF,
                   Inches(1.6), sizes=(14, 12, 11, 10))
        if v.available:
            k.table(slide, ["Move of one account", "Worth a year", "90% interval"],
                    [[f"{m.from_category.capitalize()} to {m.to_category}", f.money(m.value, cur),
                      f"{f.money(m.low, cur)} to {f.money(m.high, cur)}"
                      + (" (may be nothing)" if m.covers_zero else "")] for m in v.moves],
                    k.MARGIN, k.BODY_TOP + Inches(1.8), HALF, (1.6, 1, 1.9), {1}, size=12)
        rows = [[a.name, f.money(a.arr, cur), f.DASH if a.risk is None else f.pct(a.risk)]
                for a in r.accounts[:8]]
        if rows:
            k.table(slide, ["Account at risk" if r.model_shown else "Detractor account renewing soon", "ARR",
                            "Risk"], rows, k.MARGIN + HALF + Inches(0.4), k.BODY_TOP, HALF, (2.6, 1, 0.8), {1, 2},
                    size=12)

    def themes(self) -> None:
        t = self.d.themes
        slide = self.new("What drives detractors and promoters", "Share: the theme's share of that category's "
                         "comments. Impact: NPS without the theme minus the overall NPS (positive: the theme "
                         "pulls NPS down).")
        if t is None:
            return self.unavailable(slide, "themes")
        for i, (category, title) in enumerate((("detractor", "Detractor comments"), ("promoter", "Promoter comments"))):
            ranked = sorted((x for x in t["themes"] if x[f"{category}_share"]),
                            key=lambda x: -x[f"{category}_share"])[:6]
            left = k.MARGIN + i * (HALF + Inches(0.4))
            if not ranked:
                k.text_box(slide, [f"No {category} comment mentions a theme."], left, k.BODY_TOP, HALF, Inches(1))
                continue
            n = t["comments_by_category"].get(category, 0) if isinstance(t.get("comments_by_category"), dict) else 0
            k.bar_chart(slide, [x["label"] for x in ranked], {"Share": [x[f"{category}_share"] for x in ranked]},
                        left, k.BODY_TOP, HALF, k.BODY_H, [CATEGORY_COLOURS[category]], number_format="0%",
                        horizontal=True, title=f"{title} (n = {f.count(n)})")

    def quotes(self) -> None:
        chosen = self.words.quotes[:4]
        slide = self.new("In their words", "Comments chosen by the team for the board, with the score given and "
                         "the comment's theme. Names are shown only where the team chose to; typing errors may "
                         "be corrected, the original is kept in the workspace.")
        if not chosen:
            k.text_box(slide, ["No quotes are chosen for this quarter."], k.MARGIN, k.BODY_TOP, k.BODY_W, Inches(1))
            return
        cols = 2 if len(chosen) > 1 else 1
        rows = (len(chosen) + cols - 1) // cols
        gap = Inches(0.3)
        w, h = (k.BODY_W - gap * (cols - 1)) // cols, (k.BODY_H - gap * (rows - 1)) // rows
        for i, q in enumerate(chosen):
            left, top = k.MARGIN + (i % cols) * (w + gap), k.BODY_TOP + (i // cols) * (h + gap)
            card = slide.shapes.add_shape(1, left, top, w, h)
            card.fill.solid()
            card.fill.fore_color.rgb = k.TILE
            card.line.fill.background()
            k.text_box(slide, ["“" + q.text + "”"], left + Inches(0.15), top + Inches(0.1), w - Inches(0.3),
                       h - Inches(0.85), sizes=(28, 24, 20, 18, 16, 14, 12, 11))
            k.text_box(slide, [f"Score {q.score} · {q.theme_label or 'no theme'}", q.attribution()],
                       left + Inches(0.15), top + h - Inches(0.8), w - Inches(0.3), Inches(0.75), sizes=(12, 11, 10))

    def you_said(self) -> None:
        items = self.words.you_said
        slide = self.new("You said, we did", "Themes of the quarter's detractor comments, the close-the-loop "
                         "actions closed with an outcome on those comments, and what came of them. Score change: "
                         "the mean change from the detractor's score to their next answer, shown from "
                         f"{story_pages.MIN_FOLLOWUPS} answers on.")
        if not items:
            k.text_box(slide, ["No close-the-loop action on a detractor comment of this quarter is closed with an "
                               "outcome yet."], k.MARGIN, k.BODY_TOP, k.BODY_W, Inches(1))
            return
        rows = [[f"{t['label']} ({t['detractors']} detractors): “{t['quotes'][0]['text']}”" if t["quotes"]
                 else t["label"],
                 f"{t['actions']} closed: " + ", ".join(f"{story_pages.OUTCOME_TEXT.get(o, o).lower()} {n}"
                                                       for o, n in t["outcomes"].items()),
                 "; ".join(story_pages.result_lines(t))] for t in items]
        k.table(slide, ["You said", "We did", "Result"], rows, k.MARGIN, k.BODY_TOP, k.BODY_W, (3.4, 1.8, 2),
                size=13, max_chars=[150, 90, 110])

    def at_risk(self) -> None:
        r = self.d.at_risk
        slide = self.new("Top accounts at risk by ARR", "Active accounts renewing within the horizon that are "
                         "detractor accounts over the year before, or whose NPS fell sharply between their last "
                         "two surveyed quarters; largest ARR first.")
        if r is None:
            return self.unavailable(slide, "at_risk")
        cur = self.d.currency
        rows = [[a["name"], a["owner"] or f.DASH, f.money(a["arr"], cur), f.day(a["renewal_date"]), f.nps1(a["nps"])]
                for a in r["accounts"][:8]]
        if not rows:
            k.text_box(slide, ["No account meets these conditions."], k.MARGIN, k.BODY_TOP, k.BODY_W, Inches(1))
            return
        k.table(slide, ["Account", "Owner", "ARR", "Renewal", "NPS"], rows, k.MARGIN, k.BODY_TOP, k.BODY_W,
                (3, 1.6, 1, 1.3, 0.8), {2, 4}, size=13)
        k.text_box(slide, [f"{f.count(r['count'])} accounts hold {f.money(r['arr'], cur)} of ARR at risk"
                           + (f"; the {len(rows)} largest are shown." if r["count"] > len(rows) else ".")],
                   k.MARGIN, k.SLIDE_H - Inches(0.9), k.BODY_W, Inches(0.5), sizes=(12,))

    def loop(self) -> None:
        m = self.d.loop
        slide = self.new("Closing the loop", "Follow-up actions on the quarter's responses. SLA: detractors "
                         "contacted by the due date. Save rate: detractors with a later score of 7 or more, or a "
                         "renewal, among those with an outcome. Days are medians from the response.")
        if m is None:
            return self.unavailable(slide, "loop")
        k.tiles(slide, self.deck, [
            ("Contacted within SLA", f.pct(m["sla_share"]), f"{m['sla_met']} of {m['sla_actions']} due"),
            ("Median first touch", f.DASH if m["median_first_touch_days"] is None
             else f"{m['median_first_touch_days']:.1f} d", f"{m['touched']} actions touched"),
            ("Save rate", f.pct(m["save_rate"]), f"{m['saved']} of {m['saves_resolved']} with an outcome"),
            ("Advocacy yield", f.pct(m["reference_yield"]), f"{m['references']} of {m['advocacy_done']} asks")],
            k.BODY_TOP)
        names = m.get("play_names", {})
        rows = [[names.get(p, p.replace("_", " ").capitalize()), f.count(x["actions"]), f.count(x["touched"]),
                 f.count(x["done"])] for p, x in list(m["by_play"].items())[:7]]
        if rows:
            k.table(slide, ["Play", "Actions", "Touched", "Done"], rows, k.MARGIN, k.BODY_TOP + Inches(1.8),
                    k.BODY_W, (3, 1, 1, 1), {1, 2, 3}, size=13)

    def goal(self) -> None:
        d, g = self.d, self.d.goal
        slide = self.new("Progress against the NPS goal", "The gap is the goal minus the quarter's NPS; the "
                         "distance covered is measured from the first quarter of the eight-quarter trend.")
        if g is None:
            k.text_box(slide, ["No NPS goal is set. Set one in Settings to track progress here."], k.MARGIN,
                       k.BODY_TOP, k.BODY_W, Inches(1))
            return
        k.tiles(slide, self.deck, [("Goal", f"{g['goal']:g}", f"by {f.day(g['goal_date'])}" if g.get("goal_date")
                                    else "no date set"),
                                   ("NPS now", f.nps(g["nps"]), f"n = {f.count(d.stats['responses'])}"),
                                   ("To go", "met" if g["met"] else f.points(g["gap"]), "points")], k.BODY_TOP)
        k.text_box(slide, [summary.goal(d) or ""], k.MARGIN, k.BODY_TOP + Inches(1.8), k.BODY_W, Inches(1.2))

    def next_quarter(self) -> None:
        slide = self.new("What we will do next quarter", "Written by the team for the board and kept with the "
                         "quarter in the workspace, so a pack rebuilt later says the same.")
        blocks = richtext.parse(self.words.words.next_quarter) or [richtext.Block(
            richtext.PARAGRAPH, [richtext.Run("Nothing is written for next quarter yet.")])]
        k.rich_box(slide, blocks, k.MARGIN, k.BODY_TOP, k.BODY_W, k.BODY_H, sizes=(22, 20, 18, 16, 14, 12))

    def appendix(self) -> None:
        d, c = self.d, self.d.coverage
        slide = self.new("Appendix: methodology and data coverage", "\n\n".join(
            [_plain(t) for t in methodology(d)] + [f"{t}: {m}" for t, m in definitions(d)]))
        k.text_box(slide, [_plain(t) for t in methodology(d)[:3]] + ["Scope: " + scope_text(d)], k.MARGIN,
                   k.BODY_TOP, HALF, k.BODY_H, sizes=(14, 12, 11, 10))
        k.table(slide, ["Data coverage", "Value"], [
            ["Responses in scope", f.count(c["responses"])],
            ["Mapped to an account", f"{f.count(c['mapped'])} ({f.pct(c['mapped_share'], 1)})"],
            ["With a comment", f.count(c["with_comment"])],
            ["With a corrected score", f.count(c["corrected"])],
            ["Accounts with responses", f.count(c["accounts"])],
            ["Accounts without ARR", f.count(c["accounts_without_arr"])]],
            k.MARGIN + HALF + Inches(0.4), k.BODY_TOP, HALF, (3, 1.4), {1}, size=13)


SLIDES: dict[str, Callable[[_Slides], None]] = {key: getattr(_Slides, key) for key in SECTIONS
                                                if callable(getattr(_Slides, key, None))}


def _plain(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup)


def _method(d: PackData, *which: int) -> str:
    """The pack's methodology paragraphs ``which`` (indices into ``pack.methodology``) as plain text."""
    paragraphs = methodology(d)
    return " ".join(_plain(paragraphs[i]) for i in which)


def render_pptx(data: PackData, out: str | os.PathLike[str], *, page_size: str = "A4", logo: bytes | None = None,
                today: date | None = None, progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None, words: narrative.Narrative | None = None,
                brand: str | None = None) -> PackResult:
    """Write the slides of ``data`` to ``out`` (atomically): a cover, then a slide per section switched on,
    in the saved order. ``page_size`` is accepted for symmetry with the PDF; slides are 16:9."""
    out = Path(out)
    progress = progress or (lambda done, total: None)
    cancelled = cancelled or (lambda: False)
    words = words or narrative.Narrative(narrative.Words(data.period))
    deck = _Slides(data, words, k.Deck(k.rgb(brand or "#0f2747"), logo), today or clock.today())
    keys = [key for key in words.words.enabled(list(SECTIONS)) if key in SLIDES]
    deck.cover()
    for i, key in enumerate(keys, start=1):
        if cancelled():
            raise ReportCancelled("report cancelled")
        SLIDES[key](deck)
        progress(i, len(keys) + 1)
    buffer = io.BytesIO()
    deck.prs.save(buffer)
    write_atomically(out, buffer.getvalue())
    progress(len(keys) + 1, len(keys) + 1)
    return PackResult(out, len(deck.prs.slides), data, deck.titles)
