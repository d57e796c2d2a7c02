"""The NPS maths of DESIGN.md, as pure functions: every number the app shows comes from here."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Literal

Category = Literal["promoter", "passive", "detractor"]
CATEGORIES: tuple[Category, ...] = ("promoter", "passive", "detractor")
#: The default minimum sample (Settings: ``min_responses``): below it a figure is "n too small".
MIN_RELIABLE_N = 30
Z95 = 1.96


def classify(score: int) -> Category:
    """0–6 detractor, 7–8 passive, 9–10 promoter."""
    if not 0 <= score <= 10 or int(score) != score:
        raise ValueError(f"an NPS score is a whole number from 0 to 10, not {score!r}")
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


@dataclass(frozen=True)
class NpsResult:
    """NPS of a set of responses, with its 95% margin of error."""
    responses: int
    promoters: int
    passives: int
    detractors: int

    @property
    def nps(self) -> float | None:
        if not self.responses:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.responses

    @property
    def margin95(self) -> float | None:
        return margin95(self.promoters, self.detractors, self.responses)

    @property
    def std_error(self) -> float | None:
        """Standard error of NPS, in NPS points."""
        m = self.margin95
        return None if m is None else m / Z95

    @property
    def small_sample(self) -> bool:
        return self.responses < MIN_RELIABLE_N

    def share(self, category: Category) -> float | None:
        if not self.responses:
            return None
        return {"promoter": self.promoters, "passive": self.passives,
                "detractor": self.detractors}[category] / self.responses

    def as_dict(self) -> dict:
        return {"responses": self.responses, "promoters": self.promoters, "passives": self.passives,
                "detractors": self.detractors, "nps": self.nps, "margin95": self.margin95}


def from_counts(promoters: int, passives: int, detractors: int) -> NpsResult:
    return NpsResult(promoters + passives + detractors, promoters, passives, detractors)


def from_scores(scores: Iterable[int]) -> NpsResult:
    counts = {"promoter": 0, "passive": 0, "detractor": 0}
    for s in scores:
        counts[classify(s)] += 1
    return from_counts(counts["promoter"], counts["passive"], counts["detractor"])


def margin95(promoters: int, detractors: int, n: int) -> float | None:
    """1.96 · 100 · sqrt((p + d − (p − d)²) / n); None when n < 2."""
    if n < 2:
        return None
    p, d = promoters / n, detractors / n
    variance = max(p + d - (p - d) ** 2, 0.0)
    return Z95 * 100.0 * math.sqrt(variance / n)


@dataclass(frozen=True)
class Change:
    """The change of NPS between two periods and whether it is significant at 95%."""
    delta: float
    threshold: float
    significant: bool


def change(before: NpsResult, after: NpsResult) -> Change | None:
    """|ΔNPS| > 1.96 · sqrt(se₁² + se₂²) is significant; None when either side cannot tell."""
    if before.nps is None or after.nps is None:
        return None
    delta = after.nps - before.nps
    if before.std_error is None or after.std_error is None:
        return Change(delta, math.inf, False)
    threshold = Z95 * math.sqrt(before.std_error ** 2 + after.std_error ** 2)
    return Change(delta, threshold, abs(delta) > threshold)


def wilson95(successes: int, n: int) -> tuple[float, float] | None:
    """The Wilson score 95% interval of a proportion ``successes / n`` (fractions); None when n is 0."""
    if n <= 0:
        return None
    p, z2 = successes / n, Z95 ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


@dataclass(frozen=True)
class AccountScore:
    """An account's rollup: the NPS of its contacts' latest responses and its category."""
    account_id: int
    result: NpsResult
    mean_score: float
    latest_score: int
    latest_on: str

    @property
    def nps(self) -> float | None:
        return self.result.nps

    @property
    def category(self) -> Category:
        return classify(round_half_up(self.mean_score))


def account_rollup(rows: Iterable[tuple[int, object, str, int]]) -> dict[int, AccountScore]:
    """Roll responses up to accounts.

    ``rows`` are ``(account_id, contact_key, responded_at, score)`` already limited to the window.
    Each contact's latest response counts once (ties on time: the later row wins); responses with no
    contact count each on their own (pass a unique key such as the response id for them).
    """
    latest: dict[tuple[int, object], tuple[str, int]] = {}
    for account_id, contact, at, score in rows:
        key = (account_id, contact)
        if key not in latest or at >= latest[key][0]:
            latest[key] = (at, score)
    per_account: dict[int, list[tuple[str, int]]] = {}
    for (account_id, _), value in latest.items():
        per_account.setdefault(account_id, []).append(value)
    out = {}
    for account_id, values in per_account.items():
        scores = [s for _, s in values]
        last_at, last_score = max(values)
        out[account_id] = AccountScore(account_id, from_scores(scores), sum(scores) / len(scores),
                                       last_score, last_at[:10])
    return out


WEIGHT = {"promoter": 1, "passive": 0, "detractor": -1}


def arr_weighted_nps(accounts: Iterable[tuple[float | None, Category | None]]) -> float | None:
    """100 · Σ ARR·(+1, 0, −1) / Σ ARR over accounts with a category and a positive ARR."""
    num = den = 0.0
    for arr, category in accounts:
        if category is None or not arr or arr <= 0:
            continue
        num += arr * WEIGHT[category]
        den += arr
    return None if den == 0 else 100.0 * num / den
