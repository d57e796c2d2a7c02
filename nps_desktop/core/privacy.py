"""Personal data on request: erase a contact, remember that it was done, export responses anonymised.

Erasing a contact removes what identifies the person and keeps what the program's figures need: the
contact row stays as an anonymous tombstone (no email, names or role; ``erased_at`` set) so that their
scores still count in NPS and account rollups. Their responses lose the email, the comment and the
survey tool's response id; their invitations, touchpoint events, action notes, the undo records of
imports that changed them and rejected import values equal to their email are removed. ``audit_log`` records the erasure with a SHA-256 of the email and of
their responses' ids in a survey tool's export (never the values), which lets an importer skip the person
(``importing.erased``); ``erasure_log`` keeps the same record outside the workspace,
so that ``backups.restore`` erases them again in any older backup, even over a damaged file.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any, Iterator

from . import disk, erasure_log, nps
from .export_safety import replacing, safe_row
from .workspace import Workspace, WorkspaceError, now_iso

ERASE = "erase_contact"

#: Columns of the anonymised export, in order.
EXPORT_COLUMNS = ("respondent", "month", "quarter", "score", "category", "kind", "touchpoint", "product",
                  "role", "account_tier", "account_region", "account_industry", "account_lifecycle_stage",
                  "comment")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
_PHONE = re.compile(r"\+?\d[\d ()./-]{7,}\d")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_DOMAIN = re.compile(r"(?<![\w@.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,12}(?![\w.-]*\w)")
_CAPITALISED = re.compile(r"(?<!\w)[A-Z][\w'-]+")


def private_by_default() -> None:
    """Make every file this process creates from now on readable by its owner only, like the workspace:
    exports, PDF packs, logs, settings, backups (the umask; Windows keeps its own access lists)."""
    if os.name == "posix":
        os.umask(0o077)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_hash(email: str) -> str:
    """What the audit log keeps of an erased person's email."""
    return hashlib.sha256(normalise_email(email).encode("utf-8")).hexdigest()


def response_id_hash(source: str, source_id: str) -> str:
    """What the audit log keeps of an erased person's response id in a survey tool's export."""
    return hashlib.sha256(f"{source}\x1f{source_id}".encode("utf-8")).hexdigest()


def erase_contact(ws: Workspace, email: str) -> dict[str, Any]:
    """Erase the person with ``email`` in one transaction and log it; return what was erased.

    Raises ``LookupError`` when no contact or response carries that email (nothing is logged then).
    """
    email = normalise_email(email)
    if not email:
        raise ValueError("give the email address of the person to erase")
    from .snapshot import store, update  # numpy only when erasing, not for every command's start
    with store.writing(ws, update.Rows()), _overwriting(ws), ws.transaction() as conn:
        summary = _erase(conn, email)
        if not summary["contacts"] and not summary["responses"]:
            raise LookupError(f"No contact or response has the email {email}; nothing was erased.")
        summary = {"email_sha256": email_hash(email), **summary}
        at = now_iso()
        conn.execute("INSERT INTO audit_log(at, what, detail) VALUES (?, ?, ?)", (at, ERASE, json.dumps(summary)))
        erasure_log.append(ws.path, {"at": at, **summary})  # before the commit: a restore must never lose it
    ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # best effort: old pages leave the journal
    return summary


@contextlib.contextmanager
def _overwriting(ws: Workspace) -> Iterator[None]:
    """``secure_delete`` for the block: erased values are overwritten with zeros, not left in free space."""
    previous = ws.scalar("PRAGMA secure_delete")
    ws.conn.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        ws.conn.execute(f"PRAGMA secure_delete = {int(previous)}")


def _ids(conn: sqlite3.Connection, sql: str, params: tuple) -> list[int]:
    return [r[0] for r in conn.execute(sql, params)]


def _marks(ids: list[int]) -> str:
    return ",".join("?" * len(ids))


