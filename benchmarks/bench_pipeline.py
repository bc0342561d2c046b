"""The whole of Parallax against its yardstick: spaCy's own full parse of the same articles.

    python benchmarks/bench_pipeline.py              # writes benchmarks/results/pipeline.json
    python benchmarks/bench_pipeline.py --copies 40  # a bigger corpus

The corpus is our own: the demo corpus and the grouping fixtures, each article copied
`--copies` times with a numbered closing paragraph (so no copy is a duplicate of
another). With ../shared/seeds present, the seeds are measured as a second corpus.
`long_article`: each stage's cost per 1,000 words for one article of 1,500, 6,000 and
24,000 words, to show which grow faster than the text.

Both sides run in the same process on the same cleaned texts: Parallax from files on
disk to the finished report (ingest, clean, segment, entities, quotes, stories,
linking, JSON), spaCy with every component of its small English model. The target is
a ratio at or below 1.0.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _common import peak_rss_mb
from newsparallax.analysis import analyze_articles, default_stages
from newsparallax.config import Settings
from newsparallax.ingest import read_articles
from newsparallax.model import Article
from newsparallax.nlp import load_model
from newsparallax.pipeline import run_pipeline
from newsparallax.render import report_to_json

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "src" / "newsparallax" / "demo", ROOT / "tests" / "data" / "grouping"]
SEEDS = ROOT.parent / "shared" / "seeds"
RESULTS = Path(__file__).parent / "results" / "pipeline.json"


def build_corpus(folder: Path, copies: int) -> None:
    """Copies of our articles, each made distinct by a numbered last paragraph."""
    for copy in range(copies):
        target = folder / f"copy{copy:03d}"
        for source in SOURCES:
            shutil.copytree(source, target / source.name)
        for path in target.rglob("*.txt"):
            path.write_text(path.read_text() + f"\nThis is copy number {copy} of the article.\n")


def forget_time_expressions() -> None:
    """Each article's time expressions are kept per text for its story stage
    (`extract.publication`); a run over texts an earlier run saw would time that cache."""
    from newsparallax.extract import publication

    publication._time_expressions.cache_clear()


def measure(articles: list[Article], settings: Settings, stages: list, nlp) -> dict[str, object]:  # type: ignore[type-arg,no-untyped-def]
    """Seconds per article for Parallax's stages and for spaCy's full parse, same texts."""
    analyze_articles(articles[:3], settings, stages=stages)  # warm up both
    list(nlp.pipe([a.text for a in articles[:3]]))
    forget_time_expressions()

    start = time.perf_counter()
    report = analyze_articles(articles, settings, stages=stages)
    report_to_json(report)
    parallax_s = time.perf_counter() - start

    start = time.perf_counter()
    for _ in nlp.pipe([a.text for a in articles], batch_size=32):
        pass
    spacy_s = time.perf_counter() - start
    count = len(articles)
    return {
        "articles": count,
        "words": sum(len(a.text.split()) for a in articles),
        "stories": len(report.stories),
        "quotes": sum(len(s.quotes) for s in report.stories),
        "entities": sum(len(s.entities) for s in report.stories),
        "parallax_ms_per_article": round(1000 * parallax_s / count, 2),
        "spacy_full_parse_ms_per_article": round(1000 * spacy_s / count, 2),
        "ratio": round(parallax_s / spacy_s, 3),
    }


def stage_breakdown(articles: list[Article], settings: Settings, stages: list) -> dict[str, float]:  # type: ignore[type-arg]
    """Milliseconds per article in each stage, from the runner's own progress calls (each
    batch, story or corpus stage reports when it is done)."""
    from newsparallax.model import Annotated

    spent: dict[str, float] = {}
    last = [time.perf_counter()]

    def tick(stage: str, done: int) -> None:
        now = time.perf_counter()
        spent[stage] = spent.get(stage, 0.0) + now - last[0]
        last[0] = now

    forget_time_expressions()
    run_pipeline([Annotated(a) for a in articles], stages, on_batch=tick)
    return {name: round(1000 * seconds / len(articles), 2) for name, seconds in spent.items()}


def time_stage(articles: list[Article], nlp) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The dates stage on its own: expressions and articles per second, and spaCy's parse."""
    from newsparallax.extract.publication import find_times
    from newsparallax.model import Annotated

    docs = [Annotated(a) for a in articles]
    forget_time_expressions()
    start = time.perf_counter()
    dated = find_times(docs)
    seconds = time.perf_counter() - start
    expressions = sum(len(d.times) for d in dated)
    start = time.perf_counter()
    for _ in nlp.pipe([a.text for a in articles], batch_size=32):
        pass
    spacy_s = time.perf_counter() - start
    return {
        "expressions": expressions,
        "expressions_per_second": round(expressions / seconds),
        "articles_per_second": round(len(articles) / seconds),
        "ms_per_article": round(1000 * seconds / len(articles), 3),
        "spacy_full_parse_ms_per_article": round(1000 * spacy_s / len(articles), 2),
    }


LONG_ARTICLE_WORDS = (1_500, 6_000, 24_000)


def long_article(articles: list[Article], settings: Settings, stages: list) -> dict[str, object]:  # type: ignore[type-arg]
    """Milliseconds per 1,000 words in each stage for one article of 1,500, 6,000 and
    24,000 words in a single paragraph (our corpus's texts run together): a stage whose
    figure grows with the length does work that grows faster than the text."""
    words = " ".join(a.text for a in articles).split()
    out: dict[str, list[float]] = {}
    for size in LONG_ARTICLE_WORDS:
        text = " ".join((words * (size // len(words) + 1))[:size])
        article = Article(id=f"long{size}", source=f"long-{size}.txt", text=text)
        for stage, ms in stage_breakdown([article], settings, stages).items():
            out.setdefault(stage, []).append(round(ms * 1000 / size, 1))
    totals = [
        round(sum(v[i] for v in out.values() if len(v) > i), 1)
        for i in range(len(LONG_ARTICLE_WORDS))
    ]
    return {"words": list(LONG_ARTICLE_WORDS), "total_ms_per_1000_words": totals} | {
        "stage_ms_per_1000_words": {k: v for k, v in out.items() if max(v) >= 1.0}
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    settings = Settings.defaults()
    start = time.perf_counter()
    stages = default_stages(settings)
    load_s = time.perf_counter() - start
    nlp = load_model()

    with tempfile.TemporaryDirectory() as tmp:
        build_corpus(Path(tmp), args.copies)
        start = time.perf_counter()
        articles = [a for a in read_articles([tmp], settings) if isinstance(a, Article)]
        ingest_s = time.perf_counter() - start
    result: dict[str, object] = {
        "benchmark": "whole pipeline vs spaCy full parse",
        "spacy_model": f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}",
        "ours": measure(articles, settings, stages, nlp)
        | {"ingest_ms_per_article": round(1000 * ingest_s / len(articles), 2)},
        "ours_stage_ms_per_article": stage_breakdown(articles, settings, stages),
        "dates_stage": time_stage(articles, nlp),
        "long_article": long_article(articles, settings, stages),
    }
    if SEEDS.is_dir():
        seeds = [a for a in read_articles([SEEDS], settings) if isinstance(a, Article)]
        result["seeds"] = measure(seeds, settings, stages, nlp)
    result["startup_seconds"] = round(load_s, 2)  # models and gazetteer, once per run
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    result["python"] = sys.version.split()[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
