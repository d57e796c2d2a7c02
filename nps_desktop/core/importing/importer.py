"""Importing a file: preview → plan → commit.

- ``preview(path, options)`` reads the head of the file and says what it is: the kind of data, the tool
  that wrote it, the suggested mapping column → field, the date order, the sample rows.
- ``plan(ws, preview)`` runs the whole import and rolls it back: the exact counts a commit would give
  (rows, new, duplicates, rejected, skipped, mapped to accounts), with nothing written.
- ``commit(ws, preview)`` runs it for real in ONE transaction: all valid rows or nothing. Invalid rows
  never block the valid ones; each is recorded in ``import_rejects`` with the row number Excel shows,
  the column, the value and the reason. Cancelling (``cancelled()`` true) rolls everything back.

Both take ``progress(done, total)`` and ``cancelled()`` callables. ``import_file`` does all three.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

from .. import as_of, backups, clock
from ..workspace import Workspace, now_iso
from . import errors, hooks, mapping as mapping_mod, presets
from .erased import REASON as ERASED, Erased
from .keys import RowKeys
from .mapping import PARSERS, Profile
from .readers import Table, read_table
from .values import DATE_ORDERS, DateParser, detect_date_order, is_missing, parse_text
from .writers import goes_bulk, writer_for
from ..snapshot import store, update

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
#: The total ``progress`` is given once every row is written and the indexes a bulk import dropped are
#: built again (both counted on the bar, and cancellable), while the batch is finished; then the follow-ups (comment tags, the plays' actions) report ``(done, total)`` again
#: and can be cancelled, until the last call, ``(rows, rows)``.
FINISHING = 0
CHUNK = 5000
#: A bulk import's bar gives each index it builds again after the rows this share of the rows' part.
INDEX_SHARE = 16
#: SQLite steps between two looks at ``cancelled()`` while an index is built.
INDEX_CHECK_STEPS = 50_000
#: A row whose first filled cell says this is a totals row; it and the rows below it are skipped.
_TOTALS = re.compile(r"^(?:grand\s+)?(?:totals?|sum|count)\s*(?:[:(].*)?$", re.IGNORECASE)
_TOTALS_INITIALS = set("GgTtSsCc")
#: Qualtrics' numeric response types that are not real responses.
_QUALTRICS_NOT_REAL = {1: "survey preview", 2: "survey test", 8: "spam", 9: "survey preview", 12: "spam",
                       17: "survey preview"}
MAX_VALUE_TEXT = 300
#: Set in a row's values when its survey type is not NPS (the row is skipped).
_NOT_NPS = "not_nps"


@dataclass
class ImportOptions:
    kind: str | None = None                  # responses, accounts, contacts, revenue; None: detect
    sheet: str | None = None
    mapping: dict[str, str] | None = None    # column -> field, replacing the suggested mapping
    remap: dict[str, str] | None = None      # column -> field (or ""), changing the mapping chosen
    profile: str | None = None               # a saved mapping profile's name
    date_order: str | None = None            # mdy or dmy, when the file's values do not decide
    source: str | None = None                # the survey tool stored on responses (default: the preset)
    save_profile: str | None = None          # save the mapping used under this name (on commit)
    responded_on: str | None = None          # YYYY-MM-DD: the date of every row of a file without dates
    accounts_from_domains: bool = False      # create accounts from respondents' company email domains


@dataclass
class Preview:
    """What a file is and how it would be imported. ``problem`` is why it cannot be, if it cannot."""
    table: Table
    options: ImportOptions
    kind: str | None
    preset: str
    mapping: dict[str, str]
    score_candidates: list[str]
    date_order: str | None
    ambiguous_dates: tuple[str, str] | None = None     # (column, example) when the order is unknown
    problem: errors.ImportRefused | None = None
    candidates: dict[str, list[str]] = field(default_factory=dict)   # field -> columns, likeliest first

    @property
    def path(self) -> Path:
        return self.table.source.path

    @property
    def columns(self) -> list[str]:
        return self.table.columns

    @property
    def known_kind(self) -> str:
        """The kind; raises why it is unknown (``problem`` says so) for a file whose kind is not known."""
        if self.kind is None:
            raise self.problem or errors.unknown_kind(self.path, self.columns)
        return self.kind

    @property
    def source(self) -> str:
        if self.options.source:
            return self.options.source
        if self.preset == "generic" and self.options.profile:
            return self.options.profile
        return self.preset

    def field_columns(self) -> dict[str, str]:
        """field -> column."""
        return {f: c for c, f in self.mapping.items()}

    def samples(self, column: str, n: int = 3) -> list[str]:
        """The first ``n`` distinct non-blank values of a column, as text."""
        out: list[str] = []
        for v in self.table.column_values(column):
            t = parse_text(v)
            if t and t not in out:
                out.append(t)
                if len(out) == n:
                    break
        return out

    def question(self, column: str) -> str:
        """A column's full question text (Qualtrics' and SurveyMonkey's header rows), else its name."""
        return self.table.header.labels[self.columns.index(column)]

    def choices(self) -> list[dict[str, Any]]:
        """Per chosen field (score, date, comment, id): the column chosen with its question, the other
        candidates, and the rule that chose (what the dry run, the wizard and ``--json`` show)."""
        if self.kind != "responses":
            return []
        chosen = self.field_columns()
        out = []
        for name in presets.CHOSEN_FIELDS:
            column = chosen.get(name)
            others = [c for c in self.candidates.get(name, []) if c != column]
            out.append({"field": name, "label": mapping_mod.get_field(self.kind, name).label, "column": column,
                        "question": self.question(column) if column else None,
                        "candidates": [{"column": c, "question": self.question(c)} for c in others],
                        "rule": presets.CHOICE_RULES[name]})
        if "responded_at" not in chosen and self.options.responded_on:
            out[1]["given"] = self.options.responded_on
        return out

    def check(self) -> None:
        """Raise the reason this preview cannot be imported, if there is one."""
        if self.problem is not None:
            raise self.problem
        if self.ambiguous_dates is not None and self.date_order is None:
            raise errors.ambiguous_dates(self.path, *self.ambiguous_dates)

    def adjust(self, ws: Workspace | None = None, **changes: Any) -> "Preview":
        """The same file with other options (kind, mapping, date_order …), re-resolved (``ws`` loads a
        saved profile)."""
        return resolve(self.table, replace(self.options, **changes), ws, strict=False)


