"""Scoring of temporal expressions against our labelled set (tests/data/times.jsonl).

    python tests/time_eval.py     # prints the accuracy and every miss

Each case gives the publication day, a text, the expressions in it with the value they
must resolve to (None: found, but no calendar date), and words that must not be read
as dates at all.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from newsparallax.extract.times import find_time_expressions
from newsparallax.extract.timevalues import resolve
from newsparallax.model import TimeExpr
from scoring import Scores

CASES = Path(__file__).parent / "data" / "times.jsonl"


def load_cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line.strip()]


def _find(text: str, words: str) -> int:
    """Where the words stand on their own ("Dec. 1", not the start of "Dec. 12")."""
    match = re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text)
    assert match is not None, (words, text)
    return match.start()


def _at(times: list[TimeExpr], start: int, end: int) -> TimeExpr | None:
    """The expression overlapping [start, end), if any."""
    return next((t for t in times if t.span.start < end and start < t.span.end), None)


def evaluate() -> Scores:
    scores = Scores()
    for case in load_cases():
        text = case["text"]
        times = resolve(find_time_expressions(text), date.fromisoformat(case["anchor"]), text=text)
        for words, value in case["expect"]:
            start = _find(text, words)
            found = _at(times, start, start + len(words))
            scores.checks += 1
            if found is not None and found.value == value:
                scores.right += 1
            else:
                got = (found.span.of(text), found.value, found.rule) if found else None
                scores.misses.append(f"{text!r}: {words!r} should be {value}, got {got}")
        for words in case["not_dates"]:
            start = _find(text, words)
            found = _at(times, start, start + len(words))
            scores.checks += 1
            if found is None or found.value is None:
                scores.right += 1
            else:
                scores.misses.append(f"{text!r}: {words!r} is not a date, got {found.value}")
    return scores


if __name__ == "__main__":
    result = evaluate()
    print(f"date values: {result.right}/{result.checks} = {result.accuracy:.3f}")
    print("\n".join(result.misses))
