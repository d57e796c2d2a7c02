"""Tagging stored responses: ``responses.sentiment`` and the ``response_themes`` table.

``tag_responses_in(conn, ids)`` tags responses inside the caller's transaction (the importer calls it
through its hook, ``after_responses``, right after inserting). ``retag_all(ws, progress, cancelled)``
retags the whole workspace after the dictionary changed, in one transaction (cancel leaves the old tags
untouched). Both spread the analysis over worker processes when there are many comments.
"""
from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import sqlite3
import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Generator, Iterable, Iterator, Sequence

from ..workspace import Workspace
from .analyzer import Analyzer
from .store import ensure_themes_in, list_themes, list_themes_in
from .themes import Theme

BATCH = 5_000
#: Below this many responses a retag runs in this process (starting workers costs ~0.3 s).
PARALLEL_MIN = 40_000

Progress = Callable[[int, int], None]
Result = tuple[int, float | None, list[tuple[str, int, str]]]  # id, sentiment, [(theme, polarity, matched)]


@functools.lru_cache(maxsize=4)
def analyzer_for_themes(themes: tuple[Theme, ...]) -> Analyzer:
    """A compiled analyser for a dictionary (cached: compiling takes a few milliseconds)."""
    return Analyzer(themes)


def analyzer_for(ws: Workspace) -> Analyzer:
    """The analyser for the workspace's current dictionary."""
    return analyzer_for_themes(tuple(list_themes(ws)))


#: ``check`` (which raises to stop) is called this often within a batch.
CHECK_EVERY = 256


def analyze_rows(analyzer: Analyzer, rows: Iterable[Sequence],
                 check: Callable[[], None] | None = None) -> list[Result]:
    """Analyse rows that start with ``(id, comment, …)``; a comment repeated among them is analysed once.
    ``check()`` is called every ``CHECK_EVERY`` rows, so that a cancel is noticed inside a batch."""
    fast = analyzer.analyze_fast
    seen: dict[str | None, tuple[float | None, list[tuple[str, int, str]]]] = {}
    results: list[Result] = []
    for n, row in enumerate(rows):
        if check is not None and n % CHECK_EVERY == CHECK_EVERY - 1:
            check()
        found = seen.get(row[1])
        if found is None:
            found = seen[row[1]] = fast(row[1])
        results.append((row[0], *found))
    return results


def _analysed(batches: Iterable[list[tuple]], themes: tuple[Theme, ...], workers: int,
              check: Callable[[], None] | None = None) -> Generator[list[Result], None, None]:
    """Each batch of ``(id, comment, …)`` rows analysed, in order; over worker processes when ``workers``
    is more than one (close the generator to stop them). In this process, ``check`` runs inside batches."""
    if workers == 1:
        analyzer = analyzer_for_themes(themes)
        for rows in batches:
            yield analyze_rows(analyzer, rows, check)
        return
    pool = multiprocessing.get_context("spawn").Pool(workers, _init_worker, (themes,))
    try:
        pending: deque = deque()
        for rows in batches:
            pending.append(pool.apply_async(_analyze_in_worker, ([r[:2] for r in rows],)))
            while len(pending) > 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        pool.terminate()
        pool.join()


def _write(conn: sqlite3.Connection, results: Sequence[Result], replace: bool,
           old: dict[int, float | None] | None = None) -> int:
    """Store sentiments and tags; ``replace`` first removes the responses' old tags; with ``old``
    (the stored sentiments) only the sentiments that changed are written."""
    if replace:
        conn.executemany("DELETE FROM response_themes WHERE response_id = ?", ((r[0],) for r in results))
    changed = results if old is None else [r for r in results if old.pop(r[0]) != r[1]]
    conn.executemany("UPDATE responses SET sentiment = ? WHERE id = ?", ((r[1], r[0]) for r in changed))
    tags = [(rid, theme, polarity, matched) for rid, _, hits in results for theme, polarity, matched in hits]
    conn.executemany("INSERT INTO response_themes(response_id, theme, polarity, matched) VALUES (?, ?, ?, ?)",
                     tags)
    return len(tags)


def tag_responses(ws: Workspace, response_ids: Iterable[int], step: Progress | None = None) -> int:
    """Tag these responses now, all or nothing (a savepoint in the caller's transaction, if any); returns
    the number of theme tags written (see ``tag_responses_in``)."""
    with ws.transaction() as conn:
        return tag_responses_in(conn, response_ids, step)


