"""Copies, echoes and rewrites: exact repeats, near copies, paraphrases, derived articles.

- exact: the same sentence (or a paragraph repeated inside one article, as cleaning
  recorded it) — syndication and copy-paste;
- near: sentences whose word 3-gram shingles overlap by Jaccard ≥ `NEAR_JACCARD`; within
  a story they are checked among the pairs the claims search finds, and across a whole
  corpus `near_duplicates` finds them with MinHash LSH (datasketch), so the cost grows
  with the number of texts, not with its square;
- paraphrase: sentences the claims similarity calls one claim;
- derived_article: an article most of whose sentences (at least eight) have an echo in
  one other article, in the same order, and that keeps some of its wording — a rewrite.
  The one published later (or, undated, the shorter) is the derived one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date

import numpy as np

from newsparallax.crosscheck.copies import lsh_index, minhash, originals, shingles
from newsparallax.model import (
    Annotated,
    Copy,
    CopyGroup,
    Duplicate,
    DuplicateKind,
    Passage,
    RemovalReason,
    Span,
    Story,
)
from newsparallax.similarity import RELATED_THRESHOLD, similar_pairs

NEAR_JACCARD = 0.5
LSH_SLACK = 0.7
MIN_SENTENCE_WORDS = 6
# A rewrite: at least this many of its sentences, and this share of them, echo one other
# article, keeping its order (rank correlation of the positions they echo). Short
# reports of one event echo each other by nature; only a long run of echoes in order
# shows that one was written from the other.
DERIVED_MIN_SENTENCES = 8
DERIVED_MIN_SHARE = 0.75
DERIVED_MIN_ORDER = 0.6
DERIVED_MIN_RUN = 8  # words in a row the rewrite keeps from its source ...
DERIVED_MIN_KEPT = 3  # ... counted as runs of 8: one of 10 words, or 8 words in two places
# Two inferred publication days tell which article came first only this many days apart.
INFERRED_DAYS_APART = 7
PARAPHRASES_PER_CLAIM = 8
_WORD = re.compile(r"\w+")
# a quotation closes within its paragraph: an opening mark left unclosed (a paragraph
# that quotes a whole wire report) must not make the rest of the article "quoted"
_QUOTED = re.compile(r"[“\"][^”\"\n]*[”\"]")


def near_duplicates(
    texts: Sequence[str],
    threshold: float = NEAR_JACCARD,
    groups: Sequence[str] | None = None,
    max_pairs_per_text: int = 8,
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, Jaccard) of texts whose shingles overlap by at least `threshold`.

    Args:
        texts: sentences, paragraphs or whole articles.
        groups: when given, pairs within the same group (the same article) are skipped.
        max_pairs_per_text: each text reports its closest copies only (bounded output
            when thousands of texts are copies of each other).

    Candidates come from MinHash LSH; each is then checked on the exact shingle sets,
    so no pair below the threshold is reported.
    """
    sets = [shingles(t) for t in texts]
    # candidates are fetched below the threshold (LSH misses pairs near its threshold)
    # and every candidate is then checked on its exact shingles
    lsh = lsh_index(threshold * LSH_SLACK)
    signatures = []
    for index, items in enumerate(sets):
        signature = minhash(items)
        signatures.append(signature)
        if items:
            lsh.insert(str(index), signature)
    pairs = []
    for index, items in enumerate(sets):
        if not items:
            continue
        found = []
        for other in lsh.query(signatures[index]):
            j = int(other)
            if j <= index or (groups is not None and groups[index] == groups[j]):
                continue
            jaccard = len(items & sets[j]) / len(items | sets[j])
            if jaccard >= threshold:
                found.append((jaccard, j))
        for jaccard, j in sorted(found, reverse=True)[:max_pairs_per_text]:
            pairs.append((index, j, round(jaccard, 3)))
    return sorted(pairs)


