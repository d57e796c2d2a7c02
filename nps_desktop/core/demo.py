"""A seeded, realistic demo workspace: a B2B software company's NPS program over three years.

Each account has a latent health that drifts over time; its contacts' scores, its comments, its
renewals, churn and expansion all follow that health, the way real ones follow sentiment. The same
seed and ``as_of`` date always give the same workspace.
"""
from __future__ import annotations

import math
import os
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Callable

from . import demo_comments, nps
from .loop import actions as loop_actions
from .loop import engine
from .responses import insert_responses
from .text import tagging
from .workspace import Workspace, discard, open_workspace, replace_file
from . import clock

Progress = Callable[[int, int], None]

REGIONS = [("North America", 45), ("EMEA", 32), ("APAC", 15), ("LATAM", 8)]
INDUSTRIES = ["Software", "Financial Services", "Healthcare", "Retail", "Manufacturing", "Education",
              "Media", "Logistics"]
TIERS = [("Enterprise", 15, 120_000, 600_000), ("Mid-Market", 35, 30_000, 120_000),
         ("SMB", 50, 6_000, 30_000)]
OWNERS = ["Alex Morgan", "Priya Shah", "Jordan Lee", "Sam Carter", "Maria Lopez", "Chen Wei",
          "Fatima Zahra", "Tom Becker"]
ROLES = [("Executive Sponsor", 8), ("Admin", 18), ("Champion", 14), ("End User", 45), ("IT", 8),
         ("Finance", 7)]
PRODUCTS = [("Core Platform", 70), ("Analytics", 20), ("Integrations Hub", 10)]
#: Days of close-the-loop history (actions created by the plays, worked on by the team).
LOOP_HISTORY_DAYS = 183
_SAVE_OUTCOMES = [("recovered", 45), ("no_response", 30), ("churned", 8), ("upsell_opened", 4)]
_ASK_OUTCOMES = [("reference_secured", 30), ("review_posted", 20), ("no_response", 40), ("upsell_opened", 10)]
FIRST = ["Ana", "Ben", "Chloé", "David", "Emma", "Farid", "Grace", "Hiro", "Isabel", "Jonas", "Kemi",
         "Liam", "Mia", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera",
         "Wen", "Xavier", "Yara", "Zoë", "Lars", "Aisha", "Marco", "Nora"]
LAST = ["Andersen", "Brown", "Costa", "Dubois", "Evans", "Fischer", "García", "Huang", "Ivanova",
        "Jones", "Kowalski", "Lindqvist", "Müller", "Nakamura", "O'Brien", "Patel", "Quintero", "Rossi",
        "Smith", "Tanaka", "Urban", "Varga", "Williams", "Xu", "Yilmaz", "Zimmermann"]
NAME_A = ["Blue", "North", "Bright", "Iron", "Silver", "Green", "Swift", "Clear", "Summit", "Harbor",
          "Atlas", "Nova", "Pioneer", "Cedar", "Orbit", "Vertex", "Lumen", "Quartz", "Aurora", "Granite"]
NAME_B = ["Logistics", "Health", "Bank", "Retail", "Labs", "Systems", "Media", "Foods", "Energy",
          "Insurance", "Works", "Analytics", "Partners", "Capital", "Robotics", "Travel", "Learning"]
SUFFIX = ["", " Inc", " GmbH", " Ltd", " Group", " SA", " Co"]

#: Quarterly relational waves recorded as sent, the latest ones (the planner's Response rates tab).
SENT_WAVES = 4
SIZES = {"small": dict(accounts=300, contacts_per_account=5.6, rnps_rate=1.5, tnps_support=0.45),
         "large": dict(accounts=3000, contacts_per_account=26, rnps_rate=2.5, tnps_support=3.0)}


