"""Tying responses to contacts and accounts.

A response links to a contact by its normalised email; to an account by the account id in its row,
else through its contact, else by its email's domain being one account's domain. After an accounts or
contacts import, responses (and contacts) that were not linked yet are linked the same way, each change
recorded in ``import_changes`` so that undoing the import unlinks them exactly.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from .values import email_domain


class Linker:
    """The workspace's contacts and accounts, as lookups (loaded once per import)."""

    def __init__(self, conn: sqlite3.Connection):
        self.contacts: dict[str, tuple[int, int | None]] = {
            email: (cid, aid) for cid, email, aid in
            conn.execute("SELECT id, email, account_id FROM contacts WHERE email IS NOT NULL")}
        self.by_ext: dict[str, int] = {}
        by_domain: dict[str, list[int]] = {}
        by_name: dict[str, list[int]] = {}
        for aid, ext, name, domain in conn.execute("SELECT id, external_id, name, domain FROM accounts"):
            if ext is not None:
                self.by_ext[str(ext)] = aid
            if domain:
                by_domain.setdefault(domain, []).append(aid)
            by_name.setdefault(" ".join(name.lower().split()), []).append(aid)
        # a domain or a name shared by two accounts links to neither
        self.by_domain = {d: ids[0] for d, ids in by_domain.items() if len(ids) == 1}
        self.by_name = {n: ids[0] for n, ids in by_name.items() if len(ids) == 1}

    def account(self, ref: str | None = None, name: str | None = None) -> int | None:
        """An account by its external id, else by its (unique) name."""
        if ref is not None and ref in self.by_ext:
            return self.by_ext[ref]
        if name is not None:
            return self.by_name.get(" ".join(name.lower().split()))
        return None

    def response(self, email: str | None, account_ref: str | None) -> tuple[int | None, int | None]:
        """``(contact_id, account_id)`` of a response."""
        contact_id = account_id = None
        if email is not None:
            hit = self.contacts.get(email)
            if hit is not None:
                contact_id, account_id = hit
        if account_ref is not None and account_ref in self.by_ext:
            account_id = self.by_ext[account_ref]
        if account_id is None and email is not None and self.by_domain:
            account_id = self.by_domain.get(email_domain(email))
        return contact_id, account_id


def record_change(conn: sqlite3.Connection, batch_id: int, table: str, row_id: int,
                  before: dict[str, Any]) -> None:
    conn.execute("INSERT INTO import_changes(batch_id, table_name, row_id, before) VALUES (?, ?, ?, ?)",
                 (batch_id, table, row_id, json.dumps(before)))


def relink(conn: sqlite3.Connection, batch_id: int) -> int:
    """Link unlinked contacts (by domain) and responses (by email, contact, domain) to what the
    workspace holds now; returns how many rows changed. Each change is recorded for undo."""
    linker = Linker(conn)
    changed = 0
    contacts_now = {}
    for cid, email in conn.execute("SELECT id, email FROM contacts WHERE account_id IS NULL "
                                   "AND email IS NOT NULL").fetchall():
        aid = linker.by_domain.get(email_domain(email))
        if aid is not None:
            conn.execute("UPDATE contacts SET account_id = ? WHERE id = ?", (aid, cid))
            record_change(conn, batch_id, "contacts", cid, {"account_id": None})
            contacts_now[email] = (cid, aid)
            changed += 1
    linker.contacts.update(contacts_now)
    rows = conn.execute("SELECT id, email, contact_id, account_id FROM responses "
                        "WHERE (contact_id IS NULL OR account_id IS NULL) AND email IS NOT NULL").fetchall()
    for rid, email, contact_id, account_id in rows:
        new_contact, new_account = linker.response(email, None)
        updates = {}
        if contact_id is None and new_contact is not None:
            updates["contact_id"] = new_contact
        if account_id is None and new_account is not None:
            updates["account_id"] = new_account
        if updates:
            conn.execute(f"UPDATE responses SET {', '.join(f'{k} = ?' for k in updates)} WHERE id = ?",
                         (*updates.values(), rid))
            record_change(conn, batch_id, "responses", rid, {k: None for k in updates})
            changed += 1
    return changed
