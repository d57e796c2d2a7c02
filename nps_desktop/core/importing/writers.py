"""Writing one batch's valid rows, per kind, inside the import's transaction.

Each writer takes rows as ``(excel_row, {field: value})`` chunk by chunk (``add``), counts what it
imported, updated and found duplicate, returns the rows it had to reject, and ``finish``es the batch.
Responses go through ``core.responses.insert_responses``; accounts and contacts are inserted or updated,
the previous values of updated rows recorded in ``import_changes``; revenue events carry a
``source_key`` so that re-importing them adds nothing.
"""
from __future__ import annotations

import hashlib
import sqlite3
from typing import Any, cast

from .. import responses as core_responses
from . import hooks, respondents
from .linking import Linker, record_change, relink
from .values import email_domain, split_name

Row = tuple[int, dict[str, Any]]
Reject = tuple[int, str | None, Any, str]
#: Above this many rows, when the batch is at least as large as the table, the response indexes are
#: dropped and built again inside the transaction (building an index once beats updating it per row),
#: and the foreign keys are checked once for the whole batch (``importer``) instead of row by row.
BULK_MIN_ROWS = 50_000
#: SQLite's page cache during a bulk import (negative: KiB), restored afterwards.
BULK_CACHE_KB = -262_144
_IN_CHUNK = 500


class Writer:
    kind = ""

    def __init__(self, conn: sqlite3.Connection, batch_id: int, columns: dict[str, str], *,
                 source: str, dry_run: bool, estimated_rows: int, accounts_from_domains: bool = False,
                 bulk: bool | None = None):
        self.conn, self.batch_id, self.dry_run = conn, batch_id, dry_run
        self.bulk = bool(bulk)
        self.accounts_from_domains = accounts_from_domains
        self.columns = columns          # field -> the column it comes from (for reject messages)
        self.source = source
        self.estimated_rows = estimated_rows
        self.imported = self.updated = self.duplicates = 0
        self.relinked = 0

    def add(self, rows: list[Row]) -> list[Reject]:
        raise NotImplementedError

    def dropped_indexes(self) -> list[tuple[str, str]]:
        """``(name, sql)`` of the indexes dropped for a bulk insert."""
        return []

    def indexes_to_build(self) -> list[tuple[str, str]]:
        """The dropped indexes, to build after the last chunk (none for a dry run, which is rolled back);
        the writer forgets them."""
        return []

    def finish(self, step: hooks.Step | None = None, follow_ups: hooks.FollowUps = hooks.NONE) -> None:
        """After the last chunk (still inside the transaction); ``step`` as the follow-ups take it."""

    def reject(self, excel_row: int, field: str, value: Any, reason: str) -> Reject:
        return excel_row, self.columns.get(field), value, reason

    def summary(self) -> dict[str, Any]:
        return {}


