"""Stories from a batch of articles: their evidence, average linkage, and why each joined.

The rule, documented because users will see its mistakes: each article's evidence
(`stories/evidence.py`: its words and its names, weighted against the batch and a
background of general English; the years it states; the day its input gives) makes a
similarity between every two articles. Articles are clustered bottom-up, and two groups
merge while the *mean* similarity between their members is at least
`group.similarity_threshold` (`stories/linkage.py`, exact, in memory that follows the
similar pairs). Each story records, per article, its mean similarity to the rest and the
words and names it shares with them most (`Story.join_reasons`), so a reader can see why
an article is there.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from newsparallax.config import GroupOptions
from newsparallax.model import Annotated, JoinReason, Story, group_id
from newsparallax.stories.evidence import Background, Evidence, gather_evidence
from newsparallax.stories.linkage import (
    Cluster,
    average_linkage,
    cross_similarity,
    dense_similarity,
)

_TITLE_WORDS = 16
# Shared words and names given per article in its join reasons.
REASON_TERMS = 5
REASON_NAMES = 3
# Stories larger than this explain their articles against the centroid of a sample.
_EXPLAIN_SAMPLE = 500


def group_stories_stage(
    docs: Sequence[Annotated],
    stories: tuple[Story, ...],
    *,
    options: GroupOptions,
    background: Background,
) -> tuple[Sequence[Annotated], tuple[Story, ...]]:
    """The pipeline's corpus stage: stories replace whatever grouping came before."""
    if options.method == "incremental":
        from newsparallax.stories.incremental import incremental_stories

        return docs, incremental_stories(docs, options.incremental_threshold)
    return docs, group_stories(docs, options=options, background=background)


def group_stories(
    docs: Sequence[Annotated], *, options: GroupOptions, background: Background
) -> tuple[Story, ...]:
    """Group the articles into stories; independent of the order the articles come in.

    Stories come out ordered by size (largest first), then by id.
    """
    ordered = sorted(docs, key=lambda d: d.id)
    if not ordered:
        return ()
    evidence = gather_evidence(ordered, background)
    out = []
    for cluster in average_linkage(evidence, options.similarity_threshold):
        members = cluster.members
        reasons = join_reasons(evidence, cluster, [ordered[i].id for i in members])
        by_score = sorted(range(len(members)), key=lambda k: -reasons[k].score if reasons else 0)
        ids = tuple(sorted(ordered[i].id for i in members))
        out.append(
            Story(
                id=group_id("s", ids),
                title=story_title([ordered[members[k]] for k in by_score]),
                article_ids=ids,
                join_reasons=tuple(sorted(reasons, key=lambda r: r.article_id)),
            )
        )
    return tuple(sorted(out, key=lambda s: (-len(s.article_ids), s.id)))


def similarity_matrix(docs: Sequence[Annotated], background: Background) -> NDArray[np.float64]:
    """Every pair's similarity, dense, in the order given (for small sets: tests, calibration)."""
    if not docs:
        return np.zeros((0, 0))
    evidence = gather_evidence(docs, background)
    return dense_similarity(evidence, np.arange(len(docs), dtype=np.intp))


def join_reasons(evidence: Evidence, cluster: Cluster, ids: Sequence[str]) -> list[JoinReason]:
    """Per member, its mean similarity to the others and what it shares with them most.

    What it shares: the terms whose weight in it times their weight summed over the
    other members is largest (the terms that made its similarity).
    """
    members = cluster.members
    if len(members) < 2:
        return []
    sample = members[:_EXPLAIN_SAMPLE]
    if cluster.similarity is not None:
        scores = (cluster.similarity.sum(axis=1) - 1.0) / (len(members) - 1)
    else:  # against a sample: a flood of copies must not cost the square of its size
        scores = _mean_similarity_to(evidence, members, sample)
    words = _top_shared(
        evidence.words[members], evidence.words[sample], evidence.word_terms, REASON_TERMS
    )
    names = _top_shared(
        evidence.names[members], evidence.names[sample], evidence.name_terms, REASON_NAMES
    )
    return [
        JoinReason(ids[k], round(float(scores[k]), 4), words[k], names[k])
        for k in range(len(members))
    ]


def _mean_similarity_to(
    evidence: Evidence, members: NDArray[np.intp], sample: NDArray[np.intp]
) -> NDArray[np.float64]:
    """Each member's mean similarity to the sample's other articles (the sample is the
    first members), a block of members at a time."""
    scores = np.zeros(len(members))
    for start in range(0, len(members), _EXPLAIN_SAMPLE):
        block = members[start : start + _EXPLAIN_SAMPLE]
        similarity = cross_similarity(evidence, block, sample)
        own = np.arange(start, start + len(block))
        inside = own < len(sample)  # these members are in the sample: leave themselves out
        similarity[inside.nonzero()[0], own[inside]] = 0.0
        scores[start : start + len(block)] = similarity.sum(axis=1) / (
            len(sample) - inside.astype(float)
        )
    return scores


def _top_shared(
    rows: sparse.csr_matrix, sample: sparse.csr_matrix, terms: tuple[str, ...], count: int
) -> list[tuple[str, ...]]:
    """Per row, the terms weighing most in it times in the sample's others."""
    totals = np.asarray(sample.sum(axis=0)).ravel()
    out = []
    for r in range(rows.shape[0]):
        lo, hi = rows.indptr[r], rows.indptr[r + 1]
        columns, weights = rows.indices[lo:hi], rows.data[lo:hi]
        contribution = weights * (totals[columns] - weights)
        best = np.argsort(-contribution, kind="stable")[:count]
        out.append(tuple(terms[columns[b]] for b in best if contribution[b] > 1e-12))
    return out


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
