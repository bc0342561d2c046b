"""Copies on real copy: a labelled set generated from the real articles of ../shared/corpora.

Real articles (ECB+ documents, whose events each have many outlets' reports, and
PolNeAR articles) are the originals; each original gets one or two republications made
the way outlets republish: the headline changed, the ending trimmed, the outlet's own
lines added, typos fixed, paragraphs reordered, or a light rewrite (a word in eight
changed, a sentence dropped). The negatives are everything else, above all the other
outlets' reports of the same event, which share names, numbers and quotes but not
their text. Parallax analyses the whole set as `analyze` would; a pair of articles is
predicted a copy when they are in one copy group. Scored over pairs: precision and
recall, and per edit kind the recall. The corpus text is read at run time only.
"""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path
from typing import Any

from accuracy.common import Parallax, TaskOptions, TaskResult, prf
from accuracy.quotes import read_polnear
from accuracy.stories import read_ecbplus

EDITS = ("headline", "trimmed", "boilerplate", "typos", "reordered", "rewrite")
_ADDED = [
    "This article was republished under a syndication agreement.",
    "Sign up for our evening newsletter to get the day's headlines in your inbox.",
    "Copyright 2016 by the publisher. All rights reserved. This material may not be redistributed.",
]


def edited(text: str, edit: str, rnd: random.Random) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if edit == "trimmed":
        keep = max(2, int(len(paragraphs) * 0.7))
        return "\n\n".join(paragraphs[:keep])
    if edit == "boilerplate":
        return "\n\n".join([*paragraphs, rnd.choice(_ADDED)])
    if edit == "typos":
        words = text.split(" ")
        for _ in range(max(1, len(words) // 60)):
            i = rnd.randrange(len(words))
            if len(words[i]) > 4:
                w = words[i]
                k = rnd.randrange(1, len(w) - 2)
                words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
        return " ".join(words)
    if edit == "reordered":
        if len(paragraphs) > 2:
            head, rest = paragraphs[:1], paragraphs[1:]
            rnd.shuffle(rest)
            paragraphs = head + rest
        return "\n\n".join(paragraphs)
    if edit == "rewrite":
        vocabulary = [w for w in text.split() if w.isalpha()]
        out = []
        for paragraph in paragraphs:
            words = paragraph.split(" ")
            for i in range(0, len(words), 8):
                j = i + rnd.randrange(min(8, len(words) - i))
                words[j] = rnd.choice(vocabulary)
            out.append(" ".join(words))
        if len(out) > 3:
            del out[rnd.randrange(1, len(out))]
        return "\n\n".join(out)
    return text  # "headline": the same text under another title


def build_set(root: Path, limit: int | None, seed: int = 11) -> list[dict[str, Any]]:
    """Records with their gold copy family (`family`), originals and republications."""
    rnd = random.Random(seed)
    records = []
    ecb = [d for d in read_ecbplus(root / "ecbplus") if len(d[1].split()) >= 120]
    for name, text, event in ecb:
        key = f"ecbplus:{name}"  # as the stories task reads it (its parse is reused)
        records.append({"url": key, "text": text, "family": key, "event": event})
    for article in read_polnear(root / "polnear", "dev"):
        title, _, body = article["text"].partition("\n")
        if len(body.split()) >= 120:
            key = f"polnear:{article['name']}"
            records.append({"url": key, "title": title, "text": body, "family": key})
    rnd.shuffle(records)
    records = records[:limit] if limit else records
    originals = list(records)
    for index, original in enumerate(originals):
        for n in range(1 + (index % 2)):
            edit = EDITS[(index + n) % len(EDITS)]
            copy = {
                "url": f"{original['url']}#copy{n}".replace("#", "/copy-"),
                "text": edited(original["text"], edit, rnd),
                "title": (original.get("title") or "") + " (updated)"
                if edit == "headline"
                else original.get("title"),
                "outlet": f"Republisher {n}",
                "family": original["family"],
                "edit": edit,
            }
            records.append(copy)
    return records


# a quotation closes within its paragraph (an unclosed opening mark that quotes a whole
# wire report must not hide the rest of the article)
_QUOTED = re.compile('["“][^"”\n]{0,2000}["”]')
RUN = 12


def _runs(text: str) -> set[str]:
    """Runs of twelve words outside quotation marks (two reports may quote alike)."""
    out: set[str] = set()
    for piece in _QUOTED.split(text):
        words = re.findall(r"\w+", piece.casefold())
        out |= {" ".join(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}
    return out


def natural_copies(records: list[dict[str, Any]]) -> dict[str, str]:
    """Originals that are already one text in the corpus (ECB+ holds wire stories run by
    several outlets, often edited): they share, outside quotations, runs of twelve words
    or more covering 15 words in all (a wire sentence kept, which independent reports
    do not share). Their families are joined into one; pairs across such families are
    left out of the scores (true copies, but not ones this set made, and labelled by a
    rule of their own) and counted as `natural_copy_pairs`."""
    families = [r for r in records if "edit" not in r]
    runs = {r["family"]: _runs(r["text"]) for r in families}
    by_run: dict[str, set[str]] = {}
    for family, items in runs.items():
        for run in items:
            by_run.setdefault(run, set()).add(family)
    parent = {f: f for f in runs}

    def find(f: str) -> str:
        while parent[f] != f:
            f = parent[f]
        return f

    for family, items in runs.items():
        shared: dict[str, int] = {}
        for run in items:
            for other in by_run[run] - {family}:
                shared[other] = shared.get(other, 0) + 1
        for other, count in shared.items():
            if count >= 4:  # four 12-word runs: a 15-word stretch in common
                parent[find(other)] = find(family)
    return {f: find(f) for f in runs}


def copies_task(parallax: Parallax, root: Path, options: TaskOptions) -> TaskResult:
    records = build_set(root, options.limit)
    family = {r["url"]: r["family"] for r in records}
    edit_of = {r["url"]: r.get("edit") for r in records}
    articles = parallax.read(records)
    docs, stories, errors = parallax.run(articles, "duplicates")
    source = {d.id: d.article.source for d in docs}
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.setdefault(a, a) != a:
            a = parent[a]
        return a

    for story in stories:  # a rewrite with copies of its own links two groups
        for group in story.copy_groups:
            for copy in group.copies:
                parent[find(copy.article_id)] = find(group.original)
    group_of = {article: find(article) for article in list(parent)}
    by_family: dict[str, list[str]] = {}
    for d in docs:
        by_family.setdefault(family[source[d.id]], []).append(d.id)
    gold = {
        frozenset(pair)
        for ids in by_family.values()
        for pair in itertools.combinations(sorted(ids), 2)
    }
    joined = natural_copies(records)
    by_joined: dict[str, list[str]] = {}
    for d in docs:
        by_joined.setdefault(joined[family[source[d.id]]], []).append(d.id)
    ambiguous = {
        frozenset(pair)
        for ids in by_joined.values()
        for pair in itertools.combinations(sorted(ids), 2)
    } - gold
    by_group: dict[str, list[str]] = {}
    for article, group in group_of.items():
        by_group.setdefault(group, []).append(article)
    predicted = {
        frozenset(pair)
        for ids in by_group.values()
        for pair in itertools.combinations(sorted(ids), 2)
    } - ambiguous
    metrics: dict[str, Any] = prf(len(gold & predicted), len(predicted), len(gold))
    for edit in EDITS:
        pairs = [p for p in gold if any(edit_of[source[a]] == edit for a in p)]
        found = sum(1 for p in pairs if p in predicted)
        metrics[f"recall_{edit}"] = round(found / len(pairs), 4) if pairs else 0.0
    metrics.update(
        {
            "gold_pairs": len(gold),
            "predicted_pairs": len(predicted),
            "natural_copy_pairs": len(ambiguous),
        }
    )
    metrics["errors"] = len(errors)
    result = TaskResult(
        "copies", "real articles (ECB+, PolNeAR dev) with made copies", metrics, len(docs)
    )
    wrong = sorted(predicted - gold, key=sorted)[: options.show_errors]
    missed = sorted(gold - predicted, key=sorted)[: options.show_errors]
    result.misses = [f"false copy: {sorted(source[a] for a in p)}" for p in wrong] + [
        f"missed copy: {sorted(source[a] for a in p)}" for p in missed
    ]
    result.notes = errors[: options.show_errors]
    return result
