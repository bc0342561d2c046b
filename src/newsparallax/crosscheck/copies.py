"""Copy groups: one text and its republications, found before anything is counted.

Syndication puts one wire text in many outlets, lightly edited: a new headline, a
trimmed ending, an outlet's own line added, a typo fixed. Each is a publication (its own
article), but it is not an independent source, and reading all of them sentence by
sentence would cost the square of their number. So, first in a story's cross-checking,
articles are grouped with their copies: two articles are copies when half or more of
the shorter one's word 3-grams (`COPY_CONTAINMENT`) are in the longer one (independent
reports of one event share a tenth or less). Candidates come from MinHash LSH
(datasketch) fetched well below that (Jaccard 0.2: a trimmed copy shares few
of the longer text's 3-grams), so the cost grows with the number of distinct
texts: each article is compared with the groups found so far.
A group's original is the earliest (the day its input gives), else the one with a day
of its own, else the longest. Later stages read originals only and add the copies to
their sources (`originals`, `with_copies`). Rewrites in other words are found among the
originals by the duplicates stage and joined to their source's group there.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

from newsparallax.model import Annotated, Copy, CopyGroup, DuplicateKind, Story
from newsparallax.stories.evidence import given_day

COPY_CONTAINMENT = 0.5
# Articles of a group kept in the index besides its original: a copy may be matched
# through an early copy (a rewrite of an edit), while the index stays bounded by groups.
EXEMPLARS = 8
LSH_THRESHOLD = 0.2
PERMUTATIONS = 64
SHINGLE_WORDS = 3
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The text's runs of `size` words, lower-cased (the whole text when shorter)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def minhash(items: set[str], permutations: int = PERMUTATIONS) -> MinHash:
    signature = MinHash(num_perm=permutations, seed=1)
    signature.update_batch([item.encode("utf-8") for item in items])
    return signature


def lsh_index(threshold: float, permutations: int = PERMUTATIONS) -> MinHashLSH:
    """An empty MinHash LSH index for this Jaccard threshold. Its bands and rows are
    chosen once per threshold (`_bands`): datasketch finds them by numerical
    integration over every split of the permutations, which every story paid again."""
    return MinHashLSH(num_perm=permutations, params=_bands(threshold, permutations))


@lru_cache(maxsize=16)
def _bands(threshold: float, permutations: int) -> tuple[int, int]:
    chosen = MinHashLSH(threshold=threshold, num_perm=permutations)
    return chosen.b, chosen.r


def _original_key(doc: Annotated) -> tuple[date, bool, int, str]:
    return (
        given_day(doc) or date.max,
        doc.article.published is None,
        -len(doc.article.text),
        doc.id,
    )


def find_copy_groups(docs: Sequence[Annotated], story: Story) -> Story:
    """The story with its `copy_groups` (exact and near copies; rewrites come later).

    Articles are taken from the likeliest original down (`_original_key`); each is
    compared with the groups found so far (the LSH index holds each group's original
    and its first `EXEMPLARS` copies), joins the group whose article holds most of its
    text, or starts one; a text seen before word for word joins that text's group
    whatever the index holds. So the cost per article grows with the number of distinct
    texts, not of copies.
    """
    member_ids = set(story.article_ids)
    members = sorted((d for d in docs if d.id in member_ids), key=_original_key)
    lsh = lsh_index(LSH_THRESHOLD)
    texts: dict[int, tuple[str, set[str]]] = {}  # the indexed articles: words, shingles
    group_of: dict[int, int] = {}  # indexed article -> its group's original
    copies: dict[int, list[Copy]] = {}
    same_text: dict[str, int] = {}  # a text already seen -> its group's original
    for index, doc in enumerate(members):
        words = " ".join(_WORD.findall(doc.article.text.lower()))
        items = shingles(words)
        signature = minhash(items)
        leader = same_text.get(words) if items else None
        if leader is None:  # not a verbatim repeat: the closest group, if any holds it
            best: tuple[float, int] | None = None
            for key in lsh.query(signature) if items else ():
                held = len(items & texts[key][1]) / min(len(items), len(texts[key][1]))
                if held >= COPY_CONTAINMENT and (
                    best is None or (held, -key) > (best[0], -best[1])
                ):
                    best = (held, key)
            leader = index if best is None else group_of[best[1]]
        if leader != index:
            leader_words, leader_items = texts[leader]
            kind = DuplicateKind.EXACT if words == leader_words else DuplicateKind.NEAR
            score = len(items & leader_items) / len(items)
            copies.setdefault(leader, []).append(Copy(doc.id, kind, round(score, 3)))
        same_text.setdefault(words, leader)
        if items and (leader == index or len(copies[leader]) < EXEMPLARS):
            texts[index] = (words, items)
            group_of[index] = leader
            lsh.insert(index, signature)
    groups = [
        CopyGroup(members[leader].id, tuple(sorted(found, key=lambda c: c.article_id)))
        for leader, found in copies.items()
    ]
    groups.sort(key=lambda g: (-len(g.copies), g.original))
    return dataclasses.replace(story, copy_groups=tuple(groups))


_VERBATIM = frozenset({DuplicateKind.EXACT, DuplicateKind.NEAR})


def copy_of(story: Story) -> dict[str, str]:
    """Each copy's original, rewrites included: for counting independent sources."""
    return {c.article_id: g.original for g in story.copy_groups for c in g.copies}


def originals(docs: Sequence[Annotated], story: Story) -> list[Annotated]:
    """The story's articles that are no verbatim copy of another, in id order. A rewrite
    in other words is read in full: its wording, quotes and descriptions are its own."""
    copies = {c.article_id for g in story.copy_groups for c in g.copies if c.kind in _VERBATIM}
    member_ids = set(story.article_ids)
    return sorted(
        (d for d in docs if d.id in member_ids and d.id not in copies), key=lambda d: d.id
    )


def with_copies(ids: Iterable[str], story: Story) -> tuple[str, ...]:
    """Article ids with every verbatim copy of each added, sorted."""
    out = set(ids)
    for group in story.copy_groups:
        if group.original in out:
            out.update(c.article_id for c in group.copies if c.kind in _VERBATIM)
    return tuple(sorted(out))


def copies_stage(docs: Sequence[Annotated], story: Story) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's copy groups."""
    return docs, find_copy_groups(docs, story)
