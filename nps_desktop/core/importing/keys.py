"""Which imported rows are the same response: the rule that never merges two respondents.

Two rows are one response only when an id says so: the survey tool's response id (Qualtrics' ResponseId,
SurveyMonkey's Respondent ID, Typeform's token …) or a column the user maps as the response id. Rows
without an id are never merged with one another: each gets a fingerprint of its raw cells and of its
occurrence number among identical rows of its file, so that importing the same file again, or a longer
export of the same survey, adds only the rows that are new, and two respondents who gave the same
answers at the same time stay two.

A file that no known tool wrote (``generic``) numbers its rows its own way: its ids are scoped to its
layout (its column names), so that two data sets that both number their rows 1, 2, 3 … stay apart.
"""
from __future__ import annotations

import hashlib
from typing import Any

from .values import parse_text


class RowKeys:
    """``content_key`` of each imported response row (None where the tool's own id decides)."""

    def __init__(self, columns: list[str], scoped_ids: bool):
        self.layout = hashlib.sha1("\x1e".join(columns).encode("utf-8")).hexdigest()
        self.scoped_ids = scoped_ids
        self.occurrences: dict[bytes, int] = {}

    def __call__(self, cells: list[Any], source_id: str | None) -> str | None:
        if source_id is not None:
            if not self.scoped_ids:
                return None
            return hashlib.sha1(f"{self.layout}\x1fid\x1f{source_id}".encode("utf-8")).hexdigest()
        raw = "\x1f".join(parse_text(c) if c is not None else "" for c in cells)
        digest = hashlib.sha1(f"{self.layout}\x1f{raw}".encode("utf-8")).digest()
        n = self.occurrences.get(digest, 0) + 1
        self.occurrences[digest] = n
        return hashlib.sha1(digest + str(n).encode()).hexdigest()
