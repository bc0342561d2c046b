"""Toponyms resolved against the gazetteer, story by story, and the story's places.

A name can be several places ("Odessa" is a port in Ukraine and a city in Texas).
The story decides: candidates in a country the story speaks of win, then the kind the
text asks for (a "region" after the name), then the larger place. A name spaCy took
for a person ("Kyiv") is a place when the gazetteer knows a large place by it and the
article names no person so.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from newsparallax.extract.places import is_metonymy, names_a_region
from newsparallax.extract.times import MONTHS, WEEKDAYS
from newsparallax.geo import ABBREVIATIONS, GeoName, fold_place
from newsparallax.ingest.metadata import outlet_of_address
from newsparallax.model import Annotated, Mention, MentionType, Place, Span, Story, Toponym

Lookup = Callable[[str], list[GeoName]]
# A single-word "person" is taken for a place when a place this large bears the name.
PERSON_AS_PLACE_MIN_POPULATION = 1_000_000
# After "in", "into", "near" …, any town the gazetteer holds (15,000 people or more) will do;
# a capitalised name with no such word before it must be a larger place.
LOCATIVE_MIN_POPULATION = 15_000
SPOTTED_MIN_POPULATION = 100_000
SENTENCE_START_MIN_POPULATION = 1_000_000
# A town smaller than this is taken only with the text's support (a state or country it
# names, a qualifier, the outlet's country): most such names are also words or features.
UNSUPPORTED_MIN_POPULATION = 5_000
_NONE: frozenset[str] = frozenset()
# An article that names more first-level divisions of a country than this is not local.
LOCAL_DIVISIONS = 2
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
# A locative preposition and a list of names before this one: "in Hilversum and Almelo",
# "stores in Zilina, Nitra, Presov and Kosice", "between Coggeshall and Marks Tey".
_UPPER = "A-Z\u00c0-\u00de\u0100-\u017f"
_LIST_ITEM = rf"[{_UPPER}][\w’'.-]*(?:\s+[{_UPPER}][\w’'.-]*){{0,3}}"
_LOCATIVE_LIST = re.compile(
    r"\b(?:in|into|near|to|from|at|outside|inside|across|around|toward|towards|through|"
    rf"between)\s+(?:{_LIST_ITEM}(?:,\s+|,?\s+(?:and|or)\s+))+$"
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z’'-]+(?:[ -][A-Z][a-z’'-]+){0,2}\b")
# A dateline: a paragraph (or a sentence, where a byline ran into it) that opens with a
# place in capitals, then a state, an agency or a dash ("WASHINGTON —", "SAN DIEGO (AP) -").
_DATELINE = re.compile(
    r"(?m)(?:^\s*|(?<=[.!?] ))([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2})"
    r"(?=\s*(?:,|\(|[-—–])|\s+[A-Z][a-z])"
    # or anywhere before an agency's name in brackets, as after a byline ("… Associated
    # Press WASHINGTON (AP) —")
    r"|\b([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2})(?= \((?:AP|Reuters|AFP|UPI|CNN)\))"
)
_DIRECTION_BEFORE = re.compile(
    r"^(?:(?:north|south|east|west|northern|southern|eastern|western|central|rural|downtown)"
    r"[ -])+(?=[A-Z])"
)
# "West Wales", "South Venezuela", "Western US": a part of a country or division the
# gazetteer has no name for is drawn at the whole ("South Africa" and "West Virginia" are
# names it has)
_PART_OF = re.compile(
    r"^(?:(?:North|South|East|West)(?:ern)?[ -]+|Central |Upper |Lower )+(?=[A-Z])"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_REGION_SUFFIX = re.compile(r"\s+(?:region|oblast|province|district|governorate|state)$", re.I)
# Division names that are also words of direction or position ("Western", "North West",
# "Central"): such a name is a division only where the text says so.
_GENERIC_REGION = re.compile(
    r"^(?:(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Centre|Center|"
    r"(?:North|South)(?:east|west)(?:ern)?|"
    r"Upper|Lower|Middle|Capital|Coast|Islands?|Mountains?|Valley|Lakes?|Plains?|Gulf|Bay|"
    r"Sea|Ocean|Atlantic|Pacific|Grand|Great|River|Harbou?r|Park|Hills?|Springs?)\b\s*)+$"
)
# ", Ga." / ", Texas" / ", MD" after a place name.
_QUALIFIER = re.compile(r",\s+((?:[A-Z][a-z]*\.){1,3}|[A-Z]{2}\b|[A-Z][a-z]+(?: [A-Z][a-z]+)?)")
# Country-code domains used worldwide for other reasons than the country.
_GENERIC_TLDS = frozenset({"CO", "IO", "TV", "ME", "LY", "FM", "AI", "GG", "CC", "WS", "NU", "TO"})


class PlaceIndex(Protocol):
    """What the stage needs of a gazetteer (`geo.Gazetteer` is one)."""

    def __getitem__(self, name: str) -> list[GeoName]: ...

    def qualifier(self, name: str) -> GeoName | None: ...

    def demonym(self, word: str) -> GeoName | None: ...


@dataclass(frozen=True, slots=True)
class Context:
    """What the text says about where it is: countries and divisions it names unambiguously,
    a qualifier after the name ("Athens, Ga."), the outlet's country (its web domain)."""

    countries: frozenset[str] = frozenset()
    # (country, first- or second-level division) -> the folded names that name it
    divisions: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    counties: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    outlet_country: str | None = None


