"""Erasing a contact on request, recording it, anonymised export, private files."""
import csv
import json
import stat

import pytest

from nps_desktop.cli import main
from nps_desktop.core import analytics, backups, privacy
from nps_desktop.core.workspace import WorkspaceError, open_workspace

from .safety_support import seeded_path  # noqa: F401 (a fixture)


@pytest.fixture
def path(seeded_path):
    p = seeded_path
    with open_workspace(p) as ws:
        with ws.transaction() as conn:
            conn.execute("INSERT INTO programs(id, name, kind) VALUES (1, 'Relational', 'rnps')")
            conn.executemany("INSERT INTO invitations(contact_id, program_id, planned_on, status) VALUES (?, 1, ?, ?)",
                             [(1, "2026-03-01", "responded"), (1, "2026-06-01", "planned"), (2, "2026-06-01", "planned")])
            conn.execute("INSERT INTO actions(id, play, response_id, contact_id, account_id, notes, created_at) "
                         "VALUES (1, 'detractor_save', 1, 1, 1, 'Called Alice on +44 20 7946 0958', '2026-03-03')")
            conn.execute("INSERT INTO actions(id, play, response_id, contact_id, account_id, notes, created_at) "
                         "VALUES (2, 'promoter_advocacy', 3, 2, 1, 'Bob agreed to a case study', '2026-04-12')")
            conn.executemany("INSERT INTO action_history(action_id, at, field, old, new) VALUES (?, ?, ?, ?, ?)",
                             [(1, "2026-03-04", "notes", None, "Called Alice on +44 20 7946 0958"),
                              (1, "2026-03-04", "status", "open", "in_progress")])
            conn.execute("INSERT INTO touchpoint_events(kind, occurred_on, contact_id, account_id, reference) "
                         "VALUES ('support_case', '2026-02-20', 1, 1, 'CASE-1')")
            conn.execute("INSERT INTO import_batches(id, file_name, sha256, kind, imported_at) "
                         "VALUES (1, 'c.csv', 'x', 'contacts', '2026-01-01')")
            conn.execute("INSERT INTO import_rejects(batch_id, row, \"column\", value, reason) "
                         "VALUES (1, 4, 'Email', ' ALICE@acme.com ', 'duplicate')")
            conn.execute("INSERT INTO import_changes(batch_id, table_name, row_id, before) "
                         "VALUES (1, 'contacts', 1, '{\"first_name\": \"Alicia\"}')")
            conn.execute("INSERT INTO response_themes(response_id, theme, polarity, matched) "
                         "VALUES (1, 'support', -1, 'slow support')")
    return p


def test_erase_removes_the_person_keeps_the_figures_and_logs_it(path):
    with open_workspace(path) as ws:
        nps_before = analytics.stats(ws, analytics.Filters())["nps"]
        done = privacy.erase_contact(ws, "  Alice@ACME.com ")
        assert done == {"email_sha256": privacy.email_hash("alice@acme.com"), "contacts": 1, "responses": 2,
                        "actions": 1, "invitations": 2, "events": 1}
        c = ws.query("SELECT email, first_name, last_name, role, erased_at, account_id FROM contacts WHERE id = 1")[0]
        assert tuple(c)[:4] == (None, None, None, None) and c["erased_at"] and c["account_id"] == 1
        assert [tuple(r) for r in ws.query("SELECT score, email, comment, contact_id FROM responses "
                                           "WHERE id IN (1, 2) ORDER BY id")] == [(3, None, None, 1), (9, None, None, 1)]
        assert ws.scalar("SELECT count(*) FROM invitations WHERE contact_id = 1") == 0
        assert ws.scalar("SELECT count(*) FROM invitations") == 1  # Bob's stays
        assert ws.scalar("SELECT notes FROM actions WHERE id = 1") is None
        assert ws.scalar("SELECT notes FROM actions WHERE id = 2") == "Bob agreed to a case study"
        assert [r[0] for r in ws.query("SELECT field FROM action_history")] == ["status"]
        assert ws.scalar("SELECT count(*) FROM touchpoint_events") == 0
        assert ws.scalar("SELECT value FROM import_rejects") is None
        assert ws.scalar("SELECT count(*) FROM import_changes") == 0
        assert ws.scalar("SELECT matched FROM response_themes") is None
        assert ws.scalar("SELECT email FROM contacts WHERE id = 2") == "bob@acme.com"
        assert analytics.stats(ws, analytics.Filters())["nps"] == nps_before  # scores still count
        log = ws.query("SELECT what, detail FROM audit_log")
        assert [r["what"] for r in log] == ["erase_contact"]
        assert "alice" not in log[0]["detail"].lower()
        assert privacy.is_erased(ws, "ALICE@acme.com") and not privacy.is_erased(ws, "bob@acme.com")
    data = path.read_bytes()  # overwritten, not left in free space or the journal
    for text in (b"alice@acme.com", b"Nguyen", b"7946", b"slow support"):
        assert text not in data


