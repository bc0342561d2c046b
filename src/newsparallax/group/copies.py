"""Copy groups: one text and its republications, found before anything is counted.

Syndication puts one wire text in many outlets, lightly edited: a new headline, a
trimmed ending, an outlet's own line added, a typo fixed. Each is a publication (its own
article), but it is not an independent source, and reading all of them sentence by
sentence would cost the square of their number. So, first in a story's cross-checking,
articles are grouped with their copies: two articles are copies when most of the
shorter one's word 3-grams (half, `COPY_CONTAINMENT`) are in the longer one. Candidates come
from MinHash LSH (datasketch) fetched well below that, so the cost grows with the
number of articles, and a candidate already in the same group is never checked again.
A group's original is the earliest (the day its input gives), else the one with a day
of its own, else the longest. Later stages read originals only and add the copies to
their sources (`originals`, `with_copies`). Rewrites in other words are found among the
originals by the duplicates stage and joined to their source's group there.
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from datasketch import MinHash, MinHashLSH

from newsparallax.model import Annotated, Copy, CopyGroup, DuplicateKind, Story

COPY_CONTAINMENT = 0.5
LSH_THRESHOLD = 0.3
PERMUTATIONS = 64
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _shingles(words: Sequence[str]) -> frozenset[int]:
    if len(words) < 3:
        return frozenset({zlib.crc32(" ".join(words).encode())}) if words else frozenset()
    return frozenset(zlib.crc32(" ".join(words[i : i + 3]).encode()) for i in range(len(words) - 2))


def _signature(shingles: frozenset[int]) -> MinHash:
    signature = MinHash(num_perm=PERMUTATIONS, seed=1)
    signature.update_batch([s.to_bytes(4, "little") for s in shingles])
    return signature


def _day(doc: Annotated) -> date:
    published = doc.article.published
    if published is None or doc.article.published_inferred:
        return date.max
    return published.date() if isinstance(published, datetime) else published


def _original_key(doc: Annotated) -> tuple[date, bool, int, str]:
    return (_day(doc), doc.article.published is None, -len(doc.article.text), doc.id)


def find_copy_groups(docs: Sequence[Annotated], story: Story) -> Story:
    """The story with its `copy_groups` (exact and near copies; rewrites come later)."""
    member_ids = set(story.article_ids)
    members = sorted((d for d in docs if d.id in member_ids), key=lambda d: d.id)
    words = [_words(d.article.text) for d in members]
    sets = [_shingles(w) for w in words]
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=PERMUTATIONS)
    signatures = [_signature(s) for s in sets]
    for index, items in enumerate(sets):
        if items:
            lsh.insert(index, signatures[index])
    for index, items in enumerate(sets):
        if not items:
            continue
        for other in lsh.query(signatures[index]):
            j = int(other)
            if j == index or find(j) == find(index):
                continue
            shared = len(items & sets[j])
            if shared / min(len(items), len(sets[j])) >= COPY_CONTAINMENT:
                parent[find(j)] = find(index)
    clusters: dict[int, list[int]] = {}
    for index in range(len(members)):
        clusters.setdefault(find(index), []).append(index)
    groups = []
    for indices in clusters.values():
        if len(indices) < 2:
            continue
        first = min(indices, key=lambda i: _original_key(members[i]))
        copies = []
        for i in indices:
            if i == first:
                continue
            exact = words[i] == words[first]
            score = len(sets[i] & sets[first]) / len(sets[i]) if sets[i] else 1.0
            kind = DuplicateKind.EXACT if exact else DuplicateKind.NEAR
            copies.append(Copy(members[i].id, kind, round(score, 3)))
        groups.append(
            CopyGroup(members[first].id, tuple(sorted(copies, key=lambda c: c.article_id)))
        )
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