def locate_places(
    docs: Sequence[Annotated], story: Story, gazetteer: PlaceIndex
) -> tuple[list[Annotated], Story]:
    """Resolve the place names of a story's articles; set `toponyms` and the story's `places`.

    Names the NER missed are added as mentions first (`spot_places`). Each name is then
    resolved twice over: the article's own context (the places it names without
    ambiguity, its qualifiers, its outlet's country) first, the story's countries after.
    """
    lookup = gazetteer.__getitem__
    in_story = set(story.article_ids)
    members = [i for i, d in enumerate(docs) if d.id in in_story]
    docs = [spot_places(d, lookup) if d.id in in_story else d for d in docs]
    candidates: dict[tuple[int, int], tuple[str, list[GeoName], bool, GeoName | None]] = {}
    demonyms: set[tuple[int, int]] = set()
    organisations: set[tuple[int, int]] = set()  # places the NER took for organisations
    for d in members:
        doc = docs[d]
        people = _person_words(doc)
        as_places = _names_as_places(doc.article.text, doc.mentions)
        for m, mention in enumerate(doc.mentions):
            name = _place_name(doc.article.text, mention)
            part_of = _PART_OF.sub("", name)
            if (
                mention.type is MentionType.PLACE
                and part_of != name
                and not lookup(name)
                and any(g.kind in ("country", "region") for g in lookup(part_of))
            ):
                name = part_of  # not a continent: "North Africa" is not at Africa's middle
            region = names_a_region(doc.article.text, mention.span) or bool(
                _REGION_SUFFIX.search(mention.span.of(doc.article.text))
            )
            if mention.type is MentionType.PLACE:
                # regions named like common words ("Western", "South") need the text's say-so
                found = [
                    g
                    for g in lookup(name)
                    if g.kind not in ("region", "county")
                    or region
                    or not _GENERIC_REGION.match(name)
                    or _REGION_CONTEXT.search(
                        doc.article.text, max(0, mention.span.start - 12), mention.span.start
                    )
                ]
            elif mention.type is MentionType.GROUP and (named := gazetteer.demonym(name)):
                found = [named]
                demonyms.add((d, m))  # "Turkish troops", "European leaders"
            elif mention.type is not MentionType.PERSON and (
                landmarks := [g for g in lookup(name) if g.kind == "landmark"]
            ):
                found = landmarks  # "the Kremlin said": the place acting, off the map
                if mention.type is MentionType.ORG:
                    organisations.add((d, m))
            elif " " in name:  # "Tamil Nadu" as a person, "the Holy See" as an organisation
                found = [g for g in lookup(name) if g.kind in ("country", "region", "county")]
                if not found and _after_locative(doc.article.text, mention.span.start):
                    # "their honeymoon to Great Yarmouth"
                    found = _mistyped_place(doc.article.text, mention, lookup(name), region)
            elif fold_place(name) in as_places and name not in people:
                # one sense per article: "Rajasthan" typed a person once, "Karnataka" an
                # organisation (but not "Jordan" where Michael Jordan is named); what the
                # organisation's name says of it is the place acting, as "Moscow said"
                found = lookup(name)
                if mention.type is MentionType.ORG:
                    organisations.add((d, m))
            elif name not in people:
                found = _mistyped_place(doc.article.text, mention, lookup(name), region)
            else:
                continue
            if found or mention.type is MentionType.PLACE:
                qualifier = _qualifier(doc.article.text, mention.span, gazetteer)
                candidates[(d, m)] = (name, found, region, qualifier)
    by_article: dict[int, list[tuple[int, int]]] = {d: [] for d in members}
    for key in candidates:
        by_article[key[0]].append(key)
    outlets = {d: _outlet_country(docs[d].article.source) for d in members}
    # first pass: each name in the light of the countries its article names outright, its
    # qualifier and its outlet; the second pass adds the divisions the first pass found
    first: dict[tuple[int, int], GeoName | None] = {}
    for d in members:
        said = _named_places((*candidates[k][:2], None, None) for k in by_article[d])
        outright = Context(said.countries, outlet_country=outlets[d])
        for key in by_article[d]:
            name, found, region, qualifier = candidates[key]
            first[key] = choose_with_reason(found, outright, region, qualifier, name=name)[0]
    story_context = _named_places((c[0], c[1], first[key], c[3]) for key, c in candidates.items())
    out = list(docs)
    places: dict[tuple[str, str, str], tuple[GeoName, set[str]]] = {}
    for d in members:
        doc = docs[d]
        own = [(*candidates[k][:2], first[k], candidates[k][3]) for k in by_article[d]]
        context = dataclasses.replace(_named_places(own), outlet_country=outlets[d])
        toponyms = []
        mentions = list(doc.mentions)
        listed = _listed_with_divisions(doc, by_article[d], first)
        for m, mention in enumerate(doc.mentions):
            if (d, m) not in candidates:
                lead = _place_leading(doc.article.text, mention, lookup, as_places)
                if lead is not None:  # "Winnipeg Jets": the place its name begins with
                    found = lookup(lead.of(doc.article.text))
                    chosen, reason = choose_with_reason(found, context, story=story_context)
                    if chosen is not None:
                        toponyms.append(
                            _toponym(lead, chosen, name=None, reason=reason, embedded=True)
                        )
                continue
            name, found, region, qualifier = candidates[(d, m)]
            lead = None
            if not found and mention.type is MentionType.PLACE:
                # "Colchester General Hospital", "the Delft police station": a building is
                # in the town its name begins with
                lead = _place_leading(doc.article.text, mention, lookup, as_places, _FACILITY)
                if lead is not None:
                    name, found = lead.of(doc.article.text), lookup(lead.of(doc.article.text))
            chosen, reason = choose_with_reason(
                found, context, region, qualifier, story_context, name, (d, m) in listed
            )
            if chosen is not None and lead is not None:
                reason = f"named after {chosen.name}; {reason}"
            demonym = (d, m) in demonyms
            metonymy = not demonym and (
                (d, m) in organisations or is_metonymy(doc.article.text, mention.span)
            )  # an organisation named by a place stands for an actor, like "Moscow said"
            if chosen is not None and not demonym and mention.type is not MentionType.PLACE:
                mentions[m] = dataclasses.replace(mention, type=MentionType.PLACE)
            toponyms.append(
                _toponym(
                    mention.span,
                    chosen,
                    name=name,
                    reason=f"the adjective of {chosen.name}" if demonym and chosen else reason,
                    metonymy=metonymy,
                    demonym=demonym,
                )
            )
            if chosen is not None and not metonymy and not demonym:
                where = (chosen.name, chosen.country, chosen.kind)
                places.setdefault(where, (chosen, set()))[1].add(doc.id)
        out[d] = dataclasses.replace(doc, mentions=tuple(mentions), toponyms=tuple(toponyms))
    story_places = tuple(
        sorted(
            (
                Place(g.name, g.lat, g.lon, tuple(sorted(ids)), g.country or None, g.kind)
                for g, ids in places.values()
            ),
            key=lambda p: (-len(p.article_ids), p.name),
        )
    )
    return out, dataclasses.replace(story, places=story_places)


