"""The workspace schema: tables, indexes and numbered forward migrations (PRAGMA user_version).

Dates are TEXT in ISO form (``2026-07-14`` or ``2026-07-14T09:30:00``), money is REAL, flags are
INTEGER 0/1, structured settings are JSON TEXT: portable types, so the same schema can live on
PostgreSQL or be read by DuckDB later.

To change the schema, append a migration to ``MIGRATIONS``; never edit a released one. Each migration
runs inside the transaction ``workspace.migrate`` opens, after a backup.
"""
from __future__ import annotations

import sqlite3
from typing import Callable

from .snapshot import generation

#: ``PRAGMA application_id`` of every workspace ("NPSD"): tells our files from other SQLite files.
APPLICATION_ID = 0x4E505344

V1 = """
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                      -- JSON
);

CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    file_path   TEXT,
    sha256      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('responses','accounts','contacts','revenue','events')),
    preset      TEXT,                        -- qualtrics, surveymonkey, typeform, google_forms, delighted, generic
    mapping     TEXT,                        -- JSON: column -> field
    imported_at TEXT NOT NULL,
    rows        INTEGER NOT NULL DEFAULT 0,
    imported    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    undone_at   TEXT
);

CREATE TABLE import_rejects (
    id       INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    row      INTEGER NOT NULL,                -- the row number as Excel shows it
    "column" TEXT,
    value    TEXT,
    reason   TEXT NOT NULL
);
CREATE INDEX import_rejects_batch ON import_rejects(batch_id);

-- Rows an import changed rather than added, with their values before, so undo restores them exactly.
CREATE TABLE import_changes (
    id         INTEGER PRIMARY KEY,
    batch_id   INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    row_id     INTEGER NOT NULL,
    before     TEXT NOT NULL                  -- JSON of the changed columns
);
CREATE INDEX import_changes_batch ON import_changes(batch_id);

CREATE TABLE mapping_profiles (
    name    TEXT PRIMARY KEY,
    kind    TEXT NOT NULL,
    mapping TEXT NOT NULL                     -- JSON
);

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT UNIQUE,
    name            TEXT NOT NULL,
    domain          TEXT,
    arr             REAL,
    seats           INTEGER,
    industry        TEXT,
    region          TEXT,
    tier            TEXT,
    lifecycle_stage TEXT,                     -- onboarding, adopting, mature, renewal, churned, prospect
    customer_since  TEXT,
    renewal_date    TEXT,
    owner           TEXT,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','churned','prospect')),
    import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now'))
);
CREATE INDEX accounts_domain ON accounts(domain);
CREATE INDEX accounts_batch ON accounts(import_batch_id);

CREATE TABLE contacts (
    id              INTEGER PRIMARY KEY,
    email           TEXT UNIQUE,              -- normalised: trimmed, lower case
    first_name      TEXT,
    last_name       TEXT,
    role            TEXT,
    account_id      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    opted_out       INTEGER NOT NULL DEFAULT 0,
    bounced         INTEGER NOT NULL DEFAULT 0,
    erased_at       TEXT,
    import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now'))
);
CREATE INDEX contacts_account ON contacts(account_id);
CREATE INDEX contacts_batch ON contacts(import_batch_id);

CREATE TABLE programs (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('rnps','tnps','enps','partner')),
    question     TEXT,
    trigger      TEXT,                        -- quarterly, semiannual, annual, onboarding, renewal, support_case, milestone
    trigger_days INTEGER,
    target       TEXT,                        -- lifecycle group or list
    active       INTEGER NOT NULL DEFAULT 1,
    settings     TEXT                         -- JSON
);

CREATE TABLE responses (
    id              INTEGER PRIMARY KEY,
    score           INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment         TEXT,
    responded_at    TEXT NOT NULL,            -- local date-time as written in the file
    responded_on    TEXT NOT NULL,            -- its date, YYYY-MM-DD
    month           TEXT NOT NULL,            -- 2026-07
    quarter         TEXT NOT NULL,            -- 2026Q3 (calendar)
    kind            TEXT NOT NULL DEFAULT 'rnps' CHECK (kind IN ('rnps','tnps','enps','partner')),
    program_id      INTEGER REFERENCES programs(id) ON DELETE SET NULL,
    touchpoint      TEXT,                     -- relational, onboarding, support, renewal, …
    product         TEXT,
    contact_id      INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    account_id      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    email           TEXT,                     -- normalised, as in the file (may match no contact)
    source          TEXT,                     -- the survey tool
    source_id       TEXT,                     -- the tool's response id
    content_key     TEXT,                     -- hash of what the response says, for duplicates without an id
    sentiment       REAL,                     -- -1 … 1, from core.text
    original_score  INTEGER,                  -- set when a score is corrected
    import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now'))
);
CREATE UNIQUE INDEX responses_source_id ON responses(source, source_id) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX responses_content_key ON responses(content_key) WHERE content_key IS NOT NULL;
-- Covering indexes for the dashboard: date-bounded scans that never touch the table.
CREATE INDEX responses_day ON responses(responded_on, kind, score, account_id, quarter, month);
CREATE INDEX responses_account ON responses(account_id, responded_on, score, contact_id);
CREATE INDEX responses_contact ON responses(contact_id, responded_on);
CREATE INDEX responses_batch ON responses(import_batch_id);

CREATE TABLE score_corrections (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    old_score   INTEGER NOT NULL,
    new_score   INTEGER NOT NULL,
    reason      TEXT,
    at          TEXT NOT NULL
);

CREATE TABLE themes (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    label   TEXT,
    phrases TEXT NOT NULL,                    -- JSON list of phrases and word forms
    enabled INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE response_themes (
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    theme       TEXT NOT NULL,
    polarity    INTEGER NOT NULL DEFAULT 0,   -- -1 complaint, 0 mention, +1 praise
    matched     TEXT,                         -- the words that matched
    PRIMARY KEY (response_id, theme)
) WITHOUT ROWID;
CREATE INDEX response_themes_theme ON response_themes(theme, response_id);

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    program_id  INTEGER REFERENCES programs(id) ON DELETE SET NULL,
    wave        TEXT,
    trigger     TEXT,
    planned_on  TEXT,
    sent_on     TEXT,
    status      TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned','sent','responded','bounced','excluded')),
    reason      TEXT,
    response_id INTEGER REFERENCES responses(id) ON DELETE SET NULL
);
CREATE INDEX invitations_contact ON invitations(contact_id, sent_on);

-- Dated touchpoints from other systems (support cases closed, milestones) that trigger tNPS.
CREATE TABLE touchpoint_events (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,            -- support_case, milestone
    occurred_on     TEXT NOT NULL,
    contact_id      INTEGER REFERENCES contacts(id) ON DELETE CASCADE,
    account_id      INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    reference       TEXT,
    import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL
);

CREATE TABLE plays (
    id                INTEGER PRIMARY KEY,
    key               TEXT NOT NULL UNIQUE,   -- detractor_save, passive_adoption, promoter_advocacy, …
    name              TEXT NOT NULL,
    category          TEXT,                   -- the category that triggers it
    enabled           INTEGER NOT NULL DEFAULT 1,
    due_business_days INTEGER NOT NULL,
    params            TEXT                    -- JSON
);

CREATE TABLE actions (
    id              INTEGER PRIMARY KEY,
    play            TEXT NOT NULL,
    response_id     INTEGER REFERENCES responses(id) ON DELETE SET NULL,
    contact_id      INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    account_id      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    owner           TEXT,
    due             TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_progress','done')),
    outcome         TEXT,
    notes           TEXT,
    created_at      TEXT NOT NULL,
    first_touch_at  TEXT,
    closed_at       TEXT,
    import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL
);
CREATE INDEX actions_status ON actions(status, due);
CREATE INDEX actions_contact ON actions(contact_id, play, status);
CREATE INDEX actions_account ON actions(account_id);

CREATE TABLE action_history (
    id        INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    field     TEXT NOT NULL,
    old       TEXT,
    new       TEXT
);
CREATE INDEX action_history_action ON action_history(action_id);

CREATE TABLE revenue_events (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('renewal','churn','upsell','cross_sell','downsell','new')),
    occurred_on     TEXT NOT NULL,
    arr_before      REAL,
    arr_change      REAL NOT NULL DEFAULT 0,  -- + for new/upsell/cross_sell, − for churn/downsell
    note            TEXT,
    source_key      TEXT UNIQUE,              -- for duplicate-free re-imports
    import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL
);
CREATE INDEX revenue_events_account ON revenue_events(account_id, occurred_on);

CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    filters    TEXT NOT NULL,                 -- JSON of core.analytics.Filters
    created_at TEXT NOT NULL
);

-- What was done to personal data and when (erasure requests), kept after the data is gone.
CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    what   TEXT NOT NULL,
    detail TEXT
);
"""


