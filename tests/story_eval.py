"""Scoring of story clustering against our labelled corpus (tests/data/stories.jsonl).

    python tests/story_eval.py            # B-cubed F1 of both methods over a range of thresholds

162 short articles we wrote about 27 fictional events, six each, dated. Several events
share a topic (two port strikes, two floods, two ferry accidents, two wildfires a month
apart, two elections, two product launches, two drink-driving arrests at one football
club five days apart) and within an event the outlets vary their words ("walkout",
"downed tools", "strike").
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections import Counter
from pathlib import Path

from newsparallax.config import Settings
from newsparallax.extract import find_mentions, segment
from newsparallax.extract.publication import find_times
from newsparallax.ingest import read_articles
from newsparallax.model import Annotated, Article
from newsparallax.nlp import LanguageModels, SentenceSplitter
from newsparallax.stories.evidence import load_background
from newsparallax.stories.grouping import group_stories
from newsparallax.stories.incremental import cluster_stories

CORPUS = Path(__file__).parent / "data" / "stories.jsonl"
_background_once = functools.cache(load_background)


def labelled(
    splitter: SentenceSplitter, models: LanguageModels
) -> tuple[list[Annotated], dict[str, str]]:
    """The corpus as analysed articles (with names and dates), and each article's story."""
    records = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
    story_of_text = {r["text"]: r["story"] for r in records}
    found = [a for a in read_articles([CORPUS], Settings.defaults()) if isinstance(a, Article)]
    docs = [Annotated(a) for a in found]
    docs = find_times(find_mentions(segment(docs, splitter), models.recognise_entities))
    return docs, {d.id: story_of_text[d.article.text] for d in docs}


def bcubed(predicted: dict[str, object], gold: dict[str, str]) -> float:
    pairs = Counter((predicted[a], gold[a]) for a in gold)
    by_predicted = Counter(predicted[a] for a in gold)
    by_gold = Counter(gold.values())
    precision = sum(n * n / by_predicted[p] for (p, _), n in pairs.items()) / len(gold)
    recall = sum(n * n / by_gold[g] for (_, g), n in pairs.items()) / len(gold)
    return 2 * precision * recall / (precision + recall)


def score(docs: list[Annotated], gold: dict[str, str], method: str, threshold: float) -> float:
    """B-cubed F1 of one method at one threshold (the batch method with the background)."""
    if method == "incremental":
        groups = cluster_stories(docs, threshold)
        predicted: dict[str, object] = {a: i for i, g in enumerate(groups) for a in g}
    else:
        options = dataclasses.replace(Settings.defaults().group, similarity_threshold=threshold)
        stories = group_stories(docs, options=options, background=_background_once())
        predicted = {a: s.id for s in stories for a in s.article_ids}
    return bcubed(predicted, gold)


if __name__ == "__main__":
    from newsparallax.nlp import load_language_models, load_sentence_splitter

    docs, gold = labelled(load_sentence_splitter(), load_language_models())
    for method, thresholds in (
        ("tfidf", (0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.22, 0.26, 0.3)),
        ("incremental", (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25)),
    ):
        print(method, {t: round(score(docs, gold, method, t), 3) for t in thresholds})
