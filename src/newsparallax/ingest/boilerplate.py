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
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence

from newsparallax.model import Article, Removal, RemovalReason

PARAGRAPH_SEPARATOR = "\n\n"
MIN_ARTICLES = 3


def _key(paragraph: str) -> str:
    return " ".join(paragraph.split()).casefold()


def outlet_boilerplate(
    articles: Sequence[Article], *, min_articles: int = MIN_ARTICLES
) -> dict[str, frozenset[str]]:
    """For each outlet (case-folded), the paragraph keys that are its boilerplate."""
    carriers: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    longest: dict[str, str] = {}
    for article in articles:
        if not article.outlet:
            continue
        keys = [_key(p) for p in article.text.split(PARAGRAPH_SEPARATOR) if p.strip()]
        if not keys:
            continue
        longest[article.id] = max(keys, key=lambda k: (len(k), k))
        for key in set(keys):
            carriers[key][article.outlet.casefold()].add(article.id)
    found: dict[str, set[str]] = defaultdict(set)
    for key, by_outlet in carriers.items():
        if len(by_outlet) != 1:
            continue  # shared by two outlets: a copy, not boilerplate
        [(outlet, ids)] = by_outlet.items()
        if len(ids) >= min_articles and len({longest[i] for i in ids}) >= min_articles:
            found[outlet].add(key)
    return {outlet: frozenset(keys) for outlet, keys in found.items()}


def remove_outlet_boilerplate(
    articles: Sequence[Article], *, min_articles: int = MIN_ARTICLES
) -> list[Article]:
    """The articles with their outlet's boilerplate paragraphs removed and recorded."""
    learned = outlet_boilerplate(articles, min_articles=min_articles)
    out = []
    for article in articles:
        keys = learned.get((article.outlet or "").casefold())
        if not keys:
            out.append(article)
            continue
        paragraphs = article.text.split(PARAGRAPH_SEPARATOR)
        kept = [p for p in paragraphs if _key(p) not in keys]
        if len(kept) == len(paragraphs) or not any(p.strip() for p in kept):
            out.append(article)
            continue
        removed = tuple(
            Removal(p.strip(), RemovalReason.OUTLET_BOILERPLATE)
            for p in paragraphs
            if _key(p) in keys
        )
        out.append(
            dataclasses.replace(
                article,
                text=PARAGRAPH_SEPARATOR.join(kept),
                removed=(*article.removed, *removed),
            )
        )
    return out