def spot_places(doc: Annotated, lookup: Lookup) -> Annotated:
    """Add the place names the NER missed ("Kyiv said …", "from Dover to Calais").

    A dateline's place in capitals ("SAN DIEGO —") is taken when it is a town of
    LOCATIVE_MIN_POPULATION or more, a division or a country.
    A capitalised name that no mention covers becomes a PLACE mention when the gazetteer
    knows it and the text makes it likely: a country always; a region when the text says
    "region" or puts a locative preposition before it; a town after such a preposition, or
    a city of SPOTTED_MIN_POPULATION (SENTENCE_START_MIN_POPULATION at a sentence start);
    a town of any size followed by the division it lies in ("Croft, Yorkshire"); a name
    the NER took for a place elsewhere in the article (one sense per article). A month's
    or weekday's name ("in March") is a town only with its division after it.
    A state's or province's abbreviation after a place ("KINGSTON, Ont.") is one too.
    """
    text = doc.article.text
    kept = _joined_by_and(
        text, [part for m in doc.mentions for part in _split_joined(text, m, lookup)], lookup
    )
    taken = bytearray(len(text))  # the characters a mention covers
    for m in kept:
        taken[m.span.start : m.span.end] = b"\x01" * (m.span.end - m.span.start)
    # one sense per article: a name the NER took for a place here is one where it missed it
    # (not a name it also gives a person, "Noma said", nor one like "Centre" or "West",
    # which is a division only where its own sentence says so)
    people = {fold_place(m.span.of(text)) for m in kept if m.type is MentionType.PERSON}
    places_named = _names_as_places(text, kept) - people
    added = []
    for match in _CAPITALISED.finditer(text):
        span = Span(match.start(), match.end())
        if any(taken[span.start : span.end]):
            continue
        named = _named_before(text, span, places_named)
        if named is not None:
            added.append(Mention(named, MentionType.PLACE))
            continue
        found = lookup(match.group())
        if not found:
            continue
        # "in March" is a month, not the Fenland town: a month or a weekday is a place
        # only with its division after it ("March, Cambridgeshire")
        dated = match.group().lower() in MONTHS or match.group().lower() in WEEKDAYS
        if (not dated and any(_likely_place(text, span, g) for g in found)) or _qualified_town(
            text, span, found, lookup
        ):
            added.append(Mention(span, MentionType.PLACE))
    for match in _DATELINE.finditer(text):  # "SAN DIEGO (AP) —": the NER reads capitals badly
        group = 1 if match.group(1) else 2
        span = Span(match.start(group), match.end(group))
        found = lookup(match.group(group))
        if not any(g.kind != "city" or g.population >= LOCATIVE_MIN_POPULATION for g in found):
            continue
        if any(m.type is MentionType.PLACE and m.span == span for m in kept):
            continue
        # its place is where the dateline stands: an overlapping NER guess gives way
        kept = [m for m in kept if not (span.start < m.span.end and m.span.start < span.end)]
        added.append(Mention(span, MentionType.PLACE))
    for span in _abbreviated_qualifiers(text, [*kept, *added]):
        # the NER's guess inside it ("Ont" as a person) gives way, as at a dateline
        kept = [m for m in kept if not (span.start <= m.span.start and m.span.end <= span.end)]
        added.append(Mention(span, MentionType.PLACE))
    if not added and kept == list(doc.mentions):
        return doc
    return dataclasses.replace(doc, mentions=tuple(sorted([*kept, *added], key=lambda m: m.span)))