def _v1(conn: sqlite3.Connection) -> None:
    for statement in _statements(V1):
        conn.execute(statement)


def _statements(script: str) -> list[str]:
    """Split a script of DDL into statements (no semicolons inside our DDL's strings)."""
    lines = [ln.split("--", 1)[0] for ln in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _v2_dashboard_indexes(conn: sqlite3.Connection) -> None:
    """Covering indexes for the dashboard and the account rollup at a million responses.

    ``responses_cube`` answers date-bounded counts per day × score (and per kind, touchpoint, product)
    in index order, without a sort; ``responses_people`` answers per-account and per-contact sums and
    each contact's latest response in one ordered scan. They replace ``responses_day`` and
    ``responses_account``, whose columns they cover, so writes keep the same number of indexes.
    """
    conn.execute("DROP INDEX IF EXISTS responses_day")
    conn.execute("DROP INDEX IF EXISTS responses_account")
    conn.execute("CREATE INDEX responses_cube ON responses"
                 "(responded_on, score, kind, touchpoint, product, account_id, contact_id)")
    conn.execute("CREATE INDEX responses_people ON responses"
                 "(account_id, contact_id, responded_at, score, responded_on, kind, touchpoint)")


def _v3_import_keys(conn: sqlite3.Connection) -> None:
    """Imported rows of files without a survey tool (a data set's own ids, or no id at all) carry a key
    scoped to their file's layout in ``content_key``; the tool id index then covers only the other rows,
    so that two data sets numbering their rows 1, 2, 3 … are never taken for one another."""
    conn.execute("DROP INDEX IF EXISTS responses_source_id")
    conn.execute("CREATE UNIQUE INDEX responses_source_id ON responses(source, source_id) "
                 "WHERE source_id IS NOT NULL AND content_key IS NULL")


def _v4_account_snapshots(conn: sqlite3.Connection) -> None:
    """Dated account snapshots (ARR, status, renewal date) written on each CRM accounts import, so a
    report on a past period sees the accounts as they were (``core.as_of``). ``account_id`` is not a
    foreign key, so an old snapshot never stops an import from being undone (undoing an import removes
    its own snapshot)."""
    conn.execute("CREATE TABLE account_snapshots ("
                 "id INTEGER PRIMARY KEY, "
                 "account_id INTEGER NOT NULL, "
                 "taken_on TEXT NOT NULL, arr REAL, status TEXT NOT NULL, renewal_date TEXT, "
                 "import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE CASCADE)")
    conn.execute("CREATE INDEX account_snapshots_account ON account_snapshots(account_id, taken_on)")


PACK_WORDS = """
-- The pack's own words per quarter, so a pack can be rebuilt later with the same narrative.
CREATE TABLE pack_words (
    period       TEXT PRIMARY KEY,            -- 2026Q3 (fiscal quarter)
    summary      TEXT,                        -- safe rich text (core.reporting.richtext); NULL: generated
    next_quarter TEXT,                        -- "What we will do next quarter", same form
    sections     TEXT,                        -- JSON [[key, on], ...] in the pack's order; NULL: default
    updated_at   TEXT NOT NULL
);

-- Verbatims chosen for the pack: the text as printed (typos fixed) and the comment as written.
CREATE TABLE pack_quotes (
    id          INTEGER PRIMARY KEY,
    period      TEXT NOT NULL,
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    original    TEXT NOT NULL,
    theme       TEXT,                         -- themes.name it was chosen for, if any
    show_name   INTEGER NOT NULL DEFAULT 0,   -- the respondent's name is hidden unless 1
    position    INTEGER NOT NULL,
    added_at    TEXT NOT NULL,
    UNIQUE (period, response_id)
);
"""


def _v5_pack_words_and_quotes(conn: sqlite3.Connection) -> None:
    """The pack editor's saved words per quarter and its chosen quotes. A quote goes when its comment
    is erased (a person's erasure request), so the pack never prints words the workspace forgot."""
    for statement in _statements(PACK_WORDS):
        conn.execute(statement)
    conn.execute("CREATE TRIGGER pack_quotes_erased AFTER UPDATE OF comment ON responses "
                 "WHEN NEW.comment IS NULL BEGIN DELETE FROM pack_quotes WHERE response_id = NEW.id; END")


def _v6_generation(conn: sqlite3.Connection) -> None:
    """A generation counter that every write transaction bumps: it keys the columnar snapshot and its
    cache file (``core.snapshot``), so a change by any connection or process is seen."""
    generation.create(conn)


#: The responses table's indexes as of ``_v7_lean_indexes`` (a later migration that changes them updates
#: these; the migrations themselves never read them): the two unique de-duplication keys, and the
#: narrow lookups that writes, undo, deletes and the responses table's date paging need. The dashboard's
#: aggregates come from the columnar snapshot (``core.snapshot``), not from covering indexes.
RESPONSE_UNIQUE_INDEXES = ("responses_source_id", "responses_content_key")
RESPONSE_LEAN_INDEXES = {
    "responses_contact": "CREATE INDEX responses_contact ON responses(contact_id, responded_on)",
    "responses_batch": "CREATE INDEX responses_batch ON responses(import_batch_id)",
    "responses_account_id": "CREATE INDEX responses_account_id ON responses(account_id)",
    "responses_on": "CREATE INDEX responses_on ON responses(responded_on, responded_at)",
}


def _v7_lean_indexes(conn: sqlite3.Connection) -> None:
    """Lean indexes on responses: the covering ``responses_cube`` and ``responses_people`` (seven columns
    each, the most of an import's time) go; the unique keys, contact and batch stay; ``account_id`` (undo
    and account deletes scan without it) and a plain date index (the responses table's keyset paging by
    date, in index order with the id as the last key) come."""
    conn.execute("DROP INDEX IF EXISTS responses_cube")
    conn.execute("DROP INDEX IF EXISTS responses_people")
    conn.execute("CREATE INDEX IF NOT EXISTS responses_account_id ON responses(account_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS responses_on ON responses(responded_on, responded_at)")


#: Forward migrations; ``MIGRATIONS[i]`` brings a workspace from version i to version i + 1.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2_dashboard_indexes, _v3_import_keys,
                                                          _v4_account_snapshots, _v5_pack_words_and_quotes,
                                                          _v6_generation, _v7_lean_indexes]

LATEST_VERSION = len(MIGRATIONS)
