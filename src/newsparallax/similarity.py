"""The one text-similarity measure that claims, duplicates, discrepancies, summaries and
story features share: stemmed content terms, their TF-IDF cosine, and the rule that two
texts giving different specifics (names, numbers) are less alike.

Outlets paraphrase far more than they copy, so texts are compared by what they talk
about, not by their exact words: TF-IDF vectors of stemmed content words weigh the rare
words a retelling keeps (names, places, numbers) above the common ones it changes. No
model and no torch are needed; with the `embed` extra an embedding model's cosine joins
the lexical score.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

# Given sentences, their embeddings as unit-length rows.
Embedder = Callable[[Sequence[str]], NDArray[np.float32]]

# One claim (the default of claims.paraphrase_threshold): the lowest score at which the
# claim pairs Parallax makes on ECB+ reach 0.9 precision against its annotators'
# cross-document coreference (`benchmarks/accuracy/claims.py`: 0.83 at 0.2, 0.91 at 0.3,
# 0.97 at 0.4); on tests/data/paraphrases.jsonl F1 is 0.92-0.95 from 0.2 to 0.35.
PARAPHRASE_THRESHOLD = 0.3
# About the same thing: an echo of a sentence in a rewrite, two statements of one
# quantity. Looser than one claim: a rewrite rewords more than a retelling does.
RELATED_THRESHOLD = 0.2
SPECIFICS_PENALTY = 0.5
NUMBER_TOLERANCE = 0.15
# Each sentence keeps its most similar partners only: a claim is told once per outlet, and
# a flood of near-identical articles must not cost the square of its size.
TOP_K = 8
# With an embedding model: the share of the score that is the embeddings' cosine.
EMBEDDING_WEIGHT = 0.5
_BLOCK = 1024
_SUFFIX = re.compile(r"(?:ing|ed|es|s)$")


def stem(word: str) -> str:
    """A crude English stem, enough to meet "fired" with "firing" and "missile" with "missiles"."""
    word = word.lower()
    return _SUFFIX.sub("", word) if len(word) > 4 else word


def lexical_similarity(sentences: Sequence[str]) -> NDArray[np.float64]:
    """All pairwise similarities, as a dense matrix: for small sets (tests, calibration).

    Cosine similarity of TF-IDF vectors of stemmed content words, halved for each kind of
    specifics the two sentences both give and share none of: names ("Bryansk" against
    "Rostov") and numbers ("12" against "14"). Two tellings of one claim share their
    specifics; two claims about the same subject usually do not.
    """
    n = len(sentences)
    matrix = np.zeros((n, n))
    rows, cols, scores = _scored_pairs(sentences, 0.0, None, None, None, None)
    matrix[rows, cols] = scores
    matrix[cols, rows] = scores
    np.fill_diagonal(matrix, 1.0)
    return matrix


def similar_pairs(
    sentences: Sequence[str],
    threshold: float,
    owners: Sequence[str] | None = None,
    top_k: int | None = TOP_K,
    embed: Embedder | None = None,
    names: Sequence[Collection[str]] | None = None,
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity), i < j, at or above `threshold` (see `lexical_similarity`).

    Sparse throughout: a story of thousands of sentences costs what its similar pairs
    cost, not the square of its size; and each sentence keeps only its `top_k` most
    similar partners, so thousands of near-identical articles stay bounded too. With
    `owners`, pairs from one owner are skipped.

    With `embed` (a sentence-embedding model), the score is the mean of the embeddings'
    cosine and the lexical score, before the same penalties: embeddings see paraphrases
    that share few words, the lexical side keeps names and numbers in view.

    `names`, when the caller knows them (the story's entities each sentence mentions:
    "Russia" and "Russian Federation" one, "Russia" at the start of a sentence still a
    name), replace the capitalised words of `sentence_names`.
    """
    rows, cols, scores = _scored_pairs(sentences, threshold, owners, top_k, embed, names)
    return [(int(i), int(j), float(v)) for i, j, v in zip(rows, cols, scores, strict=True)]


_Pairs = tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]


def _scored_pairs(
    sentences: Sequence[str],
    threshold: float,
    owners: Sequence[str] | None,
    top_k: int | None,
    embed: Embedder | None,
    names: Sequence[Collection[str]] | None,
) -> _Pairs:
    """`similar_pairs` as arrays (rows, cols, scores)."""
    none: _Pairs = (np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0))
    if len(sentences) < 2:
        return none
    vectorizer = TfidfVectorizer(analyzer=_sentence_terms, sublinear_tf=True)
    try:
        vectors = vectorizer.fit_transform(sentences)
    except ValueError:
        return none
    if embed is None:
        product = sparse.triu(vectors @ vectors.T, k=1).tocoo()
        keep = product.data >= max(threshold, 1e-9) if threshold > 0 else product.data > 0
        rows, cols, scores = product.row[keep], product.col[keep], product.data[keep]
    else:
        rows, cols, cosines = _embedding_candidates(embed(sentences), threshold, top_k)
        lexical = np.asarray(vectors[rows].multiply(vectors[cols]).sum(axis=1)).ravel()
        scores = EMBEDDING_WEIGHT * cosines + (1 - EMBEDDING_WEIGHT) * lexical
    rows, cols = rows.astype(np.intp), cols.astype(np.intp)
    if owners is not None:
        owner = np.asarray(owners)
        different = owner[rows] != owner[cols]
        rows, cols, scores = rows[different], cols[different], scores[different]
    keep = scores >= threshold  # penalties only lower a score: drop what cannot pass
    rows, cols, scores = rows[keep], cols[keep], scores[keep]
    given = [set(n) for n in names] if names is not None else [sentence_names(s) for s in sentences]
    factors = np.where(_specifics_differ(given, rows, cols), SPECIFICS_PENALTY, 1.0)
    numbers = [_numbers(s) for s in sentences]
    counted = np.asarray([bool(n) for n in numbers])
    for k in np.flatnonzero(counted[rows] & counted[cols]):
        if not _numbers_meet(numbers[rows[k]], numbers[cols[k]]):
            factors[k] *= SPECIFICS_PENALTY
    scores = scores * factors
    keep = scores >= threshold
    rows, cols, scores = rows[keep], cols[keep], scores[keep]
    if top_k is not None and len(scores):
        keep = top_k_per_item(rows, scores, top_k) | top_k_per_item(cols, scores, top_k)
        rows, cols, scores = rows[keep], cols[keep], scores[keep]
    return rows, cols, scores