def _abbreviated_qualifiers(text: str, mentions: list[Mention]) -> list[Span]:
    """ "KINGSTON, Ont.", "Athens, Ga.": a state's or province's abbreviation after a place
    is a place too, where no place mention has it and no longer name runs over it (the
    NER rarely tags one, or tags "Ont" a person: that guess gives way)."""
    out = []
    for mention in mentions:
        after = _QUALIFIER.match(text, mention.span.end)
        if mention.type is not MentionType.PLACE or after is None:
            continue
        span = Span(after.start(1), after.end(1))
        if after.group(1) in ABBREVIATIONS and not any(
            m.type is MentionType.PLACE or m.span.start < span.start or m.span.end > span.end
            for m in mentions
            if m.span.start < span.end and span.start < m.span.end
        ):
            out.append(span)
    return out


def _toponym(
    span: Span,
    chosen: GeoName | None,
    *,
    name: str | None,
    reason: str | None,
    metonymy: bool = False,
    demonym: bool = False,
    embedded: bool = False,
) -> Toponym:
    """The toponym at `span` for the place chosen (none: `name` without a point)."""
    if chosen is None:
        return Toponym(
            span, None, None, name=name, reason=reason, metonymy=metonymy, demonym=demonym
        )
    return Toponym(
        span,
        chosen.lat,
        chosen.lon,
        chosen.geonameid,
        metonymy=metonymy,
        name=chosen.name,
        country=chosen.country or None,
        kind=chosen.kind,
        reason=reason,
        demonym=demonym,
        embedded=embedded,
    )