@dataclass
class ImportResult:
    file: str
    kind: str
    preset: str
    source: str
    sha256: str
    dry_run: bool
    batch_id: int | None = None
    rows: int = 0
    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    rejects: list[tuple[int, str | None, str, str]] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    date_order: str | None = None
    choices: list[dict[str, Any]] = field(default_factory=list)   # Preview.choices()
    extra: dict[str, Any] = field(default_factory=dict)   # mapped, mapped_share, relinked

    @property
    def mapped_share(self) -> float | None:
        return self.extra.get("mapped_share")

    @property
    def nothing_new(self) -> bool:
        """Rows already imported, and nothing else but skipped rows: an import that changes nothing."""
        return self.duplicates > 0 and not (self.imported or self.updated or self.rejected)

    def duplicate_notes(self) -> list[str]:
        """Why rows were not imported again, one line per reason."""
        out = []
        earlier = self.extra.get("earlier")
        already = self.extra.get("already_imported", [])
        if self.nothing_new and earlier and not self.dry_run:
            out.append(f"already imported on {earlier['imported_on']} (batch {earlier['batch_id']}): nothing new")
            already = [b for b in already if b["batch_id"] != earlier["batch_id"]]
        for b in already:
            rows = f"{b['rows']} row{'s' if b['rows'] != 1 else ''}"
            out.append(f"{rows} already imported on {b['imported_on']}, batch {b['batch_id']}"
                       if b["batch_id"] is not None else f"{rows} already in the workspace")
        if self.extra.get("repeated_in_file"):
            n = self.extra["repeated_in_file"]
            out.append(f"{n} row{'s' if n != 1 else ''} repeat a response id given earlier in this file")
        return out

    def as_json(self) -> dict[str, Any]:
        return {"batch_id": self.batch_id, "file": self.file, "kind": self.kind, "preset": self.preset,
                "source": self.source, "sha256": self.sha256, "dry_run": self.dry_run, "rows": self.rows,
                "imported": self.imported, "updated": self.updated, "duplicates": self.duplicates,
                "rejected": self.rejected, "skipped": self.skipped, "skipped_reasons": self.skipped_reasons,
                "mapped": self.extra.get("mapped"), "mapped_share": self.extra.get("mapped_share"),
                "relinked": self.extra.get("relinked", 0), "mapping": self.mapping,
                "date_order": self.date_order, "duplicate_notes": self.duplicate_notes(),
                "blanked": self.extra.get("blanked", {}), "choices": self.choices,
                "already_imported": self.extra.get("already_imported", []),
                "rejects": [{"row": r, "column": c, "value": v, "reason": why} for r, c, v, why in self.rejects]}