def test_erasing_an_unknown_email_changes_and_logs_nothing(path):
    with open_workspace(path) as ws:
        with pytest.raises(LookupError, match="No contact or response has the email nobody@x.org"):
            privacy.erase_contact(ws, "nobody@x.org")
        assert ws.scalar("SELECT count(*) FROM audit_log") == 0


def test_erasing_in_a_read_only_workspace_is_refused(path):
    with open_workspace(path, read_only=True) as ws:
        with pytest.raises(WorkspaceError, match="read-only"):
            privacy.erase_contact(ws, "alice@acme.com")


def test_restoring_an_older_backup_does_not_bring_an_erased_person_back(path):
    with open_workspace(path) as ws:
        older = backups.take(ws, "before erasure")
        privacy.erase_contact(ws, "alice@acme.com")
        backups.restore(path, older.path)
        assert ws.scalar("SELECT count(*) FROM contacts WHERE email = 'alice@acme.com'") == 0
        assert ws.scalar("SELECT count(*) FROM responses WHERE email = 'alice@acme.com'") == 0
        assert ws.scalar("SELECT count(*) FROM invitations WHERE contact_id = 1") == 0
        assert privacy.is_erased(ws, "alice@acme.com")
        assert ws.scalar("SELECT count(*) FROM audit_log") == 1
        assert ws.scalar("SELECT email FROM contacts WHERE id = 2") == "bob@acme.com"


def test_scrub_masks_emails_links_phones_and_names():
    text = "Alice here, call +1 (415) 555-0100 or mail alice.n@acme.co.uk, see https://x.io/a?b=1 - ALICE"
    assert privacy.scrub(text, ("Alice", "Nguyen", None)) == \
        "[name] here, call [phone] or mail [email], see [link] - [name]"
    assert privacy.scrub("Scored 9 of 10 in 2026", ()) == "Scored 9 of 10 in 2026"  # short numbers stay
    assert privacy.scrub(None) is None


def test_anonymised_export(path, tmp_path):
    out = tmp_path / "anon.csv"
    with open_workspace(path) as ws:
        with ws.transaction() as conn:
            conn.execute("UPDATE accounts SET tier = 'SMB', region = 'EMEA' WHERE id = 1")
        assert privacy.export_anonymised(ws, out) == 3
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    for text in (b"alice", b"Alice", b"bob", b"Acme", b"acme.com", b"2026-03-02", b"Nguyen"):
        assert text not in raw
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert list(rows[0]) == list(privacy.EXPORT_COLUMNS)
    assert [(r["respondent"], r["month"], r["quarter"], r["score"], r["category"], r["role"], r["account_tier"],
             r["account_region"], r["comment"]) for r in rows] == [
        ("R1", "2026-03", "2026Q1", "3", "detractor", "Admin", "SMB", "EMEA", "[name] here: slow support"),
        ("R1", "2026-04", "2026Q2", "9", "promoter", "Admin", "SMB", "EMEA", "fine"),
        ("R2", "2026-04", "2026Q2", "10", "promoter", "IT", "SMB", "EMEA", "great")]
    with open_workspace(path) as ws, pytest.raises(WorkspaceError, match=r"written as \.csv"):
        privacy.export_anonymised(ws, tmp_path / "anon.xlsx")


