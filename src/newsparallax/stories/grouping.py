"""Provisional story grouping: TF-IDF over content words, average-linkage clustering.

The rule, documented because users will see its mistakes: each article is a TF-IDF
vector of its title and text (English stop words removed, sublinear term frequency,
so one repeated word cannot dominate). Articles are clustered bottom-up, and two
groups merge while the *average* cosine similarity between their members is at
least `group.similarity_threshold`. Average linkage, unlike linking any two similar
articles, does not chain unrelated stories together through one broad article.

This is a batch rule over the articles at hand; event-level clustering (embeddings,
entities, dates, incremental) replaces it later.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from newsparallax.config import GroupOptions
from newsparallax.model import Annotated, Story, group_id

_TITLE_WORDS = 16


# Articles whose given days lie this far apart (days) are less alike: x0.5 beyond a week,
# x0.2 beyond a month, x0.05 beyond half a year. Two floods a year apart share every
# word but are two stories; follow-ups within days are not held back. Only days the
# input gives count (a day inferred from the text is a guess), so undated copy clusters
# on words alone.
TIME_STEPS = ((180, 0.05), (30, 0.2), (7, 0.5))


def given_day(doc: Annotated) -> date | None:
    """The day an article was published, when its input says so (never an inferred day)."""
    published = doc.article.published
    if published is None or doc.article.published_inferred:
        return None
    return published.date() if isinstance(published, datetime) else published


def time_factor(gap_days: int) -> float:
    for days, factor in TIME_STEPS:
        if gap_days > days:
            return factor
    return 1.0


def similarity_matrix(docs: Sequence[Annotated]) -> NDArray[np.float64]:
    """Pairwise cosine similarity of the articles' TF-IDF vectors (title counted with text),
    scaled down for articles whose given days are far apart (`TIME_STEPS`)."""
    texts = [f"{d.article.title or ''}\n{d.article.text}" for d in docs]
    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b"
    )
    try:
        vectors = vectorizer.fit_transform(texts)
    except ValueError:  # no content words at all (e.g. only stop words)
        return np.eye(len(docs))
    similarity: NDArray[np.float64] = (vectors @ vectors.T).toarray()
    days = [given_day(d) for d in docs]
    dated = [i for i, d in enumerate(days) if d is not None]
    if len(dated) > 1:
        ordinals = np.array([days[i].toordinal() for i in dated])  # type: ignore[union-attr]
        gaps = np.abs(ordinals[:, None] - ordinals[None, :])
        factors = np.ones_like(gaps, dtype=float)
        for limit, factor in reversed(TIME_STEPS):
            factors[gaps > limit] = factor
        similarity[np.ix_(dated, dated)] *= factors
    return similarity


def cluster_labels(similarity: NDArray[np.float64], threshold: float) -> list[int]:
    """Average-linkage clusters of a similarity matrix; labels numbered by first member."""
    count = similarity.shape[0]
    if count < 2:
        return [0] * count
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - threshold,
    )
    raw = model.fit_predict(distance)
    renumber: dict[int, int] = {}
    return [renumber.setdefault(int(label), len(renumber)) for label in raw]


def group_stories_stage(
    docs: Sequence[Annotated], stories: tuple[Story, ...], *, options: GroupOptions
) -> tuple[Sequence[Annotated], tuple[Story, ...]]:
    """The pipeline's corpus stage: stories replace whatever grouping came before."""
    if options.method == "incremental":
        from newsparallax.stories.incremental import incremental_stories

        return docs, incremental_stories(docs, options.incremental_threshold)
    return docs, group_stories(docs, options=options)


def group_stories(docs: Sequence[Annotated], *, options: GroupOptions) -> tuple[Story, ...]:
    """Group the articles into stories; independent of the order the articles come in.

    Stories come out ordered by size (largest first), then by id.
    """
    ordered = sorted(docs, key=lambda d: d.id)
    if not ordered:
        return ()
    similarity = similarity_matrix(ordered)
    labels = cluster_labels(similarity, options.similarity_threshold)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    out = []
    for indices in members.values():
        block = similarity[np.ix_(indices, indices)]
        centrality = block.mean(axis=1)
        by_centrality = [ordered[indices[i]] for i in np.argsort(-centrality, kind="stable")]
        ids = tuple(sorted(ordered[i].id for i in indices))
        out.append(Story(id=group_id("s", ids), title=story_title(by_centrality), article_ids=ids))
    return tuple(sorted(out, key=lambda s: (-len(s.article_ids), s.id)))


def story_title(by_centrality: Sequence[Annotated]) -> str:
    """The headline of the most central article that has one; else its first sentence.

    Words are only ever taken from the articles, never made up; a long first sentence
    is cut at a word boundary and marked with an ellipsis.
    """
    for doc in by_centrality:
        if doc.article.title:
            return doc.article.title
    doc = by_centrality[0]
    first = doc.sentences[0].of(doc.article.text) if doc.sentences else doc.article.text
    words = first.split()
    return " ".join(words[:_TITLE_WORDS]) + (" …" if len(words) > _TITLE_WORDS else "")