def _split_joined(text: str, mention: Mention, lookup: Lookup) -> list[Mention]:
    """A place mention the gazetteer does not know that is two it knows, run together
    by the NER: "Thruxton, Hampshire", or a list that lost its comma ("Greece Italy")."""
    name = mention.span.of(text)
    if mention.type is not MentionType.PLACE or lookup(name) or " " not in name:
        return [mention]
    start = mention.span.start
    if ", " in name:
        bounds, offset = [], 0
        for part in name.split(", "):
            bounds.append((offset, offset + len(part)))
            offset += len(part) + 2
        if all(lookup(name[a:b]) for a, b in bounds):
            return [Mention(Span(start + a, start + b), MentionType.PLACE) for a, b in bounds]
        return [mention]
    spaces = [m.start() for m in re.finditer(" ", name)]
    for cut in spaces:
        left, right = name[:cut], name[cut + 1 :]
        if _GENERIC_REGION.match(left):  # "South Venezuela", "West Wales": a part of one
            continue
        if _known_widely(lookup(left)) and _known_widely(lookup(right)):
            return [
                Mention(Span(start, start + cut), MentionType.PLACE),
                Mention(Span(start + cut + 1, mention.span.end), MentionType.PLACE),
            ]
    return [mention]


# " and " and up to three capitalised words after a place name
_AND_NAME = re.compile(r" and [A-Z][\w-]+(?: [A-Z][\w-]+){0,2}")


def _joined_by_and(text: str, mentions: list[Mention], lookup: Lookup) -> list[Mention]:
    """One name of a country or division that holds an "and", which the NER cut short or
    in two: "Trinidad and Tobago" is a country, not Trinidad in Bolivia ("Bosnia and
    Herzegovina", "Turks and Caicos Islands")."""
    out: list[Mention] = []
    joined_to = -1  # the end of the last name joined: mentions inside it are its parts
    for mention in mentions:
        if mention.span.start < joined_to:
            continue
        tail = (
            _AND_NAME.match(text, mention.span.end) if mention.type is MentionType.PLACE else None
        )
        ends = (
            [mention.span.end + m.start() for m in re.finditer(r" |$", tail.group())]
            if tail
            else []
        )
        # the longest name first; " and X" at the least; a possessive stays outside it
        for end in reversed(ends[2:]):
            if any(g.kind in ("country", "region") for g in lookup(text[mention.span.start : end])):
                mention = Mention(Span(mention.span.start, end), MentionType.PLACE)
                joined_to = end
                break
        out.append(mention)
    return out


def _known_widely(found: list[GeoName]) -> bool:
    """A country, a first-level division or a city: names two of which, side by side,
    are a list ("Greece Italy") rather than one name ("Ivory Coast")."""
    return any(
        g.kind in ("country", "region") or g.population >= SPOTTED_MIN_POPULATION for g in found
    )


def _names_as_places(text: str, mentions: Sequence[Mention]) -> set[str]:
    """The names (folded) an article gives places, for one sense per article; not those
    like "Centre" or "West", which are a division only where their own sentence says so."""
    names = (_place_name(text, m) for m in mentions if m.type is MentionType.PLACE)
    return {fold_place(name) for name in names if not _GENERIC_REGION.match(name)}


def _named_before(text: str, span: Span, places_named: set[str]) -> Span | None:
    """The longest run of the capitalised words at `span`, from its first, that the
    article names as a place elsewhere ("Douma's fall", "Douma Mayor …"), or None."""
    words = list(re.finditer(r"[^\s-]+", span.of(text)))
    for last in reversed(words):
        end = span.start + last.end()
        piece = _POSSESSIVE.sub("", text[span.start : end])
        if fold_place(piece) in places_named:
            return Span(span.start, span.start + len(piece))
    return None


