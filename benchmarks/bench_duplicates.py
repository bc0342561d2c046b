"""Near-duplicate articles in a large corpus: recall, precision, time and memory.

    python benchmarks/bench_duplicates.py                    # 10k, 30k and 100k articles
    python benchmarks/bench_duplicates.py --sizes 10000      # a quick look

Writes benchmarks/results/duplicates.json. The corpus is synthetic: articles of random
sentences over a 5,000-word vocabulary (so unrelated articles share little), with 5 %
of them planted copies of another article — a few words changed, a sentence dropped,
a sentence added, as syndicated copies are edited. Detection is MinHash LSH over word
3-grams (`group.duplicates.near_duplicates`, Jaccard ≥ 0.5), the same code the report
uses; pairs found are scored against the planted ones. Each size runs in a fresh
process so peak memory is its own.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from _common import peak_rss_mb, run_sizes_from_command_line

RESULTS = Path(__file__).parent / "results" / "duplicates.json"
COPY_SHARE = 0.05
WORDS_PER_SENTENCE = 14


def corpus(size: int, seed: int = 3) -> tuple[list[str], set[tuple[int, int]]]:
    rnd = random.Random(seed)
    vocabulary = [f"w{rnd.randrange(10**6):06d}" for _ in range(5000)]

    def sentence() -> str:
        return " ".join(rnd.choice(vocabulary) for _ in range(WORDS_PER_SENTENCE)) + "."

    texts: list[str] = []
    originals: list[int] = []
    planted: set[tuple[int, int]] = set()
    for index in range(size):
        if index > 10 and rnd.random() < COPY_SHARE:
            original = rnd.choice(originals)
            sentences = texts[original].split(". ")
            dropped = rnd.randrange(len(sentences))
            sentences = [s for k, s in enumerate(sentences) if k != dropped]
            words = " ".join(sentences).split()
            for _ in range(len(words) // 20):  # change one word in twenty
                words[rnd.randrange(len(words))] = rnd.choice(vocabulary)
            texts.append(" ".join(words) + " " + sentence())
            planted.add((original, index))
        else:
            originals.append(index)
            texts.append(" ".join(sentence() for _ in range(rnd.randint(8, 14))))
    return texts, planted


def run_one(size: int) -> dict[str, float]:
    from newsparallax.crosscheck.duplicates import near_duplicates

    texts, planted = corpus(size)
    start = time.perf_counter()
    found = {(i, j) for i, j, _ in near_duplicates(texts)}
    seconds = time.perf_counter() - start
    # two copies of one original are copies of each other too
    family = {copy: original for original, copy in planted}
    true = {(i, j) for i, j in found if family.get(i, i) == family.get(j, j)}
    expected = {(min(a, b), max(a, b)) for a, b in planted}
    return {
        "articles": size,
        "planted_pairs": len(expected),
        "pairs_found": len(found),
        "recall": round(len(expected & found) / len(expected), 4) if expected else 1.0,
        "precision": round(len(true) / len(found), 4) if found else 1.0,
        "seconds": round(seconds, 2),
        "articles_per_second": round(size / seconds),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main() -> None:
    ran = run_sizes_from_command_line(__doc__, __file__, run_one, RESULTS)
    if ran is None:
        return
    rows, out = ran
    per_article = [r["seconds"] / r["articles"] for r in rows]
    summary = {
        "benchmark": "near-duplicate articles (MinHash LSH, Jaccard >= 0.5)",
        "runs": rows,
        "seconds_per_1000_articles": [round(1000 * p, 3) for p in per_article],
    }
    out.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