def test_cli_erase_needs_yes_then_erases(path, capsys):
    assert main(["erase-contact", "alice@acme.com", "--workspace", str(path)]) == 1
    assert "add --yes" in capsys.readouterr().err
    assert main(["erase-contact", "alice@acme.com", "--yes", "--workspace", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["erased"]["responses"] == 2
    assert main(["erase-contact", "alice@acme.com", "--yes", "--workspace", str(path)]) == 1
    assert "nothing was erased" in capsys.readouterr().err


def test_cli_export_anonymised(path, tmp_path, capsys):
    out = tmp_path / "a.csv"
    assert main(["export-anonymised", "--out", str(out), "--workspace", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"out": str(out), "rows": 3}


def test_new_workspace_and_backups_are_private(tmp_path):
    p = tmp_path / "new.npsdb"
    with open_workspace(p) as ws:
        taken = backups.take(ws, "x")
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(taken.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(taken.path.parent.stat().st_mode) == 0o700


def test_the_erasure_log_outlives_the_workspace_and_restores_the_audit_record(path):
    """The record is kept outside the workspace too: restoring over a damaged file (whose audit_log
    cannot be read) still erases the person again and puts the audit record back."""
    from nps_desktop.core import erasure_log
    from .safety_support import damage
    with open_workspace(path) as ws:
        older = backups.take(ws, "before erasure")
        privacy.erase_contact(ws, "alice@acme.com")
        with ws.transaction() as conn:  # enough pages that damage hits the tables
            conn.executemany("INSERT INTO accounts(name) VALUES (?)", [(f"A{i}" * 20,) for i in range(2000)])
    logged = erasure_log.read(path)
    assert [r["email_sha256"] for r in logged] == [privacy.email_hash("Alice@acme.com ")]
    assert "alice" not in erasure_log.log_path(path).read_text()
    assert stat.S_IMODE(erasure_log.log_path(path).stat().st_mode) == 0o600
    damage(path, page=5)
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(path)
    assert refused.value.damaged
    assert backups.restore(path, older.path) is None  # over a damaged file: no safety backup
    with open_workspace(path) as ws:
        assert ws.scalar("SELECT count(*) FROM contacts WHERE email = 'alice@acme.com'") == 0
        assert ws.scalar("SELECT count(*) FROM responses WHERE email = 'alice@acme.com'") == 0
        assert privacy.is_erased(ws, "alice@acme.com")
        assert [r["at"] for r in privacy.erasures(ws)] == [logged[0]["at"]]



def test_erasure_removes_the_survey_tools_response_id(path):
    with open_workspace(path) as ws:
        with ws.transaction() as conn:
            conn.execute("UPDATE responses SET source = 'typeform', source_id = 'tf-' || id")
        privacy.erase_contact(ws, "alice@acme.com")
        assert [tuple(r) for r in ws.query("SELECT id, source_id FROM responses ORDER BY id")] == \
            [(1, None), (2, None), (3, "tf-3")]


def test_scrub_masks_handles_domains_account_and_card_numbers_and_known_names():
    text = ("Ping @bob_s or see acme.co.uk / portal.example.com; IBAN GB82 WEST 1234 5698 7654 32, "
            "card 4111 1111 1111 1111, ref 4111 1111 1111 1112; Carol from Initech said v2.5 is fine.")
    assert privacy.scrub(text, (), frozenset({"Carol", "Initech"})) == (
        "Ping [handle] or see [domain] / [domain]; IBAN [account number], "
        "card [card number], ref [phone]; [name] from [name] said v2.5 is fine.")


def test_the_anonymised_export_scrubs_other_peoples_names_from_comments(path, tmp_path):
    with open_workspace(path) as ws:
        with ws.transaction() as conn:
            conn.execute("UPDATE responses SET comment = 'Bob Stone at Acme fixed it; mail bob@acme.com' "
                         "WHERE id = 1")
        privacy.export_anonymised(ws, tmp_path / "a.csv")
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as fh:
        comments = [r["comment"] for r in csv.DictReader(fh)]
    assert comments[0] == "[name] [name] at [name] fixed it; mail [email]"
