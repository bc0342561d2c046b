"""Living store: the cost of adding articles to a store, against analysing them alone.

    python benchmarks/bench_store.py                   # 100 new into a store of the rest
    python benchmarks/bench_store.py --store 300       # a smaller store

The articles are real news: ECB+ documents read from ../shared/corpora (the benchmark
says so and stops when that folder is absent). The store is built once with
`parallax ingest`'s code path; then, each in the same process:
- alone: the new articles analysed on their own, in a fresh store (the yardstick);
- added: the same articles ingested into the built store (per-article stages on the
  new ones only, story stages over everything);
- again: the same articles ingested once more, which reads them, finds nothing new and
  stores no run.
Writes benchmarks/results/store.json. The issue's targets: added under 3 x alone;
again under 2 s with no new run.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from _common import peak_rss_mb
from newsparallax.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
CORPORA = ROOT.parent / "shared" / "corpora"
RESULTS = Path(__file__).parent / "results" / "store.json"


def write_records(path: Path, documents: list[tuple[str, str, str]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for name, text, _ in documents:
            out.write(json.dumps({"url": f"ecbplus:{name}", "text": text}) + "\n")


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    code = cli(argv)
    if code != 0:
        raise SystemExit(f"parallax {' '.join(argv)} exited {code}")
    return round(time.perf_counter() - start, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--store", type=int, default=10_000, help="articles in the store (at most the corpus)"
    )
    parser.add_argument("--new", type=int, default=100, help="articles added to it")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (CORPORA / "ecbplus").is_dir():
        print(f"{CORPORA / 'ecbplus'} is not present: nothing measured")
        return
    from accuracy.stories import read_ecbplus

    documents = read_ecbplus(CORPORA / "ecbplus")
    random.Random(5).shuffle(documents)
    new = documents[: args.new]
    stored = documents[args.new : args.new + args.store]
    with tempfile.TemporaryDirectory() as folder:
        base, added = Path(folder) / "store.jsonl", Path(folder) / "new.jsonl"
        write_records(base, stored)
        write_records(added, new)
        db, fresh = str(Path(folder) / "p.db"), str(Path(folder) / "alone.db")
        cli(["analyze", str(added), "--json", str(Path(folder) / "warm.json")])  # models loaded
        build = timed(["ingest", str(base), "--db", db])
        alone = timed(["ingest", str(added), "--db", fresh])
        grown = timed(["ingest", str(added), "--db", db])
        from newsparallax.store import SQLiteStore

        with SQLiteStore(db) as store:
            runs_before = len(store.runs())
        again = timed(["ingest", str(added), "--db", db])
        with SQLiteStore(db) as store:
            runs_after = len(store.runs())
    result = {
        "machine": platform.platform(),
        "corpus": "ECB+ (../shared/corpora/ecbplus)",
        "store_articles": len(stored),
        "new_articles": len(new),
        "build_store_s": build,
        "alone_s": alone,
        "added_s": grown,
        "added_over_alone": round(grown / alone, 2),
        "again_s": again,
        "again_stored_a_run": runs_after != runs_before,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"results: {args.out}")


if __name__ == "__main__":
    main()
