"""Verbatims as the themes page shows them: the matched words highlighted."""
from __future__ import annotations

import html


from ....core.text import insight
from ... import theme as colors


HIGHLIGHT = "#fde68a"
POLARITY = {-1: "complaint", 0: "mention", 1: "praise"}


def highlight(text: str, spans) -> str:
    """``text`` as HTML with the ``(start, end)`` spans highlighted."""
    out, pos = [], 0
    for s, e in sorted(spans):
        if s < pos:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<span style='background-color:{HIGHLIGHT}; color:#111'><b>{html.escape(text[s:e])}</b></span>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def verbatim_html(items: list[insight.Verbatim], label: str) -> str:
    """The verbatims as HTML paragraphs, the theme's words highlighted."""
    if not items:
        return f"<p style='color:{colors.TEXT_MUTED}'>No comments mention {html.escape(label)} in this scope.</p>"
    return "".join(
        f"<p style='margin:0 0 10px 0'><span style='color:{colors.score_color(v.score)}'><b>{v.score}</b></span>"
        f" <span style='color:{colors.TEXT_MUTED}'>· {v.responded_on} · {html.escape(v.account or 'no account')}"
        f" · {POLARITY[v.polarity]}</span> · <a href='pack:{v.response_id}'>Add to pack</a>"
        f"<br>{highlight(v.comment, v.spans)}</p>" for v in items)