def _specifics_differ(
    given: Sequence[set[str]], rows: NDArray[np.intp], cols: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """For each pair, whether both sides give names and share none (one sparse product
    over all pairs, not a set intersection each)."""
    vocabulary: dict[str, int] = {}
    indices = [vocabulary.setdefault(name, len(vocabulary)) for g in given for name in g]
    if not indices or len(rows) == 0:
        return np.zeros(len(rows), dtype=bool)
    counts = np.asarray([len(g) for g in given])
    pointers = np.r_[0, np.cumsum(counts)]
    incidence = sparse.csr_matrix(
        (np.ones(len(indices)), indices, pointers), shape=(len(given), len(vocabulary))
    )
    shared = np.asarray(incidence[rows].multiply(incidence[cols]).sum(axis=1)).ravel()
    differ = (counts[rows] > 0) & (counts[cols] > 0) & (shared == 0)
    return np.asarray(differ, dtype=bool)


def _embedding_candidates(
    embeddings: NDArray[np.float32], threshold: float, top_k: int | None
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Pairs i < j whose embeddings' cosine could reach the threshold, block by block.

    A pair's combined score is at most (weight · cosine + 1 - weight), so pairs below
    that bound are never scored; each row keeps its best candidates only.
    """
    floor = (threshold - (1 - EMBEDDING_WEIGHT)) / EMBEDDING_WEIGHT
    keep_per_row = 4 * (top_k or TOP_K)
    rows, cols, values = [], [], []
    for start in range(0, len(embeddings), _BLOCK):
        block = embeddings[start : start + _BLOCK] @ embeddings.T
        for offset, row in enumerate(block):
            i = start + offset
            row[: i + 1] = -1.0  # only j > i
            best = np.argsort(row)[::-1][:keep_per_row]
            best = best[row[best] >= floor]
            rows.extend([i] * len(best))
            cols.extend(best.tolist())
            values.extend(row[best].tolist())
    return np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp), np.asarray(values)


def top_k_per_item(
    items: NDArray[np.intp], scores: NDArray[np.float64], k: int
) -> NDArray[np.bool_]:
    """Which entries are among the k best scores of their item (ties: the earlier entry)."""
    order = np.lexsort((-scores, items))
    ranked = items[order]
    starts = np.r_[0, np.flatnonzero(ranked[1:] != ranked[:-1]) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep = np.zeros(len(order), dtype=bool)
    keep[order[rank < k]] = True
    return keep


def sentence_names(sentence: str) -> set[str]:
    """Capitalised words after the first: the names a sentence gives."""
    return set(_CAPITALISED.findall(sentence)[1:])


def negated(sentence: str) -> bool:
    """Whether the sentence denies or withholds something ("did not", "neither … nor",
    "no comment", "never"): what it says is the opposite of the same words without."""
    return _NEGATION.search(sentence) is not None


def _numbers(sentence: str) -> set[float]:
    out = set()
    for raw in _NUMBER.findall(sentence):
        try:
            out.add(float(raw.replace(",", "")))
        except ValueError:
            continue
    return out


def _numbers_meet(a: set[float], b: set[float]) -> bool:
    """Whether some number of one is within NUMBER_TOLERANCE of some number of the other
    ("about 3,200" and "some 3,000" tell the same count)."""
    return any(abs(x - y) <= NUMBER_TOLERANCE * max(abs(x), abs(y)) for x in a for y in b)


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|nothing|none|nobody|cannot|without)\b|n[’']t\b",
    re.IGNORECASE,
)


_STOP = frozenset(
    """the a an and or but of to in on at by for with from as that this these those it its is
    are was were be been being has have had will would could should may might can do does did
    not no than then there their they them he she his her we our you your i me my who which
    what when where while also just into over after before about up out more most some such
    said says say told""".split()
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]*|\d[\d,.]*")


def content_terms(text: str) -> list[str]:
    """The stemmed words of a text that say what it is about (no stop words)."""
    words = [stem(w.strip("’'")) for w in _TOKEN.findall(text)]
    return [w for w in words if w and w not in _STOP]


@lru_cache(maxsize=1 << 16)
def _sentence_terms(sentence: str) -> tuple[str, ...]:
    """`content_terms` of a sentence, remembered: a story's sentences are compared by
    several stages (claims, discrepancies, duplicates, summary) in turn."""
    return tuple(content_terms(sentence))