def _erase(conn: sqlite3.Connection, email: str) -> dict[str, Any]:
    """Remove the personal data of ``email`` (the caller holds the transaction); return counts."""
    contacts = _ids(conn, "SELECT id FROM contacts WHERE email = ?", (email,))
    responses = _ids(conn, f"SELECT id FROM responses WHERE email = ? OR contact_id IN ({_marks(contacts)})",
                     (email, *contacts))
    actions = _ids(conn, f"SELECT id FROM actions WHERE contact_id IN ({_marks(contacts)}) "
                         f"OR response_id IN ({_marks(responses)})", (*contacts, *responses))
    c, r, a = _marks(contacts), _marks(responses), _marks(actions)
    done: dict[str, Any] = {"contacts": len(contacts), "responses": len(responses), "actions": len(actions)}
    tool_ids = conn.execute(f"SELECT source, source_id FROM responses WHERE id IN ({r}) AND source_id IS NOT NULL "
                            f"AND content_key IS NULL", responses).fetchall()   # file-scoped ids keep their key
    if tool_ids:   # so that an import skips their responses even where the export has no email
        done["response_ids_sha256"] = sorted({response_id_hash(s, i) for s, i in tool_ids})
    done["invitations"] = conn.execute(f"DELETE FROM invitations WHERE contact_id IN ({c})", contacts).rowcount
    done["events"] = conn.execute(f"DELETE FROM touchpoint_events WHERE contact_id IN ({c})", contacts).rowcount
    conn.execute(f"UPDATE responses SET email = NULL, comment = NULL, source_id = NULL WHERE id IN ({r})", responses)
    conn.execute(f"UPDATE response_themes SET matched = NULL WHERE response_id IN ({r})", responses)
    conn.execute(f"UPDATE score_corrections SET reason = NULL WHERE response_id IN ({r})", responses)
    conn.execute(f"UPDATE actions SET notes = NULL WHERE id IN ({a})", actions)
    conn.execute(f"DELETE FROM action_history WHERE field = 'notes' AND action_id IN ({a})", actions)
    conn.execute(f"DELETE FROM import_changes WHERE (table_name = 'contacts' AND row_id IN ({c})) "
                 f"OR (table_name = 'responses' AND row_id IN ({r}))", (*contacts, *responses))
    conn.execute("UPDATE import_rejects SET value = NULL WHERE lower(trim(value)) = ?", (email,))
    conn.execute(f"UPDATE contacts SET email = NULL, first_name = NULL, last_name = NULL, role = NULL, "
                 f"erased_at = ? WHERE id IN ({c})", (now_iso(), *contacts))
    return done


def erasures(ws: Workspace | None, workspace: Path | None = None) -> list[dict[str, Any]]:
    """The erasures recorded in ``ws``'s ``audit_log`` and in the erasure log of ``workspace`` (default:
    ``ws.path``), each once: ``{at, email_sha256, …}``. ``ws`` is None when the file cannot be read."""
    where = workspace if workspace is not None else None if ws is None else ws.path
    if where is None:
        raise ValueError("erasures: give the workspace or its path")
    out = list(erasure_log.read(Path(where)))
    rows = [] if ws is None else ws.query("SELECT at, detail FROM audit_log WHERE what = ? ORDER BY id", (ERASE,))
    for row in rows:
        try:
            detail = json.loads(row["detail"] or "{}")
        except ValueError:
            continue
        if isinstance(detail, dict) and detail.get("email_sha256"):
            out.append({"at": row["at"], **detail})
    unique = {(r["at"], r["email_sha256"]): r for r in out}
    return sorted(unique.values(), key=lambda r: r["at"])


def is_erased(ws: Workspace, email: str) -> bool:
    """Whether ``email`` belongs to a person erased on request (importers skip such rows)."""
    digest = email_hash(email)
    return ws.conn.execute("SELECT 1 FROM audit_log WHERE what = ? AND json_extract(detail, '$.email_sha256') = ?",
                        (ERASE, digest)).fetchone() is not None


def reapply_erasures(ws: Workspace, records: list[dict[str, Any]]) -> int:
    """Erase again, in one transaction, every person in ``records`` found in the workspace (after a
    restore of an older backup), and put the missing records back into ``audit_log``; return how many
    people were erased again."""
    if not records:
        return 0
    wanted = {r["email_sha256"] for r in records}
    again = 0
    with _overwriting(ws), ws.transaction() as conn:
        emails = {r[0] for r in conn.execute("SELECT email FROM contacts WHERE email IS NOT NULL "
                                             "UNION SELECT email FROM responses WHERE email IS NOT NULL")}
        for email in sorted(emails):
            if email_hash(email) in wanted:
                _erase(conn, normalise_email(email))
                again += 1
        logged = {(r[0], r[1]) for r in conn.execute(
            "SELECT at, json_extract(detail, '$.email_sha256') FROM audit_log WHERE what = ?", (ERASE,))}
        for record in records:
            if (record["at"], record["email_sha256"]) not in logged:
                detail = {k: v for k, v in record.items() if k != "at"}
                conn.execute("INSERT INTO audit_log(at, what, detail) VALUES (?, ?, ?)",
                             (record["at"], ERASE, json.dumps(detail)))
    return again


