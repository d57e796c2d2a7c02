"""A small hand-built workspace for the report and export tests, with hostile text everywhere a user
string can reach the pack: comments, account names, regions, the company name and a segment name.

Figures worked by hand (2026 Q2 and Q3, calendar quarters):
- Q2: scores 10 9 8 6 3 10 7 9 → 4 promoters, 2 passives, 2 detractors of 8: NPS 25.0.
- Q3: scores 10 10 9 9 9 8 7 7 6 2 → 5 promoters, 3 passives, 2 detractors of 10: NPS 30.0,
  margin 1.96·100·√((0.5 + 0.2 − 0.3²)/10) = 48.41; change +5.0, threshold 75.13: not significant.
- Acme (contacts 1, 2; Q3 scores 2 and 6, mean 4) is a detractor account renewing on 15 Nov 2026.
- Q3 by region: EMEA (Acme, Delta) 2, 6, 9, 10 → NPS 0.0; North America (Beta) 10, 9, 8, 7 → 50.0;
  APAC (李四) 9, 7 → 50.0. Q2: EMEA 3, 10, 8 → 0.0; North America 6, 9, 10 → 33.33; APAC 9, 7 → 50.0.
"""
from __future__ import annotations

from datetime import date

from nps_desktop.core.responses import insert_responses
from nps_desktop.core.workspace import Workspace

MARKUP = "<b>unclosed and the price is too expensive"
AMPERSANDS = "Tom & Jerry said &b=2 &amp; <script>alert('x')</script> about support"
EMOJI = "Support was great 😀👍🏽👨‍👩‍👧 — merci beaucoup, ça marche"
RTL = "שלום עולם — مرحبا بالعالم, the support team"
CJK = "你好世界，产品很好。サポートは最高です"
LONG = ("The onboarding was slow and the price keeps rising. " * 400)[:20000]
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"
CONTROL = "bad\x00bytes\x07here\x1b and a tab\tend"
HOSTILE = [MARKUP, AMPERSANDS, EMOJI, RTL, CJK, LONG, FORMULA, CONTROL]

COMPANY = "Acme & Söhne <GmbH>"
TODAY = date(2026, 10, 15)
Q2_SCORES = [10, 9, 8, 6, 3, 10, 7, 9]
Q3_SCORES = [10, 10, 9, 9, 9, 8, 7, 7, 6, 2]


def build(ws: Workspace) -> None:
    """Fill an empty workspace with the accounts, contacts and responses above."""
    with ws.transaction() as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES ('company_name', ?), ('nps_goal', '40')",
                     ('"Acme & Söhne <GmbH>"',))
        conn.executemany(
            "INSERT INTO accounts(id, external_id, name, arr, region, industry, tier, lifecycle_stage, "
            "renewal_date, owner, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')",
            [(1, "A-1", "Acme <b>Corp</b> & Sons", 120000.0, "EMEA", "Software", "Enterprise", "mature",
              "2026-11-15", "=cmd|' /C calc'!A0"),
             (2, "B-2", "Beta & Co", 50000.0, "North America", "Retail", "Mid-Market", "renewal",
              "2027-06-01", "Priya Shah"),
             (3, "C-3", "李四科技", 20000.0, "APAC", "Media", "SMB", "adopting", "2027-03-01", "Chen Wei"),
             (4, "D-4", "@Delta =SUM(A1)", 80000.0, "EMEA", "Software", "Enterprise", "mature", "2027-08-01",
              "Alex Morgan")])
        contacts = [(i, f"c{i}@x.example", acc) for i, acc in
                    [(1, 1), (2, 1), (3, 4), (4, 4), (5, 2), (6, 2), (7, 2), (8, 2), (9, 3), (10, 3)]]
        conn.executemany("INSERT INTO contacts(id, email, account_id) VALUES (?, ?, ?)", contacts)
        q3 = [  # (contact, score, comment, day): EMEA 2 6 9 10, North America 10 9 8 7, APAC 9 7
            (1, 2, LONG, "2026-08-03"), (2, 6, MARKUP, "2026-08-04"), (3, 9, EMOJI, "2026-07-10"),
            (4, 10, AMPERSANDS, "2026-07-11"), (5, 10, RTL, "2026-09-01"), (6, 9, CJK, "2026-09-02"),
            (7, 8, FORMULA, "2026-09-03"), (8, 7, CONTROL, "2026-09-04"), (9, 9, "Great support", "2026-07-20"),
            (10, 7, "Fine", "2026-07-21")]
        q2 = [(1, 3, "Too expensive", "2026-04-03"), (2, 10, None, "2026-04-04"), (3, 8, "ok", "2026-05-10"),
              (5, 6, "Slow support", "2026-05-11"), (6, 9, "", "2026-06-01"), (7, 10, "Love it", "2026-06-02"),
              (9, 9, "Nice", "2026-06-03"), (10, 7, "Meh", "2026-06-04")]
        rows = [{"score": s, "comment": c, "responded_at": f"{d}T10:00:00", "contact_id": cid,
                 "account_id": dict((i, a) for i, _, a in contacts)[cid], "email": f"c{cid}@x.example",
                 "source": "test"} for cid, s, c, d in q2 + q3]
        insert_responses(conn, rows)
