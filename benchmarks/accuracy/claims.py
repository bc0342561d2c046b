"""Claims on real copy: ECB+'s cross-document coreference as labelled sentence pairs.

ECB+ (Cybulska & Vossen 2014) marks, in many outlets' reports of one event, every mention
of an action (the quake struck, the boxer retained his title) and of its participants,
times and places, and links the mentions of one real action, person, time or place
across documents (CROSS_DOC_COREF). Two sentences of different reports are labelled:

- **one claim** when they tell the same action with at least one of its participants,
  times or places in common (both say who did it, or when, or where);
- **different claims** when both tell actions and share none of them (and, in
  particular, every pair across the two events of a topic that share no action).

Pairs that share an action and nothing else are left unlabelled. The labels are a proxy:
two sentences may tell one action with one participant and still make different
statements about it, and a claim holds one sentence per article while an article may
tell an action in several, so pair recall is a floor (`sentence_recall`: the share of
sentences with a labelled partner that Parallax groups with one of them); precision,
the share of Parallax's labelled claim pairs that tell different actions, is what a
reader would reject.

Each topic's reports (both events) are analysed together as `analyze` would (stories,
then claims within each story); a pair whose sentences land in two stories is not one
claim. Sentences of an article Parallax files as a copy are left out (a copy's
sentences are its original's). `--curves` scores the claims threshold from 0.5× to 2×
the default on the same stories.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from accuracy.common import Parallax, TaskOptions, TaskResult, offset_map, prf
from accuracy.stories import detokenise, ecbplus_files
from newsparallax.crosscheck.claims import find_claims
from newsparallax.model import Annotated, Story

Key = tuple[str, int]  # (document, sentence index in its text)
# One claim: the two sentences' instances are mostly the same ones (Jaccard).
SAME_SHARE = 0.5


@dataclass(frozen=True)
class LabelledDoc:
    name: str
    topic: str
    event: str
    text: str
    sentences: tuple[str, ...]
    instances: tuple[frozenset[str], ...]  # per sentence: the cross-document ids it mentions


def read_labelled(root: Path, topics: int | None = None) -> list[LabelledDoc]:
    """Every ECB+ document with its sentences and the real-world instances each mentions
    (text built exactly as the stories task builds it, so its parse is shared)."""
    out = []
    for path, topic, kind in ecbplus_files(root, topics):
        root_element = ET.parse(path).getroot()
        tokens: dict[int, list[str]] = defaultdict(list)
        sentence_of: dict[str, int] = {}
        for token in root_element.iter("token"):
            number = int(token.get("sentence", "0"))
            tokens[number].append(token.text or "")
            sentence_of[token.get("t_id", "")] = number
        if kind == "ecbplus":
            tokens.pop(0, None)
        numbers = sorted(tokens)
        anchors: dict[str, set[int]] = {}
        for markable in root_element.find("Markables") or []:
            anchors[markable.get("m_id", "")] = {
                sentence_of[a.get("t_id", "")] for a in markable if a.get("t_id", "") in sentence_of
            }
        mentioned: dict[int, set[str]] = defaultdict(set)
        for relation in root_element.find("Relations") or []:
            if relation.tag != "CROSS_DOC_COREF":
                continue
            instance = relation.get("note", "")
            for part in relation:
                if part.tag == "source":
                    for number in anchors.get(part.get("m_id", ""), ()):
                        mentioned[number].add(instance)
        sentences = tuple(detokenise(tokens[n]) for n in numbers)
        out.append(
            LabelledDoc(
                path.name,
                topic,
                f"{topic}{kind}",
                "\n\n".join(sentences),
                sentences,
                tuple(frozenset(mentioned[n]) for n in numbers),
            )
        )
    return out


def _actions(ids: frozenset[str]) -> frozenset[str]:
    return frozenset(i for i in ids if i.startswith("ACT"))


def labelled_pairs(docs: list[LabelledDoc]) -> tuple[set[frozenset[Key]], set[frozenset[Key]]]:
    """(one claim, different claims): pairs of sentences of different documents."""
    same: set[frozenset[Key]] = set()
    different: set[frozenset[Key]] = set()
    told = [
        ((doc.name, i), ids) for doc in docs for i, ids in enumerate(doc.instances) if _actions(ids)
    ]
    for (a, ids_a), (b, ids_b) in itertools.combinations(told, 2):
        if a[0] == b[0]:
            continue
        shared = ids_a & ids_b
        if not _actions(shared):
            different.add(frozenset((a, b)))
        elif shared - _actions(shared) and len(shared) >= SAME_SHARE * len(ids_a | ids_b):
            same.add(frozenset((a, b)))
    return same, different


def _sentence_at(doc: LabelledDoc, offset: int) -> int:
    return doc.text.count("\n\n", 0, offset)


def predicted_pairs(
    docs: list[Annotated], stories: tuple[Story, ...], labelled: dict[str, LabelledDoc]
) -> tuple[set[frozenset[Key]], set[str]]:
    """Pairs of corpus sentences Parallax puts in one claim, and the copies left out."""
    by_id = {d.id: d for d in docs}
    maps = {
        d.id: offset_map(d.article.text, labelled[d.article.source.split(":", 1)[1]].text)
        for d in docs
    }
    copies = {c.article_id for s in stories for g in s.copy_groups for c in g.copies}
    out: set[frozenset[Key]] = set()
    for story in stories:
        for claim in story.claims:
            keys = set()
            for passage in claim.passages:
                doc = by_id[passage.article_id]
                start = maps[doc.id][passage.span.start]
                if start is None:
                    continue
                name = doc.article.source.split(":", 1)[1]
                keys.add((name, _sentence_at(labelled[name], start)))
            out |= {
                frozenset(p) for p in itertools.combinations(sorted(keys), 2) if p[0][0] != p[1][0]
            }
    left_out = {by_id[c].article.source.split(":", 1)[1] for c in copies if c in by_id}
    return out, left_out


def claims_task(parallax: Parallax, root: Path, options: TaskOptions) -> TaskResult:
    labelled = read_labelled(root, options.limit)
    by_topic: dict[str, list[LabelledDoc]] = defaultdict(list)
    for doc in labelled:
        by_topic[doc.topic].append(doc)
    by_name = {d.name: d for d in labelled}
    default = parallax.settings.claims.paraphrase_threshold
    factors = (0.5, 0.7, 1.0, 1.3, 1.5, 2.0) if options.curves else (1.0,)
    counts = {f: [0, 0, 0] for f in factors}  # right, predicted (labelled), gold
    told = found = 0  # sentences with a labelled partner; those grouped with one
    errors: list[str] = []
    wrong: list[str] = []
    for _, members in sorted(by_topic.items(), key=lambda kv: int(kv[0])):
        if options.budget.spent():
            break
        records = [{"url": f"ecbplus:{d.name}", "text": d.text} for d in members]
        docs, stories, problems = parallax.run(parallax.read(records), "claims")
        errors += problems
        same, different = labelled_pairs(members)
        for factor in factors:
            at = (
                stories
                if factor == 1.0
                else tuple(find_claims(docs, s, threshold=default * factor) for s in stories)
            )
            predicted, copies = predicted_pairs(docs, at, by_name)
            keep = {p for p in same if not {k[0] for k in p} & copies}
            scored = {p for p in predicted if p in keep or p in different}
            counts[factor][0] += len(scored & keep)
            counts[factor][1] += len(scored)
            counts[factor][2] += len(keep)
            if factor == 1.0:
                having = {k for p in keep for k in p}
                told += len(having)
                found += len({k for p in scored & keep for k in p})
                wrong += [
                    " / ".join(by_name[n].sentences[i][:90] for n, i in sorted(p))
                    for p in sorted(scored - keep, key=sorted)[:2]
                ]
    right, predicted, gold = counts[1.0]
    metrics: dict[str, float | int] = dict(prf(right, predicted, gold))
    metrics["sentence_recall"] = round(found / told, 4) if told else 0.0
    metrics.update({"gold_pairs": gold, "predicted_pairs": predicted, "errors": len(errors)})
    for factor in factors:
        if factor != 1.0:
            scores = prf(*counts[factor])
            metrics[f"f1_at_{round(default * factor, 3)}"] = scores["f1"]
            metrics[f"precision_at_{round(default * factor, 3)}"] = scores["precision"]
    result = TaskResult(
        "claims", "ECB+ cross-document coreference (sentence pairs)", metrics, len(labelled)
    )
    result.misses = wrong[: options.show_errors]
    result.notes = errors[: options.show_errors]
    return result
