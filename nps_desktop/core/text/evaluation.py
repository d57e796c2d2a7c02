"""Measuring the analyser against hand-labelled comments: per-theme precision and recall, macro-F1,
and the accuracy of the sentiment's sign.

A labelled file is a CSV with at least ``comment``, ``themes`` (names separated by ``;``) and
``sentiment`` (−1, 0 or 1); an optional ``split`` column separates the rows used to tune the
dictionary from the held-out rows that measure it (``tests/data/comments_labelled.csv``).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .analyzer import Analyzer
from .sentiment import sign


@dataclass(frozen=True)
class Labelled:
    id: str
    split: str
    comment: str
    themes: frozenset[str]
    sentiment: int


@dataclass(frozen=True)
class ThemeScore:
    name: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """F1; None when the theme is neither labelled nor predicted (it does not enter the mean)."""
        if not self.tp + self.fp + self.fn:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


@dataclass(frozen=True)
class Evaluation:
    rows: int
    themes: list[ThemeScore]
    sign_correct: int
    errors: list[tuple[Labelled, frozenset[str], int]]   # (row, predicted themes, predicted sign)

    @property
    def macro_f1(self) -> float:
        scores = [t.f1 for t in self.themes if t.f1 is not None]
        return sum(scores) / len(scores) if scores else 0.0

    @property
    def sign_accuracy(self) -> float:
        return self.sign_correct / self.rows if self.rows else 0.0


def load_labelled(path: Path, split: str | None = None) -> list[Labelled]:
    """The rows of a labelled CSV, optionally only those of one ``split``."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = []
        for i, r in enumerate(csv.DictReader(fh), start=2):
            try:
                item = Labelled(r.get("id") or str(i), r.get("split") or "", r["comment"] or "",
                                frozenset(t for t in (r["themes"] or "").split(";") if t),
                                int(r["sentiment"]))
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{path}: row {i}: needs comment, themes and sentiment -1/0/1 ({exc})") from None
            if split is None or item.split == split:
                rows.append(item)
    return rows


def evaluate(analyzer: Analyzer, rows: list[Labelled]) -> Evaluation:
    """Compare the analyser's themes and sentiment sign with the labels."""
    counts = {name: [0, 0, 0] for name in analyzer.names}
    correct = 0
    errors = []
    for row in rows:
        result = analyzer.analyze(row.comment)
        predicted = frozenset(result.names)
        predicted_sign = sign(result.sentiment)
        for name in predicted | row.themes:
            c = counts.setdefault(name, [0, 0, 0])
            if name in predicted and name in row.themes:
                c[0] += 1
            elif name in predicted:
                c[1] += 1
            else:
                c[2] += 1
        correct += predicted_sign == row.sentiment
        if predicted != row.themes or predicted_sign != row.sentiment:
            errors.append((row, predicted, predicted_sign))
    return Evaluation(len(rows), [ThemeScore(n, *c) for n, c in counts.items()], correct, errors)