# Buildings and grounds named after their town ("Colchester General Hospital"); not
# streets, which are named after other places ("Paris Road")
_FACILITY = re.compile(
    r"\b(?:police station|station|hospital|airport|cathedral|church|mosque|temple|court|"
    r"courthouse|university|college|school|stadium|arena|prison|jail|hotel|town hall|"
    r"city hall|museum|port|harbou?r|barracks|base)$",
    re.IGNORECASE,
)


def _place_leading(
    text: str,
    mention: Mention,
    lookup: Lookup,
    as_places: set[str],
    ending: re.Pattern[str] | None = None,
) -> Span | None:
    """The place a longer name begins with ("Winnipeg Jets", "the Delft police station"):
    its first one to three capitalised words, when they are a place the article names as
    one, a country, a division or a city of SPOTTED_MIN_POPULATION; the name must end as
    `ending` says, where given. None for a name of one word, which is a place or not as a
    whole."""
    if mention.type in (MentionType.PERSON, MentionType.GROUP):
        return None  # people and peoples are named after places, not in them
    whole = mention.span.of(text)
    if ending is not None and not ending.search(whole):
        return None
    start = mention.span.start + (4 if whole.startswith(("the ", "The ")) else 0)
    words = list(re.finditer(r"[A-Z][\w’'.-]*", text[start : mention.span.end]))
    if len(words) < 2 or words[0].start() != 0:
        return None
    for count in (3, 2, 1):
        if count >= len(words) or text[start + words[count - 1].end()] != " ":
            continue
        lead = Span(start, start + words[count - 1].end())
        name = _POSSESSIVE.sub("", lead.of(text))
        if (
            _GENERIC_REGION.match(name)
            or not re.fullmatch(r"[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*)*", name)  # "Bank of"
        ):
            continue
        found = lookup(name)
        if fold_place(name) in as_places or any(
            g.kind in ("country", "region")
            # a city by its own name: "Terra" is a former name of Tehran, no place here
            or (g.population >= SPOTTED_MIN_POPULATION and fold_place(g.name) == fold_place(name))
            for g in found
        ):
            return Span(lead.start, lead.start + len(name))
    return None


def _qualified_town(text: str, span: Span, found: list[GeoName], lookup: Lookup) -> bool:
    """ "Croft, Yorkshire", "Rockingham, Northamptonshire": a town of the name lies in the
    division named after the comma, which makes it a place whatever its size."""
    after = _QUALIFIER.match(text, span.end)
    if after is None:
        return False
    wider = [w for w in lookup(after.group(1)) if w.kind in ("region", "county")]
    return any(g.kind == "city" and _inside(g, w) for g in found for w in wider)


def _likely_place(text: str, span: Span, place: GeoName) -> bool:
    """Whether a capitalised name the NER skipped is this place (see `spot_places`)."""
    if place.kind == "country":
        return True
    after_preposition = _after_locative(text, span.start)
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


def choose(found: Sequence[GeoName], countries: set[str], region: bool) -> GeoName | None:
    """The candidate a text about `countries` most likely means (see `choose_with_reason`)."""
    return choose_with_reason(found, Context(frozenset(countries)), region)[0]