# -- responses -----------------------------------------------------------------------------------
class ResponsesWriter(Writer):
    kind = "responses"

    def __init__(self, conn, batch_id, columns, **kw):
        super().__init__(conn, batch_id, columns, **kw)
        self.linker = Linker(conn)
        self.mapped = 0
        self.seen_ids: set[str] = set()
        self.seen_keys: set[str] = set()
        self.existing_ids: dict[str, int | None] | None = None
        self.existing_keys: dict[str, int | None] | None = None
        self.already: dict[int | None, int] = {}    # batch -> rows of this file it imported before
        self.repeated_in_file = 0
        self.respondents = respondents.Respondents(conn, batch_id, self.linker, self.accounts_from_domains)
        self.dropped: list[tuple[Any, ...]] = []
        if kw.get("bulk") is None:
            self.bulk = goes_bulk(conn, "responses", self.estimated_rows)
        if self.bulk:
            self._go_bulk()

    def _go_bulk(self) -> None:
        """Remember the stored keys, then drop the indexes until they are built again after the last chunk
        (``indexes_to_build``; a dry run, rolled back, builds none)."""
        self.existing_ids = dict(self.conn.execute(
            "SELECT source_id, import_batch_id FROM responses WHERE source = ? AND source_id IS NOT NULL "
            "AND content_key IS NULL", (self.source,)).fetchall())
        self.existing_keys = dict(self.conn.execute(
            "SELECT content_key, import_batch_id FROM responses WHERE content_key IS NOT NULL").fetchall())
        self.dropped = [tuple(r) for r in self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'responses' "
            "AND sql IS NOT NULL ORDER BY name").fetchall()]
        if self.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] <= self.estimated_rows:
            # each new respondent becomes a contact: their lookups by account and batch are built once too
            # (the unique email index stays: it keeps one contact per address)
            self.dropped += [tuple(r) for r in self.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name").fetchall()]
        for name, _ in self.dropped:
            self.conn.execute(f'DROP INDEX "{name}"')
        self.cache_size = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KB}")   # fewer spills while inserting and sorting

    def add(self, rows: list[Row]) -> list[Reject]:
        fresh: list[dict[str, Any]] = []
        for _, v in rows:
            ckey = v.get("content_key")
            # a row without a content key has a source id (``keys.RowKeys``)
            key, seen = (ckey, self.seen_keys) if ckey is not None else (cast(str, v.get("source_id")), self.seen_ids)
            if key in seen:   # the same response id twice in this file
                self.duplicates += 1
                self.repeated_in_file += 1
                continue
            seen.add(key)
            fresh.append(v)
        stored_ids, stored_keys = self._stored(fresh)
        unseen = []
        for v in fresh:
            ckey = v.get("content_key")
            stored, key = (stored_keys, ckey) if ckey is not None else (stored_ids, v.get("source_id"))
            if key in stored:
                batch = stored[key]
                self.already[batch] = self.already.get(batch, 0) + 1
            else:
                unseen.append(v)
        self.respondents.add_contacts(unseen)
        new = []
        link = self.linker.response
        for v in unseen:
            email, ckey = v.get("email"), v.get("content_key")
            contact_id, account_id = link(email, v.get("account"))
            new.append({"score": v["score"], "comment": v.get("comment"), "responded_at": v["responded_at"],
                        "kind": v.get("kind"), "touchpoint": v.get("touchpoint"), "product": v.get("product"),
                        "contact_id": contact_id, "account_id": account_id, "email": email,
                        "source": self.source, "source_id": v.get("source_id"), "import_batch_id": self.batch_id,
                        "content_key": ckey})
        self.duplicates += len(fresh) - len(new)
        self.imported += len(new)
        self.mapped += sum(1 for r in new if r["account_id"] is not None)
        core_responses.insert_responses(self.conn, new)
        return []

    def _stored(self, rows: list[dict[str, Any]]) -> tuple[dict[str, int | None], dict[str, int | None]]:
        """Which of these rows' keys the workspace already holds, each with the batch that brought it."""
        if self.existing_ids is not None and self.existing_keys is not None:   # _go_bulk sets both
            return self.existing_ids, self.existing_keys
        ids = [r["source_id"] for r in rows if r.get("content_key") is None and r.get("source_id") is not None]
        keys = [r["content_key"] for r in rows if r.get("content_key") is not None]
        return (_present(self.conn, "SELECT source_id, import_batch_id FROM responses WHERE source = ? "
                                    "AND content_key IS NULL AND source_id IN ({})", [self.source], ids),
                _present(self.conn, "SELECT content_key, import_batch_id FROM responses "
                                    "WHERE content_key IN ({})", [], keys))

    def dropped_indexes(self) -> list[tuple[str, str]]:
        return list(self.dropped)

    def indexes_to_build(self) -> list[tuple[str, str]]:
        dropped, self.dropped = self.dropped, []
        if dropped:
            self.conn.execute(f"PRAGMA cache_size = {self.cache_size}")
        return [] if self.dry_run else dropped

    def finish(self, step: hooks.Step | None = None, follow_ups: hooks.FollowUps = hooks.NONE) -> None:
        for _, sql in self.indexes_to_build():   # a caller that did not build them first
            self.conn.execute(sql)
        if self.dry_run or not self.imported:
            return
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM responses WHERE import_batch_id = ? ORDER BY id", (self.batch_id,))]
        follow_ups.responses_added(self.conn, ids, self.batch_id, step)

    def summary(self) -> dict[str, Any]:
        return {"mapped": self.mapped,
                "mapped_share": round(self.mapped / self.imported, 4) if self.imported else None,
                "already_imported": already_imported(self.conn, self.already),
                "repeated_in_file": self.repeated_in_file, "contacts_created": self.respondents.contacts,
                "accounts_created": self.respondents.accounts}


