"""What the themes say about the score: the theme × category matrix, impact on NPS, trends, verbatims.

Definitions (the Themes page, the dashboard and ``themes --json`` all use these):

- a *comment* is a response in scope whose comment is not blank;
- a theme's *share of detractor (passive, promoter) comments* is the number of detractor responses
  tagged with it over the number of detractor responses with a comment;
- a theme's *NPS* is the NPS of the responses tagged with it;
- its *impact* is the NPS of the responses in scope **without** the theme minus the overall NPS: a
  positive impact means the theme pulls NPS down by that many points;
- an *at-risk passive* is a passive (7–8) whose comment is negative (sentiment ≤ −0.05) or complains
  about a theme.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import nps
from ..analytics import _COUNTS, Filters, fiscal_year_start, overall, resolve, where
from ..periods import sql_quarter
from ..workspace import Workspace
from .store import list_themes
from .tagging import analyzer_for

#: The themes of a response as ``export`` writes them: names separated by semicolons.
THEMES_SQL = ("(SELECT group_concat(theme, ';') FROM (SELECT theme FROM response_themes "
              "WHERE response_id = r.id ORDER BY theme))")
_HAS_COMMENT = "(r.comment IS NOT NULL AND trim(r.comment) <> '')"
_CATEGORY_SQL = {"promoter": "r.score >= 9", "passive": "r.score BETWEEN 7 AND 8", "detractor": "r.score <= 6"}
NEGATIVE = -0.05


def _scope(ws: Workspace, filters: Filters) -> tuple[str, str, list[Any]]:
    """``analytics.where`` for ``filters`` with a date preset resolved for today."""
    return where(resolve(ws, filters))


def _r(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(x, digits)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class ThemeStat:
    name: str
    label: str
    result: nps.NpsResult        # the responses tagged with the theme
    complaints: int
    praise: int
    shares: dict[str, float | None]  # category -> share of that category's comments
    impact: float | None

    @property
    def mentions(self) -> int:
        return self.result.responses

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "count": self.mentions,
                "promoters": self.result.promoters, "passives": self.result.passives,
                "detractors": self.result.detractors, "complaints": self.complaints, "praise": self.praise,
                "nps": _r(self.result.nps), "impact": _r(self.impact),
                "detractor_share": _r(self.shares["detractor"], 4),
                "passive_share": _r(self.shares["passive"], 4),
                "promoter_share": _r(self.shares["promoter"], 4)}


@dataclass(frozen=True)
class ThemeReport:
    overall: nps.NpsResult
    comments: dict[str, int]     # category -> responses with a comment
    themes: list[ThemeStat]      # every theme of the dictionary, most mentioned first

    def as_dict(self) -> dict[str, Any]:
        return {"responses": self.overall.responses, "nps": _r(self.overall.nps),
                "comments": sum(self.comments.values()),
                "comments_by_category": dict(self.comments),
                "themes": [t.as_dict() for t in self.themes]}


def _comment_counts(ws: Workspace, filters: Filters) -> dict[str, int]:
    joins, cond, params = _scope(ws, filters)
    cond = (cond + " AND " if cond else " WHERE ") + _HAS_COMMENT
    row = ws.conn.execute(f"SELECT {_COUNTS} FROM responses r{joins}{cond}", params).fetchone()
    return {"promoter": row[1], "passive": row[2], "detractor": row[3]}


def theme_report(ws: Workspace, filters: Filters = Filters()) -> ThemeReport:
    """Every theme with its mentions, NPS, impact and share of each category's comments."""
    total = overall(ws, filters)
    comments = _comment_counts(ws, filters)
    joins, cond, params = _scope(ws, filters)
    rows = ws.conn.execute(
        f"SELECT rt.theme, {_COUNTS}, coalesce(sum(rt.polarity < 0), 0), coalesce(sum(rt.polarity > 0), 0) "
        f"FROM response_themes rt JOIN responses r ON r.id = rt.response_id{joins}{cond} "
        f"GROUP BY rt.theme", params).fetchall()
    by_name = {row[0]: row for row in rows}
    labels = {t.name: t.label for t in list_themes(ws)}
    for name in by_name:
        labels.setdefault(name, name)
    stats = []
    for name, label in labels.items():
        row = by_name.get(name, (name, 0, 0, 0, 0, 0, 0))
        result = nps.NpsResult(row[1], row[2], row[3], row[4])
        without = nps.NpsResult(total.responses - result.responses, total.promoters - result.promoters,
                                total.passives - result.passives, total.detractors - result.detractors)
        impact = None if without.nps is None or total.nps is None else without.nps - total.nps
        shares = {"detractor": _share(result.detractors, comments["detractor"]),
                  "passive": _share(result.passives, comments["passive"]),
                  "promoter": _share(result.promoters, comments["promoter"])}
        stats.append(ThemeStat(name, label, result, row[5], row[6], shares, impact))
    stats.sort(key=lambda s: (-s.mentions, s.name))
    return ThemeReport(total, comments, stats)


