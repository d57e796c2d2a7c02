"""What was imported: the batches (file, sha256, when, counts), their rejected rows (also as an .xlsx a
user can fix and re-import), and the responses not mapped to any account."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..export_safety import discard_workbook, replacing, safe_row
from ..workspace import Workspace

_COUNTS = ("rows", "imported", "updated", "duplicates", "rejected", "skipped")


@dataclass
class Batch:
    id: int
    file: str
    path: str | None
    sha256: str
    kind: str
    preset: str | None
    imported_at: str
    rows: int
    imported: int
    updated: int
    duplicates: int
    rejected: int
    skipped: int
    undone_at: str | None
    mapping: dict[str, Any]

    @property
    def undone(self) -> bool:
        return self.undone_at is not None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


_SELECT = ("SELECT id, file_name, file_path, sha256, kind, preset, imported_at, rows, imported, updated, "
           "duplicates, rejected, skipped, undone_at, mapping FROM import_batches")


def _batch(row) -> Batch:
    return Batch(*row[:14], json.loads(row[14]) if row[14] else {})


def list_batches(ws: Workspace) -> list[Batch]:
    """Every batch, newest first."""
    return [_batch(r) for r in ws.conn.execute(_SELECT + " ORDER BY id DESC")]


def get_batch(ws: Workspace, batch_id: int) -> Batch | None:
    row = ws.conn.execute(_SELECT + " WHERE id = ?", (batch_id,)).fetchone()
    return None if row is None else _batch(row)


@dataclass
class RejectRow:
    row: int
    column: str | None
    value: str | None
    reason: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def rejects(ws: Workspace, batch_id: int) -> list[RejectRow]:
    return [RejectRow(*r) for r in ws.conn.execute(
        'SELECT row, "column", value, reason FROM import_rejects WHERE batch_id = ? ORDER BY row, id',
        (batch_id,))]


def write_rejects_xlsx(rows: list[RejectRow], out: str | Path, file_name: str = "") -> Path:
    """The rejected rows as a worksheet: row as Excel shows it, column, value, reason."""
    from openpyxl import Workbook

    out = Path(out)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Rejected rows")
    ws.append(safe_row([f"Rejected rows of {file_name}" if file_name else "Rejected rows"]))
    ws.append(["Row", "Column", "Value", "Reason"])
    for r in rows:
        ws.append(safe_row([r.row, r.column, r.value, r.reason]))
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with replacing(out) as tmp:
            wb.save(tmp)
    finally:
        discard_workbook(wb)
    return out


@dataclass
class UnmappedResponse:
    id: int
    responded_on: str
    score: int
    email: str | None
    source: str | None
    comment: str | None
    batch_id: int | None


def unmapped_responses(ws: Workspace, batch_id: int | None = None, limit: int = 1000) -> list[UnmappedResponse]:
    """Responses linked to no account (of one batch, or all), newest first."""
    where = "account_id IS NULL" + (" AND import_batch_id = ?" if batch_id is not None else "")
    params: list[Any] = [batch_id] if batch_id is not None else []
    return [UnmappedResponse(*r) for r in ws.conn.execute(
        f"SELECT id, responded_on, score, email, source, comment, import_batch_id FROM responses "
        f"WHERE {where} ORDER BY responded_at DESC, id DESC LIMIT ?", params + [limit])]



def mapped_counts(ws: Workspace) -> tuple[int, int]:
    """(responses, of which mapped to an account), over the whole workspace."""
    total, mapped = ws.conn.execute("SELECT count(*), count(account_id) FROM responses").fetchone()
    return total, mapped
