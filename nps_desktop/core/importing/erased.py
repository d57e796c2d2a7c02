"""People erased on request stay erased: an import skips their rows.

``privacy.erase_contact`` keeps, in the audit log, a SHA-256 of the person's email and of each of their
responses' ids in a survey tool's export (never the values). A row is skipped when its email, or its
response id in the same tool, hashes to one of those: re-importing the same file, a longer export of the
same survey, or a contact list brings neither their responses nor their contact back. Rows of files
without a tool's id keep their fingerprint (``content_key``) through the erasure and are found already
imported.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from .. import privacy

REASON = "erased on request"


class Erased:
    """Whether an imported row belongs to a person erased on request."""

    def __init__(self, conn: sqlite3.Connection, source: str):
        self.source = source
        self.emails: set[str] = set()
        self.ids: set[str] = set()
        for (detail,) in conn.execute("SELECT detail FROM audit_log WHERE what = ?", (privacy.ERASE,)):
            try:
                record = json.loads(detail or "{}")
            except ValueError:
                continue
            if isinstance(record, dict):
                self.emails.add(str(record.get("email_sha256")))
                self.ids.update(record.get("response_ids_sha256") or ())

    def __call__(self, values: dict[str, Any]) -> bool:
        if not self.emails:
            return False
        email, source_id = values.get("email"), values.get("source_id")
        return bool(email and privacy.email_hash(email) in self.emails
                    or source_id and privacy.response_id_hash(self.source, str(source_id)) in self.ids)
