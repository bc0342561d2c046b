"""Scoring of quote extraction against our labelled set (tests/data/quotes.jsonl).

Shared by the CI gate (test_quotes_gate.py) and anyone tuning the extractor:
    python tests/quote_eval.py      # prints the scores and every miss
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsparallax.extract import find_mentions, find_quotes, segment
from newsparallax.model import Annotated, Article, article_id
from newsparallax.nlp import LanguageModels, SentenceSplitter

CASES = Path(__file__).parent / "data" / "quotes.jsonl"


def load_cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line.strip()]


def norm(text: str | None) -> str:
    """Quotes compare without edge punctuation, case, curly/straight or spacing differences."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").casefold()
    return " ".join(re.sub(r"^\W+|\W+$", "", text).split())


def same_speaker(expected: str | None, found: str | None) -> bool:
    """Equal, or the same surname: "Brell" names "Tomas Brell" within one short text."""
    a, b = norm(expected), norm(found)
    if a == b:
        return True
    if b in {"jr", "sr", "ii", "iii", "iv"}:  # a name's suffix alone names no one
        return False
    return bool(a and b) and a.split()[-1] == b.split()[-1] and (a in b or b in a)


@dataclass
class Scores:
    gold: int = 0
    found: int = 0
    matched: int = 0
    speakers_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.matched if self.matched else 1.0


def evaluate(splitter: SentenceSplitter, models: LanguageModels) -> Scores:
    cases = load_cases()
    docs = [
        Annotated(
            Article(
                id=article_id(None, c["text"]) + str(c["id"]), source=str(c["id"]), text=c["text"]
            )
        )
        for c in cases
    ]
    docs = segment(docs, splitter)
    docs = find_mentions(docs, models.recognise_entities)
    docs = find_quotes(docs, models.parse)
    scores = Scores()
    for case, doc in zip(cases, docs, strict=True):
        gold = {norm(q["text"]): q["speaker"] for q in case["quotes"]}
        found = {norm(q.text): q.speaker_text for q in doc.quotes}
        scores.gold += len(gold)
        scores.found += len(found)
        for text, speaker in found.items():
            if text not in gold:
                scores.misses.append(f"#{case['id']} spurious: {text[:60]!r} ({speaker})")
                continue
            scores.matched += 1
            if same_speaker(gold[text], speaker):
                scores.speakers_right += 1
            else:
                scores.misses.append(f"#{case['id']} speaker {speaker!r}, expected {gold[text]!r}")
        for text in gold.keys() - found.keys():
            scores.misses.append(f"#{case['id']} missed: {text[:60]!r}")
    return scores


if __name__ == "__main__":
    from newsparallax.nlp import load_language_models, load_sentence_splitter

    result = evaluate(load_sentence_splitter(), load_language_models())
    print(
        f"quotes: precision {result.precision:.3f} recall {result.recall:.3f} f1 {result.f1:.3f}; "
        f"speaker accuracy {result.speaker_accuracy:.3f} ({result.matched} matched of {result.gold})"
    )
    print("\n".join(result.misses))
