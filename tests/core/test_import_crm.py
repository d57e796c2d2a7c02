"""CRM account lists, contact lists and revenue events; linking responses to contacts and accounts."""
from __future__ import annotations

import json

import pytest

from nps_desktop.core.importing import ImportOptions, import_file, preview, undo_batch
from tests.core import import_files as F


def _accounts(ws) -> list[tuple]:
    return [tuple(r) for r in ws.query(
        "SELECT external_id, name, domain, arr, seats, industry, region, tier, customer_since, renewal_date, owner, "
        "status FROM accounts ORDER BY id")]


def test_crm_account_list(ws, tmp_path):
    path = F.accounts_xlsx(tmp_path)
    assert preview(path).kind == "accounts"
    r = import_file(ws, path)
    assert (r.rows, r.imported, r.updated, r.rejected, r.skipped) == (5, 3, 0, 0, 2)
    assert r.skipped_reasons == {"totals row": 1, "below the totals row": 1}
    assert _accounts(ws) == [
        ("ACME-001", "Acme Corp", "acme.com", 120000.0, 250, "Software", "North America", "Enterprise",
         "2021-03-15", "2026-03-15", "Alex Morgan", "active"),
        ("BETA-002", "Beta GmbH", "beta.io", 45500.5, 80, "Manufacturing", "EMEA", "Mid-Market",
         "2022-07-01", "2026-07-01", "Priya Shah", "active"),          # a datetime cell and serial 46204
        ("GAMMA-003", "Gamma Ltd", "gamma.org", 12000.0, 20, "Retail", "APAC", "SMB", "2023-01-10", "2025-12-31",
         "Jordan Lee", "churned")]


def test_european_csv_updates_and_undo_restores(ws, tmp_path):
    import_file(ws, F.accounts_xlsx(tmp_path))
    before = F.dump(ws.conn)
    rows = [["ACME-001", "Acme Corporation", "acme.com", "130.000,00 €", "250", "Software", "North America",
             "Enterprise", "2021-03-15", "2027-03-15", "Alex Morgan", "Customer"],
            ["DELTA-004", "Délta Café SA", "delta.fr", "€30.000,00", "15", "Food", "EMEA", "SMB", "2024-02-01",
             "2026-02-01", "Maria López", "Customer"],
            ["GAMMA-003", "Gamma Ltd", "gamma.org", "12000", "20", "Retail", "APAC", "SMB", "2023-01-10",
             "2025-12-31", "Jordan Lee", "Churned"]]
    path = F.accounts_csv(tmp_path, rows=rows)                  # Windows-1252, semicolons, a title line
    r = import_file(ws, path)
    assert (r.imported, r.updated, r.duplicates) == (1, 1, 1)
    acme = _accounts(ws)[0]
    assert acme[1] == "Acme Corporation" and acme[3] == 130000.0 and acme[9] == "2027-03-15"
    assert _accounts(ws)[3][:2] == ("DELTA-004", "Délta Café SA")
    change = ws.query("SELECT table_name, before FROM import_changes WHERE batch_id = ?", (r.batch_id,))
    assert [(c[0], json.loads(c[1])) for c in change] == [
        ("accounts", {"name": "Acme Corp", "arr": 120000.0, "renewal_date": "2026-03-15"})]
    undo_batch(ws, r.batch_id)
    assert F.dump(ws.conn) == before


