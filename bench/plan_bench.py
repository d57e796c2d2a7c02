"""Benchmark the planner: 100,000 contacts at 10,000 accounts planned over a year (target < 2 s).

Builds a throw-away workspace with a year of history (responses, the 2026 H2 relational waves recorded
as sent) and a year of support cases, then times loading and planning, with the default rules (daily cap 500, which binds
hard at this size) and with the daily cap raised so that every wave fits.
Run: .venv/bin/python bench/plan_bench.py [--contacts N] [--repeat K]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_desktop.core import periods  # noqa: E402
from nps_desktop.core.cadence import load_rules, plan, save_rules  # noqa: E402
from nps_desktop.core.workspace import open_workspace  # noqa: E402

START, END = date(2027, 1, 1), date(2027, 12, 31)


def build(path: Path, n_contacts: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    ws = open_workspace(path)
    n_accounts = max(1, n_contacts // 10)
    with ws.transaction() as conn:
        accounts = []
        for a in range(1, n_accounts + 1):
            since = START - timedelta(days=rng.randint(-300, 5 * 365))
            renewal = START + timedelta(days=rng.randint(0, 364))
            status = rng.choices(["active", "churned", "prospect"], [95, 3, 2])[0]
            accounts.append((a, f"A{a}", f"Account {a}", since.isoformat(), renewal.isoformat(), status))
        conn.executemany("INSERT INTO accounts(id, external_id, name, customer_since, renewal_date, status) "
                         "VALUES (?, ?, ?, ?, ?, ?)", accounts)
        conn.executemany("INSERT INTO contacts(id, email, first_name, last_name, account_id, opted_out, bounced) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [(c, f"person{c}@account{(c - 1) % n_accounts + 1}.example", f"First{c}", f"Last{c}",
                           (c - 1) % n_accounts + 1, int(rng.random() < 0.02), int(rng.random() < 0.01))
                          for c in range(1, n_contacts + 1)])
        rows = []
        for _ in range(n_contacts * 3 // 10):
            day = START - timedelta(days=rng.randint(1, 365))
            rows.append((rng.randint(0, 10), day.isoformat(), day.isoformat(), periods.month_key(day),
                         periods.quarter_key(day), "rnps", rng.randint(1, n_contacts)))
        conn.executemany("INSERT INTO responses(score, responded_at, responded_on, month, quarter, kind, "
                         "contact_id) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO touchpoint_events(kind, occurred_on, contact_id, reference) "
                         "VALUES ('support_case', ?, ?, ?)",
                         [((START + timedelta(days=rng.randint(0, 364))).isoformat(), rng.randint(1, n_contacts),
                           f"CS-{k}") for k in range(n_contacts // 5)])
    ws.close()


def record_sent_waves(ws, n_contacts: int) -> int:
    """Two fifths of the contacts invited in the Q3 2026 wave, one fifth in Q4 (recorded as sent)."""
    pid = ws.scalar("SELECT id FROM programs WHERE name = 'Relational NPS'")
    rows = []
    for c in range(1, n_contacts + 1):
        if c % 5 < 3:
            start = date(2026, 7, 1) if c % 5 < 2 else date(2026, 10, 1)
            day = (start + timedelta(days=c % 14)).isoformat()
            wave = f"Relational NPS 2026Q{3 if c % 5 < 2 else 4}"
            rows.append((c, pid, wave, "quarterly", day, day))
    with ws.transaction() as conn:
        conn.executemany("INSERT INTO invitations(contact_id, program_id, wave, trigger, planned_on, sent_on, status) "
                         "VALUES (?, ?, ?, ?, ?, ?, 'sent')", rows)
    return len(rows)


def measure(ws, label: str, repeat: int) -> None:
    """Plan START..END ``repeat`` times and print the figures."""
    times, cpu, rows, result = [], [], [], None
    for _ in range(repeat):
        result = None   # the previous plan is freed before the clock starts
        t0, c0 = time.perf_counter(), time.process_time()
        result = plan(ws, START, END)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        t0 = time.perf_counter()
        n = sum(1 for _ in result.planned) + sum(1 for _ in result.excluded)
        rows.append(time.perf_counter() - t0)
    rules = Counter(e.rule for e in result.excluded)
    print(f"{label}: plan median {statistics.median(times):.2f} s wall (best {min(times):.2f} s), "
          f"{statistics.median(cpu):.2f} s CPU over {repeat} runs; reading all {n:,} rows "
          f"{statistics.median(rows):.2f} s more; {len(result.planned):,} planned in "
          f"{len(result.waves)} waves, {len(result.excluded):,} excluded "
          f"({', '.join(f'{k} {v:,}' for k, v in rules.most_common())})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NPS_DESKTOP_HOME"] = tmp
        path = Path(tmp) / "bench.npsdb"
        t0 = time.perf_counter()
        build(path, args.contacts)
        print(f"built {args.contacts:,} contacts in {time.perf_counter() - t0:.1f} s")
        ws = open_workspace(path)
        plan(ws, START, START)  # writes the default programs once
        measure(ws, "responses as history, default rules (daily cap 500)", args.repeat)
        print(f"recorded {record_sent_waves(ws, args.contacts):,} invitations of the 2026 H2 relational waves")
        measure(ws, "with sent waves too, default rules", args.repeat)
        save_rules(ws, replace(load_rules(ws), daily_cap=20_000))
        measure(ws, "with sent waves, daily cap 20,000 (every wave fits)", args.repeat)
        print(f"load average while running: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
              f"on {os.cpu_count()} cores")
        ws.close()


if __name__ == "__main__":
    main()
