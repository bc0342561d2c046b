"""Entity linking across a story: names joined by their structure, never by mere likeness."""

from __future__ import annotations

import random

import pytest

from newsparallax.link.entities import PersonName, fold, link_entities
from newsparallax.model import Annotated, Article, Mention, MentionType, Span, Story, article_id


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zelensky", "Zelenskyy"),
        ("Odesa", "Odessa"),
        ("Nato", "NATO"),
        ("Müller", "Muller"),
        ("O’Neill", "O'Neill"),
    ],
)
def test_entities_fold_joins_spelling_variants(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    ("surface", "given", "surname", "suffix"),
    [
        ("Donald Trump Jr", ("donald",), "trump", "jr"),
        ("Donald Trump Jr.", ("donald",), "trump", "jr"),
        ("President-elect Donald Trump", ("donald",), "trump", None),
        ("V. Putin", ("v",), "putin", None),
        ("Biden’s", (), "biden", None),
        ("Mr Keller", (), "keler", None),
    ],
)
def test_entities_person_name_structure(
    surface: str, given: tuple[str, ...], surname: str, suffix: str | None
) -> None:
    assert PersonName.parse(surface) == PersonName(given, surname, suffix)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Donald Trump", "Donald Trump Jr", False),
        ("Joe Biden", "Hunter Biden", False),
        ("V. Putin", "Vladimir Putin", True),
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy", True),
        ("Trump", "Donald Trump", True),
        ("Trump", "Donald Trump Jr", False),
    ],
)
def test_entities_people_agree_by_structure(a: str, b: str, same: bool) -> None:
    name_a, name_b = PersonName.parse(a), PersonName.parse(b)
    assert name_a is not None and name_b is not None
    assert name_a.agrees_with(name_b) is same


def doc_with(
    text: str, names: list[tuple[str, MentionType]], roles: dict[str, str] | None = None
) -> Annotated:
    """An article whose mentions are every occurrence of the given names, in order."""
    mentions = []
    taken: set[int] = set()
    for name, kind in sorted(names, key=lambda n: -len(n[0])):
        start = text.find(name)
        while start != -1:
            if not taken & set(range(start, start + len(name))):
                mentions.append(
                    Mention(Span(start, start + len(name)), kind, role=(roles or {}).get(name))
                )
                taken |= set(range(start, start + len(name)))
            start = text.find(name, start + 1)
    mentions.sort(key=lambda m: m.span)
    return Annotated(
        Article(id=article_id(None, text), source="t", text=text), mentions=tuple(mentions)
    )


P, ORG = MentionType.PERSON, MentionType.ORG


def linked(docs: list[Annotated]) -> tuple[list[Annotated], Story]:
    story = Story(id="s", title="t", article_ids=tuple(d.id for d in docs))
    out, story = link_entities(docs, story)
    return list(out), story


def names(story: Story) -> dict[str, tuple[str, ...]]:
    return {e.name: e.aliases for e in story.entities}


def test_entities_trump_and_trump_jr_stay_apart() -> None:
    a = doc_with(
        "Donald Trump spoke. His son, Donald Trump Jr, wrote a post. Trump said more.",
        [("Donald Trump Jr", P), ("Donald Trump", P), ("Trump", P)],
    )
    _, story = linked([a])
    assert names(story) == {
        "Donald Trump": ("Donald Trump", "Trump"),
        "Donald Trump Jr": ("Donald Trump Jr",),
    }


def test_entities_spellings_and_initials_join_across_outlets() -> None:
    a = doc_with(
        "Volodymyr Zelensky met Vladimir Putin's envoy. Zelensky left.",
        [("Volodymyr Zelensky", P), ("Vladimir Putin", P), ("Zelensky", P)],
    )
    b = doc_with(
        "Volodymyr Zelenskyy spoke; V. Putin did not. NATO and Nato agreed.",
        [("Volodymyr Zelenskyy", P), ("V. Putin", P), ("NATO", ORG), ("Nato", ORG)],
    )
    _, story = linked([a, b])
    found = names(story)
    assert found["Volodymyr Zelensky"] == ("Volodymyr Zelensky", "Volodymyr Zelenskyy", "Zelensky")
    assert found["Vladimir Putin"] == ("V. Putin", "Vladimir Putin")
    assert found["NATO"] == ("NATO", "Nato")
    zelensky = next(e for e in story.entities if e.name == "Volodymyr Zelensky")
    assert zelensky.article_ids == tuple(sorted((a.id, b.id)))


def test_entities_bare_surname_goes_to_the_nearest_bearer() -> None:
    a = doc_with(
        "Joe Biden spoke first. Then Hunter Biden arrived. Biden smiled.",
        [("Joe Biden", P), ("Hunter Biden", P), ("Biden", P)],
    )
    docs, story = linked([a])
    by_id = {e.id: e.name for e in story.entities}
    last = docs[0].mentions[-1]
    assert last.span.of(a.article.text) == "Biden" and by_id[last.entity or ""] == "Hunter Biden"
    assert set(names(story)) == {"Joe Biden", "Hunter Biden"}


def test_entities_surname_tagged_as_organisation_is_the_person() -> None:
    a = doc_with("Donald Trump won. Trump said so.", [("Donald Trump", P), ("Trump", ORG)])
    docs, story = linked([a])
    assert names(story) == {"Donald Trump": ("Donald Trump", "Trump")}
    assert [m.type for m in docs[0].mentions] == [P, P]


