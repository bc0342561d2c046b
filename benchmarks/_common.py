"""What every benchmark script measures the same way: memory, and one size per process."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
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