def tag_responses_in(conn: sqlite3.Connection, response_ids: Iterable[int], step: Progress | None = None) -> int:
    """Tag these responses now, in the caller's transaction; returns the number of theme tags written.
    ``step(done, total)`` follows the work (it may raise to stop it: the caller rolls back).

    Only tags are written: a workspace that never changed its dictionary keeps using the defaults without
    a copy, so that undoing an import leaves it exactly as it was."""
    ids = list(response_ids)
    step = step or (lambda done, total: None)
    step(0, len(ids))
    large = len(ids) >= PARALLEL_MIN
    workers = default_workers() if large else 1
    # Just-imported responses have the highest ids and no tags yet: nothing to remove first.
    replace = bool(ids) and conn.execute("SELECT EXISTS (SELECT 1 FROM response_themes WHERE response_id >= ?)",
                                         (min(ids),)).fetchone()[0]

    def batches() -> Iterator[list[tuple]]:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            yield conn.execute(f"SELECT id, comment FROM responses WHERE id IN ({','.join('?' * len(chunk))})",
                               chunk).fetchall()

    written = done = 0
    with _bulk_writes(conn) if large else contextlib.nullcontext(), \
            contextlib.closing(_analysed(batches(), tuple(list_themes_in(conn)), workers)) as results:
        for batch in results:
            written += _write(conn, batch, replace=replace)
            done += len(batch)
            step(done, len(ids))
    return written


def after_responses(conn: sqlite3.Connection, response_ids: Sequence[int], batch_id: int | None,
                    step: Progress | None = None) -> None:
    """An import's follow-up step (in ``core.follow_ups.STANDARD``): tag what was just imported."""
    tag_responses_in(conn, response_ids, step)


@dataclass(frozen=True)
class RetagResult:
    responses: int
    commented: int         # responses with a non-blank comment
    tagged: int            # responses with at least one theme
    tags: int              # theme tags written
    seconds: float
    workers: int
    cancelled: bool = False


class _Cancelled(Exception):
    pass


def _batches(conn: sqlite3.Connection, size: int) -> Iterable[list[tuple[int, str | None, float | None]]]:
    """``(id, comment, stored sentiment)`` of every response, ``size`` at a time, in id order."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: much cheaper than sqlite3.Row for a million rows
    last = 0
    while True:
        rows = cursor.execute("SELECT id, comment, sentiment FROM responses WHERE id > ? ORDER BY id LIMIT ?",
                              (last, size)).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


@contextlib.contextmanager
def _bulk_writes(conn: sqlite3.Connection) -> Iterator[None]:
    """Rewrite every tag fast: drop ``response_themes``' secondary indexes (re-created from their own
    SQL afterwards, in the same transaction) and give SQLite a larger page cache meanwhile."""
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND tbl_name = 'response_themes' AND sql IS NOT NULL").fetchall()
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA cache_size = -262144")
    try:
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        yield
        for _, sql in indexes:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


# -- worker processes ------------------------------------------------------------------------------
_worker_analyzer: Analyzer | None = None


def _init_worker(themes: tuple[Theme, ...]) -> None:
    global _worker_analyzer
    _worker_analyzer = Analyzer(themes)


def _analyze_in_worker(rows: list[tuple[int, str | None]]) -> list[Result]:
    assert _worker_analyzer is not None
    return analyze_rows(_worker_analyzer, rows)


def default_workers() -> int:
    """Worker processes for a large retag: one per core, none inside a frozen (bundled) app."""
    if getattr(sys, "frozen", False):
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def retag_all(ws: Workspace, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
              workers: int | None = None) -> RetagResult:
    """Re-tag every response with the workspace's current dictionary, all or nothing.

    ``progress(done, total)`` is called after each batch; when ``cancelled()`` turns true the
    transaction is rolled back and the result says ``cancelled``.
    """
    started = time.perf_counter()
    progress = progress or (lambda done, total: None)
    cancelled = cancelled or (lambda: False)
    counts = {"commented": 0, "tagged": 0, "tags": 0, "done": 0}
    workers = None
    try:
        with ws.transaction() as conn:
            ensure_themes_in(conn)
            themes = tuple(list_themes_in(conn))
            total = conn.execute("SELECT count(*) FROM responses").fetchone()[0]
            workers = default_workers() if workers is None else max(1, workers)
            if total < PARALLEL_MIN:
                workers = 1
            progress(0, total)
            conn.execute("DELETE FROM response_themes")
            old: dict[int, float | None] = {}  # stored sentiments of the batches in flight

            def store(results: list[Result]) -> None:
                counts["tags"] += _write(conn, results, replace=False, old=old)
                counts["commented"] += sum(1 for r in results if r[1] is not None)
                counts["tagged"] += sum(1 for r in results if r[2])
                counts["done"] += len(results)
                progress(counts["done"], total)
                if cancelled():
                    raise _Cancelled

            def remembered(batches: Iterable[list[tuple]]) -> Iterator[list[tuple]]:
                for rows in batches:
                    old.update((r[0], r[2]) for r in rows)
                    yield rows

            def check() -> None:
                if cancelled():
                    raise _Cancelled

            with _bulk_writes(conn), contextlib.closing(
                    _analysed(remembered(_batches(conn, BATCH)), themes, workers, check)) as results:
                for batch in results:
                    store(batch)
    except _Cancelled:
        return RetagResult(counts["done"], counts["commented"], counts["tagged"], counts["tags"],
                           time.perf_counter() - started, workers or 1, cancelled=True)
    return RetagResult(total, counts["commented"], counts["tagged"], counts["tags"],
                       time.perf_counter() - started, workers)