def sentiment_summary(ws: Workspace, filters: Filters = Filters()) -> dict[str, Any]:
    """Comments in scope, how many carry a theme, their mean sentiment and how many lean each way."""
    joins, cond, params = _scope(ws, filters)
    cond = (cond + " AND " if cond else " WHERE ") + _HAS_COMMENT
    row = ws.conn.execute(
        f"SELECT count(*), avg(r.sentiment), coalesce(sum(r.sentiment <= {NEGATIVE}), 0), "
        f"coalesce(sum(r.sentiment >= {-NEGATIVE}), 0), "
        f"coalesce(sum(EXISTS (SELECT 1 FROM response_themes x WHERE x.response_id = r.id)), 0) "
        f"FROM responses r{joins}{cond}", params).fetchone()
    return {"comments": row[0], "mean": _r(row[1], 3), "negative": row[2], "positive": row[3],
            "tagged": row[4]}


def top_themes(report: ThemeReport, category: str = "detractor", n: int = 3) -> list[ThemeStat]:
    """The ``n`` themes that most of a category's comments mention (the dashboard's headline)."""
    stats = [s for s in report.themes if s.shares[category]]
    return sorted(stats, key=lambda s: (-(s.shares[category] or 0), s.name))[:n]


def theme_trend(ws: Workspace, filters: Filters = Filters(), period: str = "quarter",
                themes: list[str] | None = None) -> list[dict[str, Any]]:
    """Per period, oldest first: comments, and per theme its mentions, share of comments and NPS."""
    if period == "month":
        expr = "r.month"
    elif period == "quarter":
        expr = sql_quarter(fiscal_year_start(ws))
    else:
        raise ValueError(f"unknown period {period!r}: use month or quarter")
    joins, cond, params = _scope(ws, filters)
    ccond = (cond + " AND " if cond else " WHERE ") + _HAS_COMMENT
    comment_rows = ws.conn.execute(f"SELECT {expr} AS p, count(*) FROM responses r{joins}{ccond} "
                                   f"GROUP BY p ORDER BY p", params).fetchall()
    tcond, tparams = cond, list(params)
    if themes is not None:
        tcond = (cond + " AND " if cond else " WHERE ") + f"rt.theme IN ({','.join('?' * len(themes))})"
        tparams += list(themes)
    rows = ws.conn.execute(
        f"SELECT {expr} AS p, rt.theme, {_COUNTS} FROM response_themes rt "
        f"JOIN responses r ON r.id = rt.response_id{joins}{tcond} GROUP BY p, rt.theme", tparams).fetchall()
    out = {p: {"period": p, "comments": n, "themes": {}} for p, n in comment_rows}
    for p, theme, *counts in rows:
        entry = out.setdefault(p, {"period": p, "comments": 0, "themes": {}})
        result = nps.NpsResult(*counts)
        entry["themes"][theme] = {"mentions": result.responses,
                                  "share": _r(_share(result.responses, entry["comments"]), 4),
                                  "nps": _r(result.nps)}
    return [out[p] for p in sorted(out)]


@dataclass(frozen=True)
class Verbatim:
    response_id: int
    responded_on: str
    score: int
    comment: str
    polarity: int
    sentiment: float | None
    account: str | None
    spans: tuple[tuple[int, int], ...]   # where the theme's words are in ``comment``

    @property
    def category(self) -> str:
        return nps.classify(self.score)


