"""Dates: TempEval-3 training data (TimeBank and AQUAINT; UzZaman et al. 2013).

Gold: the TIMEX3 expressions of type DATE inside <TEXT>, with their normalised values;
the document creation time (<DCT>) is given to Parallax as the article's published day,
as a record's date would be. Recognition counts a found date expression right when it
overlaps a gold DATE (relaxed match, the TempEval convention); value accuracy is over
matched pairs, comparing Parallax's value at the gold's granularity (gold "1998-01"
against the first seven characters of ours; "PRESENT_REF", "1998-W12" and other
non-calendar values must be equal, a week some annotators wrote "W7" read as "W07").
`value_accuracy_unspecified` reads a gold value's unspecified tail ("1968-XX",
"1989-WXX", "1988-QX", "198X") as the coarser value it leaves ("1968", "1989", "1988",
"198"), as the granularity rule above would read a gold value written that way; the
gate is on the strict `value_accuracy`.
Parallax gives present, past and future references ("now", "recently", "soon") no
calendar value and names them by their rule; the rule is read as TimeML's PRESENT_REF,
PAST_REF and FUTURE_REF.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from accuracy.common import (
    Parallax,
    TaskOptions,
    TaskResult,
    analysed_in_batches,
    mapped,
    offset_map,
    prf,
)
from newsparallax.extract.times import REFERENCE_RULES
from newsparallax.model import TimeExpr

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_CALENDAR = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def read_tempeval(root: Path) -> list[dict[str, Any]]:
    out = []
    for folder in ("TimeBank", "AQUAINT"):
        for path in sorted((root / "TBAQ-cleaned" / folder).glob("*.tml")):
            raw = path.read_text("utf-8")
            dct = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S)
            body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
            if dct is None or body is None:
                continue
            text, gold = _strip_tags(body.group(1))
            out.append(
                {
                    "name": f"{folder}/{path.stem}",
                    "dct": dct.group(1)[:10],
                    "text": text,
                    "gold": gold,
                }
            )
    return out


def _strip_tags(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Plain text and the (start, end, value) of each DATE TIMEX3 in it."""
    pieces: list[str] = []
    length = 0
    gold = []
    open_at: tuple[int, dict[str, str]] | None = None
    cursor = 0
    for tag in _TAG.finditer(marked):
        piece = html.unescape(marked[cursor : tag.start()])
        pieces.append(piece)
        length += len(piece)
        cursor = tag.end()
        closing, name, attributes = tag.groups()
        if name != "TIMEX3":
            continue
        if not closing:
            open_at = (length, dict(_ATTRIBUTE.findall(attributes)))
        elif open_at is not None:
            start, attrs = open_at
            if attrs.get("type") == "DATE":
                gold.append((start, length, attrs.get("value", "")))
            open_at = None
    pieces.append(html.unescape(marked[cursor:]))
    return "".join(pieces), gold


def timeml_value(expression: TimeExpr) -> str | None:
    """Our value as TimeML writes it: references by their rule, everything else as is."""
    if expression.value is None and expression.rule in REFERENCE_RULES:
        return expression.rule.upper()  # "present_ref" -> "PRESENT_REF"
    return expression.value


_SHORT_WEEK = re.compile(r"-W(\d)(?!\d)")


_UNSPECIFIED_TAIL = re.compile(r"(?:-(?:XX|WXX|QX))+$|(?<=^\d{3})X$")


def coarser_of_unspecified(gold: str) -> str:
    """ "1968-XX" -> "1968", "1989-WXX" -> "1989", "198X" -> "198"; others as they are."""
    return _UNSPECIFIED_TAIL.sub("", gold)


def same_value(ours: str | None, gold: str) -> bool:
    if ours is None:
        return False
    gold = _SHORT_WEEK.sub(r"-W0\1", gold)  # some annotators wrote week 7 as "W7"
    if _CALENDAR.match(gold):
        return ours[: len(gold)] == gold
    return ours == gold


def dates_task(parallax: Parallax, root: Path, options: TaskOptions) -> TaskResult:
    documents = read_tempeval(root)[: options.limit]
    counts = {"gold": 0, "found": 0, "matched": 0, "right_value": 0, "right_unspecified": 0}
    misses: list[str] = []
    errors: list[str] = []
    scored = 0

    def record(document: dict[str, Any]) -> dict[str, Any]:
        url = f"tempeval:{document['name']}"
        return {"url": url, "text": document["text"], "published": document["dct"]}

    for document, doc, _ in analysed_in_batches(
        parallax, documents, record, options, ("times",), errors
    ):
        dates = [t for t in doc.times if t.kind == "date"]
        _score(doc.article.text, dates, document, counts, misses)
        scored += 1
    metrics: dict[str, Any] = prf(counts["matched"], counts["found"], counts["gold"])
    metrics["value_accuracy"] = round(
        counts["right_value"] / counts["matched"] if counts["matched"] else 0.0, 4
    )
    metrics["value_accuracy_unspecified"] = round(
        counts["right_unspecified"] / counts["matched"] if counts["matched"] else 0.0, 4
    )
    metrics.update(counts)
    metrics["errors"] = len(errors)
    result = TaskResult("dates", "TempEval-3 training (TimeBank + AQUAINT), DATE", metrics, scored)
    result.misses = misses[: options.show_errors]
    result.notes = errors[: options.show_errors]
    return result


def _score(
    cleaned: str,
    times: list[Any],
    document: dict[str, Any],
    counts: dict[str, int],
    misses: list[str],
) -> None:
    original: str = document["text"]
    offsets = offset_map(cleaned, original)
    found = []
    for expression in times:
        place = mapped(offsets, expression.span.start, expression.span.end)
        if place is not None:
            found.append((place, timeml_value(expression)))
    gold = document["gold"]
    counts["gold"] += len(gold)
    counts["found"] += len(found)
    used: set[int] = set()
    for start, end, value in gold:
        match = next(
            (i for i, ((s, e), _) in enumerate(found) if i not in used and s < end and start < e),
            None,
        )
        if match is None:
            misses.append(f"{document['name']}: missed {original[start:end]!r} ({value})")
            continue
        used.add(match)
        counts["matched"] += 1
        ours = found[match][1]
        if same_value(ours, coarser_of_unspecified(value)):
            counts["right_unspecified"] += 1
        if same_value(ours, value):
            counts["right_value"] += 1
        else:
            misses.append(
                f"{document['name']}: {original[start:end]!r} is {value}, Parallax says {ours}"
            )
