"""Where the numbers disagree: across outlets, and inside one article.

Each stated number becomes the interval it allows: "300 km" is 300 km give or take the
rounding of its last written digit; "over 10,000" is 10,000 and up; "thousands" is a
magnitude; "nearly 50" and "about 3,000" are near those numbers. Two statements about
the same thing (the same measure — a range, a death toll, troops — in the same unit
dimension) disagree when their intervals do not meet. Compatible values ("thousands" and
"over 10,000") are never flagged: they differ in precision, not in fact.

A value and its own conversion ("300 kilometers (190 miles)") are checked the same way:
190 miles is 306 km, not 300.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsparallax.crosscheck.copies import originals, with_copies
from newsparallax.model import (
    Annotated,
    Discrepancy,
    DiscrepancyValue,
    Measure,
    Quantity,
    Span,
    Story,
)
from newsparallax.similarity import RELATED_THRESHOLD, similar_pairs

# Counted nouns that name the same thing.
SYNONYMS = {
    "soldier": "troop",
    "force": "troop",
    "servicemen": "troop",
    "dead": "death",
    "casualtie": "casualty",
    "worker": "worker",
    "dockworker": "worker",
}
_MAGNITUDES = {
    "dozens": (24, 100),
    "hundreds": (200, 1000),
    "thousands": (2000, 1_000_000),
    "tens of thousands": (20_000, 100_000),
    "hundreds of thousands": (200_000, 1_000_000),
    "millions": (2e6, 1e9),
}
_ABOVE = {"over", "more than", "at least", "just over"}
_BELOW = {"nearly", "almost", "just under", "under", "fewer than", "less than"}
_NEAR = {"about", "around", "some", "roughly", "approximately", "an estimated"}
_BOUND = {"up to", "as many as"}
NEAR_TOLERANCE = 0.15


@dataclass(frozen=True, slots=True)
class Stated:
    """One number as an article states it, with the interval of values it allows."""

    article_id: str
    measure: Measure
    text: str
    sentence: str
    low: float
    high: float


def interval(measure: Measure, written: str) -> tuple[float, float]:
    """The values a statement allows, in SI units where it has them."""
    value = measure.si_value if measure.si_value is not None else measure.value
    scale = value / measure.value if measure.value else 1.0
    qualifier = measure.qualifier or ""
    if qualifier in _MAGNITUDES:
        low, high = _MAGNITUDES[qualifier]
        return low * scale, high * scale
    if qualifier in _ABOVE:
        return value, math.inf
    if qualifier in _BELOW:
        return value * (1 - NEAR_TOLERANCE), value
    if qualifier in _NEAR:
        return value * (1 - NEAR_TOLERANCE), value * (1 + NEAR_TOLERANCE)
    if qualifier in _BOUND and measure.unit == "count":
        return 0.0, value  # "up to 100,000 soldiers"; "a range of up to 300km" is a range
    half = _rounding(written) * scale
    return value - half, value + half


def _rounds_to(source: Measure, target: Measure, written_target: str) -> bool:
    """Whether `target` is `source` converted and rounded the way the writer wrote it:
    300 km is 186.4 miles, and "(190 miles)" rounds it to the ten, as editors do."""
    if source.si_value is None or target.si_value is None or not target.value:
        return False
    exact = source.si_value / (target.si_value / target.value)  # source in target's unit
    step = _written_step(written_target)
    return abs(round(exact / step) * step - target.value) < step / 2


def _written_step(written: str) -> float:
    """The place of the last significant digit written: "190" 10, "186" 1, "1.5" 0.1."""
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", written)
    if digits is None:
        return 1.0
    if digits.group(1):
        return 10.0 ** -len(digits.group(1))
    whole = digits.group(0).replace(",", "")
    zeros = len(whole) - len(whole.rstrip("0"))
    return 10.0 ** min(zeros, len(whole) - 1)


def _rounding(written: str) -> float:
    """Half a unit of the last written digit: "300" ±0.5, "56.799" ±0.0005."""
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", written)
    if digits is None:
        return 0.5
    decimals = len(digits.group(1) or "")
    return 0.5 / 10.0**decimals


def measure_key(measure: Measure) -> tuple[str, str] | None:
    """What a number is about, for comparing: (dimension, thing). None when unknown."""
    if not measure.about:
        return None
    dimension = measure.si_unit or measure.unit
    words = measure.about.lower().split()
    head = re.sub(r"s$", "", words[-1]) if words else ""
    return dimension, SYNONYMS.get(head, head)


def find_discrepancies(docs: Sequence[Annotated], story: Story) -> Story:
    """The story's quantities, and the discrepancies among them."""
    members = originals(docs, story)  # a copy states what its original states
    quantities: list[Quantity] = []
    stated: list[Stated] = []
    internal: list[Discrepancy] = []
    for doc in members:
        text = doc.article.text
        for measure in doc.quantities:
            written = measure.span.of(text)
            quantities.append(
                Quantity(
                    written,
                    measure.value,
                    measure.unit,
                    doc.id,
                    measure.si_value,
                    measure.si_unit,
                    measure.about,
                )
            )
            if measure.converts is not None:
                original = doc.quantities[measure.converts]
                problem = _inconsistent(original, original.span.of(text), measure, written)
                if problem:
                    internal.append(
                        Discrepancy(
                            about=f"{measure.about or 'a value'} (within one article)",
                            values=(
                                DiscrepancyValue(
                                    original.span.of(text), (doc.id,), original.value, original.unit
                                ),
                                DiscrepancyValue(written, (doc.id,), measure.value, measure.unit),
                            ),
                            note=problem,
                        )
                    )
                continue  # a conversion restates its original; compare the original
            low, high = interval(measure, written)
            stated.append(Stated(doc.id, measure, written, _sentence(doc, measure.span), low, high))
    found = [
        dataclasses.replace(
            d,
            values=tuple(
                dataclasses.replace(v, sources=with_copies(v.sources, story)) for v in d.values
            ),
        )
        for d in _across_articles(stated) + internal
    ]  # a copy repeats its original's figures: one discrepancy, every article that has it
    return dataclasses.replace(
        story, quantities=tuple(quantities), discrepancies=tuple(_merge_repeats(found))
    )


