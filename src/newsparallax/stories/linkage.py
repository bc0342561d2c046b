"""Average-linkage clustering of articles at a similarity threshold, in memory that grows
with the similar pairs, not with the square of the batch.

Two groups of articles merge while the *mean* similarity between their members is at
least the threshold; unlike linking any two similar articles, one broad article cannot
chain two stories together. Exact at any size, because of one property: when the mean of
a set of pairs reaches the threshold, so does its largest pair. So every story is
connected by pairs at or above the threshold, no story spans two connected components of
that graph, and clustering each component on its own gives the same stories as
clustering the whole batch. The pairs are found block by block with sparse products
(`similar_pairs`), each article multiplied out only with those whose given days lie
near enough for a pair to reach the threshold (`reach_days`: half a year at the
default; an article with no day meets them all); a component is clustered exactly on
its dense similarity matrix while it is small (`DENSE_LIMIT`); a larger one (thousands
of near-copies of one text) on the pairs found, each article keeping its `NEIGHBOURS`
most similar partners and the rest counting as 0, which can only keep groups apart
that the exact rule would join.

One more rule keeps two events of one kind apart (`Cohesion`): two groups that are each
a story already (`min_size` articles or more) merge only when the mean similarity
between them is at least `ratio` times the mean within the looser of the two. On ECB+
(two real events of each kind: two earthquakes, two title defences by one boxer) the
two events' articles are alike (their mean 0.17-0.33) but each event's own articles
are more so (0.3-0.47): the threshold alone cannot part them without shattering
stories, the ratio can. A refused merge forms no story, nor does any merge above it in
the tree: a story is a subtree of the average-linkage tree every merge of which passed
both rules. The dense path cuts scipy's tree (`cut_tree`), the pairs path cuts its own
tree the same way (`_sparse_clusters`), and each story records the merges refused it
(`Refusal`), for the reader.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.cluster.hierarchy import linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from newsparallax.similarity import top_k_per_item
from newsparallax.stories.evidence import (
    NAME_WEIGHT,
    NO_DAY,
    TIME_STEPS,
    Evidence,
    meaning_factor,
    mix,
    pair_factors,
)

# Components up to this size are clustered on their full similarity matrix (32 MB).
DENSE_LIMIT = 2000
# Pairs each article keeps for larger components.
NEIGHBOURS = 64
# Entries of one block of the pairwise product, bounding its memory (~50 MB).
_BLOCK_ENTRIES = 4_000_000
# Pairs found before those no article keeps among its best are let go (~100 MB).
_PRUNE_PAIRS = 4_000_000

_Pairs = tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]  # rows, rows, scores


@dataclass(frozen=True)
class Cohesion:
    """When two stories may become one (see the module docstring): both of at least
    `min_size` articles, the mean similarity between them at least `ratio` x the mean
    within the less cohesive of the two. `ratio` 0 turns the rule off."""

    ratio: float = 0.0
    min_size: int = 5

    def applies(self, size_a: int, size_b: int) -> bool:
        """Whether the rule weighs a merge of groups this large at all."""
        return bool(self.ratio) and min(size_a, size_b) >= max(2, self.min_size)

    def allows(
        self, between: float, size_a: int, inner_a: float, size_b: int, inner_b: float
    ) -> bool:
        """Whether groups of `size_a` and `size_b` articles, whose pairs inside sum to
        `inner_a` and `inner_b`, may merge at a mean similarity `between`."""
        if not self.applies(size_a, size_b):
            return True
        within = min(inner_a / _pairs(size_a), inner_b / _pairs(size_b))
        return between >= self.ratio * within - 1e-12


def _pairs(size: float) -> float:
    return size * (size - 1) / 2


NO_COHESION = Cohesion()  # the rule off: merges held to the threshold alone


def similar_pairs(
    evidence: Evidence, threshold: float
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Pairs i < j whose similarity reaches `threshold`, each article keeping its
    `NEIGHBOURS` best (so a flood of copies of one text stays linear), ordered by (i, j).

    Only pairs that can reach it are multiplied out (`_pair_blocks`): articles given
    days further apart than `reach_days(threshold)` cannot.
    """
    found: list[_Pairs] = []
    held = 0
    kept = _no_pairs()
    for block, columns, product in _pair_blocks(evidence, reach_days(threshold)):
        i, j, score = _reaching(evidence, block, columns, product, threshold)
        found.append((np.minimum(i, j), np.maximum(i, j), score))
        held += len(i)
        if held >= _PRUNE_PAIRS:
            kept, found, held = _best_pairs([kept, *found]), [], 0
    return _best_pairs([kept, *found])