def verbatims(ws: Workspace, theme: str, filters: Filters = Filters(), category: str | None = None,
              polarity: int | None = None, limit: int = 50, offset: int = 0) -> list[Verbatim]:
    """The comments tagged with ``theme``, newest first, with the matched words' spans."""
    joins, cond, params = _scope(ws, filters)
    extra = ["rt.theme = ?"]
    params = list(params) + [theme]
    if category:
        extra.append(_CATEGORY_SQL[category])
    if polarity is not None:
        extra.append("rt.polarity = ?")
        params.append(polarity)
    cond = (cond + " AND " if cond else " WHERE ") + " AND ".join(extra)
    rows = ws.conn.execute(
        f"SELECT r.id, r.responded_on, r.score, r.comment, rt.polarity, r.sentiment, "
        f"(SELECT name FROM accounts WHERE id = r.account_id) "
        f"FROM response_themes rt JOIN responses r ON r.id = rt.response_id{joins}{cond} "
        f"ORDER BY r.responded_at DESC, r.id DESC LIMIT ? OFFSET ?", params + [limit, offset]).fetchall()
    analyzer = analyzer_for(ws)
    out = []
    for rid, day, score, comment, pol, sent, account in rows:
        hit = analyzer.analyze(comment, spans=True).theme(theme)
        out.append(Verbatim(rid, day, score, comment or "", pol, sent, account, hit.spans if hit else ()))
    return out


@dataclass(frozen=True)
class AtRiskPassive:
    response_id: int
    responded_on: str
    score: int
    comment: str
    sentiment: float | None
    account: str | None
    complaints: tuple[str, ...]      # themes the comment complains about


def _at_risk_where(ws: Workspace, filters: Filters) -> tuple[str, str, list[Any]]:
    joins, cond, params = _scope(ws, filters)
    cond = (cond + " AND " if cond else " WHERE ") + (
        f"r.score BETWEEN 7 AND 8 AND (r.sentiment <= {NEGATIVE} OR EXISTS (SELECT 1 FROM response_themes "
        f"x WHERE x.response_id = r.id AND x.polarity < 0))")
    return joins, cond, params


def at_risk_passives(ws: Workspace, filters: Filters = Filters(), limit: int = 100,
                     offset: int = 0) -> list[AtRiskPassive]:
    """Passives with a negative comment, most negative first."""
    joins, cond, params = _at_risk_where(ws, filters)
    rows = ws.conn.execute(
        f"SELECT r.id, r.responded_on, r.score, r.comment, r.sentiment, "
        f"(SELECT name FROM accounts WHERE id = r.account_id), "
        f"(SELECT group_concat(theme, ';') FROM response_themes x WHERE x.response_id = r.id AND x.polarity < 0) "
        f"FROM responses r{joins}{cond} ORDER BY coalesce(r.sentiment, 0), r.responded_at DESC, r.id "
        f"LIMIT ? OFFSET ?", list(params) + [limit, offset]).fetchall()
    return [AtRiskPassive(r[0], r[1], r[2], r[3] or "", r[4], r[5],
                          tuple(sorted(r[6].split(";"))) if r[6] else ()) for r in rows]


def at_risk_count(ws: Workspace, filters: Filters = Filters()) -> int:
    joins, cond, params = _at_risk_where(ws, filters)
    return ws.conn.execute(f"SELECT count(*) FROM responses r{joins}{cond}", params).fetchone()[0]


def response_themes(ws: Workspace, response_ids: list[int]) -> dict[int, list[tuple[str, int, str]]]:
    """``{response id: [(theme, polarity, matched words), …]}`` for the given responses."""
    out: dict[int, list[tuple[str, int, str]]] = {rid: [] for rid in response_ids}
    for start in range(0, len(response_ids), 500):
        chunk = response_ids[start:start + 500]
        for rid, theme, pol, matched in ws.conn.execute(
                f"SELECT response_id, theme, polarity, matched FROM response_themes "
                f"WHERE response_id IN ({','.join('?' * len(chunk))}) ORDER BY response_id, theme", chunk):
            out[rid].append((theme, pol, matched or ""))
    return out
