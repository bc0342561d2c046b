"""What every benchmark script measures the same way: memory, and one size per process."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_each_size(script: str, sizes: list[int]) -> list[dict[str, float]]:
    """Run `script --one SIZE` for each size in a fresh process, so that peak memory
    is that size's own; each run's last output line is its JSON result."""
    rows = []
    for size in sizes:
        done = subprocess.run(
            [sys.executable, script, "--one", str(size)], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]))
    return rows


def run_sizes_from_command_line(
    doc: str,
    script: str,
    run_one: Callable[[int], dict[str, float]],
    results: Path,
    sizes: tuple[int, ...] = (10_000, 30_000, 100_000),
) -> tuple[list[dict[str, float]], Path] | None:
    """The command line every sized benchmark shares: `--sizes` runs each size in a fresh
    process and returns the rows and where to write them; `--one SIZE` (what those
    processes are asked) prints one size's result and returns None."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(sizes))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=results)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    return run_each_size(script, args.sizes), args.out