def _no_pairs() -> _Pairs:
    return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp), np.zeros(0)


def _best_pairs(found: list[_Pairs]) -> _Pairs:
    """These pairs, ordered by (i, j), less those that are among the `NEIGHBOURS` best of
    neither article.

    Called as the pairs come as well as at the end, which gives the same pairs: a pair
    among an article's k best of all its pairs is among its k best of any of them (ties
    go the same way in any of them), and a pair that is not has k better ones, which
    stay."""
    i = np.concatenate([f[0] for f in found])
    j = np.concatenate([f[1] for f in found])
    s = np.concatenate([f[2] for f in found])
    order = np.lexsort((j, i))
    i, j, s = i[order], j[order], s[order]
    keep = _best_per_article(i, j, s, NEIGHBOURS)
    return i[keep], j[keep], s[keep]


def reach_days(threshold: float) -> int | None:
    """The gap in given days past which no pair reaches `threshold` (None: none such).

    A similarity is at most 1 before `pair_factors` lower it, so two articles whose
    days lie further apart than a step of `TIME_STEPS` whose factor is below the
    threshold never reach it, whatever they say: at the default 0.1, half a year
    (x0.05). A batch of several years is then compared within half-year windows only,
    which is what keeps its grouping from growing with the square of the batch.
    """
    beyond = [days for days, factor in TIME_STEPS if factor < threshold]
    return min(beyond) if beyond else None


