"""One entity per real-world referent across a story's articles, with all its names.

People are linked by the structure of their names, not by string similarity, because
the mistakes that matter are structural: "Donald Trump" and "Donald Trump Jr" differ
only by a suffix, "Joe Biden" and "Hunter Biden" only by a given name, while
"Zelensky" and "Zelenskyy" differ in spelling yet are one man. So a name is split
into given names, surname and suffix; surnames are compared after folding case,
accents and doubled letters (the usual transliteration wobble); given names must
agree (an initial agrees with any name it starts); suffixes must be equal. A bare
surname joins the one person in the story who bears it (or, when several do, the one
named nearest before it in the same article). Other names (organisations, places,
groups) are joined when they fold to the same key ("Nato" = "NATO").
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsparallax.model import Annotated, Entity, MentionType, Story, content_id

_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_TITLES = frozenset(
    """mr mrs ms miss dr prof president president-elect vice-president prime minister senator
    sen gov governor rep representative general gen sir dame lord lady king queen pope
    prince princess chancellor secretary judge justice mayor captain""".split()
)
_POSSESSIVE = re.compile(r"['’]s?$")
_REPEATS = re.compile(r"(\w)\1+")
_NOT_WORD = re.compile(r"[^\w\s-]")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """A spelling-insensitive key: no accents, no case, no doubled letters, no punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = _NOT_WORD.sub("", plain.replace("’", "'").replace("'", ""))
    return _REPEATS.sub(r"\1", " ".join(plain.split()))


def clean_surface(text: str) -> str:
    """A mention's text without a possessive ending and without stray punctuation."""
    return _POSSESSIVE.sub("", " ".join(text.split())).strip(" ,.;:")


_FOLDED_TITLES = frozenset(fold(t) for t in _TITLES)


@dataclass(frozen=True, slots=True)
class PersonName:
    given: tuple[str, ...]  # folded given names (an initial is one letter)
    surname: str  # folded
    suffix: str | None

    @classmethod
    def parse(cls, surface: str) -> PersonName | None:
        words = [w for w in clean_surface(surface).replace(".", ". ").split() if w]
        while words and fold(words[0]) in _FOLDED_TITLES:
            words = words[1:]
        suffix = None
        # not fold(): it squeezes doubled letters, and "III" would become "i"
        if len(words) > 1 and words[-1].strip(".,").casefold() in _SUFFIXES:
            suffix = words.pop().strip(".,").casefold()
        names = [fold(w) for w in words if fold(w)]
        if not names:
            return None
        return cls(tuple(names[:-1]), names[-1], suffix)

    def agrees_with(self, other: PersonName) -> bool:
        """Same surname and suffix, and given names that do not contradict each other."""
        if self.surname != other.surname or self.suffix != other.suffix:
            return False
        if not self.given or not other.given:
            return True
        a, b = self.given[0], other.given[0]
        if len(a) == 1 or len(b) == 1:
            return a[0] == b[0]
        return a == b


@dataclass(slots=True)
class _Cluster:
    key: str
    type: MentionType
    members: list[tuple[int, int]]  # (doc index, mention index)
    name: PersonName | None = None


