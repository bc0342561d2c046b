"""Stories: ECB+ event clusters (B-cubed at the event level) and the Timeline17 pools mixed
into one dated stream (no story may hold articles of two topics).

ECB+ (Cybulska & Vossen 2014): each topic holds two real events of one kind (two
earthquakes, two stars in rehab), reported by many outlets. A document's event is its
(topic, "ecb" | "ecbplus"). The text is rebuilt from the tokens, one paragraph per
sentence; in `ecbplus` files sentence 0 is the page's URL and is dropped. No titles,
dates or outlets: the undated path of clustering is what is measured.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from accuracy.common import Parallax, TaskOptions, TaskResult, bcubed
from newsparallax.model import Annotated, Story
from newsparallax.stories.grouping import group_stories_stage

_NAME = re.compile(r"^(\d+)_(\d+)(ecbplus|ecb)\.xml$")
_JOINS = [
    (re.compile(r"``\s*"), '"'),
    (re.compile(r"\s*''"), '"'),
    (re.compile(r"\s+([.,;:!?%)\]}])"), r"\1"),
    (re.compile(r"([(\[{$])\s+"), r"\1"),
    (re.compile(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", re.I), r"\1"),
    (re.compile(r"\b([A-Z])\s\.\s([A-Z])\b"), r"\1.\2"),  # "U . S" -> "U.S"
    (re.compile(r"(\d)\s:\s(\d)"), r"\1:\2"),  # "4 : 59"
    (re.compile(r"(\w)\s-\s(\w)"), r"\1-\2"),  # "90 - day"
]


def detokenise(tokens: list[str]) -> str:
    text = " ".join(tokens)
    for pattern, replacement in _JOINS:
        text = pattern.sub(replacement, text)
    return text


def ecbplus_files(root: Path, topics: int | None = None) -> Iterator[tuple[Path, str, str]]:
    """(path, topic, "ecb" | "ecbplus") of every document, topic by topic; the first
    `topics` topics when given."""
    folders = sorted(
        (p for p in (root / "ECB+").iterdir() if p.is_dir()), key=lambda p: int(p.name)
    )
    for folder in folders[:topics]:
        for path in sorted(folder.glob("*.xml")):
            match = _NAME.match(path.name)
            if match is not None:
                topic, _, kind = match.groups()
                yield path, topic, kind


def read_ecbplus(root: Path, topics: int | None = None) -> list[tuple[str, str, str]]:
    """(name, text, event) for every document; the first `topics` topics when given."""
    out = []
    for path, topic, kind in ecbplus_files(root, topics):
        sentences: dict[int, list[str]] = defaultdict(list)
        for token in ET.parse(path).getroot().iter("token"):
            sentences[int(token.get("sentence", "0"))].append(token.text or "")
        if kind == "ecbplus":
            sentences.pop(0, None)
        text = "\n\n".join(detokenise(sentences[s]) for s in sorted(sentences))
        out.append((path.name, text, f"{topic}{kind}"))
    return out


def cluster_both(
    parallax: Parallax, docs: list[Annotated], stories: tuple[Story, ...]
) -> dict[str, tuple[Story, ...]]:
    """The default method's stories and the other method's, on the same annotated articles."""
    options = parallax.settings.group
    other = "tfidf" if options.method == "incremental" else "incremental"
    _, others = group_stories_stage(
        docs, (), options=dataclasses.replace(options, method=other), background=parallax.background
    )
    return {options.method: stories, other: others}


# Thresholds tried, as factors of the default: the whole curve (--curves), and the range
# of +-30 % over which F1 must stay within 0.03 of its best there (issue 10).
CURVE = (0.5, 0.7, 0.85, 1.0, 1.15, 1.3, 1.5, 2.0)
PLATEAU = (0.7, 0.85, 1.0, 1.15, 1.3)


def at_thresholds(
    parallax: Parallax, docs: list[Annotated], method: str, factors: tuple[float, ...]
) -> Iterator[tuple[float, tuple[Story, ...]]]:
    """Each threshold (`factors` x the method's default) and the stories made at it."""
    base = parallax.settings.group
    default = base.incremental_threshold if method == "incremental" else base.similarity_threshold
    for factor in factors:
        value = round(default * factor, 4)
        options = dataclasses.replace(
            base,
            method=method,
            **({"incremental_threshold": value} if method == "incremental" else {}),
            **({"similarity_threshold": value} if method == "tfidf" else {}),
        )
        _, stories = group_stories_stage(docs, (), options=options, background=parallax.background)
        yield value, stories


def sweep(
    parallax: Parallax,
    docs: list[Annotated],
    gold: dict[str, str],
    method: str,
    factors: tuple[float, ...] = CURVE,
) -> dict[str, float]:
    """F1 by threshold: where the default sits on the curve."""
    return {
        str(value): bcubed(membership(stories), gold)["f1"]
        for value, stories in at_thresholds(parallax, docs, method, factors)
    }


EMBEDDER = "all-MiniLM-L6-v2"


def _with_embedder(parallax: Parallax, docs: list[Annotated], gold: dict[str, str]) -> float | None:
    """B-cubed F1 of the default grouping with `group.embedder` set, where the `embed`
    extra is installed (None where it is not: the figure is then left out)."""
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        return None
    from newsparallax.embed import load_embedder

    options = dataclasses.replace(parallax.settings.group, method="tfidf", embedder=EMBEDDER)
    _, stories = group_stories_stage(
        docs,
        (),
        options=options,
        background=parallax.background,
        embedder=load_embedder(EMBEDDER),
    )
    return bcubed(membership(stories), gold)["f1"]


def membership(stories: tuple[Story, ...]) -> dict[str, str]:
    return {a: s.id for s in stories for a in s.article_ids}


def ecbplus_task(parallax: Parallax, root: Path, options: TaskOptions) -> TaskResult:
    documents = read_ecbplus(root, topics=options.limit)
    random.Random(13).shuffle(documents)
    records = [{"url": f"ecbplus:{n}", "text": t} for n, t, _ in documents]
    event = {f"ecbplus:{n}": e for n, _, e in documents}
    articles = parallax.read(records)
    docs, stories, errors = parallax.run(articles, "stories")
    gold = {d.id: event[d.article.source] for d in docs}
    metrics: dict[str, Any] = {"events": len(set(gold.values())), "errors": len(errors)}
    for method, found in cluster_both(parallax, docs, stories).items():
        scores = bcubed(membership(found), gold)
        metrics.update({f"{method}_{k}": v for k, v in scores.items()})
        metrics[f"{method}_stories"] = len(found)
    with_meaning = _with_embedder(parallax, docs, gold)
    if with_meaning is not None:
        metrics["tfidf_f1_with_embedder"] = with_meaning
    plateau = sweep(parallax, docs, gold, parallax.settings.group.method, PLATEAU)
    metrics["f1_drop_within_30pct"] = round(max(plateau.values()) - min(plateau.values()), 4)
    result = TaskResult("stories", "ECB+ topics (event level)", metrics, len(docs))
    if options.curves:
        for method in ("incremental", "tfidf"):
            curve = sweep(parallax, docs, gold, method)
            result.notes.append(f"{method} F1 by threshold: {json.dumps(curve)}")
    result.misses = _worst_stories(stories, gold, options.show_errors)
    result.notes += errors[: options.show_errors]
    return result


def _worst_stories(stories: tuple[Story, ...], gold: dict[str, str], count: int) -> list[str]:
    """The stories that mix most events, as (size, events in it)."""
    mixed = []
    for story in stories:
        events = Counter(gold[a] for a in story.article_ids if a in gold)
        if len(events) > 1:
            mixed.append((len(story.article_ids), dict(events.most_common(6))))
    mixed.sort(key=lambda m: -m[0])
    return [f"a story of {size} mixes events {events}" for size, events in mixed[:count]]


def read_timeline_pools(root: Path, per_pool: int | None = None) -> list[dict[str, Any]]:
    """Every Timeline17 article as a record with its day and outlet, its pool and topic."""
    out = []
    for pool in sorted(p for p in root.iterdir() if p.is_dir()):
        articles = json.loads((pool / "articles.json").read_text("utf-8"))
        articles.sort(key=lambda a: (a["dct"], a["uid"]))
        if per_pool is not None:
            step = max(1, len(articles) // per_pool)
            articles = articles[::step][:per_pool]
        topic, outlet = pool.name.split("_", 1)
        for article in articles:
            out.append(
                {
                    "url": f"timeline17:{pool.name}:{article['uid']}",
                    "text": ptb_to_text(article["text"]),
                    "published": article["dct"],
                    "outlet": outlet,
                    "pool": pool.name,
                    "topic": topic,
                }
            )
    return out


_PTB = [
    (re.compile(r"-LRB-\s*"), "("),
    (re.compile(r"\s*-RRB-"), ")"),
    (re.compile(r"-LSB-\s*"), "["),
    (re.compile(r"\s*-RSB-"), "]"),
    (re.compile(r"-LCB-\s*"), "{"),
    (re.compile(r"\s*-RCB-"), "}"),
]


def ptb_to_text(tokenised: str) -> str:
    """Timeline17's PTB-tokenised text back to plain prose, one paragraph per sentence."""
    text = tokenised
    for pattern, replacement in _PTB:
        text = pattern.sub(replacement, text)
    sentences = re.split(r"(?<=[.!?]) (?=\S)", text.strip())
    return "\n\n".join(detokenise(s.split()) for s in sentences if s.strip())


def _mixing(stories: tuple[Story, ...], gold: dict[str, str]) -> int:
    """How many stories hold articles of two topics."""
    return sum(len({gold[a] for a in s.article_ids}) > 1 for s in stories)


def mixed_stream_task(parallax: Parallax, root: Path, options: TaskOptions) -> TaskResult:
    """All pools in one dated stream: purity against the two topics (BP oil spill, H1N1)."""
    records = read_timeline_pools(root, per_pool=options.limit)
    topic = {r["url"]: r["topic"] for r in records}
    articles = parallax.read(records)
    docs, stories, errors = parallax.run(articles, "stories")
    gold = {d.id: topic[d.article.source] for d in docs}
    metrics: dict[str, Any] = {"errors": len(errors)}
    for method, found in cluster_both(parallax, docs, stories).items():
        mixing = [s for s in found if len({gold[a] for a in s.article_ids}) > 1]
        metrics[f"{method}_purity"] = bcubed(membership(found), gold)["precision"]
        metrics[f"{method}_mixed_stories"] = len(mixing)
        metrics[f"{method}_articles_in_mixed"] = sum(len(s.article_ids) for s in mixing)
        metrics[f"{method}_stories"] = len(found)
    metrics["mixed_stories_within_30pct"] = sum(
        _mixing(stories, gold)
        for _, stories in at_thresholds(parallax, docs, parallax.settings.group.method, PLATEAU)
    )
    result = TaskResult(
        "stories_stream", "Timeline17 pools as one dated stream", metrics, len(docs)
    )
    if options.curves:
        method = parallax.settings.group.method
        curve = {v: _mixing(s, gold) for v, s in at_thresholds(parallax, docs, method, CURVE)}
        result.notes.append(f"{method} mixed stories by threshold: {json.dumps(curve)}")
    result.misses = _worst_stories(stories, gold, options.show_errors)
    result.notes += errors[: options.show_errors]
    return result