@pytest.mark.parametrize("header, rows, expected", [
    (["Account-ID", "Accountname", "Webseite", "Jahresumsatz", "Branche", "Region", "Vertragsende", "Accountinhaber"],
     [["A-1", "Müller GmbH", "mueller.de", "€ 120.000", "Fertigung", "DACH", "31.12.2026", "Anna Schmidt"]],
     ("A-1", "Müller GmbH", "mueller.de", 120000.0, "Fertigung", "DACH", "2026-12-31", "Anna Schmidt")),
    (["ID du compte", "Nom du compte", "Site web", "Chiffre d'affaires annuel", "Secteur", "Région",
      "Date de renouvellement", "Propriétaire"],
     [["C-1", "Dupont SA", "dupont.fr", "120 000 €", "Industrie", "France", "31/12/2026", "Marie Curie"]],
     ("C-1", "Dupont SA", "dupont.fr", 120000.0, "Industrie", "France", "2026-12-31", "Marie Curie")),
])
def test_german_and_french_crm_exports_map_without_help(ws, tmp_path, header, rows, expected):
    path = F.write_csv(tmp_path / "accounts.csv", [header] + rows, "cp1252", ";")
    assert preview(path).kind == "accounts"
    import_file(ws, path)
    got = _accounts(ws)[0]
    assert (got[0], got[1], got[2], got[3], got[5], got[6], got[9], got[10]) == expected


def test_accounts_without_ids_match_by_domain_then_name(ws, tmp_path):
    import_file(ws, F.accounts_xlsx(tmp_path))
    path = F.write_csv(tmp_path / "a.csv", [["Company", "Website", "ARR"], ["Beta GmbH", "www.beta.io", "$50,000"],
                                            ["Gamma Ltd", "", "$13,000"], ["", "new.example", "$1"]])
    r = import_file(ws, path, ImportOptions(kind="accounts"))
    assert (r.imported, r.updated, r.rejected) == (0, 2, 1)
    assert r.rejects == [(4, "Company", "", "Account name is missing")]
    assert [a[3] for a in _accounts(ws)] == [120000.0, 50000.0, 13000.0]


def test_contact_list(ws, tmp_path):
    import_file(ws, F.accounts_xlsx(tmp_path))
    r = import_file(ws, F.contacts_csv(tmp_path))
    assert (r.kind, r.rows, r.imported, r.rejected) == ("contacts", 5, 4, 1)
    assert r.rejects == [(6, "Email", "not-an-email", "not an email address")]
    rows = [tuple(x) for x in ws.query("SELECT c.email, c.first_name, c.last_name, c.role, a.external_id, c.opted_out "
                                       "FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id ORDER BY c.id")]
    assert rows == [("ana@acme.com", "Ana", "Lopez", "VP Operations", "ACME-001", 0),
                    ("ben@acme.com", "Ben", "Ito", "Admin", "ACME-001", 1),
                    ("cy@beta.io", "Cy", "Ng", "Engineer", "BETA-002", 0),       # linked by domain
                    ("dee@beta.io", "Dee", "Ray", "Champion", "BETA-002", 0)]


def test_an_import_never_resubscribes(ws, tmp_path):
    import_file(ws, F.contacts_csv(tmp_path))
    path = F.write_csv(tmp_path / "c2.csv", [["Email", "Subscribed", "Full name"],
                                             ["BEN@acme.com", "yes", "Ben Ito"], ["new@acme.com", "no", "Nia Vale"]])
    r = import_file(ws, path, ImportOptions(kind="contacts"))
    assert (r.imported, r.updated, r.duplicates) == (1, 0, 1)
    assert ws.scalar("SELECT opted_out FROM contacts WHERE email = 'ben@acme.com'") == 1
    assert tuple(ws.query("SELECT first_name, last_name, opted_out FROM contacts WHERE email = 'new@acme.com'")[0]) \
        == ("Nia", "Vale", 1)


def test_revenue_events(ws, tmp_path):
    import_file(ws, F.accounts_xlsx(tmp_path))
    path = F.revenue_csv(tmp_path)
    assert preview(path).kind == "revenue"
    r = import_file(ws, path)
    assert (r.rows, r.imported, r.rejected) == (6, 5, 1)
    assert r.rejects == [(7, "Account ID", "NOPE-999", "no such account in the workspace (import the accounts first)")]
    rows = [tuple(x) for x in ws.query("SELECT a.external_id, e.kind, e.occurred_on, e.arr_change, e.source_key "
                                       "FROM revenue_events e JOIN accounts a ON a.id = e.account_id ORDER BY e.id")]
    assert rows == [("ACME-001", "renewal", "2025-03-15", 0.0, "id:E1"),
                    ("ACME-001", "upsell", "2025-06-01", 20000.0, "id:E2"),
                    ("BETA-002", "cross_sell", "2025-07-01", 5000.0, "id:E3"),
                    ("GAMMA-003", "churn", "2025-12-31", -12000.0, "id:E4"),
                    ("BETA-002", "downsell", "2025-09-30", -2500.0, "id:E5")]
    again = import_file(ws, path)
    assert (again.imported, again.duplicates, again.rejected) == (0, 5, 1)


