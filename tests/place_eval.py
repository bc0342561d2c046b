"""Scoring of toponym resolution against our labelled set (tests/data/toponyms.jsonl).

    python tests/place_eval.py     # prints the accuracy and every miss

Each case is a sentence (its own story, so its only context is itself; `source`, when
given, is the address it came from) and the place names in it: the gazetteer name and
country they must resolve to (None for a place no gazetteer knows), whether the name
stands for an actor (metonymy), and, for namesakes in one country, `near`: a point the
place must lie within NEAR_KM of.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from newsparallax.extract import find_mentions, segment
from newsparallax.geo import Gazetteer, fold_place
from newsparallax.link.places import locate_places
from newsparallax.model import Annotated, Article, Story, article_id
from newsparallax.nlp import LanguageModels, SentenceSplitter
from scoring import Scores

CASES = Path(__file__).parent / "data" / "toponyms.jsonl"
NEAR_KM = 100.0


def load_cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line.strip()]


def evaluate(splitter: SentenceSplitter, models: LanguageModels, gazetteer: Gazetteer) -> Scores:
    cases = load_cases()
    docs = [
        Annotated(
            Article(id=article_id(None, c["text"]), source=c.get("source", "t"), text=c["text"])
        )
        for c in cases
    ]
    docs = find_mentions(segment(docs, splitter), models.recognise_entities)
    scores = Scores()
    for case, doc in zip(cases, docs, strict=True):
        [located], _ = locate_places([doc], Story("s", "t", (doc.id,)), gazetteer)
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
            near = expected.get("near")
            if near and found.lat is not None and found.lon is not None:
                name_ok = name_ok and _km(near[0], near[1], found.lat, found.lon) <= NEAR_KM
            if name_ok and found.metonymy == expected["metonymy"]:
                scores.right += 1
            else:
                scores.misses.append(
                    f"{text!r}: {expected['surface']!r} -> {found.name}, {found.country}, "
                    f"metonymy={found.metonymy}; expected {expected['name']}, "
                    f"{expected['country']}, metonymy={expected['metonymy']}"
                )
    return scores


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12_742 * math.asin(math.sqrt(a))


if __name__ == "__main__":
    from newsparallax.geo import load_gazetteer
    from newsparallax.nlp import load_language_models, load_sentence_splitter

    result = evaluate(load_sentence_splitter(), load_language_models(), load_gazetteer())
    print(f"toponyms: {result.right}/{result.checks} = {result.accuracy:.3f}")
    print("\n".join(result.misses))