# -- anonymised export ----------------------------------------------------------------------------
def _luhn(digits: str) -> bool:
    """Whether a card number's check digit is right (the Luhn formula)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match[0])
    return "[card number]" if _luhn(digits) else match[0]


def scrub(text: str | None, names: tuple[str | None, ...] = (), known: frozenset[str] = frozenset()) -> str | None:
    """``text`` with email addresses, links, IBANs and card numbers, phone numbers, @handles, domains, the
    given ``names`` (any case) and any capitalised word in ``known`` (the workspace's names) masked."""
    if not text:
        return text
    text = _EMAIL.sub("[email]", text)
    text = _LINK.sub("[link]", text)
    text = _IBAN.sub("[account number]", text)
    text = _CARD.sub(_card, text)
    text = _PHONE.sub("[phone]", text)
    text = _HANDLE.sub("[handle]", text)
    text = _DOMAIN.sub("[domain]", text)
    for name in {n.strip() for n in names if n and len(n.strip()) >= 2}:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[name]", text, flags=re.IGNORECASE)
    if known:
        text = _CAPITALISED.sub(lambda m: "[name]" if m[0] in known else m[0], text)
    return text


def known_names(ws: Workspace) -> frozenset[str]:
    """Every contact's first and last name and every account's name (words of three letters or more)."""
    rows = ws.conn.execute("SELECT first_name FROM contacts UNION SELECT last_name FROM contacts "
                           "UNION SELECT name FROM accounts")
    return frozenset(w for (value,) in rows if value for w in value.split() if len(w) >= 3 and w[0].isupper())


def anonymised_responses(ws: Workspace) -> Iterator[dict[str, Any]]:
    """Every response without anything that identifies a person or an account.

    No email, names, ids, account name or domain, and no day (the month is kept). A respondent is a
    number (``R1``, ``R2``, … in order of first response) that exists only in this export, so answers
    of one person can be told apart without knowing who they are. Comments are ``scrub``-bed, also of
    every name the workspace knows.
    """
    respondents: dict[Any, str] = {}
    known = known_names(ws)
    rows = ws.conn.execute(
        "SELECT r.id, r.contact_id, r.email, r.month, r.quarter, r.score, r.kind, r.touchpoint, r.product, "
        "r.comment, c.role, c.first_name, c.last_name, a.tier, a.region, a.industry, a.lifecycle_stage "
        "FROM responses r LEFT JOIN contacts c ON c.id = r.contact_id "
        "LEFT JOIN accounts a ON a.id = r.account_id ORDER BY r.responded_at, r.id")
    for row in rows:
        who = row["contact_id"] if row["contact_id"] is not None else (row["email"] or ("response", row["id"]))
        respondent = respondents.setdefault(who, f"R{len(respondents) + 1}")
        yield {"respondent": respondent, "month": row["month"], "quarter": row["quarter"],
               "score": row["score"], "category": nps.classify(row["score"]), "kind": row["kind"],
               "touchpoint": row["touchpoint"], "product": row["product"], "role": row["role"],
               "account_tier": row["tier"], "account_region": row["region"],
               "account_industry": row["industry"], "account_lifecycle_stage": row["lifecycle_stage"],
               "comment": scrub(row["comment"], (row["first_name"], row["last_name"]), known)}


def export_anonymised(ws: Workspace, out: str | os.PathLike[str]) -> int:
    """Write ``anonymised_responses`` to a CSV file (UTF-8 with BOM, for Excel); return the row count."""
    out = Path(out)
    if out.suffix.lower() != ".csv":
        raise WorkspaceError(f"{out.name}: the anonymised export is written as .csv")
    count = 0
    try:
        with replacing(out) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(safe_row(EXPORT_COLUMNS))
            for row in anonymised_responses(ws):
                writer.writerow(safe_row(row[c] for c in EXPORT_COLUMNS))
                count += 1
    except OSError as exc:
        raise WorkspaceError(f"Cannot write {out}: {disk.reason(exc)}.") from None
    return count