# -- preview -------------------------------------------------------------------------------------
def preview(path: str | Path, options: ImportOptions | None = None, ws: Workspace | None = None, *,
            strict: bool = True) -> Preview:
    """Read ``path``'s head and resolve how to import it; ``strict`` raises any problem at once.

    ``ws`` (the workspace) is needed only to load a saved profile.
    """
    options = options or ImportOptions()
    if options.kind is not None:
        mapping_mod.check_kind(options.kind)
    if options.date_order is not None and options.date_order not in DATE_ORDERS:
        raise errors.ImportRefused(f"Unknown date order {options.date_order!r}: use mdy or dmy.")
    if options.responded_on is not None:
        options = replace(options, responded_on=check_day(options.responded_on))
    return resolve(read_table(path, options.sheet), options, ws, strict=strict)


def check_day(text: str) -> str:
    """``--responded-on``: a day written YYYY-MM-DD, not after today."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise errors.ImportRefused(f"{text!r} is not a date: write the day the responses were collected "
                                   f"as YYYY-MM-DD.") from None
    if day > clock.today():
        raise errors.ImportRefused(f"{day.isoformat()} is in the future: responses cannot have been "
                                   f"collected then.")
    return day.isoformat()


def resolve(table: Table, options: ImportOptions, ws: Workspace | None = None, *, strict: bool = True) -> Preview:
    kind = options.kind
    profile: Profile | None = None
    if options.profile:
        if ws is None:
            raise errors.ImportRefused("A saved mapping needs a workspace to load it from.")
        profile = mapping_mod.load_profile(ws.conn, options.profile)
        if kind is not None and kind != profile.kind:
            raise errors.ImportRefused(f"The saved mapping {profile.name!r} is for {profile.kind}, not {kind}.")
        kind = profile.kind
    suggestion = presets.suggest(table, kind)
    kind = kind or suggestion.kind
    preview = Preview(table, options, kind, suggestion.preset if kind == "responses" else "generic", {},
                      suggestion.score_candidates, options.date_order, candidates=suggestion.candidates)
    if kind is None:
        preview.problem = errors.unknown_kind(table.source.path, table.columns)
    else:
        chosen = options.mapping if options.mapping is not None else (
            profile.columns if profile else suggestion.mapping)
        try:
            if options.remap:
                chosen = mapping_mod.remap(kind, chosen, options.remap, table.columns)
            preview.mapping = mapping_mod.clean(kind, chosen, table.columns)
        except errors.ImportRefused as exc:
            preview.problem = exc
        missing = mapping_mod.missing(kind, preview.mapping)
        if kind == "responses" and options.responded_on:
            missing = [g for g in missing if g[0].name != "responded_at"]
        if preview.problem is None and missing:
            if kind == "responses" and "score" not in preview.mapping.values():
                preview.problem = errors.no_score_column(table.source.path, table.columns,
                                                         suggestion.candidates.get("score", []))
            elif kind == "responses" and missing[0][0].name == "responded_at":
                preview.problem = errors.no_date_column(table.source.path, table.columns)
            else:
                preview.problem = errors.missing_fields(table.source.path, kind, missing, table.columns)
        if preview.date_order is None and profile is not None:
            preview.date_order = profile.options.get("date_order")
        if preview.date_order is None:
            preview.date_order, preview.ambiguous_dates = decide_date_order(
                table, kind, preview.mapping, suggestion.date_order)
    if strict:
        preview.check()
    return preview


def _date_columns(kind: str, mapping: dict[str, str]) -> list[str]:
    return [c for c, f in mapping.items() if mapping_mod.get_field(kind, f).type in ("date", "datetime")]


def decide_date_order(table: Table, kind: str, mapping: dict[str, str],
                      default: str | None) -> tuple[str | None, tuple[str, str] | None]:
    """The file's date order from its own values (the sample, else every row), else the tool's."""
    cols = _date_columns(kind, mapping)
    if not cols:
        return None, None
    idx = [table.columns.index(c) for c in cols]
    order, example = detect_date_order(cells[i] for _, cells in table.sample for i in idx)
    if order is None and example is not None and not table.complete:
        order, example = detect_date_order(cells[i] for _, cells in table.rows() for i in idx)
    if order is not None or example is None:
        return order, None
    if default is not None:
        return default, None
    column = next(c for c, i in zip(cols, idx)
                  if any(parse_text(cells[i]) == example for _, cells in table.sample))
    return None, (column, example)


# -- plan and commit -----------------------------------------------------------------------------
class _DryRun(Exception):
    def __init__(self, result: ImportResult):
        super().__init__("dry run")
        self.result = result


def plan(ws: Workspace, preview: Preview, progress: Progress | None = None,
         cancelled: Cancelled | None = None) -> ImportResult:
    """Every count a commit would give, from a full run that is rolled back."""
    return _run(ws, preview, True, progress, cancelled)


def commit(ws: Workspace, preview: Preview, progress: Progress | None = None,
           cancelled: Cancelled | None = None, follow_ups: hooks.FollowUps = hooks.NONE) -> ImportResult:
    """Import for real: one transaction, all valid rows or nothing; then ``follow_ups`` in it too."""
    backups.before(ws, f"import {preview.table.name}")  # a verified backup first (data safety)
    before = store.before_write(ws)
    result = _run(ws, preview, False, progress, cancelled, follow_ups)
    if result.batch_id is not None:  # the snapshot takes the new batch on, not a full reload
        store.after_write(ws, before, update.Rows.batch(result.batch_id))
    return result


def import_file(ws: Workspace, path: str | Path, options: ImportOptions | None = None,
                progress: Progress | None = None, cancelled: Cancelled | None = None,
                follow_ups: hooks.FollowUps = hooks.NONE) -> ImportResult:
    return commit(ws, preview(path, options, ws), progress, cancelled, follow_ups)


def save_profile(ws: Workspace, preview: Preview, name: str) -> None:
    """Save the preview's mapping (and date order) as a named profile."""
    with ws.transaction() as conn:
        _save_profile(conn, preview, name)