def goes_bulk(conn: sqlite3.Connection, kind: str, estimated_rows: int) -> bool:
    """Whether an import of ``estimated_rows`` rows of ``kind`` takes the bulk path: responses, at least
    ``BULK_MIN_ROWS`` of them and at least as many as the workspace holds (so that building the indexes
    once, and checking the foreign keys once, costs no more than the rows themselves)."""
    if kind != "responses" or estimated_rows < BULK_MIN_ROWS:
        return False
    return estimated_rows >= conn.execute("SELECT count(*) FROM responses").fetchone()[0]


def already_imported(conn: sqlite3.Connection, counts: dict[int | None, int]) -> list[dict[str, Any]]:
    """Rows found already imported, per earlier batch (its id and day), oldest batch first."""
    out = []
    for batch, n in sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        row = conn.execute("SELECT imported_at FROM import_batches WHERE id = ?", (batch,)).fetchone()
        out.append({"batch_id": batch, "imported_on": row[0][:10] if row else None, "rows": n})
    return out


def _present(conn: sqlite3.Connection, sql: str, params: list[Any], keys: list[str]) -> dict[str, Any]:
    """key -> the second column of ``sql``'s rows, for the keys found."""
    found: dict[str, Any] = {}
    for i in range(0, len(keys), _IN_CHUNK):
        part = keys[i:i + _IN_CHUNK]
        found.update(conn.execute(sql.format(",".join("?" * len(part))), params + part).fetchall())
    return found