def test_entities_acronym_tagged_as_person_is_not_one() -> None:
    a = doc_with("ATACMS were fired.", [("ATACMS", P)])
    docs, story = linked([a])
    assert [(e.name, e.type) for e in story.entities] == [("ATACMS", MentionType.ORG)]
    assert docs[0].mentions[0].type is MentionType.ORG


def test_entities_role_and_stable_ids() -> None:
    a = doc_with(
        "Kremlin spokesman Dmitry Peskov said no. Peskov left.",
        [("Dmitry Peskov", P), ("Peskov", P)],
        roles={"Dmitry Peskov": "Kremlin spokesman"},
    )
    b = doc_with("Dmitry Peskov spoke.", [("Dmitry Peskov", P)])
    _, story1 = linked([a, b])
    _, story2 = linked([b, a])
    [peskov] = story1.entities
    assert peskov.role == "Kremlin spokesman"
    assert story1.entities == story2.entities  # independent of article order and runs


def test_entities_mentions_point_to_their_entity() -> None:
    a = doc_with(
        "Mira Ostrand met Jonas Keller. Ostrand left.",
        [("Mira Ostrand", P), ("Jonas Keller", P), ("Ostrand", P)],
    )
    docs, story = linked([a])
    ids = {e.name: e.id for e in story.entities}
    assert [m.entity for m in docs[0].mentions] == [
        ids["Mira Ostrand"],
        ids["Jonas Keller"],
        ids["Mira Ostrand"],
    ]


def test_entities_only_the_story_articles_are_linked() -> None:
    a = doc_with("Mira Ostrand spoke.", [("Mira Ostrand", P)])
    b = doc_with("Jonas Keller spoke.", [("Jonas Keller", P)])
    story = Story(id="s", title="t", article_ids=(a.id,))
    docs, story = link_entities([a, b], story)
    assert names(story) == {"Mira Ostrand": ("Mira Ostrand",)}
    assert docs[1].mentions[0].entity is None


def test_entities_order_of_articles_does_not_matter() -> None:
    docs = [
        doc_with(
            "Joe Biden and Hunter Biden met. Biden left.",
            [("Joe Biden", P), ("Hunter Biden", P), ("Biden", P)],
        ),
        doc_with("Joe Biden spoke.", [("Joe Biden", P)]),
        doc_with("Biden waved.", [("Biden", P)]),
    ]
    _, first = linked(docs)
    for seed in range(5):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        _, again = linked(shuffled)
        assert sorted(e.id for e in again.entities) == sorted(e.id for e in first.entities)


@pytest.mark.parametrize(
    "names_in_order",
    [
        ["Peter Okafor Jr", "Okafor Jr"],  # a suffix with no given name, after the full name
        ["Okafor Jr", "Peter Okafor Jr"],
        ["Dr. Okafor Jr.", "Peter Okafor Jr."],
        ["Okafor III", "P. Okafor III", "Peter Okafor III"],
    ],
)
def test_entities_suffix_without_given_name_links_without_error(names_in_order: list[str]) -> None:
    text = " met ".join(names_in_order) + "."
    doc = doc_with(text, [(n, P) for n in names_in_order])
    _, story = linked([doc])
    people = [e for e in story.entities if e.type is P]
    assert len(people) == 1
    assert people[0].name.split()[0] in {"Peter", "P."}


def placed(doc: Annotated, geonames: dict[str, int]) -> Annotated:
    """The article with its place mentions located, as the places stage leaves them."""
    import dataclasses

    from newsparallax.model import Toponym

    text = doc.article.text
    toponyms = tuple(
        Toponym(m.span, 0.0, 0.0, geonames[m.span.of(text)])
        for m in doc.mentions
        if m.span.of(text) in geonames
    )
    return dataclasses.replace(doc, toponyms=toponyms)


def test_entities_one_country_whatever_outlets_call_it() -> None:
    """The gazetteer's place, not the spelling, is the entity: "US", "the United States",
    "America" and "USA" are one; Georgia the country and Georgia the state are two."""
    us, georgia_state, georgia = 6252001, 4197000, 614540
    PLACE = MentionType.PLACE
    a = doc_with(
        "The US sent aid. America will decide. The talks in Georgia went on.",
        [("US", PLACE), ("America", PLACE), ("Georgia", PLACE)],
    )
    b = doc_with(
        "The United States and the USA delegation met in Georgia.",
        [("United States", PLACE), ("USA", PLACE), ("Georgia", PLACE)],
    )
    a = placed(a, {"US": us, "America": us, "Georgia": georgia})
    b = placed(b, {"United States": us, "USA": us, "Georgia": georgia_state})
    _, story = linked([a, b])
    places = sorted(sorted(e.aliases) for e in story.entities)
    assert ["America", "US", "USA", "United States"] in places
    assert sum(1 for aliases in places if aliases == ["Georgia"]) == 2


def test_entities_a_located_place_is_not_absorbed_by_a_namesake_person() -> None:
    """ "Washington" tagged as an organisation but placed by the gazetteer stays the place,
    though Jack Washington is in the story; each mention belongs to one entity."""
    a = doc_with(
        "Jack Washington spoke. Washington said talks would go on.",
        [("Jack Washington", P), ("Washington", ORG)],
    )
    a = placed(a, {"Washington": 4140963})
    out, story = linked([a])
    assert names(story) == {"Jack Washington": ("Jack Washington",), "Washington": ("Washington",)}
    entity_of = {m.span.of(a.article.text): m.entity for m in out[0].mentions}
    assert entity_of["Jack Washington"] != entity_of["Washington"]
