"""Living store: the cost of adding articles to a store, against analysing them alone.

    python benchmarks/bench_store.py                   # 100 new into a store of 10,000
    python benchmarks/bench_store.py --store 300       # a smaller store

The articles are real-like news (`reallike.py`: the labelled corpora under
../shared/corpora, retold as other events when more are asked for than they hold; the
benchmark says so and stops when that folder is absent). The 100 new ones are drawn at
random from the whole set, so they join stories the store already has, as a day's new
articles do. The store is built once with `parallax ingest`'s code path; then, each in
the same process:
- alone: the new articles analysed on their own, in a fresh store (the yardstick);
- added: the same articles ingested into the built store (per-article stages on the
  new ones only, grown into the stored stories, story stages on the stories they join);
- again: the same articles ingested once more, which reads them, finds nothing new and
  stores no run;
- regrouped: `ingest --reanalyse` on the grown store, grouping all its articles afresh,
  and how well the grown stories agree with those (B-cubed, the regrouped ones as the
  reference): what growing stories instead of regrouping gives up.
Writes benchmarks/results/store.json. The issue's targets: added under 3 x alone;
again under 2 s with no new run.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import reallike
from _common import peak_rss_mb
from newsparallax.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
RESULTS = Path(__file__).parent / "results" / "store.json"


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    code = cli(argv)
    if code != 0:
        raise SystemExit(f"parallax {' '.join(argv)} exited {code}")
    return round(time.perf_counter() - start, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=int, default=10_000, help="articles in the store")
    parser.add_argument("--new", type=int, default=100, help="articles added to it")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not reallike.present():
        print(f"{reallike.CORPORA} lacks one of {reallike.NEEDED}: nothing measured")
        return
    documents = list(reallike.real_like(args.store + args.new))
    random.Random(5).shuffle(documents)
    new = documents[: args.new]
    stored = documents[args.new :]
    with tempfile.TemporaryDirectory() as folder:
        base, added = Path(folder) / "store.jsonl", Path(folder) / "new.jsonl"
        reallike.write_jsonl(base, stored)
        reallike.write_jsonl(added, new)
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
            grown_stories = store.stories(store.latest_complete_run() or 0)
        regrouped = timed(["ingest", str(added), "--db", db, "--reanalyse"])
        with SQLiteStore(db) as store:
            fresh_stories = store.stories(store.latest_complete_run() or 0)
    precision, recall = b_cubed(grown_stories, fresh_stories)
    result = {
        "machine": platform.platform(),
        "corpus": "real-like (benchmarks/reallike.py over ../shared/corpora)",
        "store_articles": len(stored),
        "new_articles": len(new),
        "build_store_s": build,
        "alone_s": alone,
        "added_s": grown,
        "added_over_alone": round(grown / alone, 2),
        "again_s": again,
        "again_stored_a_run": runs_after != runs_before,
        "regrouped_s": regrouped,
        "grown_stories": len(grown_stories),
        "regrouped_stories": len(fresh_stories),
        "grown_vs_regrouped_b_cubed": {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(2 * precision * recall / (precision + recall), 4),
        },
        "peak_rss_mb": round(peak_rss_mb(), 1),
        # the biggest worker (parse workers, forked story workers: shared pages count)
        "worker_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"results: {args.out}")


def b_cubed(found: list[Any], reference: list[Any]) -> tuple[float, float]:
    """B-cubed precision and recall of one grouping of articles against another."""
    found_of = {a: k for k, s in enumerate(found) for a in s.article_ids}
    reference_of = {a: k for k, s in enumerate(reference) for a in s.article_ids}
    found_size = Counter(found_of.values())
    reference_size = Counter(reference_of.values())
    both = Counter((found_of[a], reference_of[a]) for a in found_of if a in reference_of)
    shared = [both[(found_of[a], reference_of[a])] for a in found_of if a in reference_of]
    common = [a for a in found_of if a in reference_of]
    precision = sum(n / found_size[found_of[a]] for n, a in zip(shared, common, strict=True))
    recall = sum(n / reference_size[reference_of[a]] for n, a in zip(shared, common, strict=True))
    return precision / len(common), recall / len(common)


if __name__ == "__main__":
    main()