def choose_with_reason(
    found: Sequence[GeoName],
    context: Context,
    region: bool = False,
    qualifier: GeoName | None = None,
    story: Context | None = None,
    name: str | None = None,
    listed: bool = False,
) -> tuple[GeoName | None, str | None]:
    """The candidate the text most likely means, and the evidence that decided it.

    A qualifier ("Athens, Ga.") keeps only the places inside what it names. Then, in
    order of weight: the word "region" after the name; a country or continent before a
    town of its name; a place inside a division (state, county) the article names without
    ambiguity, or inside a country it or its story names; the outlet's country; the
    larger place. A first-level division counts as a town of 100,000 people: "California"
    is the state, "Kursk" the city of 450,000 rather than its region. A name `listed` with
    divisions ("Alaska, Hawaii and Washington") is a division where it can be.
    """
    if not found:
        return None, None
    pool = list(found)
    if qualifier is not None:
        inside = [g for g in pool if _inside(g, qualifier)]
        if inside:
            pool = inside
    story = story or Context()
    asked = fold_place(name) if name else ""

    def evidence(place: GeoName) -> list[tuple[float, str]]:
        out = []
        if region and place.kind == "region":
            out.append((4.0, "the text calls it a region"))
        if listed and place.kind == "region":
            out.append((2.0, "listed with divisions"))
        if place.kind in ("country", "continent"):
            out.append((3.0, f"a {place.kind} of this name"))
            return out
        if place.kind == "landmark":  # "Heathrow" is the airport, not the Florida town
            out.append((3.0, f"a landmark in {place.admin2}"))
            return out
        # a name never vouches for itself: "Middle East" (Maryland) does not name Maryland
        if place.kind == "city" and context.counties.get((place.country, place.admin2), _NONE) - {
            asked
        }:
            out.append((1.5, f"in {place.admin2}, which the article names"))
        named_division = context.divisions.get((place.country, place.admin1), _NONE) - {asked}
        if place.kind != "region" and named_division:
            out.append((1.5, f"in {place.admin1}, which the article names"))
        elif place.kind == "region" and named_division:
            # "CAMP MURRAY, Wash. …": a bare "Washington" there is the state
            out.append((1.5, "a division the article names"))
        if place.country in context.countries:
            out.append((1.0, f"in {place.country}, a country the article names"))
        elif place.country in story.countries:
            out.append((0.5, f"in {place.country}, a country the story names"))
        if place.country == context.outlet_country:
            out.append((1.0, f"in {place.country}, the outlet's country"))
        return out

    def size(place: GeoName) -> float:
        """Population in powers of ten; a division counts as a town of 100,000 (30,000), a
        landmark as a city of a million. A place found by a former or foreign name
        ("Salisbury" for Harare) counts ten times smaller than one that bears the name."""
        if place.kind in ("region", "county"):  # the more towns, the likelier the meaning
            value = (4.7 if place.kind == "region" else 4.2) + math.log10(place.population + 1) / 10
        elif place.kind == "landmark":  # known the world over, as a city of a million is
            value = 6.0
        else:
            value = math.log10(max(place.population, 1))
        return value - 1.0 if asked and fold_place(place.name) != asked else value

    # a village, or a town named like a feature ("Valley", "Middle East", Maryland), needs
    # the text's own support: its state or county named, or a qualifier
    said = {g: evidence(g) for g in pool}
    pool = [
        g
        for g in pool
        if g.kind != "city"
        or (g.population >= UNSUPPORTED_MIN_POPULATION and not _GENERIC_REGION.match(g.name))
        or sum(w for w, _ in said[g]) >= 1.5
        or (qualifier is not None and _inside(g, qualifier))
    ]
    if not pool:
        return None, None
    scored = [(size(g) + sum(w for w, _ in said[g]), g.name, g.country, g) for g in pool]
    scored.sort(key=lambda t: (t[0], t[1], t[2]), reverse=True)
    best = scored[0][3]
    if len(found) == 1 and best.kind != "landmark":  # a landmark says where it stands
        return best, "the only place of this name"
    if qualifier is not None and len(pool) < len(found) and _inside(best, qualifier):
        return best, f"qualified by {qualifier.name}"
    reasons = [r for w, r in sorted(said[best], reverse=True) if r and w > 0]
    return best, reasons[0] if reasons else "the largest place of this name"


_LIST_GAP = re.compile(r"^(?:,\s*|,?\s+(?:and|or)\s+)$")
# ", D.C.", ", Ga.", ", WA" after a name: a qualifier, where ", Oregon" may be the next
# name of a list
_ABBREVIATION_AFTER = re.compile(r",\s+(?:(?:[A-Z][a-z]*\.){1,3}|[A-Z]{2}\b)")


def _listed_with_divisions(
    doc: Annotated, keys: list[tuple[int, int]], first: Mapping[tuple[int, int], GeoName | None]
) -> set[tuple[int, int]]:
    """The names that stand in a list ("Guam, Alaska, Hawaii and Washington") beside a
    name the first pass read as a first-level division, unless a qualifier follows them."""
    text = doc.article.text
    ordered = sorted(keys, key=lambda k: doc.mentions[k[1]].span.start)
    out = set()
    for a, b in itertools.pairwise(ordered):
        gap = text[doc.mentions[a[1]].span.end : doc.mentions[b[1]].span.start]
        if not _LIST_GAP.match(gap):
            continue
        for this, other in ((a, b), (b, a)):
            chosen = first.get(other)
            qualified = _ABBREVIATION_AFTER.match(text, doc.mentions[this[1]].span.end)
            if chosen is not None and chosen.kind == "region" and not qualified:
                out.add(this)  # "Washington, D.C." keeps to its qualifier
    return out