# -- accounts and contacts: insert or update -----------------------------------------------------
class _Upsert(Writer):
    """Insert new rows, update changed ones (recording their previous values), count the same."""
    table = ""
    columns_stored: tuple[str, ...] = ()

    def __init__(self, conn, batch_id, columns, **kw):
        super().__init__(conn, batch_id, columns, **kw)
        cols = ", ".join(("id",) + self.columns_stored)
        self.rows: dict[int, dict[str, Any]] = {
            r[0]: dict(zip(self.columns_stored, r[1:]))
            for r in conn.execute(f"SELECT {cols} FROM {self.table}")}
        self.inserted: set[int] = set()
        self.linker = Linker(conn)

    def store(self, match: int | None, values: dict[str, Any]) -> None:
        values = {k: v for k, v in values.items() if v is not None}
        if match is None:
            cols = list(values) + ["import_batch_id"]
            cur = self.conn.execute(
                f"INSERT INTO {self.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [*values.values(), self.batch_id])
            new_id = cast(int, cur.lastrowid)   # an INSERT's cursor always has its rowid
            self.rows[new_id] = {c: values.get(c) for c in self.columns_stored}
            self.inserted.add(new_id)
            self.imported += 1
            self.on_insert(new_id, values)
            return
        old = self.rows[match]
        diff = {k: v for k, v in values.items() if old.get(k) != v}
        if not diff:
            self.duplicates += 1
            return
        if match not in self.inserted:
            record_change(self.conn, self.batch_id, self.table, match, {k: old.get(k) for k in diff})
            self.updated += 1
        else:
            self.duplicates += 1   # the same row again in this file, with other values: the last wins
        self.conn.execute(f"UPDATE {self.table} SET {', '.join(f'{k} = ?' for k in diff)} WHERE id = ?",
                          [*diff.values(), match])
        old.update(diff)
        self.on_insert(match, old)

    def on_insert(self, row_id: int, values: dict[str, Any]) -> None:
        """Keep lookups current for the rows that follow."""

    def finish(self, step: hooks.Step | None = None, follow_ups: hooks.FollowUps = hooks.NONE) -> None:
        if not self.dry_run and (self.imported or self.updated):
            self.relinked = relink(self.conn, self.batch_id)

    def summary(self) -> dict[str, Any]:
        return {"relinked": self.relinked}


class AccountsWriter(_Upsert):
    kind = table = "accounts"
    columns_stored = ("external_id", "name", "domain", "arr", "seats", "industry", "region", "tier",
                      "lifecycle_stage", "customer_since", "renewal_date", "owner", "status")

    def __init__(self, conn, batch_id, columns, **kw):
        super().__init__(conn, batch_id, columns, **kw)
        self.by_ext = {str(v["external_id"]): i for i, v in self.rows.items() if v["external_id"] is not None}
        self.by_domain: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        for i, v in self.rows.items():
            self.on_insert(i, v)

    def on_insert(self, row_id: int, values: dict[str, Any]) -> None:
        if values.get("external_id") is not None:
            self.by_ext[str(values["external_id"])] = row_id
        if values.get("domain"):
            self.by_domain.setdefault(values["domain"], row_id)
        if values.get("name"):
            self.by_name.setdefault(" ".join(values["name"].lower().split()), row_id)

    def add(self, rows: list[Row]) -> list[Reject]:
        rejects = []
        for excel_row, v in rows:
            ext, name, domain = v.get("external_id"), v.get("name"), v.get("domain")
            match = self.by_ext.get(ext) if ext is not None else None
            if match is None:   # by domain, else by name, unless that account has another id
                match = self.by_domain.get(domain) if domain is not None else None
                if match is None and name:
                    match = self.by_name.get(" ".join(name.lower().split()))
                if match is not None and ext is not None and self.rows[match]["external_id"] is not None:
                    match = None
            if match is None and not name:
                rejects.append(self.reject(excel_row, "name", "", "a new account needs a name"))
                continue
            self.store(match, {k: v.get(k) for k in self.columns_stored})
        return rejects


class ContactsWriter(_Upsert):
    kind = table = "contacts"
    columns_stored = ("email", "first_name", "last_name", "role", "account_id", "opted_out", "bounced")

    def __init__(self, conn, batch_id, columns, **kw):
        super().__init__(conn, batch_id, columns, **kw)
        self.by_email = {v["email"]: i for i, v in self.rows.items() if v["email"]}

    def on_insert(self, row_id: int, values: dict[str, Any]) -> None:
        self.by_email[values["email"]] = row_id

    def add(self, rows: list[Row]) -> list[Reject]:
        for _, v in rows:
            email = v["email"]
            first, last = v.get("first_name"), v.get("last_name")
            if v.get("name") and not (first or last):
                first, last = split_name(v["name"])
            opted_out = v.get("opted_out")
            if opted_out is None and v.get("subscribed") is not None:
                opted_out = not v["subscribed"]
            match = self.by_email.get(email)
            old = self.rows.get(match, {}) if match is not None else {}
            if old.get("opted_out") and opted_out is False:
                opted_out = None   # an import never re-subscribes someone who opted out
            account_id = self.linker.account(v.get("account"), v.get("account_name"))
            if account_id is None and not old.get("account_id"):
                account_id = self.linker.by_domain.get(email_domain(email))
            self.store(match, {"email": email, "first_name": first, "last_name": last, "role": v.get("role"),
                               "account_id": account_id,
                               "opted_out": None if opted_out is None else int(opted_out),
                               "bounced": None if v.get("bounced") is None else int(v["bounced"])})
        return []


# -- revenue events ------------------------------------------------------------------------------
_NEGATIVE = {"churn", "downsell"}
_POSITIVE = {"upsell", "cross_sell", "new"}


class RevenueWriter(Writer):
    kind = "revenue"

    def __init__(self, conn, batch_id, columns, **kw):
        super().__init__(conn, batch_id, columns, **kw)
        self.linker = Linker(conn)

    def add(self, rows: list[Row]) -> list[Reject]:
        rejects, fresh = [], []
        for excel_row, v in rows:
            account_id = self.linker.account(v.get("account"), v.get("account_name"))
            if account_id is None:
                field = "account" if v.get("account") is not None else "account_name"
                value = v.get(field) or ""
                rejects.append(self.reject(excel_row, field, value,
                                           "no such account in the workspace (import the accounts first)"))
                continue
            kind, change = v["kind"], v.get("arr_change") or 0.0
            if kind in _NEGATIVE:
                change = -abs(change)
            elif kind in _POSITIVE:
                change = abs(change)
            if v.get("source_key") is not None:
                key = f"id:{v['source_key']}"
            else:
                ref = v.get("account") or v.get("account_name")
                key = "key:" + hashlib.sha1(f"{ref}\x1f{kind}\x1f{v['occurred_on']}\x1f{change:.2f}"
                                            .encode()).hexdigest()
            fresh.append((account_id, kind, v["occurred_on"], v.get("arr_before"), change, v.get("note"),
                          key, self.batch_id))
        before = self.conn.total_changes
        self.conn.executemany(
            "INSERT OR IGNORE INTO revenue_events(account_id, kind, occurred_on, arr_before, arr_change, note, "
            "source_key, import_batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", fresh)
        inserted = self.conn.total_changes - before
        self.imported += inserted
        self.duplicates += len(fresh) - inserted
        return rejects


WRITERS: dict[str, type[Writer]] = {"responses": ResponsesWriter, "accounts": AccountsWriter,
                                    "contacts": ContactsWriter, "revenue": RevenueWriter}


def writer_for(kind: str) -> type[Writer]:
    return WRITERS[kind]
