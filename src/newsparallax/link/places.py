"""Toponyms resolved against the gazetteer, story by story, and the story's places.

A name can be several places ("Odessa" is a port in Ukraine and a city in Texas).
The story decides: candidates in a country the story speaks of win, then the kind the
text asks for (a "region" after the name), then the larger place. A name spaCy took
for a person ("Kyiv") is a place when the gazetteer knows a large place by it and the
article names no person so.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Sequence

from newsparallax.extract.places import is_metonymy, names_a_region
from newsparallax.geo import GeoName
from newsparallax.model import Annotated, Mention, MentionType, Place, Span, Story, Toponym

Lookup = Callable[[str], list[GeoName]]
# A single-word "person" is taken for a place when a place this large bears the name.
PERSON_AS_PLACE_MIN_POPULATION = 1_000_000
# After "in", "into", "near" …, any town the gazetteer holds (15,000 people or more) will do;
# a capitalised name with no such word before it must be a larger place.
LOCATIVE_MIN_POPULATION = 15_000
SPOTTED_MIN_POPULATION = 100_000
SENTENCE_START_MIN_POPULATION = 1_000_000
_LOCATIVE = re.compile(
    r"\b(?:in|into|near|to|from|at|outside|inside|across|around|over|of|toward|towards|"
    r"beyond|through)\s+$",
    re.I,
)
# Before a bare region name: a preposition of place, or a town and a comma ("Odessa, Texas").
_REGION_CONTEXT = re.compile(
    r"(?:\b(?:in|into|near|to|from|at|outside|inside|across|around|toward|towards)\s+|"
    r"[A-Z][\w’'-]+,\s+)$"
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z’'-]+(?:[ -][A-Z][a-z’'-]+){0,2}\b")
_POSSESSIVE = re.compile(r"['’]s?$")
_REGION_SUFFIX = re.compile(r"\s+(?:region|oblast|province|district|governorate)$", re.I)


def locate_places(
    docs: Sequence[Annotated], story: Story, lookup: Lookup
) -> tuple[list[Annotated], Story]:
    """Resolve the place names of a story's articles; set `toponyms` and the story's `places`.

    Names the NER missed are added as mentions first (`spot_places`).
    """
    members = [i for i, d in enumerate(docs) if d.id in set(story.article_ids)]
    docs = [spot_places(d, lookup) if i in members else d for i, d in enumerate(docs)]
    candidates: dict[tuple[int, int], tuple[str, list[GeoName], bool]] = {}
    for d in members:
        doc = docs[d]
        people = _person_words(doc)
        for m, mention in enumerate(doc.mentions):
            name = _place_name(doc.article.text, mention)
            region = names_a_region(doc.article.text, mention.span) or bool(
                _REGION_SUFFIX.search(mention.span.of(doc.article.text))
            )
            if mention.type is MentionType.PLACE:
                # regions named like common words ("Western", "South") need the text's say-so
                found = [
                    g
                    for g in lookup(name)
                    if g.kind != "region"
                    or region
                    or _REGION_CONTEXT.search(
                        doc.article.text, max(0, mention.span.start - 12), mention.span.start
                    )
                ]
            elif mention.type is not MentionType.GROUP and " " not in name and name not in people:
                found = _mistyped_place(doc.article.text, mention, lookup(name), region)
            else:
                continue
            if found or mention.type is MentionType.PLACE:
                candidates[(d, m)] = (name, found, region)
    context = _story_countries(candidates.values())
    out = list(docs)
    places: dict[tuple[str, str], tuple[GeoName, set[str]]] = {}
    for d in members:
        doc = docs[d]
        toponyms = []
        mentions = list(doc.mentions)
        for m, mention in enumerate(doc.mentions):
            if (d, m) not in candidates:
                continue
            name, found, region = candidates[(d, m)]
            chosen = choose(found, context, region)
            metonymy = is_metonymy(doc.article.text, mention.span)
            if chosen is not None and mention.type is not MentionType.PLACE:
                mentions[m] = dataclasses.replace(mention, type=MentionType.PLACE)
            toponyms.append(
                Toponym(
                    span=mention.span,
                    lat=chosen.lat if chosen else None,
                    lon=chosen.lon if chosen else None,
                    geonameid=chosen.geonameid if chosen else None,
                    metonymy=metonymy,
                    name=chosen.name if chosen else name,
                    country=chosen.country if chosen else None,
                    kind=chosen.kind if chosen else None,
                )
            )
            if chosen is not None and not metonymy:
                key = (chosen.name, chosen.country)
                places.setdefault(key, (chosen, set()))[1].add(doc.id)
        out[d] = dataclasses.replace(doc, mentions=tuple(mentions), toponyms=tuple(toponyms))
    story_places = tuple(
        sorted(
            (
                Place(g.name, g.lat, g.lon, tuple(sorted(ids)), g.country, g.kind)
                for g, ids in places.values()
            ),
            key=lambda p: (-len(p.article_ids), p.name),
        )
    )
    return out, dataclasses.replace(story, places=story_places)


def spot_places(doc: Annotated, lookup: Lookup) -> Annotated:
    """Add the place names the NER missed ("Kyiv said …", "from Dover to Calais").

    A capitalised name that no mention covers becomes a PLACE mention when the gazetteer
    knows it and the text makes it likely: a country always; a region when the text says
    "region" or puts a locative preposition before it; a town after such a preposition, or
    a city of SPOTTED_MIN_POPULATION (SENTENCE_START_MIN_POPULATION at a sentence start).
    """
    text = doc.article.text
    taken = [m.span for m in doc.mentions]
    added = []
    for match in _CAPITALISED.finditer(text):
        span = Span(match.start(), match.end())
        if any(span.start < t.end and t.start < span.end for t in taken):
            continue
        found = lookup(match.group())
        if not found:
            continue
        if any(_likely_place(text, span, g) for g in found):
            added.append(Mention(span, MentionType.PLACE))
    if not added:
        return doc
    return dataclasses.replace(
        doc, mentions=tuple(sorted([*doc.mentions, *added], key=lambda m: m.span))
    )


def _likely_place(text: str, span: Span, place: GeoName) -> bool:
    """Whether a capitalised name the NER skipped is this place (see `spot_places`)."""
    if place.kind == "country":
        return True
    after_preposition = bool(_LOCATIVE.search(text, max(0, span.start - 12), span.start))
    if place.kind == "region":  # "Western", "South": regions named like common words
        return bool(_REGION_CONTEXT.search(text, max(0, span.start - 12), span.start)) or (
            names_a_region(text, span)
        )
    if after_preposition:
        return place.population >= LOCATIVE_MIN_POPULATION
    before = text[: span.start].rstrip()
    sentence_start = not before or before[-1] in '.!?“"\n'
    # "Reading the report, …": a word that opens a sentence must name a very large place
    return place.population >= (
        SENTENCE_START_MIN_POPULATION if sentence_start else SPOTTED_MIN_POPULATION
    )


def choose(found: Sequence[GeoName], context: set[str], region: bool) -> GeoName | None:
    """The candidate the story most likely means (see module docstring)."""
    if not found:
        return None

    def score(place: GeoName) -> float:
        value = math.log10(max(place.population, 1)) / 10
        if place.kind == "country":
            value += 3
        if region:
            value += 4 if place.kind == "region" else 0
        elif place.kind == "region":
            value -= 0.5  # a bare name is the city before the region named after it
        if place.country in context:
            value += 2
        return value

    return max(found, key=lambda p: (score(p), p.name, p.country))


def _story_countries(candidates: Iterable[tuple[str, list[GeoName], bool]]) -> set[str]:
    """Countries the story names outright, or whose places it names without ambiguity."""
    out: set[str] = set()
    for _, found, _ in candidates:
        countries = {g.country for g in found}
        if any(g.kind == "country" for g in found) or len(countries) == 1:
            out |= countries
    return out


def _place_name(text: str, mention: Mention) -> str:
    name = _POSSESSIVE.sub("", mention.span.of(text)).strip()
    return _REGION_SUFFIX.sub("", name)


def _person_words(doc: Annotated) -> set[str]:
    """Words of the multi-word person names in an article: "Jordan" when it names Michael Jordan."""
    words: set[str] = set()
    for mention in doc.mentions:
        text = mention.span.of(doc.article.text)
        if mention.type is MentionType.PERSON and " " in text:
            words |= set(text.split())
    return words


def _mistyped_place(
    text: str, mention: Mention, found: list[GeoName], region: bool
) -> list[GeoName]:
    """Places a name spaCy typed otherwise may be ("Kursk" as a PRODUCT, "Kyiv" as a PERSON).

    Taken when the text says it is a region ("the Kursk region"), when a locative
    preposition comes before it ("troops in Kursk") and the place is a town of some size,
    or when the place is so large that the name is first of all that place.
    """
    if region:
        return [g for g in found if g.kind == "region"]
    if _LOCATIVE.search(text, max(0, mention.span.start - 12), mention.span.start):
        return [g for g in found if g.kind != "city" or g.population >= LOCATIVE_MIN_POPULATION]
    return [
        g for g in found if g.kind == "country" or g.population >= PERSON_AS_PLACE_MIN_POPULATION
    ]


def locate_places_stage(
    docs: Sequence[Annotated], story: Story, *, lookup: Lookup
) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's toponyms and places."""
    return locate_places(docs, story, lookup)