def _merge_repeats(found: Sequence[Discrepancy]) -> list[Discrepancy]:
    """One discrepancy stated alike in several articles (a rewrite repeats its source's
    slip) is reported once, with every article that states it."""
    merged: dict[tuple[str, str | None, tuple[str, ...]], Discrepancy] = {}
    for item in found:
        key = (item.about, item.note, tuple(v.text for v in item.values))
        if key not in merged:
            merged[key] = item
            continue
        kept = merged[key]
        merged[key] = dataclasses.replace(
            kept,
            values=tuple(
                dataclasses.replace(v, sources=tuple(sorted({*v.sources, *w.sources})))
                for v, w in zip(kept.values, item.values, strict=True)
            ),
        )
    return list(merged.values())


def _sentence(doc: Annotated, span: Span) -> str:
    for sentence in doc.sentences:
        if sentence.start <= span.start < sentence.end:
            return sentence.of(doc.article.text)
    return span.of(doc.article.text)


def _inconsistent(
    original: Measure, written_original: str, conversion: Measure, written_conversion: str
) -> str | None:
    if original.si_value is None or conversion.si_value is None:
        return None
    a_low, a_high = interval(original, written_original)
    b_low, b_high = interval(conversion, written_conversion)
    if a_low <= b_high and b_low <= a_high:
        return None
    if _rounds_to(original, conversion, written_conversion) or _rounds_to(
        conversion, original, written_original
    ):
        return None
    equals = conversion.si_value / (original.si_value / original.value)
    return (
        f"{written_conversion} = {_short(equals)} {_unit(original.unit)}, "
        f"not {_short(original.value)} {_unit(original.unit)}"
    )


def _across_articles(stated: Sequence[Stated]) -> list[Discrepancy]:
    """Statements about the same thing in different articles whose intervals do not meet."""
    by_key: dict[tuple[str, str], list[Stated]] = {}
    for item in stated:
        key = measure_key(item.measure)
        if key is not None:
            by_key.setdefault(key, []).append(item)
    out = []
    for (_, thing), items in sorted(by_key.items()):
        if len({i.article_id for i in items}) < 2:
            continue
        # counts of one thing are compared claim by claim ("six missiles" fired and "two of
        # the missiles" downed are two claims); a measure names what it measures
        for claim in _same_claim(items) if items[0].measure.unit == "count" else [list(items)]:
            groups = _compatible_groups(claim)
            if len(groups) < 2:
                continue
            values = tuple(
                DiscrepancyValue(
                    text=" / ".join(sorted({i.text for i in group})),
                    sources=tuple(sorted({i.article_id for i in group})),
                    value=group[0].measure.value,
                    unit=group[0].measure.unit,
                )
                for group in groups
            )
            out.append(Discrepancy(about=thing, values=values, note=_note(groups)))
    return out


def _same_claim(items: Sequence[Stated]) -> list[list[Stated]]:
    """Counts grouped by the claim their sentences tell (linked by paraphrase): "twelve
    people died" is compared with "14 people were killed", never with "90,000 people"
    drinking the reservoir's water."""
    pairs = similar_pairs(
        [i.sentence for i in items], RELATED_THRESHOLD, [i.article_id for i in items]
    )
    parent = list(range(len(items)))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for i, j, _ in pairs:
        parent[root(j)] = root(i)
    linked: dict[int, list[Stated]] = {}
    for k in sorted({k for i, j, _ in pairs for k in (i, j)}):
        linked.setdefault(root(k), []).append(items[k])
    return list(linked.values())


def _compatible_groups(items: Sequence[Stated]) -> list[list[Stated]]:
    """Values grouped while they meet; more than one group means a disagreement."""
    groups: list[list[Stated]] = []
    for item in sorted(items, key=lambda i: (i.low, i.high)):
        for group in groups:
            if all(item.low <= g.high and g.low <= item.high for g in group):
                group.append(item)
                break
        else:
            groups.append([item])
    return groups


def _note(groups: Sequence[Sequence[Stated]]) -> str:
    values = [g[0] for g in groups]
    if len(values) == 2 and not any(v.measure.qualifier in _MAGNITUDES for v in values):
        a, b = values
        base_a = a.measure.si_value or a.measure.value
        base_b = b.measure.si_value or b.measure.value
        if base_a:
            return f"{b.text} differs from {a.text} by {abs(base_b - base_a) / base_a:.1%}"
    return "the values stated cannot all be true"


def _short(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"


def _unit(unit: str) -> str:
    return {"kilometer": "km", "mile": "mi", "meter": "m", "foot": "ft"}.get(unit, unit)


def discrepancies_stage(
    docs: Sequence[Annotated], story: Story
) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's quantities and discrepancies."""
    return docs, find_discrepancies(docs, story)
