"""How counts and times are said to people: "1 contact", "2,014 invitations" (never "invitation(s)"),
"2026-11-23 11:00"."""
from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` with ``word``, or with ``many`` (default ``word + "s"``) unless ``n`` is 1."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def minute(at: str) -> str:
    """An ISO date and time to the minute, as people read it: ``2026-11-23T11:00:05`` → ``2026-11-23 11:00``."""
    return at[:16].replace("T", " ")