def _pair_blocks(
    evidence: Evidence, reach: int | None
) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp], sparse.coo_matrix]]:
    """The similarities (`_mixed`) of the pairs that may reach the threshold, a block of
    articles at a time: the block's rows, the columns' rows, and the product, holding
    each pair once.

    The articles go in order of their given day, those without one first. An article
    without a day is compared with every later one; one with a day, with the later ones
    at most `reach` days on (a window of that order, so a block and its window are two
    slices of it). A block holds about `_BLOCK_ENTRIES` // its window's width articles.
    The pairs of an article without a day are found from the other side, every article
    against those without a day before it, so that only their rows are turned into
    columns (a fifth of the real-like corpus), not a second copy of the whole batch.
    """
    n = len(evidence)
    order = np.argsort(evidence.days, kind="stable").astype(np.intp)
    days = evidence.days[order]
    # with no reach, every article is compared with all, as one without a day is
    undated = n if reach is None else int(np.searchsorted(days, NO_DAY, side="right"))
    words = evidence.words[order]
    names = evidence.names[order]
    named = evidence.named[order]
    if undated:  # each article against the undated ones before it in this order
        words_t, names_t = words[:undated].T.tocsr(), names[:undated].T.tocsr()
        size = max(1, _BLOCK_ENTRIES // undated)
        for start in range(1, n, size):
            stop = min(start + size, n)
            mixed = _mixed(
                words[start:stop],
                words_t,
                names[start:stop],
                names_t,
                named[start:stop],
                named[:undated],
            )  # column c < row start + r: entries on or below diagonal start - 1
            yield order[start:stop], order[:undated], sparse.tril(mixed, k=start - 1).tocoo()
        del words_t, names_t
    start = undated
    while start < n:
        assert reach is not None
        stop, end = _window(days, start, reach)
        mixed = _mixed(
            words[start:stop],
            words[start:end].T,
            names[start:stop],
            names[start:end].T,
            named[start:stop],
            named[start:end],
        )
        yield order[start:stop], order[start:end], sparse.triu(mixed, k=1).tocoo()
        start = stop


def _window(days: NDArray[np.int64], start: int, reach: int) -> tuple[int, int]:
    """A block of the articles (in order of `days`) from `start`, and the end of its
    window (the articles at most `reach` days after its last), block x window at most
    `_BLOCK_ENTRIES` pairs (or one article)."""

    def end_of(stop: int) -> int:
        return int(np.searchsorted(days, days[stop - 1] + reach, side="right"))

    size = max(1, _BLOCK_ENTRIES // max(1, end_of(start + 1) - start))
    stop = min(len(days), start + size)
    while stop - start > 1 and (stop - start) * (end_of(stop) - start) > _BLOCK_ENTRIES:
        stop = start + (stop - start) // 2
    return stop, end_of(stop)


def _mixed(
    words: sparse.csr_matrix,
    words_t: sparse.spmatrix,
    names: sparse.csr_matrix,
    names_t: sparse.spmatrix,
    named_rows: NDArray[np.bool_],
    named_cols: NDArray[np.bool_],
) -> sparse.csr_matrix:
    """Rows' similarity with columns, words and names as `mix` weighs them, before years
    and days.

    Name rows are empty for articles that name no one (`weigh_evidence` empties those
    holding numbers alone), so the names' product is already zero wherever either
    article names nothing; there the words' share stays whole.
    """
    by_words = words @ words_t
    by_names = names @ names_t
    of_named = (
        sparse.diags(named_rows.astype(np.float64))
        @ by_words
        @ sparse.diags(named_cols.astype(np.float64))
    )
    return (by_words + NAME_WEIGHT * (by_names - of_named)).tocsr()


def _reaching(
    evidence: Evidence,
    block: NDArray[np.intp],
    columns: NDArray[np.intp],
    product: sparse.coo_matrix,
    threshold: float,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """The pairs (block[row], columns[column]) of `product` whose similarity, with the
    year and day factors, reaches `threshold`."""
    keep = product.data >= threshold  # the factors only lower a score
    i = block[product.row[keep]].astype(np.intp)
    j = columns[product.col[keep]].astype(np.intp)
    score = product.data[keep] * pair_factors(evidence, i, j)
    keep = score >= threshold
    i, j, score = i[keep], j[keep], score[keep]
    if evidence.meaning is not None and len(i):
        score = score * meaning_factor(_pair_cosines(evidence.meaning, i, j))
        keep = score >= threshold
        i, j, score = i[keep], j[keep], score[keep]
    return i, j, score


def _pair_cosines(
    meaning: NDArray[np.float32], i: NDArray[np.intp], j: NDArray[np.intp]
) -> NDArray[np.float32]:
    """The cosine of the leads of each pair (i[k], j[k]), a block of pairs at a time."""
    out = np.empty(len(i), dtype=np.float32)
    step = max(1, _BLOCK_ENTRIES // max(1, meaning.shape[1]))
    for start in range(0, len(i), step):
        a, b = i[start : start + step], j[start : start + step]
        out[start : start + step] = np.einsum("ij,ij->i", meaning[a], meaning[b])
    return out


def linked_pairs(
    evidence: Evidence, rows: NDArray[np.intp], threshold: float
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Pairs (i of `rows`, j any other article) whose similarity reaches `threshold`:
    whom new articles could join a story with (`similar_pairs`'s rule, for a few rows)."""
    n = len(evidence)
    everyone = np.arange(n, dtype=np.intp)
    words_t, names_t = evidence.words.T.tocsr(), evidence.names.T.tocsr()
    found_i: list[NDArray[np.intp]] = []
    found_j: list[NDArray[np.intp]] = []
    size = max(1, _BLOCK_ENTRIES // max(1, n))
    for start in range(0, len(rows), size):
        block = rows[start : start + size]
        mixed = _mixed(
            evidence.words[block],
            words_t,
            evidence.names[block],
            names_t,
            evidence.named[block],
            evidence.named,
        )
        i, j, _ = _reaching(evidence, block, everyone, mixed.tocoo(), threshold)
        found_i.append(i[i != j])
        found_j.append(j[i != j])
    if not found_i:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    return np.concatenate(found_i), np.concatenate(found_j)


def _best_per_article(
    i: NDArray[np.intp], j: NDArray[np.intp], s: NDArray[np.float64], k: int
) -> NDArray[np.bool_]:
    """Pairs among the k best of either of their articles, of all that article's pairs
    (ties, with the pairs ordered by (i, j): partners after the article first, then
    those before it, each lowest first).

    Only articles of more than k pairs are ranked (none, unless copies flood the batch).
    """
    keep = np.ones(len(i), dtype=bool)
    if len(i) == 0:
        return keep
    size = int(max(i.max(), j.max())) + 1
    heavy = np.bincount(i, minlength=size) + np.bincount(j, minlength=size) > k
    if not heavy.any():
        return keep
    pair = np.r_[np.flatnonzero(heavy[i]), np.flatnonzero(heavy[j])]  # one entry per heavy end
    end = np.r_[i[heavy[i]], j[heavy[j]]]
    among = top_k_per_item(end, s[pair], k)
    keep[pair] = False  # a heavy end keeps only its best; a light end, all of its pairs
    keep[pair[among]] = True
    light = ~heavy
    keep |= light[i] | light[j]
    return keep


def cross_similarity(
    evidence: Evidence, rows: NDArray[np.intp], cols: NDArray[np.intp]
) -> NDArray[np.float64]:
    """The similarity of each article of `rows` with each of `cols`, dense."""
    words = (evidence.words[rows] @ evidence.words[cols].T).toarray()
    names = (evidence.names[rows] @ evidence.names[cols].T).toarray()
    similarity = mix(words, names, evidence.named[rows][:, None] & evidence.named[cols][None, :])
    left, right = np.meshgrid(rows, cols, indexing="ij")
    factors = pair_factors(evidence, left.ravel(), right.ravel()).reshape(similarity.shape)
    if evidence.meaning is not None:
        factors = factors * meaning_factor(evidence.meaning[rows] @ evidence.meaning[cols].T)
    return similarity * factors


def dense_similarity(evidence: Evidence, members: NDArray[np.intp]) -> NDArray[np.float64]:
    """Every pair's similarity among `members` (the diagonal 1)."""
    similarity = cross_similarity(evidence, members, members)
    np.fill_diagonal(similarity, 1.0)
    return similarity


@dataclass(frozen=True)
class Cluster:
    """Rows of one story, with their pairwise similarity when it was computed whole, and
    the merges `Cohesion` refused it (`Refusal`s: this cluster's side first)."""

    members: NDArray[np.intp]
    similarity: NDArray[np.float64] | None = None
    refused: tuple[Refusal, ...] = ()


@dataclass(frozen=True)
class Refusal:
    """A merge the cohesion rule refused: a row of each of the two clusters, the mean
    similarity between them and the mean within each."""

    row: int
    other_row: int
    between: float
    within: float
    other_within: float

    def turned(self) -> Refusal:
        """The same refusal seen from the other cluster."""
        return Refusal(self.other_row, self.row, self.between, self.other_within, self.within)


def _clusters(
    groups: list[NDArray[np.intp]],
    refusals: list[Refusal],
    similarity: Callable[[NDArray[np.intp]], NDArray[np.float64] | None],
) -> list[Cluster]:
    """Clusters of these rows, each given the refusals that name one of its rows."""
    where = {int(row): k for k, group in enumerate(groups) for row in group}
    refused: list[list[Refusal]] = [[] for _ in groups]
    for refusal in refusals:
        refused[where[refusal.row]].append(refusal)
        refused[where[refusal.other_row]].append(refusal.turned())
    return [
        Cluster(group, similarity(group), tuple(own))
        for group, own in zip(groups, refused, strict=True)
    ]


def average_linkage(
    evidence: Evidence, threshold: float, cohesion: Cohesion = NO_COHESION
) -> Iterator[Cluster]:
    """The clusters of average linkage at `threshold`, merges held to `cohesion` (see the
    module docstring), one component at a time (a cluster's similarity matrix lives only
    while it is used)."""
    n = len(evidence)
    i, j, s = similar_pairs(evidence, threshold)
    graph = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")
    bounds = np.r_[0, np.flatnonzero(np.diff(labels[order])) + 1, n]
    pairs_of = _pairs_by_component(labels, i, j, s)
    for start, stop in itertools.pairwise(bounds):
        members = order[start:stop].astype(np.intp)
        if len(members) == 1:
            yield Cluster(members)
        elif len(members) <= DENSE_LIMIT:
            similarity = dense_similarity(evidence, members)
            yield from _dense_clusters(similarity, members, threshold, cohesion)
        else:
            pairs = pairs_of(labels[members[0]])
            found, refusals = _sparse_clusters(members, *pairs, threshold, cohesion)
            yield from _clusters(found, refusals, lambda _: None)


def _pairs_by_component(
    labels: NDArray[np.int32], i: NDArray[np.intp], j: NDArray[np.intp], s: NDArray[np.float64]
) -> Callable[[int], _Pairs]:
    """A lookup of the pairs inside one component, sorted once."""
    component = labels[i] if len(i) else np.zeros(0, dtype=int)
    order = np.argsort(component, kind="stable")
    sorted_component = component[order]

    def pairs(label: int) -> _Pairs:
        lo, hi = np.searchsorted(sorted_component, [label, label + 1])
        chosen = order[lo:hi]
        return i[chosen], j[chosen], s[chosen]

    return pairs


def _dense_clusters(
    similarity: NDArray[np.float64],
    members: NDArray[np.intp],
    threshold: float,
    cohesion: Cohesion,
) -> list[Cluster]:
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels, refusals = cut_tree(tree, threshold, cohesion)
    local = [np.flatnonzero(labels == label) for label in np.unique(labels)]
    found = _clusters(local, refusals, lambda rows: similarity[np.ix_(rows, rows)])
    return [  # rows of the component's matrix to rows of the batch
        Cluster(
            members[c.members],
            c.similarity,
            tuple(
                dataclasses.replace(r, row=int(members[r.row]), other_row=int(members[r.other_row]))
                for r in c.refused
            ),
        )
        for c in found
    ]


def cut_tree(
    tree: NDArray[np.float64], threshold: float, cohesion: Cohesion
) -> tuple[NDArray[np.intp], list[Refusal]]:
    """Each leaf's cluster in scipy's average-linkage `tree` (distances 1 - similarity):
    the largest subtrees every merge of which reaches `threshold` and `cohesion`; and the
    merges `cohesion` refused (between two such subtrees, by a leaf of each).

    Plain lists, not arrays: one pass over the merges in Python, each a few lookups.
    """
    n = len(tree) + 1
    size = [1] * (2 * n - 1)
    inner = [0.0] * (2 * n - 1)  # similarity summed over a node's pairs
    formed = [True] * (2 * n - 1)
    leaf = list(range(2 * n - 1))  # a leaf of each node
    parent = [-1] * (2 * n - 1)
    refusals = []
    for k, (a_, b_, distance, _) in enumerate(tree.tolist()):
        a, b, node = int(a_), int(b_), n + k
        between = 1.0 - distance
        size[node] = size[a] + size[b]
        inner[node] = inner[a] + inner[b] + between * size[a] * size[b]
        leaf[node] = leaf[a]
        parent[a] = parent[b] = node
        if not (formed[a] and formed[b] and between >= threshold - 1e-12):
            formed[node] = False
        elif not cohesion.allows(between, size[a], inner[a], size[b], inner[b]):
            formed[node] = False
            within_a, within_b = inner[a] / _pairs(size[a]), inner[b] / _pairs(size[b])
            refusals.append(Refusal(leaf[a], leaf[b], between, within_a, within_b))
    top = list(range(2 * n - 1))  # the highest formed node above each formed one
    for node in range(2 * n - 2, -1, -1):
        up = parent[node]
        if formed[node] and up >= 0 and formed[up]:
            top[node] = top[up]
    return np.asarray(top[:n], dtype=np.intp), refusals


def _sparse_clusters(
    members: NDArray[np.intp],
    i: NDArray[np.intp],
    j: NDArray[np.intp],
    s: NDArray[np.float64],
    threshold: float,
    cohesion: Cohesion = NO_COHESION,
) -> tuple[list[NDArray[np.intp]], list[Refusal]]:
    """Average linkage over known pairs (others count as 0), best mean first, cut as the
    dense path's `cut_tree` cuts: the groups merge on as the tree does, but a merge
    `cohesion` refuses, and every merge above it, forms no story; the stories are the
    groups formed last before such a merge or the threshold.

    The queue holds one entry per group, its best partner when the entry was made,
    not one per pair: a component of 100,000 real-like articles has 3 million pairs,
    and a queue of them all took more memory than the rest of the grouping. It stays
    exact because of a property of average linkage: the mean between a merged group
    and another is a weighted mean of the other's means to its two parts, so no
    group's best mean ever grows through a merge it is not in. An entry is then an
    upper bound for its group, and one whose partner and mean still hold is the best
    pair of all; one that no longer holds is made again from its group's links when
    it comes up.
    """
    size = {int(m): 1 for m in members}
    inner = {int(m): 0.0 for m in members}  # similarity summed over a group's pairs
    formed = {int(m): True for m in members}
    stories: list[list[int]] = []
    refusals: list[Refusal] = []
    links = _links(members, i, j, s)
    contents = {int(m): [int(m)] for m in members}
    queued: dict[int, tuple[float, int, int]] = {}  # group -> its entry in the heap
    heap: list[tuple[float, int, int]] = []

    def queue(group: int) -> None:
        """The group's best partner now (ties: the lowest row), into the heap."""
        own = size[group]
        best, partner = -1.0, -1
        for other, total in links[group].items():
            mean = total / (own * size[other])
            if mean > best or (mean == best and other < partner):
                best, partner = mean, other
        if partner >= 0:
            queued[group] = entry = (-best, group, partner)
            heapq.heappush(heap, entry)
        else:
            queued.pop(group, None)

    for group in links:
        queue(group)
    while heap:
        entry = heapq.heappop(heap)
        negative, a, b = entry
        if queued.get(a) is not entry:
            continue  # its group is gone, or has a newer entry
        if b not in links[a] or abs(links[a][b] / (size[a] * size[b]) + negative) > 1e-12:
            queue(a)  # its partner merged since: find its best again
            continue
        mean = -negative
        if mean < threshold:
            break
        joins = formed[a] and formed[b]
        if joins and not cohesion.allows(mean, size[a], inner[a], size[b], inner[b]):
            within_a, within_b = inner[a] / _pairs(size[a]), inner[b] / _pairs(size[b])
            refusals.append(Refusal(a, b, mean, within_a, within_b))
            joins = False
        if not joins:  # the groups formed so far are stories; the merged one is none
            stories += [list(contents[g]) for g in (a, b) if formed[g]]
        big, small = (a, b) if size[a] >= size[b] else (b, a)
        inner[big] += inner.pop(small) + links[big][small]
        for other, total in links.pop(small).items():
            del links[other][small]
            if other != big:
                links[big][other] = links[other][big] = links[big].get(other, 0.0) + total
        size[big] += size.pop(small)
        contents[big] += contents.pop(small)
        formed[big] = joins
        del formed[small]
        queued.pop(small, None)
        queue(big)
    stories += [contents[g] for g in contents if formed[g]]
    groups = [np.asarray(sorted(items), dtype=np.intp) for items in stories]
    return groups, refusals


def _links(
    members: NDArray[np.intp], i: NDArray[np.intp], j: NDArray[np.intp], s: NDArray[np.float64]
) -> dict[int, dict[int, float]]:
    """Each member's partners and similarity to them, both ways, built a row at a time
    from a sparse matrix (no list of every pair as Python objects), one int object per
    row shared by every dictionary that names it."""
    n = int(members.max()) + 1 if len(members) else 0
    both = sparse.coo_matrix((np.r_[s, s], (np.r_[i, j], np.r_[j, i])), shape=(n, n)).tocsr()
    row_of = {int(m): int(m) for m in members}
    links: dict[int, dict[int, float]] = {}
    for member in row_of.values():
        lo, hi = both.indptr[member], both.indptr[member + 1]
        partners = map(row_of.__getitem__, both.indices[lo:hi].tolist())
        links[member] = dict(zip(partners, both.data[lo:hi].tolist(), strict=True))
    return links