def find_duplicates(docs: Sequence[Annotated], story: Story) -> Story:
    """The story's copied passages among its originals, its paraphrases (the claims'
    members, at most `PARAPHRASES_PER_CLAIM` each) and its rewrites, which join their
    source's copy group. Copies of whole articles are the copy groups (`crosscheck/copies.py`):
    they are not listed pair by pair, so thousands of copies cost no more to report."""
    members = originals(docs, story)
    out: list[Duplicate] = []
    for doc in members:  # paragraphs repeated inside one article, as cleaning found them
        for removal in doc.article.removed:
            if removal.reason is RemovalReason.REPEATED_PARAGRAPH:
                start = doc.article.text.find(removal.text)
                if start != -1:
                    kept = Passage(doc.id, Span(start, start + len(removal.text)))
                    out.append(Duplicate(DuplicateKind.EXACT, kept, kept, 1.0))
    sentences = [
        (doc, s)
        for doc in members
        for s in doc.sentences
        if len(s.of(doc.article.text).split()) >= MIN_SENTENCE_WORDS
    ]
    texts = [s.of(doc.article.text) for doc, s in sentences]
    owners = [doc.id for doc, _ in sentences]
    echoes: dict[tuple[str, str], list[tuple[int, int, float]]] = {}
    shingled = [shingles(t) for t in texts]
    copied: set[tuple[Passage, Passage]] = set()
    # Within a story, copies are among the lexically similar pairs the claims search finds
    # anyway; each is checked on its shingles (MinHash LSH is for whole corpora, below).
    for i, j, score in similar_pairs(texts, RELATED_THRESHOLD, owners):
        echoes.setdefault((owners[i], owners[j]), []).append((i, j, score))
        union = shingled[i] | shingled[j]
        jaccard = len(shingled[i] & shingled[j]) / len(union) if union else 0.0
        if jaccard >= NEAR_JACCARD:
            kind = DuplicateKind.EXACT if _same(texts[i], texts[j]) else DuplicateKind.NEAR
            a, b = _passage(sentences[i]), _passage(sentences[j])
            copied |= {(a, b), (b, a)}
            out.append(Duplicate(kind, a, b, round(jaccard, 3)))
    out += _paraphrases(story, copied)
    derived = _derived(members, sentences, owners, echoes)
    out += derived
    out.sort(key=lambda d: (list(DuplicateKind).index(d.kind), -d.score, d.a.article_id, d.a.span))
    return dataclasses.replace(
        story, duplicates=tuple(out), copy_groups=_with_rewrites(story.copy_groups, derived)
    )


def _paraphrases(story: Story, copied: set[tuple[Passage, Passage]]) -> list[Duplicate]:
    """Each claim's retellings in other articles, paired with its central sentence."""
    out = []
    for claim in story.claims:
        if not claim.passages:
            continue
        central = claim.passages[0]
        others = [
            p
            for p in claim.passages[1:]
            if p.article_id != central.article_id and (central, p) not in copied
        ]
        for passage in others[:PARAPHRASES_PER_CLAIM]:
            out.append(Duplicate(DuplicateKind.PARAPHRASE, central, passage, 1.0))
    return out


def _with_rewrites(
    groups: tuple[CopyGroup, ...], derived: Sequence[Duplicate]
) -> tuple[CopyGroup, ...]:
    """Copy groups with each rewrite joined to its source's group (a rewrite that has
    verbatim copies of its own stays the original of those: they copy its words)."""
    by_original = {g.original: list(g.copies) for g in groups}
    for rewrite in derived:
        copy, source = rewrite.a.article_id, rewrite.b.article_id
        target = next(
            (o for o, cs in by_original.items() if source in {o, *(c.article_id for c in cs)}),
            source,
        )
        if copy == target or any(c.article_id == copy for c in by_original.get(target, [])):
            continue
        by_original.setdefault(target, []).append(
            Copy(copy, DuplicateKind.DERIVED_ARTICLE, rewrite.score)
        )
    out = [
        CopyGroup(original, tuple(sorted(copies, key=lambda c: c.article_id)))
        for original, copies in by_original.items()
        if copies
    ]
    return tuple(sorted(out, key=lambda g: (-len(g.copies), g.original)))


def _same(a: str, b: str) -> bool:
    return " ".join(_WORD.findall(a.lower())) == " ".join(_WORD.findall(b.lower()))


def _passage(item: tuple[Annotated, Span]) -> Passage:
    return Passage(item[0].id, item[1])