@dataclass
class _Account:
    id: int
    name: str
    domain: str
    arr: float
    seats: int
    tier: str
    region: str
    industry: str
    owner: str
    customer_since: date
    renewal: date
    health0: float
    slope: float
    status: str = "active"
    churned_on: date | None = None

    def health(self, d: date, as_of: date) -> float:
        years = (d - as_of).days / 365.0
        return self.health0 + self.slope * years


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _score(rng: random.Random, health: float) -> int:
    """A 0–10 score from a health value: healthy accounts mostly give 9–10, sick ones 0–6."""
    x = 7.7 + 1.9 * health + rng.gauss(0, 1.6)
    return max(0, min(10, round(x)))


def _quarter_starts(start: date, end: date):
    d = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    while d <= end:
        yield d
        d = date(d.year + (d.month + 2) // 12, (d.month + 2) % 12 + 1, 1)


def _business_day(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def build_demo(path: str | os.PathLike[str], *, seed: int = 7, size: str = "small",
               as_of: date | None = None, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> Path:
    """Build a demo workspace at ``path`` (replacing any file there) and return the path.

    It is written to a temporary file first and moved into place at the end, so a crash or a cancel
    leaves whatever was at ``path`` before untouched.
    """
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}: use small or large")
    path = Path(path)
    tmp = path.with_name(path.name + ".building")
    discard(tmp)
    ws = open_workspace(tmp)
    try:
        cancelled = cancelled or (lambda: False)
        _Builder(ws, random.Random(seed), SIZES[size], as_of or clock.today(),
                 progress or (lambda d, t: None), cancelled).build()
        if tagging.retag_all(ws, cancelled=cancelled).cancelled:  # themes and sentiment of every comment
            raise DemoCancelled("demo build cancelled")
        ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        ws.close()
        discard(tmp)
        raise
    ws.close()
    replace_file(tmp, path)  # keeps the old workspace whole (its WAL included) until the rename
    return path


class DemoCancelled(Exception):
    """The user cancelled the demo build; nothing was written."""


class _Builder:
    def __init__(self, ws: Workspace, rng: random.Random, cfg: dict, as_of: date,
                 progress: Progress, cancelled: Callable[[], bool]):
        self.ws, self.rng, self.cfg, self.as_of = ws, rng, cfg, as_of
        self.progress, self.cancelled = progress, cancelled
        self.start = date(as_of.year - 3, as_of.month, 1)
        self.accounts: list[_Account] = []
        self.contacts: list[tuple[int, int, str]] = []  # (contact id, account id, email)
        self.pool = {c: [demo_comments.comment(rng, c) for _ in range(4000)] for c in nps.CATEGORIES} \
            if cfg["accounts"] > 1000 else None

    def build(self) -> None:
        with self.ws.transaction() as conn:
            self._settings(conn)
            self._accounts(conn)
            self._revenue(conn)
            self._contacts(conn)
            self._responses(conn)
            self._waves(conn)
            self._actions(conn)

    # -- pieces ----------------------------------------------------------------------------------
    def _settings(self, conn) -> None:
        for key, value in {"company_name": '"Northwind Cloud (demo)"', "nps_goal": "40",
                           "demo": "true"}.items():
            conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value))
        conn.executemany(
            "INSERT INTO programs(name, kind, question, trigger, trigger_days) VALUES (?, ?, ?, ?, ?)",
            [("Quarterly relationship pulse", "rnps",
              "How likely are you to recommend Northwind Cloud to a friend or colleague?", "quarterly", None),
             ("Onboarding check-in", "tnps", "How likely are you to recommend us, after your onboarding?",
              "onboarding", 30),
             ("Support case closed", "tnps", "Based on your recent support case, how likely …",
              "support_case", 1),
             ("Pre-renewal pulse", "tnps", "How likely are you to recommend us?", "renewal", 60)])

    def _accounts(self, conn) -> None:
        rng, used = self.rng, set()
        for i in range(1, self.cfg["accounts"] + 1):
            while True:
                name = f"{rng.choice(NAME_A)} {rng.choice(NAME_B)}"
                if name not in used:
                    break
                name = f"{name} {rng.choice(['One', 'Global', 'Digital', 'Pro', 'Direct', str(i)])}"
                if name not in used:
                    break
            used.add(name)
            tier, _, lo, hi = rng.choices(TIERS, weights=[t[1] for t in TIERS])[0]
            arr = round(math.exp(rng.uniform(math.log(lo), math.log(hi))), -2)
            since = self.start - timedelta(days=rng.randint(0, 4 * 365)) if rng.random() < 0.7 else \
                self.start + timedelta(days=rng.randint(0, 3 * 365 - 60))
            renewal = date(self.as_of.year, since.month, min(since.day, 28))
            if renewal < self.as_of:
                renewal = date(renewal.year + 1, renewal.month, renewal.day)
            domain = name.lower().replace(" ", "") + rng.choice([".com", ".io", ".co", ".de", ".net"])
            self.accounts.append(_Account(
                i, name + rng.choice(SUFFIX), domain, arr, max(5, int(arr / rng.uniform(600, 1400))), tier,
                _weighted(rng, REGIONS), rng.choice(INDUSTRIES), rng.choice(OWNERS), since, renewal,
                rng.gauss(0.15, 0.9) + (0.25 if tier == "Enterprise" else 0), rng.gauss(0.12, 0.25)))

    def _contacts(self, conn) -> None:
        rng, cid, rows = self.rng, 0, []
        for a in self.accounts:
            for _ in range(max(1, int(rng.gauss(self.cfg["contacts_per_account"], 1.5)))):
                cid += 1
                first, last = rng.choice(FIRST), rng.choice(LAST)
                local = f"{first}.{last}".lower().replace("'", "").replace("é", "e").replace("ë", "e") \
                    .replace("ü", "u").replace("í", "i")
                email = f"{local}.{cid}@{a.domain}"
                rows.append((cid, email, first, last, _weighted(rng, ROLES), a.id,
                             int(rng.random() < 0.03), int(rng.random() < 0.02)))
                self.contacts.append((cid, a.id, email))
        conn.executemany("INSERT INTO contacts(id, email, first_name, last_name, role, account_id, "
                         "opted_out, bounced) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _revenue(self, conn) -> None:
        """Renewals, churn and expansion year by year, driven by each account's health."""
        rng, rows = self.rng, []
        for a in self.accounts:
            arr = a.arr
            if a.customer_since >= self.start:
                rows.append((a.id, "new", a.customer_since.isoformat(), 0.0, arr, "new logo"))
            anniversary = date(self.start.year, a.customer_since.month, min(a.customer_since.day, 28))
            while anniversary < self.as_of:
                if anniversary > a.customer_since + timedelta(days=300) and anniversary >= self.start:
                    h = a.health(anniversary, self.as_of)
                    if rng.random() < 1 / (1 + math.exp(2.6 + 2.0 * h)):
                        rows.append((a.id, "churn", anniversary.isoformat(), arr, -arr, "did not renew"))
                        a.status, a.churned_on, arr = "churned", anniversary, 0.0
                        break
                    rows.append((a.id, "renewal", anniversary.isoformat(), arr, 0.0, "renewed"))
                    if rng.random() < 1 / (1 + math.exp(2.2 - 1.6 * h)):
                        kind = rng.choice(["upsell", "upsell", "cross_sell"])
                        change = round(arr * rng.uniform(0.1, 0.45), -2)
                        when = anniversary + timedelta(days=rng.randint(30, 300))
                        if when < self.as_of:
                            rows.append((a.id, kind, when.isoformat(), arr, change, "expansion"))
                            arr += change
                    elif h < -0.4 and rng.random() < 0.3:
                        change = -round(arr * rng.uniform(0.1, 0.3), -2)
                        rows.append((a.id, "downsell", anniversary.isoformat(), arr, change, "fewer seats"))
                        arr += change
                anniversary = date(anniversary.year + 1, anniversary.month, anniversary.day)
            a.arr = arr if a.status == "active" else a.arr
        for a in self.accounts:
            stage = "churned" if a.status == "churned" else "onboarding" if \
                (self.as_of - a.customer_since).days < 90 else "renewal" if \
                (a.renewal - self.as_of).days < 120 else "adopting" if \
                (self.as_of - a.customer_since).days < 365 else "mature"
            conn.execute(
                "INSERT INTO accounts(id, external_id, name, domain, arr, seats, industry, region, tier, "
                "lifecycle_stage, customer_since, renewal_date, owner, status) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (a.id, f"ACC-{a.id:05d}", a.name, a.domain, a.arr, a.seats, a.industry, a.region, a.tier,
                 stage, a.customer_since.isoformat(),
                 None if a.status == "churned" else a.renewal.isoformat(), a.owner, a.status))
        conn.executemany("INSERT INTO revenue_events(account_id, kind, occurred_on, arr_before, "
                         "arr_change, note) VALUES (?, ?, ?, ?, ?, ?)", rows)

    def _comment(self, category: str) -> str | None:
        if self.pool:
            return self.rng.choice(self.pool[category])
        return demo_comments.comment(self.rng, category)

    def _responses(self, conn) -> None:
        rng, cfg, as_of = self.rng, self.cfg, self.as_of
        by_account = {a.id: a for a in self.accounts}
        quarters = list(_quarter_starts(self.start, as_of))
        total, done, batch = len(self.contacts), 0, []
        for cid, aid, email in self.contacts:
            a = by_account[aid]
            events = []
            for q in quarters:  # the relational pulse, sent mid-quarter
                if rng.random() < cfg["rnps_rate"] * 0.45:
                    events.append((q + timedelta(days=rng.randint(20, 60)), "rnps", "relational"))
            if a.customer_since >= self.start and rng.random() < 0.5:
                events.append((a.customer_since + timedelta(days=rng.randint(30, 40)), "tnps", "onboarding"))
            for _ in range(int(cfg["tnps_support"] * 3 * rng.random() + 0.5)):
                events.append((self.start + timedelta(days=rng.randint(0, (as_of - self.start).days)),
                               "tnps", "support"))
            for when, kind, touchpoint in events:
                if when > as_of or when < a.customer_since or (a.churned_on and when > a.churned_on):
                    continue
                when = _business_day(when)
                if when > as_of:
                    continue
                score = _score(rng, a.health(when, as_of) - (0.3 if touchpoint == "support" else 0))
                at = f"{when.isoformat()}T{rng.randint(7, 19):02d}:{rng.randint(0, 59):02d}:00"
                batch.append({"score": score, "comment": self._comment(nps.classify(score)),
                              "responded_at": at, "kind": kind, "touchpoint": touchpoint,
                              "product": _weighted(rng, PRODUCTS), "contact_id": cid, "account_id": aid,
                              "email": email, "source": "demo",
                              "program_id": {"relational": 1, "onboarding": 2, "support": 3}[touchpoint]})
            done += 1
            if len(batch) >= 20000 or done == total:
                if self.cancelled():
                    raise DemoCancelled("demo build cancelled")
                insert_responses(conn, batch)
                batch.clear()
                self.progress(done, total)
        # A few unmapped responses (an unknown email), as every real export has.
        for i in range(25):
            when = as_of - timedelta(days=rng.randint(1, 700))
            score = _score(rng, 0)
            insert_responses(conn, [{"score": score, "comment": self._comment(nps.classify(score)),
                                     "responded_at": f"{when.isoformat()}T12:00:00", "kind": "rnps",
                                     "touchpoint": "relational", "email": f"user{i}@gmail.com",
                                     "source": "demo"}])

    def _waves(self, conn) -> None:
        """The relational pulse's last ``SENT_WAVES`` quarterly waves, recorded as sent (the planner's Response
        rates tab reads them): every contact of a customer account then, not opted out, was invited; the
        invitation of a contact who answered in the quarter is matched to that answer. No random draw, so the
        rest of the demo is the same with or without them. The invitations of a wave go out over its weeks
        (``wave_business_days``), each before its answer; those after the demo's day are not sent yet."""
        by_account = {a.id: a for a in self.accounts}
        contacts = conn.execute("SELECT id, account_id, opted_out, bounced FROM contacts ORDER BY id").fetchall()
        rows = []
        for q in list(_quarter_starts(self.start, self.as_of))[-SENT_WAVES:]:
            label = f"{q.year}Q{(q.month - 1) // 3 + 1}"
            end = date(q.year + (q.month + 2) // 12, (q.month + 2) % 12 + 1, 1)
            answered = {cid: (rid, day) for rid, cid, day in conn.execute(
                "SELECT id, contact_id, responded_on FROM responses WHERE program_id = 1 AND contact_id IS NOT NULL "
                "AND responded_on >= ? AND responded_on < ? ORDER BY responded_on DESC, id DESC",
                (q.isoformat(), end.isoformat()))}       # (descending: each contact keeps its first answer)
            for cid, aid, opted_out, bounced in contacts:
                a = by_account[aid]
                if cid in answered:
                    rid, day = answered[cid]
                    sent = max(_business_day(q + timedelta(days=20)), date.fromisoformat(day) - timedelta(days=rid % 5))
                    status, response = "responded", rid
                else:
                    sent, status, response = _business_day(q + timedelta(days=20 + cid % 36)), \
                        "bounced" if bounced else "sent", None
                    if opted_out or sent > self.as_of or a.customer_since > sent or (a.churned_on and a.churned_on <= sent):
                        continue
                rows.append((cid, 1, f"Quarterly relationship pulse {label}", "quarterly", sent.isoformat(),
                             sent.isoformat(), status, f"{label} quarterly wave", response))
        conn.executemany("INSERT INTO invitations(contact_id, program_id, wave, trigger, planned_on, sent_on, status, "
                         "reason, response_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _actions(self, conn) -> None:
        """The close-the-loop history of the last two quarters, as the plays created it day by day, with
        the team's work on it: most actions touched within days, most older ones done with an outcome."""
        first = self.as_of - timedelta(days=LOOP_HISTORY_DAYS)
        by_day: dict[str, list[int]] = {}
        for rid, day in conn.execute("SELECT id, responded_on FROM responses WHERE responded_on >= ? "
                                     "ORDER BY id", (first.isoformat(),)):
            by_day.setdefault(day, []).append(rid)
        for day in sorted(by_day):
            d = date.fromisoformat(day)
            engine.create_actions(self.ws, by_day[day], today=d, now=datetime.combine(d, time(9)))
        for aid, play, created in conn.execute("SELECT id, play, created_at FROM actions ORDER BY id").fetchall():
            self._work_on(conn, aid, play, datetime.fromisoformat(created))

    def _work_on(self, conn, action_id: int, play: str, created: datetime) -> None:
        rng, now = self.rng, datetime.combine(self.as_of, time(17))
        slip = 1.0 if (now - created).days < 45 else 0.15  # the team's clean-ups catch most old stragglers
        touched = created + timedelta(hours=rng.uniform(2, 100))
        if touched > now or rng.random() < 0.08 * slip:
            return  # still open (or forgotten: these show as overdue)
        loop_actions.set_status(self.ws, action_id, "in_progress", now=touched)
        closed = touched + timedelta(hours=rng.uniform(12, 400))
        if closed > now or rng.random() < 0.12 * slip:
            return
        outcomes = _SAVE_OUTCOMES if play == "detractor_save" else _ASK_OUTCOMES
        loop_actions.set_outcome(self.ws, action_id, _weighted(rng, outcomes), now=closed)
        loop_actions.set_status(self.ws, action_id, "done", now=closed)