def link_entities(docs: Sequence[Annotated], story: Story) -> tuple[list[Annotated], Story]:
    """Link the mentions of a story's articles into entities.

    Returns:
        The articles with `Mention.entity` set, and the story with its `entities`.
    """
    members = [i for i, d in enumerate(docs) if d.id in set(story.article_ids)]
    people: list[_Cluster] = []
    others: dict[str, _Cluster] = {}
    surnames_only: list[tuple[int, int, PersonName]] = []
    places: dict[int, _Cluster] = {}  # by GeoNames id: "US", "America", "United States"
    for d in members:
        doc = docs[d]
        located = {t.span: t.geonameid for t in doc.toponyms if t.geonameid is not None}
        for m, mention in enumerate(doc.mentions):
            surface = mention.span.of(doc.article.text)
            try:
                place = (
                    located.get(mention.span) if mention.type is not MentionType.PERSON else None
                )
                if place is not None:
                    _add_place(places, others, surface, mention.type, place, (d, m))
                else:
                    _add_mention(people, others, surnames_only, surface, mention.type, (d, m))
            except Exception as exc:
                exc.add_note(f"name {surface!r} in {doc.article.source}")
                raise
    # where each person is named, per article: bare surnames look only in their own article
    by_doc: dict[int, list[tuple[int, _Cluster]]] = {}
    for cluster in people:
        for cd, cm in cluster.members:
            by_doc.setdefault(cd, []).append((docs[cd].mentions[cm].span.start, cluster))
    for d, m, name in surnames_only:
        target = _person_for_surname(people, name, docs, d, m, by_doc)
        if target is None and name.surname in others:
            target = others[name.surname]  # "Kyiv" tagged PERSON once and PLACE elsewhere
        if target is None:
            key = f"person:{name.surname}" + (f":{name.suffix}" if name.suffix else "")
            target = _Cluster(key, MentionType.PERSON, [], name)
            people.append(target)
        target.members.append((d, m))
    _absorb_mistyped_people(people, others)

    entities: list[Entity] = []
    assigned: dict[tuple[int, int], str] = {}
    seen: set[int] = set()
    for cluster in [*people, *places.values(), *others.values()]:
        if not cluster.members or id(cluster) in seen:
            continue  # a place is filed under each of its names
        seen.add(id(cluster))
        entity = _entity(cluster, docs)
        entities.append(entity)
        for member in cluster.members:
            assigned[member] = entity.id
    out = list(docs)
    person_mentions = {member for cluster in people for member in cluster.members}
    for d in members:
        doc = docs[d]
        mentions = tuple(
            dataclasses.replace(
                mention,
                entity=assigned.get((d, m)),
                type=_type_of(person_mentions, (d, m), mention.type),
            )
            for m, mention in enumerate(doc.mentions)
        )
        out[d] = dataclasses.replace(doc, mentions=mentions)
    entities.sort(key=lambda e: (-len(e.article_ids), e.name))
    return out, dataclasses.replace(story, entities=tuple(entities))


def _add_mention(
    people: list[_Cluster],
    others: dict[str, _Cluster],
    surnames_only: list[tuple[int, int, PersonName]],
    surface: str,
    kind: MentionType,
    member: tuple[int, int],
) -> None:
    if kind is MentionType.PERSON and not _is_acronym(surface):
        name = PersonName.parse(surface)
        if name is None:
            return
        if not name.given:  # "Okafor", "Okafor Jr": linked once the full names are known
            surnames_only.append((*member, name))
        else:
            _add_person(people, name, member)
        return
    key = _name_key(surface)
    if key:
        other_kind = MentionType.ORG if kind is MentionType.PERSON else kind
        others.setdefault(key, _Cluster(key, other_kind, [])).members.append(member)


def _name_key(surface: str) -> str:
    """The key an organisation's, group's or place's name is filed under ("the NATO's" ->
    "nato")."""
    return fold(re.sub(r"^the\s+", "", clean_surface(surface), flags=re.I))


def _add_place(
    places: dict[int, _Cluster],
    others: dict[str, _Cluster],
    surface: str,
    kind: MentionType,
    geonameid: int,
    member: tuple[int, int],
) -> None:
    """A name the gazetteer placed: one entity per place, whatever it is called ("US",
    "U.S.", "United States", "America"), filed under each of its names as well."""
    key = _name_key(surface)
    cluster = places.get(geonameid)
    if cluster is None:
        unplaced = others.get(key)  # the same name seen where the gazetteer placed nothing
        if unplaced is not None and unplaced.key.startswith("place:"):
            unplaced = None  # another place of that name (Georgia, Georgia)
        cluster = unplaced or _Cluster(f"place:{geonameid}", kind, [])
        places[geonameid] = cluster
    cluster.members.append(member)
    if key:
        others.setdefault(key, cluster)


def _add_person(people: list[_Cluster], name: PersonName, member: tuple[int, int]) -> None:
    for cluster in people:
        if cluster.name is not None and cluster.name.given and cluster.name.agrees_with(name):
            cluster.members.append(member)
            # prefer "Vladimir" to "V"; a suffix-only form ("Smith Jr") has no given name
            if name.given and len(name.given[0]) > len(cluster.name.given[0]):
                cluster.name = name
            return
    key = f"person:{name.given[0] if name.given else ''}:{name.surname}:{name.suffix or ''}"
    people.append(_Cluster(key, MentionType.PERSON, [member], name))


