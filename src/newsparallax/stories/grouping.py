"""Stories from a batch of articles: their evidence, average linkage, and why each joined.

The rule, documented because users will see its mistakes: each article's evidence
(`stories/evidence.py`: its words and its names, weighted against the batch and a
background of general English; the years it states; the day its input gives) makes a
similarity between every two articles. Articles are clustered bottom-up, and two groups
merge while the *mean* similarity between their members is at least
`group.similarity_threshold`, two stories of `group.merge_min_articles` or more only
when that mean is at least `group.merge_ratio` x the mean within the looser of the two
(`stories/linkage.py`, exact, in memory that follows the similar pairs). Each story
records, per article, its mean similarity to the rest and the words and names it shares
with them most (`Story.join_reasons`), so a reader can see why an article is there.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Collection, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from newsparallax.config import GroupOptions
from newsparallax.model import Annotated, JoinReason, KeptApart, Story, group_id
from newsparallax.similarity import Embedder
from newsparallax.stories.evidence import Background, Evidence, Heading, gather_evidence, heading
from newsparallax.stories.history import Earlier
from newsparallax.stories.linkage import (
    NO_COHESION,
    Cluster,
    Cohesion,
    average_linkage,
    cross_similarity,
    dense_similarity,
    linked_pairs,
)

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
    embedder: Embedder | None = None,
) -> tuple[Sequence[Annotated], tuple[Story, ...]]:
    """The pipeline's corpus stage: stories replace whatever grouping came before."""
    if options.method == "incremental":
        from newsparallax.stories.incremental import incremental_stories

        return docs, incremental_stories(docs, options.incremental_threshold)
    return docs, group_stories(docs, options=options, background=background, embedder=embedder)


def group_stories(
    docs: Sequence[Annotated],
    *,
    options: GroupOptions,
    background: Background,
    embedder: Embedder | None = None,
) -> tuple[Story, ...]:
    """Group the articles into stories; independent of the order the articles come in.
    With `embedder` (the model `group.embedder` names, loaded with the other stages'
    resources), the meaning of each article's lead weighs in too.

    Stories come out ordered by size (largest first), then by id.
    """
    ordered = sorted(docs, key=lambda d: d.id)
    if not ordered:
        return ()
    evidence = gather_evidence(ordered, background, embedder)
    return stories_from_evidence([heading(d) for d in ordered], evidence, options)


def stories_from_evidence(
    ordered: Sequence[Heading], evidence: Evidence, options: GroupOptions
) -> tuple[Story, ...]:
    """`group_stories` on evidence already weighed, one row per article of `ordered`
    (their headings, sorted by id), largest story first."""
    clusters = list(average_linkage(evidence, options.similarity_threshold, cohesion(options)))
    found = [story_of(ordered, evidence, cluster) for cluster in clusters]
    central = {  # a story kept apart is named by its most central article
        int(row): max(story.join_reasons, key=lambda r: r.score).article_id
        for cluster, story in zip(clusters, found, strict=True)
        if cluster.refused
        for row in cluster.members
    }
    found = [
        dataclasses.replace(story, kept_apart=_kept_apart(cluster, central))
        if cluster.refused
        else story
        for cluster, story in zip(clusters, found, strict=True)
    ]
    return tuple(sorted(found, key=lambda s: (-len(s.article_ids), s.id)))


def _kept_apart(cluster: Cluster, central: dict[int, str]) -> tuple[KeptApart, ...]:
    """The merges refused a cluster, most alike first, as the story will tell them."""
    return tuple(
        KeptApart(
            central[r.other_row], round(r.between, 4), round(r.within, 4), round(r.other_within, 4)
        )
        for r in sorted(cluster.refused, key=lambda r: -r.between)
    )


def grouped_from_evidence(options: GroupOptions) -> bool:
    """Whether these options group articles by the evidence each one's analysis leaves in
    the store (the batch rule on words and names): then a run too large to hold groups
    them without reading any analysis back (`spill.py`). The incremental clusterer and a
    meaning model need every article's analysis at once."""
    return options.method == "tfidf" and not options.embedder


def cohesion(options: GroupOptions) -> Cohesion:
    """The rule that keeps two stories of one kind apart (`stories/linkage.py`)."""
    return Cohesion(options.merge_ratio, options.merge_min_articles)


def story_of(ordered: Sequence[Heading], evidence: Evidence, cluster: Cluster) -> Story:
    """The story of a cluster of rows of `ordered` (and of `evidence`): its id, title and
    why each article joined."""
    members = cluster.members
    reasons = join_reasons(evidence, cluster, [ordered[i].id for i in members])
    by_score = sorted(range(len(members)), key=lambda k: -reasons[k].score if reasons else 0)
    ids = tuple(sorted(ordered[i].id for i in members))
    return Story(
        id=group_id("s", ids),
        title=story_title([ordered[members[k]] for k in by_score]),
        article_ids=ids,
        join_reasons=tuple(sorted(reasons, key=lambda r: r.article_id)),
    )


