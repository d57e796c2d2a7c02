"""``demo``: build a populated demo workspace (seeded, deterministic)."""
from __future__ import annotations

import argparse

from ..cli import TextProgress, date_arg, emit
from ..core import demo, paths
from ..core.workspace import open_workspace


def register(sub, common) -> None:
    p = sub.add_parser("demo", parents=[common], help="create a populated demo workspace")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--size", choices=sorted(demo.SIZES), default="small",
                   help="small: ~300 accounts, ~10k responses; large: ~1M responses, for benchmarks")
    p.add_argument("--as-of", type=date_arg, metavar="DATE",
                   help="the demo's 'today' (default: today); fixes the data for reproducible runs")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    target = getattr(args, "workspace", None) or paths.demo_path()
    demo.build_demo(target, seed=args.seed, size=args.size, as_of=args.as_of,
                    progress=TextProgress("Building demo"))
    with open_workspace(target) as ws:
        counts = ws.counts()
    emit(args, {"workspace": str(target), **counts},
         f"Demo workspace {target}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    return 0
