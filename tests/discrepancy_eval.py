"""Scoring of discrepancy detection against our labelled cases (tests/data/discrepancies.jsonl).

    python tests/discrepancy_eval.py

Each case is a small story (a few one-sentence articles) and the discrepancies it must
flag: what they are about and whether they lie within one article. A case passes when
exactly those are flagged; compatible values flagged are false discrepancies.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsparallax.crosscheck.discrepancies import find_discrepancies
from newsparallax.extract import segment
from newsparallax.extract.publication import find_times
from newsparallax.extract.quantities import UnitConverter, find_quantities
from newsparallax.model import Annotated, Article, Story, article_id
from newsparallax.nlp import SentenceSplitter

CASES = Path(__file__).parent / "data" / "discrepancies.jsonl"
INTERNAL = " (within one article)"


def evaluate(splitter: SentenceSplitter, convert: UnitConverter) -> tuple[int, int, list[str]]:
    passed = false_flags = 0
    misses = []
    cases = [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line.strip()]
    for case in cases:
        docs = [
            Annotated(Article(id=article_id(None, t), source=str(i), text=t))
            for i, t in enumerate(case["articles"])
        ]
        docs = find_quantities(find_times(segment(docs, splitter)), convert)
        story = find_discrepancies(docs, Story("s", "t", tuple(d.id for d in docs)))
        flagged = sorted(
            [d.about.removesuffix(INTERNAL), d.about.endswith(INTERNAL)]
            for d in story.discrepancies
        )
        expected = sorted(case["flagged"])
        if _matches(flagged, expected):
            passed += 1
        else:
            false_flags += max(0, len(flagged) - len(expected))
            misses.append(f"{case['note']}: flagged {flagged}, expected {expected}")
    return passed, len(cases), [*misses, f"false flags: {false_flags}"]


def _matches(flagged: list[list[object]], expected: list[list[object]]) -> bool:
    """The same flags; an expected "people" also matches "12 people"-style abouts."""
    if len(flagged) != len(expected):
        return False
    return all(
        str(e[0]) in str(f[0]) and e[1] == f[1] for f, e in zip(flagged, expected, strict=True)
    )


if __name__ == "__main__":
    from newsparallax.extract.quantities import pint_converter
    from newsparallax.nlp import load_sentence_splitter

    ok, total, notes = evaluate(load_sentence_splitter(), pint_converter())
    print(f"discrepancy cases: {ok}/{total}")
    print("\n".join(notes))