def grow_stories(
    evidence: Evidence,
    ids: Sequence[str],
    new: Collection[str],
    before: Sequence[Earlier],
    threshold: float,
    cohesion: Cohesion = NO_COHESION,
) -> tuple[list[list[str]], list[str]]:
    """New articles into the stories an earlier run made: which groups of articles are new
    or changed, and which earlier stories stand as they were (their ids).

    Average linkage, started from the earlier stories instead of from single articles:
    each new article (or one whose text changed) starts alone, and two groups merge while
    the mean similarity of their members reaches `threshold`, best pair first, as in a
    whole regrouping. Only pairs of groups that hold a new article are weighed: two
    earlier stories were left apart by the run that made them (their mean fell short) and
    stay apart unless a new article bridges them. A group can gain only groups linked to
    one of its new articles by a pair reaching the threshold (a mean reaches it only if
    one of its pairs does), so the search follows those pairs and its cost follows the
    new articles, not the store. Merges are held to `cohesion` as in a whole regrouping
    (a rejected merge is final for both groups).

    It differs from grouping everything again in one way, said here because it shows:
    words' weights move a little as the store grows, and an earlier story is neither
    split nor re-explained until `parallax ingest --reanalyse` groups everything again.
    """
    index = {article_id: row for row, article_id in enumerate(ids)}
    fresh = sorted(index[a] for a in new if a in index)
    group_of: dict[int, int] = {}
    groups: dict[int, list[int]] = {}
    changed: set[int] = set()
    earlier: dict[int, str] = {}
    for number, story in enumerate(before):
        rows = [index[a] for a in story.article_ids if a in index and a not in new]
        if not rows:
            continue
        groups[number] = rows
        earlier[number] = story.id
        if len(rows) < len(story.article_ids):  # it lost an article, or one changed
            changed.add(number)
        for row in rows:
            group_of[row] = number
    for row in index.values():
        if row not in group_of:  # new, changed, or in no earlier story
            number = len(before) + row
            groups[number] = [row]
            group_of[row] = number
            changed.add(number)
    links = _links_of_new(evidence, np.asarray(fresh, dtype=np.intp), threshold)
    # similarity summed over the pairs of two groups, kept as groups merge (the sum of a
    # merged group's is the sum of its parts': each pair's sum is computed once)
    sums: dict[tuple[int, int], float] = {}

    def total(a: int, b: int) -> float:
        key = (min(a, b), max(a, b))
        if key not in sums:
            rows, cols = np.asarray(groups[a]), np.asarray(groups[b])
            sums[key] = float(cross_similarity(evidence, rows, cols).sum())
        return sums[key]

    inner: dict[int, tuple[int, float]] = {}  # group -> (its size then, its pairs' sum)

    def inner_sum(group: int) -> float:
        """Similarity summed over a group's pairs; for a large one (a flood of copies)
        its mean over a sample of `_EXPLAIN_SAMPLE` members, times its pairs."""
        size = len(groups[group])
        if group not in inner or inner[group][0] != size:
            sample = np.asarray(sorted(groups[group])[:_EXPLAIN_SAMPLE])
            within = cross_similarity(evidence, sample, sample)
            mean = (within.sum() - np.trace(within)) / max(1, len(sample) * (len(sample) - 1))
            inner[group] = (size, float(mean) * size * (size - 1) / 2)
        return inner[group][1]

    def coheres(a: int, b: int, mean: float) -> bool:
        size_a, size_b = len(groups[a]), len(groups[b])
        if not cohesion.applies(size_a, size_b):  # spare the sums inside the groups
            return True
        return cohesion.allows(mean, size_a, inner_sum(a), size_b, inner_sum(b))

    finished: set[int] = set()

    def partners(group: int) -> set[int]:
        return {group_of[j] for i in groups[group] for j in links.get(i, ())} - {group}

    def queued(a: int, b: int) -> tuple[float, int, int, int, int]:
        a, b = min(a, b), max(a, b)
        size_a, size_b = len(groups[a]), len(groups[b])
        return -total(a, b) / (size_a * size_b), a, b, size_a, size_b

    heap = [queued(g, o) for g in sorted({group_of[r] for r in fresh}) for o in partners(g)]
    heapq.heapify(heap)
    while heap:
        negative, a, b, size_a, size_b = heapq.heappop(heap)
        gone = a not in groups or b not in groups
        if gone or (size_a, size_b) != (len(groups[a]), len(groups[b])):
            continue  # merged, or grown (groups only grow), since it was queued
        if -negative < threshold:
            break
        if a in finished or b in finished or not coheres(a, b, -negative):
            finished.update((a, b))
            continue
        around = (partners(a) | partners(b)) - {a, b}
        merged_sums = {c: total(a, c) + total(b, c) for c in around}
        groups[a] += groups.pop(b)
        for row in groups[a]:
            group_of[row] = a
        for key in [k for k in sums if a in k or b in k]:
            del sums[key]
        for c, value in merged_sums.items():
            sums[(min(a, c), max(a, c))] = value
        changed.add(a)
        changed.discard(b)
        earlier.pop(b, None)
        for c in around:
            heapq.heappush(heap, queued(a, c))
    grown = [sorted(ids[r] for r in groups[g]) for g in sorted(changed) if g in groups]
    standing = [earlier[g] for g in sorted(groups) if g not in changed and g in earlier]
    return grown, standing


def _links_of_new(
    evidence: Evidence, fresh: NDArray[np.intp], threshold: float
) -> dict[int, set[int]]:
    """For each article, the others it shares a pair reaching `threshold` with, for
    pairs that hold a new article (both ways)."""
    links: dict[int, set[int]] = {}
    if len(fresh) == 0:
        return links
    for i, j in zip(*linked_pairs(evidence, fresh, threshold), strict=True):
        links.setdefault(int(i), set()).add(int(j))
        links.setdefault(int(j), set()).add(int(i))
    return links


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


def story_title(by_centrality: Sequence[Heading]) -> str:
    """The headline of the most central article that has one; else its first sentence.

    Words are only ever taken from the articles, never made up; a long first sentence
    is cut at a word boundary and marked with an ellipsis (`stories.evidence.heading`).
    """
    for found in by_centrality:
        if found.title:
            return found.title
    return by_centrality[0].lead
