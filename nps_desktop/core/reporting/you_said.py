""""You said, we did": for the themes detractors raised in a quarter, what they said, the close-the-loop
actions closed with an outcome on those comments, and the result (saves, the score of those who answered
again). The close-the-loop story a board asks for.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from .. import analytics
from ..privacy import scrub
from ..workspace import Workspace

#: Fewer re-surveyed detractors than this: the score change is withheld (too few to mean anything).
MIN_FOLLOWUPS = 5
TOP_THEMES = 4
QUOTES_PER_THEME = 2

_ROWS = """
SELECT rt.theme, coalesce(t.label, rt.theme) AS label, r.id AS response_id, r.score, r.comment,
       r.responded_at, c.first_name, c.last_name, x.id AS action_id, x.play, x.outcome,
       (SELECT n.score FROM responses n WHERE n.contact_id = r.contact_id AND r.contact_id IS NOT NULL
          AND n.responded_at > r.responded_at ORDER BY n.responded_at, n.id LIMIT 1) AS next_score
FROM responses r
JOIN response_themes rt ON rt.response_id = r.id
LEFT JOIN themes t ON t.name = rt.theme
LEFT JOIN contacts c ON c.id = r.contact_id
LEFT JOIN actions x ON x.response_id = r.id AND x.status = 'done' AND x.outcome IS NOT NULL
"""


def you_said_we_did(ws: Workspace, filters: analytics.Filters, top: int = TOP_THEMES) -> list[dict[str, Any]]:
    """Per theme of the quarter's detractor comments that has closed actions with an outcome (most
    actions first): ``said`` (detractor comments, quotes), ``did`` (actions by outcome) and the result."""
    _, cond, params = analytics.where(filters)
    cond = (cond + " AND" if cond else " WHERE") + " r.score <= 6 AND trim(coalesce(r.comment, '')) <> ''"
    rows = ws.conn.execute(_ROWS + cond + " ORDER BY r.responded_at DESC, r.id", params).fetchall()
    by_theme: dict[str, list] = {}
    for row in rows:
        by_theme.setdefault(row["theme"], []).append(row)
    out = []
    for theme, items in by_theme.items():
        acted = {r["action_id"]: r for r in items if r["action_id"] is not None}
        if not acted:
            continue
        responses = {r["response_id"]: r for r in items}
        quoted = sorted({r["response_id"]: r for r in acted.values()}.values(),
                        key=lambda r: r["responded_at"], reverse=True)[:QUOTES_PER_THEME]
        followed = {r["response_id"]: r for r in acted.values() if r["next_score"] is not None}
        change = None
        if len(followed) >= MIN_FOLLOWUPS:
            change = round(sum(r["next_score"] - r["score"] for r in followed.values()) / len(followed), 2)
        outcomes = Counter(r["outcome"] for r in acted.values())
        out.append({
            "theme": theme, "label": items[0]["label"], "detractors": len(responses),
            "quotes": [{"text": scrub(r["comment"], (r["first_name"], r["last_name"])), "score": r["score"]}
                       for r in quoted],
            "actions": len(acted), "outcomes": dict(sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0]))),
            "recovered": outcomes.get("recovered", 0), "followups": len(followed), "score_change": change,
            "now_promoters_or_passives": sum(r["next_score"] >= 7 for r in followed.values()),
        })
    out.sort(key=lambda t: (-t["actions"], -t["detractors"], t["label"]))
    return out[:top]
