"""The mypy ratchet: no module gets more type errors than ``scripts/mypy_baseline.json`` allows.

Runs mypy (configured in ``pyproject.toml``) and counts its errors per file. It fails when a file has
more errors than its baseline count; a file missing from the baseline (a clean or a new module) is
allowed none. Fewer is always fine: ``--update`` then writes the lower counts into the baseline so they
stay won (it refuses while any count is above its baseline). ``--reset`` writes the counts as they are,
higher ones too: only for merging branches that were written before the ratchet existed.

Usage: .venv/bin/python scripts/check_types.py [--update | --reset]
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scripts" / "mypy_baseline.json"
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+(?::\d+)?: error: ")


def count_errors(mypy_output: str) -> Counter[str]:
    """Errors per file (POSIX path as mypy prints it) in mypy's output."""
    found: Counter[str] = Counter()
    for line in mypy_output.splitlines():
        m = ERROR.match(line)
        if m:
            found[m["path"].replace("\\", "/")] += 1
    return found


def compare(found: Counter[str], baseline: dict[str, int]) -> tuple[list[str], list[str]]:
    """``(worse, better)``: one line per file above its baseline count, one per file below it."""
    worse, better = [], []
    for path in sorted(set(found) | set(baseline)):
        now, allowed = found.get(path, 0), baseline.get(path, 0)
        if now > allowed:
            was = "clean" if allowed == 0 else f"allowed {allowed}"
            worse.append(f"{path}: {now} type errors ({was})")
        elif now < allowed:
            better.append(f"{path}: {now} type errors (baseline {allowed})")
    return worse, better


def run_mypy() -> str:
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 1):  # 2: mypy itself failed (bad config, crash)
        sys.exit(f"mypy failed to run:\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="write the lower counts into the baseline")
    mode.add_argument("--reset", action="store_true", help="write the counts as they are, higher ones too")
    args = ap.parse_args(argv)
    output = run_mypy()
    found = count_errors(output)
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    worse, better = compare(found, baseline)
    if worse and not args.reset:
        print(output, end="")
        print("\nMore type errors than the baseline allows:\n  " + "\n  ".join(worse), file=sys.stderr)
        return 1
    if args.update or args.reset:
        BASELINE.write_text(json.dumps(dict(sorted(found.items())), indent=1) + "\n", encoding="utf-8")
        print(f"baseline updated: {sum(found.values())} type errors in {len(found)} files")
    elif better:
        print("Fewer type errors than the baseline (run scripts/check_types.py --update to keep them):\n  "
              + "\n  ".join(better))
    print(f"types: {sum(found.values())} errors in {len(found)} files, none above the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
