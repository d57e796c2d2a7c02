"""Accuracy and speed of the comment analyser (themes and sentiment). Prints figures; asserts nothing.

    .venv/bin/python bench/text_bench.py                 # accuracy on both splits + speed (1M comments)
    .venv/bin/python bench/text_bench.py --errors tune   # list the tune split's mistakes (for tuning)
    .venv/bin/python bench/text_bench.py --no-speed      # accuracy only
    .venv/bin/python bench/text_bench.py --workspace     # also retag a 1M-response workspace

Accuracy uses tests/data/comments_labelled.csv: the dictionary and lexicon are tuned on the ``tune``
rows only; the ``holdout`` rows measure them. Targets on holdout: macro-F1 ≥ 0.8 for themes, ≥ 0.85
for the sign of sentiment. Speed: tagging 1,000,000 comments in under 60 s on 2 cores.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nps_desktop.core.text.analyzer import default_analyzer  # noqa: E402
from nps_desktop.core.text.evaluation import evaluate, load_labelled  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "comments_labelled.csv"


def fmt(x: float | None) -> str:
    return "  —  " if x is None else f"{x:5.2f}"


def accuracy(show_errors: str | None, splits: tuple[str, ...] = ("tune", "holdout")) -> None:
    analyzer = default_analyzer()
    for split in splits:
        rows = load_labelled(LABELLED, split)
        ev = evaluate(analyzer, rows)
        print(f"\n== {split}: {ev.rows} comments ==")
        print(f"{'theme':<20}{'prec.':>7}{'recall':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}")
        for t in sorted(ev.themes, key=lambda t: t.name):
            print(f"{t.name:<20}{fmt(t.precision):>7}{fmt(t.recall):>7}{fmt(t.f1):>7}{t.tp:>5}{t.fp:>5}{t.fn:>5}")
        print(f"macro-F1 {ev.macro_f1:.3f}   sentiment sign accuracy {ev.sign_accuracy:.3f} "
              f"({ev.sign_correct}/{ev.rows})")
        if show_errors == split:
            for row, predicted, psign in ev.errors:
                missing, extra = sorted(row.themes - predicted), sorted(predicted - row.themes)
                print(f"  #{row.id} {row.comment!r}\n      themes -{missing} +{extra}  sign {row.sentiment}->{psign}")


def corpus(n: int, seed: int = 1) -> list[str | None]:
    """``n`` comments made by recombining the labelled ones and the demo's, with typos and blanks."""
    from nps_desktop.core import demo_comments
    rng = random.Random(seed)
    base = [r.comment for r in load_labelled(LABELLED)]
    base += [demo_comments.comment(rng, c) or "" for c in ("promoter", "passive", "detractor") * 300]
    base = [b for b in base if b.strip()]
    out: list[str | None] = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.2:
            out.append(None)
            continue
        text = " ".join(rng.choice(base) for _ in range(rng.choice((1, 1, 1, 2, 2, 3))))
        if rng.random() < 0.3:  # a typo: drop one letter
            k = rng.randrange(len(text))
            text = text[:k] + text[k + 1:]
        out.append(text)
    return out


_analyzer = None


def _init() -> None:
    global _analyzer
    _analyzer = default_analyzer()


def _work(chunk: list[str | None]) -> tuple[int, float]:
    """Theme tags found in ``chunk`` and the CPU seconds it took (the machine may be shared)."""
    cpu = time.process_time()
    fast = _analyzer.analyze_fast
    tags = sum(len(fast(c)[1]) for c in chunk)
    return tags, time.process_time() - cpu


def speed(n: int, workers: int) -> None:
    comments = corpus(n)
    chars = sum(len(c or "") for c in comments)
    print(f"\n== speed: {n:,} comments ({sum(c is not None for c in comments):,} non-blank, "
          f"{chars / n:.0f} characters on average), {os.cpu_count()} cores ==")
    single = comments[:100_000]
    analyzer = default_analyzer()
    t, cpu = time.perf_counter(), time.process_time()
    for c in single:
        analyzer.analyze_fast(c)
    one, one_cpu = time.perf_counter() - t, time.process_time() - cpu
    print(f"one process: {len(single):,} comments in {one:.2f} s wall, {one_cpu:.2f} s CPU "
          f"({len(single) / one_cpu:,.0f}/CPU-s; 1M would take {one_cpu * 1_000_000 / len(single):.1f} CPU-s)")
    t = time.perf_counter()
    chunks = [comments[i:i + 5000] for i in range(0, n, 5000)]
    with multiprocessing.get_context("spawn").Pool(workers, _init) as pool:
        results = list(pool.imap_unordered(_work, chunks))
    many = time.perf_counter() - t
    tags, cpu = sum(r[0] for r in results), sum(r[1] for r in results)
    print(f"{workers} processes: {n:,} comments in {many:.2f} s wall including start-up ({n / many:,.0f}/s), "
          f"{cpu:.1f} CPU-s of analysis ({cpu / workers:.1f} s per core), {tags:,} theme tags")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (other processes share the cores)")


def workspace_speed(n: int, workers: int) -> None:
    from nps_desktop.core.responses import insert_responses
    from nps_desktop.core.text.tagging import retag_all
    from nps_desktop.core.workspace import open_workspace
    comments = corpus(n, seed=2)
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp, open_workspace(Path(tmp) / "bench.npsdb") as ws:
        t = time.perf_counter()
        with ws.transaction() as conn:
            insert_responses(conn, ({"score": rng.randint(0, 10), "comment": c,
                                     "responded_at": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
                                    for c in comments))
        print(f"\n== workspace: {n:,} responses inserted in {time.perf_counter() - t:.1f} s ==")
        result = retag_all(ws, workers=workers)
        print(f"retag_all with {result.workers} worker(s): {result.responses:,} responses, "
              f"{result.tagged:,} with a theme, {result.tags:,} tags, in {result.seconds:.1f} s "
              f"(reading, analysing and writing, one transaction)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--errors", choices=["tune", "holdout"], help="list the mistakes on one split")
    p.add_argument("--split", choices=["tune", "holdout"], help="measure only this split")
    p.add_argument("--no-speed", action="store_true")
    p.add_argument("--workspace", action="store_true", help="also time retag_all over a workspace")
    p.add_argument("-n", type=int, default=1_000_000)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    accuracy(args.errors, (args.split,) if args.split else ("tune", "holdout"))
    if not args.no_speed:
        speed(args.n, args.workers)
    if args.workspace:
        workspace_speed(args.n, args.workers)


if __name__ == "__main__":
    main()
