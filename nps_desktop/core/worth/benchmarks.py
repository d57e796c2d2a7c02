"""Published NPS benchmarks by industry, bundled so they work offline. External figures: each one names
its source, year and address, and is shown as "external" wherever it appears. Benchmarks differ in who was
asked and how (relationship or transactional, decision makers or users); read them as a rough bearing,
never as a target by themselves.

Only figures found in public material are listed here, as published; add one only with its source.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Benchmark:
    key: str
    industry: str
    nps: float
    source: str
    year: str
    url: str

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "industry": self.industry, "nps": self.nps, "source": self.source,
                "year": self.year, "url": self.url, "external": True}

    @property
    def label(self) -> str:
        return f"{self.industry}: {self.nps:g} ({self.source}, {self.year})"


BENCHMARKS: dict[str, Benchmark] = {b.key: b for b in [
    Benchmark("b2b_saas", "B2B software (SaaS)", 36,
              "Churnward, \"What Is a Good NPS Score? SaaS Benchmarks\", compiling Retently, Userpilot, "
              "CustomerGauge and Survicate reports", "2024–2026",
              "https://churnward.com/blog/what-is-a-good-nps-score"),
    Benchmark("tech_vendors", "Technology vendors (IT decision makers, large North American firms)", 29.9,
              "Temkin Group, Tech Vendor NPS Benchmark", "2016",
              "https://prnewswire.com/news-releases/ibm-hpe-outsourcing-spss-and-vmware-are-most-likely-to-be-"
              "recommended-by-it-professionals-according-to-new-temkin-group-research-300327195.html"),
    Benchmark("b2b_services", "B2B service providers (U.S. and Canada)", 18,
              "ClearlyRated (Inavero), NPS Benchmarks for B2B Service Providers", "2018",
              "https://wf.clearlyrated.com/resources/2018-nps-benchmarks-b2b-service-providers"),
    Benchmark("hr_services", "HR services (U.S.)", 37, "ClearlyRated, HR Services NPS Benchmark", "2022",
              "https://www.clearlyrated.com/solutions/rpo/nps-for-rpos/"),
    Benchmark("rpo", "Recruitment process outsourcing (U.S.)", 53, "ClearlyRated, RPO NPS Benchmark", "2022",
              "https://www.clearlyrated.com/solutions/rpo/nps-for-rpos/"),
]}


def get(key: str | None) -> Benchmark | None:
    return BENCHMARKS.get(key) if key else None


def sentence(b: Benchmark, nps: float | None) -> str:
    """The pack's sentence, marked as external."""
    where = "" if nps is None else (f" Your NPS of {nps:+.0f} is {abs(nps - b.nps):.0f} points "
                                    f"{'above' if nps >= b.nps else 'below'} it.")
    industry = b.industry.lower() if b.industry[1:2].islower() else b.industry  # keep "B2B", "HR", "IT"
    return (f"External benchmark: the published NPS of {industry} "
            f"is {b.nps:g} ({b.source}, {b.year}).{where} Benchmarks ask different people in different ways; "
            "read this as a rough bearing.")
