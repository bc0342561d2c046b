"""The gazetteer's cost: building the table from the packages, then loading it cached.

    python benchmarks/bench_gazetteer.py

Each measure runs in a fresh process against an empty cache folder of its own, so the
first is the cold build (what a new install pays once) and the second the warm load
(what every later run pays); memory is each process's peak less what the interpreter and
the package took before loading. Writes benchmarks/results/gazetteer.json. The issue's
targets: load under 2 s, memory under 500 MB.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import peak_rss_mb

RESULTS = Path(__file__).parent / "results" / "gazetteer.json"


def measure_once(cache: Path) -> dict[str, float]:
    from newsparallax import geo

    before = peak_rss_mb()
    start = time.perf_counter()
    gazetteer = geo.load_gazetteer(cache)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    for name in ("Odesa", "Athens", "Springfield", "Orange County", "Calif.", "Nowhere"):
        for _ in range(1_000):
            gazetteer[name]
    lookup_us = (time.perf_counter() - start) / 6_000 * 1e6
    return {
        "seconds": round(seconds, 2),
        "memory_mb": round(peak_rss_mb() - before, 1),
        "names": len(gazetteer),
        "lookup_us": round(lookup_us, 2),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure_once(Path(sys.argv[2]))))
        return
    with tempfile.TemporaryDirectory() as folder:
        rows = {}
        for label in ("cold build", "warm load"):
            done = subprocess.run(
                [sys.executable, __file__, "--one", folder],
                capture_output=True,
                text=True,
                check=True,
            )
            rows[label] = json.loads(done.stdout.strip().splitlines()[-1])
            print(label, json.dumps(rows[label]))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"machine": platform.platform(), "python": platform.python_version(), **rows},
            indent=2,
        )
        + "\n",
        "utf-8",
    )
    print(f"results: {RESULTS}")


if __name__ == "__main__":
    main()
