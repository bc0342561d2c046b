"""Numbers with what they count or measure, normalised with pint.

Why not quantulum3: on news copy it reads "10,000" without what is counted, takes dates
("19", "2024") for quantities and "A Trump" for a unit. The quantities that matter in
news are few in kind — distances, money, percentages, counts of people and things — so
a small grammar finds them with their qualifier ("over", "up to", "nearly"), the noun
they count, and a conversion in brackets ("300km (186 miles)"); pint does the units.
Numbers inside dates, times of day, model names ("F-16") and years are not quantities.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from newsparallax.model import Annotated, Measure, Span

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12, "dozens": 24,
    "hundreds": 100, "thousands": 1000, "tens of thousands": 10000,
    "hundreds of thousands": 100000, "millions": 1000000,
}  # fmt: skip
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}
# Units as written -> pint unit names; money has no SI unit and keeps its currency.
UNITS = {
    "km": "kilometer", "kilometre": "kilometer", "kilometres": "kilometer",
    "kilometer": "kilometer", "kilometers": "kilometer", "mile": "mile", "miles": "mile",
    "mi": "mile", "metre": "meter", "metres": "meter", "meter": "meter", "meters": "meter",
    "m": "meter", "feet": "foot", "foot": "foot", "ft": "foot", "kg": "kilogram",
    "kilogram": "kilogram", "kilograms": "kilogram", "tonne": "metric_ton",
    "tonnes": "metric_ton", "ton": "metric_ton", "tons": "metric_ton",
    "%": "percent", "percent": "percent", "per cent": "percent",
}  # fmt: skip
CURRENCIES = {
    "€": "EUR",
    "$": "USD",
    "£": "GBP",
    "euro": "EUR",
    "euros": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "crowns": "crowns",
    "roubles": "RUB",
    "rubles": "RUB",
    "hryvnias": "UAH",
}
QUALIFIERS = (
    "more than",
    "fewer than",
    "less than",
    "at least",
    "up to",
    "as many as",
    "an estimated",
    "over",
    "nearly",
    "almost",
    "about",
    "around",
    "some",
    "roughly",
    "approximately",
    "under",
    "just over",
    "just under",
)
# Nouns that name what a distance, a sum or a share measures, looked for just before it.
MEASURE_NOUNS = (
    "range",
    "distance",
    "length",
    "height",
    "depth",
    "width",
    "altitude",
    "speed",
    "aid",
    "budget",
    "cost",
    "price",
    "loan",
    "deal",
    "rise",
    "offer",
    "increase",
    "share",
    "stake",
    "turnout",
    "inflation",
    "tariff",
    "fine",
    "damage",
    "funding",
    "debt",
    "deficit",
    "pay rise",
)

_NUM = (
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?i:tens of thousands|"
    r"hundreds of thousands|a dozen|dozens|hundreds|thousands|millions|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|eleven|twelve))"
)
_QUAL = rf"(?:(?P<qual>{'|'.join(QUALIFIERS)})\s+)?"
_SCALE = r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn)\b)?"
_UNIT = (
    r"(?P<unit>km|kilomet(?:re|er)s?|miles?|mi|metres?|meters?|m|feet|foot|ft|kg|"
    r"kilograms?|tonnes?|tons?|%|percent|per cent)"
)
_CURRENCY_WORD = r"(?P<curword>euros?|dollars?|pounds?|crowns|roubles|rubles|hryvnias)"
_NOUN_PHRASE = (
    r"(?P<np>(?:[A-Z][\w’'-]*\s+|[a-z][a-z-]+\s+){0,3}?(?P<noun>[a-z][a-z-]*s|people|"
    r"children|men|women|police|personnel|staff|livestock|cattle))\b"
)

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("money", re.compile(rf"(?<![\w.-]){_QUAL}(?P<cur>[€$£])\s?{_NUM}{_SCALE}", re.IGNORECASE)),
    ("money", re.compile(rf"(?<![\w.-]){_QUAL}{_NUM}{_SCALE}\s+{_CURRENCY_WORD}\b", re.IGNORECASE)),
    (
        "measure",
        re.compile(rf"(?<![\w.-]){_QUAL}{_NUM}{_SCALE}[\s-]?{_UNIT}(?![\w])", re.IGNORECASE),
    ),
    (
        "ordinal",
        re.compile(
            r"(?<![\w.-])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\s+(?P<noun>day|week|month|"
            r"year|anniversary|time)\b"
        ),
    ),
    (
        "count",
        re.compile(rf"(?<![\w.-])(?i:{_QUAL}){_NUM}{_SCALE}\s+(?:of\s+(?:the\s+)?)?{_NOUN_PHRASE}"),
    ),
)
_NOT_PLURAL = frozenset(
    "is was has its this us his hers yours ours theirs does says goes "
    "was less unless across plus thus chaos news series species".split()
)
# Spans of time are durations, not quantities ("two months", "24 hours").
_TIME_UNITS = frozenset(
    "seconds minutes hours days weeks months years decades centuries nights mornings".split()
)
_TIME_OF_DAY = re.compile(r"^\s*(?:[ap]\.?m\.?|o['’]clock|GMT|UTC)", re.IGNORECASE)

UnitConverter = Callable[[float, str], tuple[float, str] | None]


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str
    span: Span
    groups: dict[str, str | None]


def find_quantities(docs: Sequence[Annotated], convert: UnitConverter) -> list[Annotated]:
    """Assign `quantities` to each article. Requires `times` (dates are not quantities)."""
    return [dataclasses.replace(doc, quantities=tuple(measures(doc, convert))) for doc in docs]


def measures(doc: Annotated, convert: UnitConverter) -> list[Measure]:
    text = doc.article.text
    blocked = [t.span for t in doc.times]
    hits: list[_Hit] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            span = Span(match.start(), match.end())
            number = Span(match.start("num"), match.end("num"))
            if any(number.start < b.end and b.start < number.end for b in blocked):
                continue  # part of a date or a duration
            if any(span.start < h.span.end and h.span.start < span.end for h in hits):
                continue
            groups = match.groupdict()
            if kind == "count" and not _is_count(groups):
                continue
            if _TIME_OF_DAY.match(text, span.end) or _is_year(groups, kind):
                continue
            hits.append(_Hit(kind, span, groups))
    hits.sort(key=lambda h: h.span)
    out: list[Measure] = []
    for hit in hits:
        measure = _measure(text, hit, convert)
        if measure is None:
            continue
        if out and _converts(text, out[-1], measure):
            measure = dataclasses.replace(measure, converts=len(out) - 1, about=out[-1].about)
        out.append(measure)
    return out


def _is_count(groups: dict[str, str | None]) -> bool:
    noun = (groups.get("noun") or "").lower()
    return (
        bool(noun)
        and noun not in _NOT_PLURAL
        and noun not in _TIME_UNITS
        and not noun.endswith("ss")
    )


def _is_year(groups: dict[str, str | None], kind: str) -> bool:
    raw = (groups.get("num") or "").replace(",", "")
    return kind == "count" and raw.isdigit() and len(raw) == 4 and 1800 <= int(raw) <= 2100


def _number(groups: dict[str, str | None]) -> float | None:
    raw = (groups.get("num") or "").lower()
    if raw in WORD_NUMBERS:
        value = float(WORD_NUMBERS[raw])
    else:
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            return None
    scale = (groups.get("scale") or "").lower()
    return value * SCALES.get(scale, 1.0)


def _measure(text: str, hit: _Hit, convert: UnitConverter) -> Measure | None:
    g = hit.groups
    value = _number(g)
    if value is None:
        return None
    qualifier = (g.get("qual") or "").lower() or None
    raw = (g.get("num") or "").lower()
    if raw in {
        "dozens",
        "hundreds",
        "thousands",
        "millions",
        "tens of thousands",
        "hundreds of thousands",
    }:
        qualifier = raw  # "thousands of troops": a magnitude, not a number
    about: str | None = None
    si: tuple[float, str] | None = None
    if hit.kind == "money":
        unit = CURRENCIES.get((g.get("cur") or g.get("curword") or "").lower(), "money")
        about = _measure_noun(text, hit.span)
    elif hit.kind == "measure":
        written = (g.get("unit") or "").lower()
        unit = UNITS.get(written, written)
        si = convert(value, unit)
        about = _measure_noun(text, hit.span)
    elif hit.kind == "ordinal":
        unit = "ordinal"
        about = (g.get("noun") or "").lower()
    elif (g.get("noun") or "").lower() in UNITS:  # "hundreds of miles": a distance
        unit = UNITS[(g.get("noun") or "").lower()]
        si = convert(value, unit)
        about = _measure_noun(text, hit.span)
    else:
        unit = "count"
        about = " ".join((g.get("np") or "").split())
    return Measure(
        span=hit.span,
        value=value,
        unit=unit,
        si_value=si[0] if si else None,
        si_unit=si[1] if si else None,
        about=about,
        qualifier=qualifier,
    )


def _measure_noun(text: str, span: Span) -> str | None:
    """What a distance, a sum or a share measures: a dimension adjective or measure noun
    right after it ("60 m tall", "a 9 percent pay rise"), else the nearest measure noun
    before it ("a range of up to 300km")."""
    after = _AFTER_MEASURE.match(text, span.end)
    if after:
        word = after.group(1).lower()
        return _DIMENSIONS.get(word, word)
    window = text[max(0, span.start - 60) : span.start]
    found = list(_BEFORE_MEASURE.finditer(window))  # whole words: "aid" is not in "said"
    return found[-1].group(1).lower() if found else None


_DIMENSIONS = {
    "tall": "height",
    "high": "height",
    "long": "length",
    "wide": "width",
    "deep": "depth",
}
_BEFORE_MEASURE = re.compile(
    rf"\b({'|'.join(sorted(MEASURE_NOUNS, key=len, reverse=True))})(?:s|es|ed|ing)?\b",
    re.IGNORECASE,
)
_MEASURE_WORDS = "|".join(sorted([*_DIMENSIONS, *MEASURE_NOUNS], key=len, reverse=True))
_AFTER_MEASURE = re.compile(rf"\s+(?:[a-z]+\s+){{0,2}}({_MEASURE_WORDS})\b", re.IGNORECASE)


def _converts(text: str, previous: Measure, current: Measure) -> bool:
    """ "300km (186 miles)": a measure in brackets right after another converts it."""
    between = text[previous.span.end : current.span.start]
    return (
        between.strip() == "("
        and previous.si_unit is not None
        and (previous.si_unit == current.si_unit)
    )


def pint_converter() -> UnitConverter:
    """Units to SI with pint, built once (pint's registry takes a tenth of a second)."""
    import pint

    registry: Any = pint.UnitRegistry()

    def convert(value: float, unit: str) -> tuple[float, str] | None:
        if unit == "percent":
            return value, "percent"
        try:
            quantity = (value * registry(unit)).to_base_units()
        except (pint.errors.UndefinedUnitError, pint.errors.DimensionalityError, AttributeError):
            return None
        return float(quantity.magnitude), str(quantity.units)

    return convert