def _inside(place: GeoName, wider: GeoName) -> bool:
    if wider.kind == "country":
        return place.country == wider.country
    if wider.kind == "county":
        return place.country == wider.country and (place.admin1, place.admin2) == (
            wider.admin1,
            wider.name,
        )
    return place.country == wider.country and place.admin1 == wider.admin1 and place != wider


def _named_places(
    named: Iterable[tuple[str, list[GeoName], GeoName | None, GeoName | None]],
) -> Context:
    """Where a text says it is: the countries it names, the divisions it names (a state,
    a county, a town all of whose namesakes lie in one state, a qualifier), from each
    name, its candidates, the first pass's choice for it, and its qualifier.

    A text that names more than LOCAL_DIVISIONS divisions of one country is not local
    to any of them (a list of states): none of its divisions counts.
    """
    countries: set[str] = set()
    divisions: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    counties: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for name, found, chosen, qualifier in named:
        key = fold_place(name)
        if qualifier is not None:
            countries.add(qualifier.country)
            if qualifier.kind == "region":  # marked: a qualifier vouches for a bare name too
                divisions[(qualifier.country, qualifier.admin1)].add(
                    f"{qualifier.name}, as a qualifier"
                )
        wide = [g for g in found if g.kind in ("country", "continent")]
        if wide:
            countries |= {g.country for g in wide if g.country}
            continue
        if chosen is not None and chosen.kind in ("region", "county"):
            divisions[(chosen.country, chosen.admin1)].add(key)
            if chosen.kind == "county":
                counties[(chosen.country, chosen.name)].add(key)
        elif found and len({(g.country, g.admin1) for g in found}) == 1 and found[0].admin1:
            divisions[(found[0].country, found[0].admin1)].add(key)
    per_country = Counter(country for country, _ in divisions)
    return Context(
        frozenset(countries),
        {k: frozenset(v) for k, v in divisions.items() if per_country[k[0]] <= LOCAL_DIVISIONS},
        {k: frozenset(v) for k, v in counties.items() if per_country[k[0]] <= LOCAL_DIVISIONS},
    )


def _qualifier(text: str, span: Span, gazetteer: PlaceIndex) -> GeoName | None:
    """The state or country written after a place name and a comma ("Athens, Ga.")."""
    match = _QUALIFIER.match(text, span.end)
    return gazetteer.qualifier(match.group(1)) if match else None


def _outlet_country(source: str) -> str | None:
    """The country of the outlet's web domain ("….co.uk" is GB), when it has one."""
    host = outlet_of_address(source)
    if not host or "." not in host:
        return None
    suffix = host.rsplit(".", 1)[1].upper()
    if len(suffix) != 2 or suffix in _GENERIC_TLDS:
        return None
    return "GB" if suffix == "UK" else suffix


def _place_name(text: str, mention: Mention) -> str:
    name = _POSSESSIVE.sub("", mention.span.of(text)).strip()
    name = _DIRECTION_BEFORE.sub("", name)  # "north west London" is in London
    if text[mention.span.end : mention.span.end + 1] == "." and f"{name}." in ABBREVIATIONS:
        return f"{name}."  # the tokenizer left the abbreviation's full stop to the sentence
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
    preposition comes before it or before the list it ends ("troops in Kursk", "stops in
    Hilversum and Almelo") and the place is a town of some size,
    or when the place is so large that the name is first of all that place.
    """
    if region:
        return [g for g in found if g.kind == "region"]
    if _after_locative(text, mention.span.start):
        return [g for g in found if g.kind != "city" or g.population >= LOCATIVE_MIN_POPULATION]
    return [
        g for g in found if g.kind == "country" or g.population >= PERSON_AS_PLACE_MIN_POPULATION
    ]


def _after_locative(text: str, start: int) -> bool:
    """A locative preposition before the name, or before the list the name ends."""
    if _LOCATIVE.search(text, max(0, start - 12), start):
        return True
    return bool(_LOCATIVE_LIST.search(text[max(0, start - 120) : start]))


def locate_places_stage(
    docs: Sequence[Annotated], story: Story, *, gazetteer: PlaceIndex
) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's toponyms and places."""
    return locate_places(docs, story, gazetteer)