def _derived(
    members: Sequence[Annotated],
    sentences: Sequence[tuple[Annotated, Span]],
    owners: Sequence[str],
    echoes: dict[tuple[str, str], list[tuple[int, int, float]]],
) -> list[Duplicate]:
    """Article pairs where one retells most of the other in the same order.

    Each sentence of the candidate rewrite is aligned with its most similar echo in the
    other article; the share of its sentences aligned, and the share of alignments that
    keep the other article's order (longest increasing run), decide.
    """
    counts = {doc.id: sum(1 for o in owners if o == doc.id) for doc in members}
    by_id = {doc.id: doc for doc in members}
    out = []
    for (a, b), pairs in sorted(echoes.items()):
        for derived, source in ((a, b), (b, a)):
            best: dict[int, tuple[float, int]] = {}
            for i, j, score in pairs:
                mine, theirs = (i, j) if owners[i] == derived else (j, i)
                if mine not in best or score > best[mine][0]:
                    best[mine] = (score, theirs)
            matched = sorted((mine, theirs) for mine, (_, theirs) in best.items())
            share = len(matched) / counts[derived] if counts[derived] else 0.0
            if share < DERIVED_MIN_SHARE or len(matched) < DERIVED_MIN_SENTENCES:
                continue
            order = _order_agreement([theirs for _, theirs in matched])
            if (
                order >= DERIVED_MIN_ORDER
                and _later(by_id[derived], by_id[source])
                and _share_a_long_run(by_id[derived], by_id[source])
            ):
                out.append(
                    Duplicate(
                        DuplicateKind.DERIVED_ARTICLE,
                        Passage(derived, Span(0, len(by_id[derived].article.text))),
                        Passage(source, Span(0, len(by_id[source].article.text))),
                        round(share * order, 3),
                    )
                )
    return out


def _share_a_long_run(a: Annotated, b: Annotated) -> bool:
    """Whether two articles share, outside quotation marks, `DERIVED_MIN_KEPT` runs of
    `DERIVED_MIN_RUN` words: a rewrite keeps some of its source's own wording; two
    reports of one event that follow the same order of facts and quote the same people
    need not, though they may share one stock phrase of eight words. On ECB+ the
    reports of one event that one such run made "rewrites" were 19 of 43 false copies;
    the seeds' rewrite keeps four runs."""
    kept = _unquoted_runs(a.article.text) & _unquoted_runs(b.article.text)
    return len(kept) >= DERIVED_MIN_KEPT


def _unquoted_runs(text: str) -> set[str]:
    runs: set[str] = set()
    for piece in _QUOTED.split(text):
        if len(_WORD.findall(piece)) >= DERIVED_MIN_RUN:
            runs |= shingles(piece, DERIVED_MIN_RUN)
    return runs


def _order_agreement(positions: Sequence[int]) -> float:
    """Spearman's rank correlation of positions with their order: 1 when a rewrite keeps
    its source's order, near 0 for sentences matched at random; rewrites move a clause or
    two, which a strict longest-increasing-run would punish far more."""
    if len(positions) < 3:
        return 0.0
    ranks = np.argsort(np.argsort(positions, kind="stable"), kind="stable").astype(float)
    order = np.arange(len(positions), dtype=float)
    if ranks.std() == 0:
        return 0.0
    return float(np.corrcoef(order, ranks)[0, 1])


def _later(derived: Annotated, source: Annotated) -> bool:
    """Whether `derived` can be the rewrite: published on a later day; on the same day, the
    one whose date is only inferred (the original usually carries its own); else shorter.
    Two inferred days decide only a week or more apart: a guess from the text's own
    dates can be days off either way."""
    a, b = derived.article.published, source.article.published
    inferred_a, inferred_b = derived.article.published_inferred, source.article.published_inferred
    if a is not None and b is not None and str(a)[:10] != str(b)[:10]:
        day_a, day_b = date.fromisoformat(str(a)[:10]), date.fromisoformat(str(b)[:10])
        if not (inferred_a and inferred_b) or abs((day_a - day_b).days) >= INFERRED_DAYS_APART:
            return day_a > day_b
    if inferred_a != inferred_b:
        return inferred_a
    return len(derived.article.text) <= len(source.article.text)


def duplicates_stage(docs: Sequence[Annotated], story: Story) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's duplicates."""
    return docs, find_duplicates(docs, story)