def _save_profile(conn, preview: Preview, name: str) -> None:
    name = name.strip()
    if not name:
        raise errors.ImportRefused("A saved mapping needs a name.")
    options = {"date_order": preview.date_order} if preview.date_order else {}
    mapping_mod.save_profile(conn, Profile(name, preview.known_kind, dict(preview.mapping), options))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _run(ws: Workspace, preview: Preview, dry_run: bool, progress: Progress | None,
         cancelled: Cancelled | None, follow_ups: hooks.FollowUps = hooks.NONE) -> ImportResult:
    preview.check()
    progress = progress or (lambda done, total: None)
    cancelled = cancelled or (lambda: False)
    sha = file_sha256(preview.path)
    bulk = goes_bulk(ws.conn, preview.known_kind, preview.table.estimated_rows)
    if bulk:   # checked once for the whole batch before the commit (``_check_foreign_keys``), not per row
        ws.conn.execute("PRAGMA foreign_keys = OFF")   # a no-op inside a transaction: set before it
    try:
        with ws.transaction() as conn:
            result = _import(conn, preview, sha, dry_run, progress, cancelled, follow_ups, bulk)
            if not dry_run and result.nothing_new:
                assert result.batch_id is not None   # not a dry run: the batch was recorded
                result.extra["earlier"] = _earlier_batch(conn, sha, result.batch_id)
                result.batch_id = None   # an empty batch is not recorded
                raise _DryRun(result)
            if dry_run:
                raise _DryRun(result)
    except _DryRun as done:
        return done.result
    finally:
        if bulk:
            ws.conn.execute("PRAGMA foreign_keys = ON")
    return result


def _earlier_batch(conn, sha: str, batch_id: int) -> dict[str, Any] | None:
    """The latest batch (not undone) that imported the very same file, if any."""
    row = conn.execute("SELECT id, imported_at FROM import_batches WHERE sha256 = ? AND id != ? "
                       "AND undone_at IS NULL ORDER BY id DESC LIMIT 1", (sha, batch_id)).fetchone()
    return None if row is None else {"batch_id": row[0], "imported_on": row[1][:10]}


