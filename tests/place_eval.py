"""Scoring of toponym resolution against our labelled set (tests/data/toponyms.jsonl).

    python tests/place_eval.py     # prints the accuracy and every miss

Each case is a sentence (its own story, so its only context is itself) and the place
names in it: the gazetteer name and country they must resolve to (None for a place no
gazetteer knows) and whether the name stands for an actor (metonymy).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsparallax.extract import find_mentions, segment
from newsparallax.geo import Gazetteer, fold_place
from newsparallax.link.places import locate_places
from newsparallax.model import Annotated, Article, Story, article_id
from newsparallax.nlp import LanguageModels, SentenceSplitter
from scoring import Scores

CASES = Path(__file__).parent / "data" / "toponyms.jsonl"


def load_cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line.strip()]


def evaluate(splitter: SentenceSplitter, models: LanguageModels, gazetteer: Gazetteer) -> Scores:
    cases = load_cases()
    docs = [
        Annotated(Article(id=article_id(None, c["text"]), source="t", text=c["text"]))
        for c in cases
    ]
    docs = find_mentions(segment(docs, splitter), models.recognise_entities)
    scores = Scores()
    for case, doc in zip(cases, docs, strict=True):
        [located], _ = locate_places([doc], Story("s", "t", (doc.id,)), gazetteer.__getitem__)
        text = case["text"]
        for expected in case["toponyms"]:
            start = text.index(expected["surface"])
            found = next((t for t in located.toponyms if t.span.start <= start < t.span.end), None)
            scores.checks += 1
            if found is None:
                if expected["name"] is None:
                    scores.right += 1  # unknown and unmapped: as it should be
                else:
                    scores.misses.append(f"{text!r}: {expected['surface']!r} not found as a place")
                continue
            name_ok = (expected["name"] is None and found.lat is None) or (
                found.lat is not None
                and fold_place(found.name or "") == fold_place(expected["name"] or "")
                and found.country == expected["country"]
            )
            if name_ok and found.metonymy == expected["metonymy"]:
                scores.right += 1
            else:
                scores.misses.append(
                    f"{text!r}: {expected['surface']!r} -> {found.name}, {found.country}, "
                    f"metonymy={found.metonymy}; expected {expected['name']}, "
                    f"{expected['country']}, metonymy={expected['metonymy']}"
                )
    return scores


if __name__ == "__main__":
    from newsparallax.geo import load_gazetteer
    from newsparallax.nlp import load_language_models, load_sentence_splitter

    result = evaluate(load_sentence_splitter(), load_language_models(), load_gazetteer())
    print(f"toponyms: {result.right}/{result.checks} = {result.accuracy:.3f}")
    print("\n".join(result.misses))
