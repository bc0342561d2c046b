"""Scoring of quantity extraction against our labelled set (tests/data/quantities.jsonl).

    python tests/quantity_eval.py

A phrase is right when a quantity found over it has exactly the value and unit given;
the strings under "not" (dates, times, durations, years, model numbers) must yield none.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from newsparallax.extract.publication import find_times
from newsparallax.extract.quantities import UnitConverter, measures
from newsparallax.model import Annotated, Article

CASES = Path(__file__).parent / "data" / "quantities.jsonl"


def evaluate(convert: UnitConverter) -> tuple[float, int, list[str]]:
    right = checks = 0
    misses = []
    for line in CASES.read_text("utf-8").splitlines():
        case = json.loads(line)
        text = case["text"]
        [doc] = find_times([Annotated(Article(id="a", source="t", text=text))])
        found = measures(doc, convert)
        for phrase, value, unit in case["quantities"]:
            start = text.index(phrase)
            hit = next(
                (m for m in found if m.span.start < start + len(phrase) and start < m.span.end),
                None,
            )
            checks += 1
            if hit is not None and math.isclose(hit.value, value) and hit.unit == unit:
                right += 1
            else:
                got = (hit.span.of(text), hit.value, hit.unit) if hit else None
                misses.append(f"{text!r}: {phrase!r} should be {value} {unit}, got {got}")
        for phrase in case["not"]:
            start = re.search(rf"(?<!\w){re.escape(phrase)}", text).start()  # type: ignore[union-attr]
            hit = next(
                (m for m in found if m.span.start < start + len(phrase) and start < m.span.end),
                None,
            )
            checks += 1
            if hit is None:
                right += 1
            else:
                misses.append(f"{text!r}: {phrase!r} is no quantity, got {hit.span.of(text)!r}")
    return right / checks, checks, misses


if __name__ == "__main__":
    from newsparallax.extract.quantities import pint_converter

    accuracy, count, misses = evaluate(pint_converter())
    print(f"quantities: {accuracy:.3f} of {count} checks")
    print("\n".join(misses))
