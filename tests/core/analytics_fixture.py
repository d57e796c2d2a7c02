"""A hand-built workspace for the analytics, browse and accounts tests: three accounts, five contacts,
nine responses over the first half of 2026, every expected figure worked out by hand in the tests.

| id | day        | score | kind | touchpoint | contact (role)   | account             |
|----|------------|-------|------|------------|------------------|---------------------|
| 1  | 2026-01-10 | 10    | rnps | relational | c1 Ann (Admin)   | A1 Acme             |
| 2  | 2026-01-12 | 6     | rnps | relational | c2 Ben (End User)| A1 Acme             |
| 3  | 2026-02-03 | 8     | rnps | relational | c3 Cat (Admin)   | A2 Bolt             |
| 4  | 2026-03-15 | 9     | tnps | support    | c1 Ann           | A1 Acme             |
| 5  | 2026-04-02 | 3     | tnps | support    | c2 Ben           | A1 Acme             |
| 6  | 2026-04-20 | 9     | rnps | relational | c3 Cat           | A2 Bolt             |
| 7  | 2026-05-05 | 7     | rnps | relational | c4 Dan (Champion)| A3 Cora             |
| 8  | 2026-06-30 | 0     | rnps | relational | none (x@gmail)   | none                |
| 9  | 2026-06-30 | 10    | rnps | relational | c1 Ann           | A1 Acme             |

Accounts: A1 Acme (EMEA, Enterprise, ARR 120,000, owner Olu), A2 Bolt (North America, SMB, ARR 8,000,
owner Kim), A3 Cora (EMEA, Mid-Market, ARR 60,000, owner Olu). c5 Eve (Admin, A3) never answered.
"""
from __future__ import annotations

from nps_desktop.core.responses import insert_responses

RESPONSES = [
    # (day, time, score, kind, touchpoint, contact, account, email, comment)
    ("2026-01-10", "09:00:00", 10, "rnps", "relational", 1, 1, "ann@acme.com", "Great support, love it"),
    ("2026-01-12", "11:30:00", 6, "rnps", "relational", 2, 1, "ben@acme.com", "Integration issues 100%"),
    ("2026-02-03", "10:00:00", 8, "rnps", "relational", 3, 2, "cat@bolt.io", "fine_ish"),
    ("2026-03-15", "15:00:00", 9, "tnps", "support", 1, 1, "ann@acme.com", None),
    ("2026-04-02", "08:00:00", 3, "tnps", "support", 2, 1, "ben@acme.com", "slow support"),
    ("2026-04-20", "10:00:00", 9, "rnps", "relational", 3, 2, "cat@bolt.io", "=cmd|' /C calc'!A0"),
    ("2026-05-05", "10:00:00", 7, "rnps", "relational", 4, 3, "dan@cora.de", None),
    ("2026-06-30", "12:00:00", 0, "rnps", "relational", None, None, "x@gmail.com", "who are you"),
    ("2026-06-30", "16:00:00", 10, "rnps", "relational", 1, 1, "ann@acme.com", "Acme renews happily"),
]


def build(ws) -> None:
    with ws.transaction() as conn:
        conn.executemany(
            "INSERT INTO accounts(id, name, region, tier, industry, arr, owner, lifecycle_stage, "
            "renewal_date, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')",
            [(1, "Acme", "EMEA", "Enterprise", "Software", 120000, "Olu", "mature", "2026-09-01"),
             (2, "Bolt", "North America", "SMB", "Retail", 8000, "Kim", "adopting", "2027-01-15"),
             (3, "Cora", "EMEA", "Mid-Market", "Software", 60000, "Olu", "renewal", "2026-08-01")])
        conn.executemany(
            "INSERT INTO contacts(id, email, first_name, role, account_id) VALUES (?, ?, ?, ?, ?)",
            [(1, "ann@acme.com", "Ann", "Admin", 1), (2, "ben@acme.com", "Ben", "End User", 1),
             (3, "cat@bolt.io", "Cat", "Admin", 2), (4, "dan@cora.de", "Dan", "Champion", 3),
             (5, "eve@cora.de", "Eve", "Admin", 3)])
        insert_responses(conn, [
            {"score": s, "responded_at": f"{d}T{t}", "kind": k, "touchpoint": tp, "contact_id": c,
             "account_id": a, "email": e, "comment": m}
            for d, t, s, k, tp, c, a, e, m in RESPONSES])
        conn.execute("INSERT INTO actions(play, response_id, contact_id, account_id, owner, due, status, "
                     "created_at) VALUES ('detractor_save', 5, 2, 1, 'Olu', '2026-04-06', 'open', "
                     "'2026-04-02T09:00:00')")
        conn.execute("INSERT INTO actions(play, response_id, contact_id, account_id, owner, due, status, "
                     "created_at, closed_at) VALUES ('detractor_save', 2, 2, 1, 'Olu', '2026-01-14', "
                     "'done', '2026-01-12T12:00:00', '2026-01-13T10:00:00')")
        conn.execute("INSERT INTO revenue_events(account_id, kind, occurred_on, arr_before, arr_change, note) "
                     "VALUES (1, 'upsell', '2026-05-20', 100000, 20000, 'added analytics')")
