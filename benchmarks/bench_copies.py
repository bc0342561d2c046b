"""Thousands of near-copies of one story: time, memory and report size, end to end.

    python benchmarks/bench_copies.py                     # 400, 2,000 and 10,000 copies
    python benchmarks/bench_copies.py --sizes 400         # a quick look

Writes benchmarks/results/copies.json. A wire story syndicated everywhere: the four dam
articles of the bundled demo corpus, each copied by many outlets with light edits (one
word in twenty changed, a sentence dropped, a line of the outlet's own added), all on
one day, so they form one story. Every stage runs, as `parallax analyze` runs them, and
the JSON report is written; each size runs in a fresh process so peak memory is its own.
"""

from __future__ import annotations

import json
import random
import time
from importlib import resources
from pathlib import Path

from _common import peak_rss_mb, run_sizes_from_command_line

RESULTS = Path(__file__).parent / "results" / "copies.json"


def copies(size: int, seed: int = 5) -> list[dict[str, str]]:
    from newsparallax.config import Settings
    from newsparallax.ingest import read_articles
    from newsparallax.model import Article

    demo = Path(str(resources.files("newsparallax") / "demo"))
    bases = [
        a
        for a in read_articles([demo], Settings.defaults())
        if isinstance(a, Article) and "dam" in a.text.lower()
    ]
    rnd = random.Random(seed)
    vocabulary = sorted({w for a in bases for w in a.text.split() if w.isalpha()})
    out = []
    for index in range(size):
        base = bases[index % len(bases)]
        sentences = base.text.replace("\n\n", " \n\n ").split(". ")
        if len(sentences) > 3:
            del sentences[rnd.randrange(1, len(sentences))]
        words = ". ".join(sentences).split(" ")
        for _ in range(len(words) // 20):
            words[rnd.randrange(len(words))] = rnd.choice(vocabulary)
        text = " ".join(words) + f"\n\nReporting by the Outlet {index} desk."
        out.append(
            {
                "title": base.title or "",
                "text": text,
                "outlet": f"Outlet {index}",
                "published": "2026-03-02",
                "url": f"https://outlet{index}.example/dam",
            }
        )
    return out


def run_one(size: int) -> dict[str, float]:
    import tempfile

    from newsparallax.analysis import analyze_articles
    from newsparallax.config import Settings
    from newsparallax.ingest import read_articles
    from newsparallax.model import Article
    from newsparallax.render.contract import report_to_json

    settings = Settings.defaults()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "copies.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in copies(size)), "utf-8")
        articles = [a for a in read_articles([path], settings) if isinstance(a, Article)]
    stage_seconds: dict[str, float] = {}
    last = [time.perf_counter()]

    def progress(stage: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        stage_seconds[stage] = stage_seconds.get(stage, 0.0) + now - last[0]
        last[0] = now

    start = time.perf_counter()
    report = analyze_articles(articles, settings, progress=progress)
    document = report_to_json(report)
    seconds = time.perf_counter() - start
    encoded = json.dumps(document)
    biggest = max(report.stories, key=lambda s: len(s.article_ids))
    return {
        "copies": size,
        "articles": len(articles),
        "stories": len(report.stories),
        "largest_story": len(biggest.article_ids),
        "seconds": round(seconds, 1),
        "seconds_per_article": round(seconds / len(articles), 4),
        "peak_mb": round(peak_rss_mb()),
        "json_mb": round(len(encoded) / 1e6, 2),
        "duplicates_listed": sum(len(s.duplicates) for s in report.stories),
        "discrepancies_listed": sum(len(s.discrepancies) for s in report.stories),
        "claims": sum(len(s.claims) for s in report.stories),
        "errors": len(report.errors),
        "stage_seconds": {k: round(v, 1) for k, v in stage_seconds.items()},  # type: ignore[dict-item]
    }


if __name__ == "__main__":
    ran = run_sizes_from_command_line(__doc__ or "", __file__, run_one, RESULTS)
    if ran is not None:
        rows, out = ran
        out.write_text(json.dumps({"runs": rows}, indent=2) + "\n", "utf-8")
        print(f"results: {out}")