def test_revenue_events_without_ids_are_keyed_by_content(ws, tmp_path):
    import_file(ws, F.accounts_xlsx(tmp_path))
    rows = [["Account", "Motion", "Close Date", "ARR Change"], ["Acme Corp", "Expansion", "6/1/2025", "$1,000"],
            ["Acme Corp", "Expansion", "6/1/2025", "$1,000"], ["Gamma Ltd", "Lost", "12/31/2025", "900"]]
    path = F.write_csv(tmp_path / "rev.csv", rows)
    r = import_file(ws, path, ImportOptions(kind="revenue"))
    assert (r.imported, r.duplicates) == (2, 1)
    assert [tuple(x) for x in ws.query("SELECT kind, occurred_on, arr_change FROM revenue_events ORDER BY id")] == \
        [("upsell", "2025-06-01", 1000.0), ("churn", "2025-12-31", -900.0)]
    assert import_file(ws, path, ImportOptions(kind="revenue")).imported == 0


def test_linking_responses(ws, tmp_path):
    import_file(ws, F.accounts_xlsx(tmp_path))
    import_file(ws, F.contacts_csv(tmp_path))
    path = F.write_csv(tmp_path / "r.csv", [
        ["Response ID", "Email", "Account ID", "NPS score", "Date"],
        ["1", "ANA@acme.com", "", "9", "2025-01-01"],          # contact → ACME
        ["2", "zed@acme.com", "", "9", "2025-01-01"],          # no contact; domain → ACME
        ["3", "ben@acme.com", "GAMMA-003", "9", "2025-01-01"],  # the row's account id wins
        ["4", "who@nowhere.net", "", "9", "2025-01-01"],       # unmapped
        ["5", "", "BETA-002", "9", "2025-01-01"]])             # account id only
    r = import_file(ws, path)
    rows = [tuple(x) for x in ws.query("SELECT r.source_id, c.email, a.external_id FROM responses r "
                                       "LEFT JOIN contacts c ON c.id = r.contact_id "
                                       "LEFT JOIN accounts a ON a.id = r.account_id ORDER BY r.id")]
    assert rows == [("1", "ana@acme.com", "ACME-001"), ("2", "zed@acme.com", "ACME-001"),   # zed: a new contact
                    ("3", "ben@acme.com", "GAMMA-003"), ("4", "who@nowhere.net", None), ("5", None, "BETA-002")]
    assert r.extra["contacts_created"] == 2
    assert ws.scalar("SELECT account_id FROM contacts WHERE email = 'zed@acme.com'") == \
        ws.scalar("SELECT id FROM accounts WHERE external_id = 'ACME-001'")
    assert r.extra["mapped"] == 4 and r.mapped_share == pytest.approx(0.8)


def test_accounts_imported_after_responses_link_them_and_undo_unlinks(ws, tmp_path):
    import_file(ws, F.typeform(tmp_path))
    assert ws.scalar("SELECT count(account_id) FROM responses") == 0
    before = F.dump(ws.conn)
    acc = import_file(ws, F.accounts_xlsx(tmp_path))
    assert acc.extra["relinked"] == 8   # the 4 respondents' contacts (made by the survey import), their 4 responses
    assert ws.scalar("SELECT count(account_id) FROM responses") == 4
    con = import_file(ws, F.contacts_csv(tmp_path))
    assert ws.scalar("SELECT count(contact_id) FROM responses") == 4   # every respondent is a contact
    undo_batch(ws, con.batch_id)
    undo_batch(ws, acc.batch_id)
    assert F.dump(ws.conn) == before
