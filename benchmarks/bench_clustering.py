"""Story clustering on a synthetic stream: speed, memory, growth with stories.

    python benchmarks/bench_clustering.py                  # 10k, 30k and 100k articles
    python benchmarks/bench_clustering.py --sizes 10000

Both methods run on the same stream: the default batch rule (`group_stories`: evidence,
sparse average linkage, join reasons) over the whole set at once, and the incremental
clusterer taking it one article at a time.

Writes benchmarks/results/clustering.json. The stream: articles in time order, one
story per ~20 articles, each story running for a few days, its articles sharing a
vocabulary of 30 words drawn from 50,000 and adding 15 words of their own; one article
in ten is undated. Reported per size: articles per second, peak memory, stories found,
and B-cubed F1 against the planted stories. Each size runs in a fresh process.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from _common import TESTS, peak_rss_mb, run_sizes_from_command_line

sys.path.insert(0, str(TESTS))
from story_eval import bcubed

RESULTS = Path(__file__).parent / "results" / "clustering.json"
PER_STORY = 20
METHOD_VARIABLE = "PARALLAX_BENCH_METHOD"


def run_one(size: int) -> dict[str, float]:
    from newsparallax.config import Settings
    from newsparallax.model import Annotated, Article
    from newsparallax.stories.evidence import load_background
    from newsparallax.stories.grouping import group_stories
    from newsparallax.stories.incremental import StoryClusterer

    method = os.environ.get(METHOD_VARIABLE, "batch")

    rnd = random.Random(11)
    vocabulary = [f"w{i:05d}" for i in range(50_000)]
    stories = max(1, size // PER_STORY)
    topics = [rnd.sample(vocabulary, 30) for _ in range(stories)]
    start_day = [date(2020, 1, 1) + timedelta(days=int(i * 3650 / stories)) for i in range(stories)]
    stream = []
    for index in range(size):
        story = rnd.randrange(stories)
        words = rnd.sample(topics[story], 20) + [rnd.choice(vocabulary) for _ in range(15)]
        day = start_day[story] + timedelta(days=rnd.randrange(4))
        stream.append(
            (day if rnd.random() > 0.1 else None, story, f"a{index:07d}", " ".join(words) + ".")
        )
    stream.sort(key=lambda item: (item[0] is None, item[0] or date.min, item[2]))
    gold = {key: story for _, story, key, _ in stream}
    docs = [
        Annotated(Article(id=key, source="s", text=text, published=day))
        for day, _, key, text in stream
    ]
    began = time.perf_counter()
    if method == "batch":
        background = load_background()
        found = group_stories(docs, options=Settings.defaults().group, background=background)
        groups = [s.article_ids for s in found]
    else:
        clusterer = StoryClusterer()
        for doc in docs:
            clusterer.add(doc, doc.article.published)  # type: ignore[arg-type]
        groups = [tuple(g) for g in clusterer.stories()]
    seconds = time.perf_counter() - began
    predicted = {a: i for i, members in enumerate(groups) for a in members}
    return {
        "method": method,
        "articles": size,
        "planted_stories": stories,
        "stories_found": len(groups),
        "bcubed_f1": round(bcubed(predicted, gold), 4),
        "seconds": round(seconds, 2),
        "articles_per_second": round(size / seconds),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main() -> None:
    if "--one" in sys.argv:  # one size, in the method the parent process set
        run_sizes_from_command_line(__doc__, __file__, run_one, RESULTS)
        return
    rows: list[dict[str, float]] = []
    out = RESULTS
    for method in ("batch", "incremental"):
        os.environ[METHOD_VARIABLE] = method  # the per-size processes inherit it
        ran = run_sizes_from_command_line(__doc__, __file__, run_one, RESULTS)
        if ran is not None:
            rows += ran[0]
            out = ran[1]
    out.write_text(json.dumps({"benchmark": "story clustering", "runs": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
