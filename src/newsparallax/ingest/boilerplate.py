"""Outlet boilerplate: paragraphs one outlet puts in many of its articles.

An editor's note, a newsletter pitch, an author's bio or "This story has been updated"
recur word for word across an outlet's articles, and no cleaning rule written in
advance can know them all; so they are learned from the articles at hand. A paragraph
is boilerplate of an outlet when it appears in at least `min_articles` of that
outlet's articles, those articles are otherwise different (their longest paragraphs
differ, so an outlet running one story three times does not lose its body), and no
article of any other outlet carries it: a paragraph two outlets share is a copy, for
the copies report, never boilerplate. An article is never emptied: if every paragraph
would go, it is kept whole.

Recurring is not enough on real copy: an outlet following one story repeats its
background ("The explosion killed 11 people.") and its best quotes from article to
article, and those are the story, not the page around it. Boilerplate recurs whatever
the article is about; so the articles that carry a paragraph must be about different
things (their words overlap little, `APART`), or, where the paragraph stands at their
head or foot as a sign-off or a pitch does, not about one thing (`APART_AT_EDGE`).
Measured on the 3,557 real articles of the Timeline17 and PolNeAR corpora that name
their outlet (`../shared/corpora`): recurrence alone removed 3,240 paragraphs (381
distinct), this rule 2,263 (147 distinct); of the 234 distinct paragraphs it keeps,
read one by one, most are a story's background, its timeline entries and its quotes,
and the boilerplate among them (a "have your say" form beside one story, a live blog's
time stamps) is the smaller part. No corpus labels boilerplate, so that reading is the
only measure; the thresholds are a judgement on it, not a fit.
"""

from __future__ import annotations

import dataclasses
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from newsparallax.model import Article, Removal, RemovalReason

PARAGRAPH_SEPARATOR = "\n\n"
MIN_ARTICLES = 3
# The median overlap of the carriers' words (shared words over the fewer words of the
# two, the paragraph's own words left out), below which they are about different
# things; and the bound for a paragraph at the head or foot of most of its carriers.
# Two articles of one Timeline17 outlet drawn at random overlap by 0.11-0.33 (10th to
# 90th percentile), on one topic or not; the articles that repeat a background
# paragraph are follow-ups of one another and overlap more.
APART = 0.4
APART_AT_EDGE = 0.7
_COMPARED = 12  # carriers compared, pairwise, for the overlap
_WORD = re.compile(r"[^\W\d_]{4,}")


def _key(paragraph: str) -> str:
    return " ".join(paragraph.casefold().split())


def _paragraph_keys(text: str) -> list[str]:
    """`_key` of each of the text's paragraphs, blank ones as "" (case folded once for the
    whole text: this runs over every stored article at each ingest)."""
    return [" ".join(p.split()) for p in text.casefold().split(PARAGRAPH_SEPARATOR)]


def outlet_boilerplate(
    articles: Iterable[Article], *, min_articles: int = MIN_ARTICLES
) -> dict[str, frozenset[str]]:
    """For each outlet (case-folded), the paragraph keys that are its boilerplate.

    `articles` is read twice, and may be a view that reads them from a store each time
    (`store.StoredArticles`): the first reading keeps only a number per paragraph (its
    key's hash, its outlet's and its article's), the second only the paragraphs one
    outlet repeats in `min_articles` articles or more, and the words of the articles
    compared. The memory it takes follows the boilerplate, not the corpus (a corpus of
    10,000 real-like articles held 330 MB of paragraphs at once when it kept them all).
    """
    repeated = _repeated_in_one_outlet(articles, min_articles)
    if not repeated:
        return {}
    # key -> outlet -> article id -> whether the paragraph is the article's first or last
    carriers: dict[str, dict[str, dict[str, bool]]] = defaultdict(lambda: defaultdict(dict))
    longest: dict[str, str] = {}
    words: dict[str, NDArray[np.int64]] = {}  # article id -> its words' hashes
    compared: dict[str, list[str]] = defaultdict(list)  # key -> its first carriers by id
    for article in _by_id(articles):
        keys = _keys_of(article)
        held = [(place, key) for place, key in enumerate(keys) if hash(key) in repeated]
        if not held:
            continue
        longest[article.id] = max(keys, key=lambda k: (len(k), k))
        outlet = (article.outlet or "").casefold()
        for place, key in held:
            at_edge = place in (0, len(keys) - 1)
            carriers[key][outlet][article.id] = carriers[key][outlet].get(article.id) or at_edge
            if len(compared[key]) < _COMPARED and article.id not in compared[key]:
                compared[key].append(article.id)
                if article.id not in words:
                    words[article.id] = _word_hashes(article.text)
    found: dict[str, set[str]] = defaultdict(set)
    for key, by_outlet in carriers.items():
        if len(by_outlet) != 1:
            continue  # shared by two outlets: a copy, not boilerplate
        [(outlet, edges)] = by_outlet.items()
        if len(edges) < min_articles or len({longest[i] for i in edges}) < min_articles:
            continue
        own = frozenset(_word_hashes(key).tolist())  # the paragraph's own words count for nothing
        overlap = _median_overlap([frozenset(words[i].tolist()) - own for i in compared[key]])
        at_edge = 2 * sum(edges.values()) >= len(edges)
        if overlap < APART or (at_edge and overlap < APART_AT_EDGE):
            found[outlet].add(key)
    return {outlet: frozenset(keys) for outlet, keys in found.items()}