def _import(conn, preview: Preview, sha: str, dry_run: bool, progress: Progress,
            cancelled: Cancelled, follow_ups: hooks.FollowUps, bulk: bool = False) -> ImportResult:
    table, kind = preview.table, preview.known_kind
    doc = {"columns": preview.mapping, "date_order": preview.date_order, "sheet": table.source.sheet,
           "responded_on": preview.options.responded_on}
    batch_id = conn.execute(
        "INSERT INTO import_batches(file_name, file_path, sha256, kind, preset, mapping, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (table.name, str(preview.path.resolve()), sha, kind, preview.preset,
         json.dumps(doc, ensure_ascii=False), now_iso())).lastrowid
    result = ImportResult(table.name, kind, preview.preset, preview.source, sha, dry_run,
                          None if dry_run else batch_id, mapping=dict(preview.mapping),
                          date_order=preview.date_order, choices=preview.choices())
    writer = writer_for(kind)(conn, batch_id, preview.field_columns(), source=preview.source,
                              dry_run=dry_run, estimated_rows=table.estimated_rows,
                              accounts_from_domains=preview.options.accounts_from_domains, bulk=bulk)
    total = max(table.estimated_rows, 1)
    #: the bar's share of building the dropped indexes again, after the rows (one part per index)
    index_part = max(1, table.estimated_rows // INDEX_SHARE) if bulk and not dry_run else 0
    indexes = len(writer.dropped_indexes()) if index_part else 0
    convert = RowConverter(preview)
    key = RowKeys(table.columns, scoped_ids=preview.preset == "generic") if kind == "responses" else None
    erased = Erased(conn, preview.source)

    def stop_if_cancelled() -> None:
        if cancelled():
            raise errors.ImportCancelled("The import was cancelled; nothing was imported.")

    for chunk in _chunks(table.rows(), CHUNK):
        stop_if_cancelled()
        good = []
        for (excel_row, cells), outcome in zip(chunk, convert.many(chunk)):
            result.rows += 1
            if isinstance(outcome, dict) and erased(outcome):
                outcome = ERASED
            if isinstance(outcome, str):
                result.skipped += 1
                result.skipped_reasons[outcome] = result.skipped_reasons.get(outcome, 0) + 1
            elif isinstance(outcome, list):
                result.rejected += 1
                result.rejects.extend(outcome)
            else:
                if key is not None:
                    outcome["content_key"] = key(cells, outcome.get("source_id"))
                good.append((excel_row, outcome))
        for reject in writer.add(good):
            result.rejected += 1
            result.rejects.append(reject)
        total = max(total, result.rows + 1)
        progress(result.rows, total + indexes * index_part)
    stop_if_cancelled()
    _build_indexes(conn, writer.indexes_to_build(), result.rows, index_part, progress, cancelled)
    progress(result.rows, FINISHING)  # every row is written: the batch is finished, then the hooks step

    def step(done: int, total: int) -> None:
        stop_if_cancelled()
        progress(done, total)
    writer.finish(step, follow_ups)
    as_of.snapshot_accounts(conn, kind, batch_id, dry_run)
    result.imported, result.updated, result.duplicates = writer.imported, writer.updated, writer.duplicates
    result.extra = writer.summary()
    if convert.blanked:
        result.extra["blanked"] = convert.blanked
    result.rejects.sort(key=lambda r: r[0])
    conn.executemany("INSERT INTO import_rejects(batch_id, row, \"column\", value, reason) VALUES (?, ?, ?, ?, ?)",
                     [(batch_id, *r) for r in result.rejects])
    conn.execute("UPDATE import_batches SET rows = ?, imported = ?, updated = ?, duplicates = ?, rejected = ?, "
                 "skipped = ? WHERE id = ?", (result.rows, result.imported, result.updated, result.duplicates,
                                              result.rejected, result.skipped, batch_id))
    if preview.options.save_profile and not dry_run:
        _save_profile(conn, preview, preview.options.save_profile)
    if bulk:
        _check_foreign_keys(conn, preview.path)
    progress(result.rows, result.rows)
    return result


def _build_indexes(conn, indexes: list[tuple[str, str]], rows: int, part: int, progress: Progress,
                   cancelled: Cancelled) -> None:
    """Build the indexes a bulk insert dropped, one ``part`` of the bar each; Cancel stops a build midway
    (SQLite's progress handler interrupts it) and the import is rolled back."""
    if not indexes:
        return
    total = rows + len(indexes) * part
    conn.set_progress_handler(lambda: 1 if cancelled() else 0, INDEX_CHECK_STEPS)
    try:
        for i, (_, sql) in enumerate(indexes):
            progress(rows + i * part, total)
            conn.execute(sql)
    except sqlite3.OperationalError as exc:
        if cancelled():
            raise errors.ImportCancelled("The import was cancelled; nothing was imported.") from exc
        raise
    finally:
        conn.set_progress_handler(None, 0)
    if cancelled():
        raise errors.ImportCancelled("The import was cancelled; nothing was imported.")
    progress(total, total)


def _check_foreign_keys(conn, path: Path) -> None:
    """Every row written points to rows that exist: one check for the whole batch (a bulk import writes
    with per-row checks off). A dangling reference is a fault of the import: nothing is kept."""
    dangling = conn.execute("PRAGMA foreign_key_check").fetchone()
    if dangling is not None:
        raise errors.ImportRefused(f"{path.name} was not imported: a row of {dangling[0]} (id {dangling[1]}) "
                                   f"would point to a missing row of {dangling[2]}; nothing was imported.")


def _chunks(rows: Iterator[Any], n: int) -> Iterator[list[Any]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- one row -------------------------------------------------------------------------------------
class RowConverter:
    """Raw cells → ``{field: value}``, or a skip reason (str), or a list of rejects."""

    def __init__(self, preview: Preview):
        kind = preview.known_kind
        self.kind = kind
        self.steps = []
        for col, name in preview.mapping.items():
            f = mapping_mod.get_field(kind, name)
            parse: Callable[[Any], Any]
            if f.type in ("date", "datetime"):
                parse = DateParser(preview.date_order, with_time=f.type == "datetime")
            else:
                parse = PARSERS[f.type]
            self.steps.append((preview.columns.index(col), name, parse, col))
        self.required = [(f.name, f.label) for f in mapping_mod.fields(kind) if f.required]
        self.one_of = mapping_mod.ONE_OF.get(kind, ())
        self.columns = preview.field_columns()
        self.footer = False
        #: Optional fields whose bad cells are left blank (and counted) instead of rejecting the row: an
        #: email column with "n/a" or "ask Bob" in it still links the rows whose addresses are real.
        self.blank_when_bad = {"email"} if kind == "responses" else set()
        self.blanked: dict[str, int] = {}   # column -> cells left blank
        self.responded_on = (preview.options.responded_on
                             if kind == "responses" and "responded_at" not in self.columns else None)
        self.columns_parsed = [_Column(parse) for _, _, parse, _ in self.steps]

    def _totals(self, cells: list[Any]) -> bool:
        """Whether this row is a totals row (its first filled cell says so): it and the rows below are skipped."""
        first = cells[0]
        if first is None or first == "":
            first = next((c for c in cells if c is not None and c != "" and str(c).strip()), "")
        if type(first) is str and first.lstrip()[:1] in _TOTALS_INITIALS and _TOTALS.match(first.strip()):
            self.footer = True
            return True
        return False

    def many(self, chunk: list[tuple[int, list[Any]]]) -> list[dict[str, Any] | str | list]:
        """``[self(excel_row, cells) for excel_row, cells in chunk]``, the same outcomes, computed column by
        column: each mapped column's cells are parsed in one pass, a text seen before in the column is not
        parsed again (``_Column``), and each row then only gathers its cells' outcomes."""
        outcomes = [column.cells([cells[i] for _, cells in chunk]) for (i, _, _, _), column in
                    zip(self.steps, self.columns_parsed)]
        out: list[dict[str, Any] | str | list] = []
        steps = [(name, col, name in self.blank_when_bad) for _, name, _, col in self.steps]
        for r, (excel_row, cells) in enumerate(chunk):
            if self.footer:
                out.append("below the totals row")
                continue
            if self._totals(cells):
                out.append("totals row")
                continue
            values: dict[str, Any] = {}
            problems = []
            for (name, col, blank_when_bad), parsed in zip(steps, outcomes):
                o = parsed[r]
                if o is _SKIP:
                    continue
                kind = type(o)
                if kind is _Bad:
                    if blank_when_bad:
                        self.blanked[col] = self.blanked.get(col, 0) + 1
                    else:
                        problems.append((excel_row, col, o.text, o.reason))
                elif kind is _NotNps:
                    values[_NOT_NPS] = o.text
                else:
                    values[name] = o
            out.append(self._outcome(excel_row, values, problems))
        return out

    def __call__(self, excel_row: int, cells: list[Any]) -> dict[str, Any] | str | list:
        if self.footer:
            return "below the totals row"
        if self._totals(cells):
            return "totals row"
        values: dict[str, Any] = {}
        problems = []
        for i, name, parse, col in self.steps:
            raw = cells[i]
            if type(raw) is str:
                raw = raw.strip()
                if not raw or is_missing(raw):
                    continue
            elif raw is None or raw != raw:   # NaN from a workbook
                continue
            try:
                value = parse(raw)
            except ValueError as exc:
                if name in self.blank_when_bad:
                    self.blanked[col] = self.blanked.get(col, 0) + 1
                    continue
                problems.append((excel_row, col, parse_text(raw)[:MAX_VALUE_TEXT], str(exc)))
                continue
            if value is None:       # a survey type that is not NPS
                values[_NOT_NPS] = parse_text(raw)
            elif value != "":
                values[name] = value
        return self._outcome(excel_row, values, problems)

    def _outcome(self, excel_row: int, values: dict[str, Any], problems: list) -> dict[str, Any] | str | list:
        if self.responded_on is not None:
            values["responded_at"] = self.responded_on
        if self.kind == "responses":
            skip = _response_skip(values, problems)
            if skip:
                return skip
        if problems:
            return problems
        missing = [(n, label) for n, label in self.required if n not in values]
        if self.one_of and not any(n in values for n in self.one_of):
            mapped = [n for n in self.one_of if n in self.columns]
            missing.append((mapped[0], " or ".join(mapping_mod.get_field(self.kind, n).label for n in mapped)))
        if missing:
            return [(excel_row, self.columns.get(n), "", f"{label.split(' (')[0]} is missing")
                    for n, label in missing]
        return values


class _Bad:
    """A cell that does not parse: its text as shown in the rejects, and why."""
    __slots__ = ("reason", "text")

    def __init__(self, text: str, reason: str):
        self.text, self.reason = text, reason


class _NotNps:
    """A survey-type cell that says the row is not an NPS survey."""
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


#: A blank cell (empty, whitespace, a missing-value marker, NaN), or one whose value is "": nothing stored.
_SKIP = object()
#: Distinct texts of one column whose outcomes are remembered (scores, products, touchpoints, kinds repeat).
MEMO_TEXTS = 4096


class _Column:
    """One mapped column's parser, applied to a chunk of cells at once; a text cell's outcome is remembered
    (the parsers are pure), so a column of a few distinct values is parsed a few times per file."""

    def __init__(self, parse: Callable[[Any], Any]):
        self.parse = parse
        self.memo: dict[str, Any] = {}

    def cells(self, raws: list[Any]) -> list[Any]:
        memo, one = self.memo, self.one
        out: list[Any] = []
        append = out.append
        for raw in raws:
            if type(raw) is str:
                o = memo.get(raw, memo)
                if o is memo:
                    o = one(raw)
                    if len(memo) < MEMO_TEXTS:
                        memo[raw] = o
                append(o)
            else:
                append(one(raw))
        return out

    def one(self, raw: Any) -> Any:
        """What ``RowConverter.__call__`` makes of the cell: ``_SKIP``, a ``_Bad``, a ``_NotNps`` or the value."""
        if type(raw) is str:
            raw = raw.strip()
            if not raw or is_missing(raw):
                return _SKIP
        elif raw is None or raw != raw:   # NaN from a workbook
            return _SKIP
        try:
            value = self.parse(raw)
        except ValueError as exc:
            return _Bad(parse_text(raw)[:MAX_VALUE_TEXT], str(exc))
        if value is None:       # a survey type that is not NPS
            return _NotNps(parse_text(raw))
        return _SKIP if value == "" else value


def _response_skip(values: dict[str, Any], problems: list) -> str | None:
    """Why a row is not a response: a preview or test, not an NPS survey, or no score given."""
    status = values.get("status")
    if status is not None:
        s = str(status).strip().lower()
        if s.isdigit() and int(s) in _QUALTRICS_NOT_REAL:
            return _QUALTRICS_NOT_REAL[int(s)]
        for word, reason in (("preview", "survey preview"), ("test", "survey test"), ("spam", "spam")):
            if word in s:
                return reason
    if _NOT_NPS in values:
        return "not an NPS survey"
    if "score" not in values and not any(p[3] == "not a score from 0 to 10" for p in problems):
        return "unfinished without a score" if values.get("finished") is False else "no score given"
    return None