def _person_for_surname(
    people: Sequence[_Cluster],
    name: PersonName,
    docs: Sequence[Annotated],
    d: int,
    m: int,
    by_doc: dict[int, list[tuple[int, _Cluster]]],
) -> _Cluster | None:
    """The person a bare surname names: the only bearer, else the nearest named before it."""
    bearers = [
        c
        for c in people
        if c.name is not None and c.name.surname == name.surname and c.name.suffix == name.suffix
    ]
    if len(bearers) <= 1:
        return bearers[0] if bearers else None
    position = docs[d].mentions[m].span.start
    ids = {id(c) for c in bearers}
    before = [(start, c) for start, c in by_doc.get(d, []) if id(c) in ids and start < position]
    if before:
        return max(before, key=lambda item: item[0])[1]
    return max(bearers, key=lambda c: (len(c.members), c.key))


def _absorb_mistyped_people(people: list[_Cluster], others: dict[str, _Cluster]) -> None:
    """An "organisation" named exactly like a person of the story is that person ("Trump" ORG)."""
    for key, cluster in list(others.items()):
        if cluster.type is not MentionType.ORG or cluster.key.startswith("place:"):
            continue  # a place the gazetteer found is not a person, whatever it is tagged
        name = PersonName.parse(key)
        if name is None:
            continue
        for person in people:
            if person.name is None:
                continue
            full = " ".join((*person.name.given, person.name.surname))
            if key in {full, person.name.surname} and name.suffix == person.name.suffix:
                person.members.extend(cluster.members)
                del others[key]
                break


def _is_acronym(surface: str) -> bool:
    """ "ATACMS", "NATO": names of people are not written in capitals in body text."""
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and " " not in surface.strip()


def _type_of(
    person_mentions: set[tuple[int, int]], member: tuple[int, int], given: MentionType
) -> MentionType:
    """A mention's type after linking: a person's if it joined a person, else not a person."""
    if member in person_mentions:
        return MentionType.PERSON
    return MentionType.ORG if given is MentionType.PERSON else given


def _entity(cluster: _Cluster, docs: Sequence[Annotated]) -> Entity:
    surfaces: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    types: Counter[MentionType] = Counter()
    article_ids: set[str] = set()
    for d, m in cluster.members:
        doc = docs[d]
        mention = doc.mentions[m]
        surfaces[clean_surface(mention.span.of(doc.article.text))] += 1
        types[mention.type] += 1
        if mention.role:
            roles[mention.role] += 1
        article_ids.add(doc.id)
    if cluster.name is not None:
        kind = MentionType.PERSON
    else:
        kind = _majority(
            Counter({t: n for t, n in types.items() if t is not MentionType.PERSON})
            or Counter({cluster.type: 1})
        )
    if cluster.name is not None:
        # The most used full form names a person; a bare surname votes for the full
        # forms spelled like it ("Zelensky" for "Volodymyr Zelensky", not "…Zelenskyy").
        full = {s: n for s, n in surfaces.items() if len(s.split()) > 1} or dict(surfaces)
        votes = {
            s: n + (surfaces.get(s.split()[-1], 0) if len(s.split()) > 1 else 0)
            for s, n in full.items()
        }
        name = max(full, key=lambda s: (votes[s], len(s), s))
    else:
        name = max(surfaces, key=lambda s: (surfaces[s], s.isupper(), s))
    return Entity(
        id=content_id("e", str(kind), cluster.key),
        name=name,
        type=kind,
        aliases=tuple(sorted(surfaces)),
        article_ids=tuple(sorted(article_ids)),
        role=max(roles, key=lambda r: (roles[r], r)) if roles else None,
    )


def _majority(types: Counter[MentionType]) -> MentionType:
    return max(types, key=lambda t: (types[t], str(t)))


def link_entities_stage(
    docs: Sequence[Annotated], story: Story
) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's entities."""
    return link_entities(docs, story)