def _word_hashes(text: str) -> NDArray[np.int64]:
    """The hashes of the text's words (four letters or more, case folded): a tenth of
    the memory the words themselves take, for the articles whose overlap is measured."""
    found = {hash(w) for w in _WORD.findall(text.casefold())}
    return np.fromiter(found, dtype=np.int64, count=len(found))


def _keys_of(article: Article) -> list[str]:
    """The article's non-blank paragraph keys; none for an article without an outlet."""
    return [k for k in _paragraph_keys(article.text) if k] if article.outlet else []


def _repeated_in_one_outlet(articles: Iterable[Article], min_articles: int) -> set[int]:
    """The hashes of the paragraph keys that `min_articles` or more articles of one outlet
    carry and no article of another does (hashes can collide: the caller checks the keys
    themselves)."""
    key_hashes, pair_hashes = array("q"), array("q")  # per paragraph: its key, its key's outlet
    for article in articles:
        outlet = (article.outlet or "").casefold()
        keys = set(_keys_of(article))  # an article counts once for a key it repeats
        key_hashes.extend(hash(k) for k in keys)
        pair_hashes.extend(hash((outlet, k)) for k in keys)
    if not key_hashes:
        return set()
    key_of = np.frombuffer(key_hashes, dtype=np.int64)
    _, first, carried = np.unique(
        np.frombuffer(pair_hashes, dtype=np.int64), return_index=True, return_counts=True
    )
    pair_keys = key_of[first]  # one per (outlet, key), with how many articles carry it
    distinct, outlets = np.unique(pair_keys, return_counts=True)
    found = np.intersect1d(distinct[outlets == 1], pair_keys[carried >= min_articles])
    return set(found.tolist())


def _by_id(articles: Iterable[Article]) -> Iterable[Article]:
    """The articles in id order: the comparisons take each key's first carriers by id."""
    if isinstance(articles, Sequence):
        return sorted(articles, key=lambda a: a.id)
    return articles  # a store's view reads them in id order


def _median_overlap(word_sets: Sequence[frozenset[int]]) -> float:
    """The median, over pairs, of the words two articles share over the fewer of theirs."""
    overlaps = sorted(
        len(a & b) / max(1, min(len(a), len(b))) for a, b in combinations(word_sets, 2)
    )
    return overlaps[len(overlaps) // 2]


def remove_outlet_boilerplate(
    articles: Sequence[Article], *, min_articles: int = MIN_ARTICLES
) -> list[Article]:
    """The articles with their outlet's boilerplate paragraphs removed and recorded."""
    learned = outlet_boilerplate(articles, min_articles=min_articles)
    return [without_learned(a, learned) for a in articles]


def without_learned(article: Article, learned: Mapping[str, frozenset[str]]) -> Article:
    """The article without the paragraphs `outlet_boilerplate` learned of its outlet."""
    return _without(article, learned.get((article.outlet or "").casefold(), frozenset()))


def remove_as_before(article: Article, removed: Sequence[Removal]) -> Article:
    """The article (as read, before this cleaning) without the outlet boilerplate an earlier
    cleaning of it removed (`removed`: what that cleaning recorded).

    A store keeps each article's results for the text they were made from; when new
    articles change what an outlet's boilerplate is, the stored ones are kept as they
    were cleaned then rather than parsed again (`analysis.analyze_store`).
    """
    keys = {_key(r.text) for r in removed if r.reason is RemovalReason.OUTLET_BOILERPLATE}
    return _without(article, frozenset(keys))


def _without(article: Article, keys: frozenset[str]) -> Article:
    """The article without the paragraphs whose keys are `keys`, recorded as removed;
    the article itself when none is there or every paragraph would go."""
    if not keys:
        return article
    paragraphs = article.text.split(PARAGRAPH_SEPARATOR)
    gone = [k in keys for k in _paragraph_keys(article.text)]
    kept = [p for p, out in zip(paragraphs, gone, strict=True) if not out]
    if len(kept) == len(paragraphs) or not any(p.strip() for p in kept):
        return article
    removed = tuple(
        Removal(p.strip(), RemovalReason.OUTLET_BOILERPLATE)
        for p, out in zip(paragraphs, gone, strict=True)
        if out
    )
    return dataclasses.replace(
        article, text=PARAGRAPH_SEPARATOR.join(kept), removed=(*article.removed, *removed)
    )
