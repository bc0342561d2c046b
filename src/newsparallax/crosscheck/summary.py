"""A short extractive summary in which every sentence cites the articles it rests on.

Sentences are the story's claims (each already grouped with its retellings), chosen by
how many independent outlets state them — a syndicated copy or a rewrite counts once
with its source — and by how central they are to the story, with maximal marginal
relevance so the summary does not say one thing twice. They are then ordered by the
day they speak of when the story is a sequence of events, and lightly trimmed
(datelines, leading connectives). Each keeps every article that supports it.

The title is the headline that best matches the story's most corroborated claim, so it
names what happened, in an outlet's own words.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from newsparallax.crosscheck.copies import copy_of
from newsparallax.model import Annotated, Claim, DuplicateKind, Story, SummarySentence
from newsparallax.similarity import lexical_similarity

SUMMARY_SENTENCES = 6
# Maximal marginal relevance: weight of a sentence's own score against its likeness to
# the sentences already chosen.
MMR_LAMBDA = 0.7
MAX_SUMMARY_WORDS = 45
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+(?:,\s*[A-Z][\w .'-]+)?\s+[—–-]+\s+")
_CONNECTIVE = re.compile(
    r"^(?:However|Meanwhile|Moreover|In addition|Also|Still|Yet|But|And|So),\s+", re.I
)


def summarise(
    docs: Sequence[Annotated], story: Story, size: int = SUMMARY_SENTENCES, max_words: int = 0
) -> Story:
    """The story with its `summary` and a `title` taken from its best-matching headline."""
    members = [d for d in docs if d.id in set(story.article_ids)]
    claims = [c for c in story.claims if len(c.text.split()) <= MAX_SUMMARY_WORDS]
    if not claims:
        return story
    independent = _independent_sources(story)
    texts = [c.text for c in claims]
    similarity = lexical_similarity(texts)
    support = np.array(
        [len({independent.get(a, a) for a in c.sources}) for c in claims], dtype=float
    )
    centrality = similarity.mean(axis=1)
    score = support / max(support.max(), 1.0) + 0.5 * centrality / max(centrality.max(), 1e-9)
    chosen = _mmr(score, similarity, size)
    if max_words:  # keep the best sentences that fit, whole
        kept: list[int] = []
        total = 0
        for i in chosen:
            length = len(claims[i].text.split())
            if total + length <= max_words or not kept:
                kept.append(i)
                total += length
        chosen = kept
    dated = {i: _first_day(members, claims[i]) for i in chosen}
    if sum(1 for d in dated.values() if d) >= len(chosen) / 2:  # a sequence of events
        chosen.sort(key=lambda i: (dated[i] or "9999", -score[i]))
    summary = tuple(SummarySentence(_trim(claims[i].text), claims[i].sources) for i in chosen)
    return dataclasses.replace(
        story, summary=summary, title=_title(members, claims[int(np.argmax(score))]) or story.title
    )


def _independent_sources(story: Story) -> dict[str, str]:
    """Articles that copy or rewrite another count as that one (union of copy links)."""
    parent: dict[str, str] = dict(copy_of(story))

    def root(a: str) -> str:
        while parent.get(a, a) != a:
            a = parent[a]
        return a

    for duplicate in story.duplicates:
        if duplicate.kind is DuplicateKind.DERIVED_ARTICLE:
            parent[root(duplicate.a.article_id)] = root(duplicate.b.article_id)
    return {a: root(a) for a in story.article_ids}


def _mmr(score: NDArray[np.float64], similarity: NDArray[np.float64], size: int) -> list[int]:
    chosen: list[int] = []
    candidates = list(range(len(score)))
    while candidates and len(chosen) < size:

        def value(i: int) -> float:
            redundancy = max((similarity[i, j] for j in chosen), default=0.0)
            return float(MMR_LAMBDA * score[i] - (1 - MMR_LAMBDA) * redundancy)

        best = max(candidates, key=lambda i: (value(i), -i))
        chosen.append(best)
        candidates.remove(best)
    return chosen


def _first_day(docs: Sequence[Annotated], claim: Claim) -> str | None:
    """The first calendar date the claim's sentence names, in any article stating it."""
    for doc in docs:
        if doc.id not in claim.sources:
            continue
        start = doc.article.text.find(claim.text)
        if start == -1:
            continue
        for time in doc.times:
            if (
                start <= time.span.start < start + len(claim.text)
                and time.value
                and (len(time.value) >= 7 and "W" not in time.value)
            ):
                return time.value
    return None


def _trim(text: str) -> str:
    """Drop a dateline ("DUNMERE, Valdoria — ") and a leading connective ("However, ")."""
    text = _DATELINE.sub("", text)
    text = _CONNECTIVE.sub("", text)
    return text[:1].upper() + text[1:]


def _title(docs: Sequence[Annotated], claim: Claim) -> str | None:
    """The headline most like the story's most corroborated claim."""
    headlines = sorted({d.article.title for d in docs if d.article.title})
    if not headlines:
        return None
    similarity = lexical_similarity([claim.text, *headlines])
    best = int(np.argmax(similarity[0, 1:]))
    return headlines[best]


def summary_stage(
    docs: Sequence[Annotated],
    story: Story,
    *,
    size: int = SUMMARY_SENTENCES,
    max_words: int = 0,
) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's summary and title."""
    return docs, summarise(docs, story, size, max_words)
