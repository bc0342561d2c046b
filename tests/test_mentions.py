"""Mentions: spaCy's entities mapped and repaired, and the role each person is given."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparallax.extract.mentions import (
    _WORD_BEFORE,
    _word_before,
    find_mentions,
    find_role,
    repair_span,
    retype_known_people,
)
from newsparallax.model import Annotated, Article, Mention, MentionType, Span


def span_of(text: str, piece: str) -> Span:
    start = text.index(piece)
    return Span(start, start + len(piece))


@pytest.mark.parametrize(
    ("text", "found", "expected"),
    [
        ("Biden’s decision stands.", "Biden’s", "Biden"),
        ("Biden's decision stands.", "Biden's", "Biden"),
        ("What Putin, Zelensky Said After the vote", "Zelensky Said", "Zelensky"),
        ("Talks With Keller Over Pay", "Keller Over", "Keller"),
        (
            "He met the Harbour Workers' Union today.",
            "the Harbour Workers' Union",
            "Harbour Workers' Union",
        ),
        ("The Epoch Times reported it.", "The Epoch Times", "The Epoch Times"),
        ("Ostrand, speaking today", "Ostrand,", "Ostrand"),
    ],
)
def test_mentions_repair_span(text: str, found: str, expected: str) -> None:
    span = repair_span(text, span_of(text, found))
    assert span is not None and span.of(text) == expected


def test_mentions_repair_drops_what_is_not_a_name() -> None:
    assert repair_span("It was ’s.", Span(7, 9)) is None


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "On Monday, Kremlin spokesman Dmitry Peskov said no.",
            "Dmitry Peskov",
            "Kremlin spokesman",
        ),
        ("“Yes,” said union leader Mira Ostrand.", "Mira Ostrand", "union leader"),
        (
            "Poland’s foreign minister Radoslaw Sikorski called it late.",
            "Radoslaw Sikorski",
            "Poland’s foreign minister",
        ),
        (
            "The US deputy national security adviser, Jon Finer, said so.",
            "Jon Finer",
            "US deputy national security adviser",
        ),
        ("President-elect Donald Trump has criticized it.", "Donald Trump", "President-elect"),
        (
            "Andrei Klishas, a senior member of the upper chamber, said it.",
            "Andrei Klishas",
            "senior member of the upper chamber",
        ),
        (
            "Piet Varga, an engineer who inspected the dam, spoke.",
            "Piet Varga",
            "engineer who inspected the dam",
        ),
        ("Meanwhile Ostrand said nothing.", "Ostrand", None),
        ("On Tuesday Ostrand said nothing.", "Ostrand", None),
        ("Ostrand, who leads the union, said nothing.", "Ostrand", None),
        ("Ostrand said nothing.", "Ostrand", None),
    ],
)
def test_mentions_role_from_title_or_apposition(text: str, name: str, role: str | None) -> None:
    assert find_role(text, span_of(text, name), Span(0, len(text))) == role


def fake_recogniser(entities: dict[str, str]):  # type: ignore[no-untyped-def]
    """A recogniser that finds the given names wherever they occur (no model)."""

    def recognise(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        out = []
        for text in texts:
            found = []
            for name, label in entities.items():
                start = text.find(name)
                while start != -1:
                    found.append((start, start + len(name), label))
                    start = text.find(name, start + len(name))
            out.append(sorted(found))
        return out

    return recognise


def test_mentions_map_types_and_skip_numbers() -> None:
    text = "Donald Trump met NATO in Odesa on Monday.\n\nTrump said 10 things."
    doc = Annotated(Article(id="a", source="t", text=text))
    recognise = fake_recogniser(
        {
            "Donald Trump": "PERSON",
            "NATO": "ORG",
            "Odesa": "GPE",
            "Monday": "DATE",
            "Trump said": "ORG",
            "10": "CARDINAL",
        }
    )
    [out] = find_mentions([doc], recognise)
    found = [(m.span.of(text), m.type) for m in out.mentions]
    # "Trump said" is trimmed to "Trump", and re-typed: the article knows Donald Trump
    assert found == [
        ("Donald Trump", MentionType.PERSON),
        ("NATO", MentionType.ORG),
        ("Odesa", MentionType.PLACE),
        ("Trump", MentionType.PERSON),
    ]


def test_mentions_equipment_in_title_case_is_not_a_person() -> None:
    """A list of weapons written in title case ("Corvan Tanks") is tagged as a person by
    the small model; a name ending in a plural noun for machines is equipment. A surname
    that is a plural noun stays a person."""
    text = "They sent Corvan Tanks and Marlow Fighting Vehicles. Ada Banks welcomed them."
    doc = Annotated(Article(id="a", source="t", text=text))
    recognise = fake_recogniser(
        {"Corvan Tanks": "PERSON", "Marlow Fighting Vehicles": "PERSON", "Ada Banks": "PERSON"}
    )
    [out] = find_mentions([doc], recognise)
    assert [(m.span.of(text), m.type) for m in out.mentions] == [
        ("Corvan Tanks", MentionType.PRODUCT),
        ("Marlow Fighting Vehicles", MentionType.PRODUCT),
        ("Ada Banks", MentionType.PERSON),
    ]


def test_mentions_retype_only_names_the_article_knows() -> None:
    text = "Mira Ostrand spoke. Ostrand and Keller left."
    mentions = [
        Mention(span_of(text, "Mira Ostrand"), MentionType.PERSON),
        Mention(Span(20, 27), MentionType.ORG),
        Mention(span_of(text, "Keller"), MentionType.ORG),
    ]
    out = retype_known_people(mentions, text)
    assert [m.type for m in out] == [MentionType.PERSON, MentionType.PERSON, MentionType.ORG]


def test_mentions_split_names_made_whole_and_openers_dropped() -> None:
    from newsparallax.extract.mentions import _without_opening_word, join_split_names
    from newsparallax.model import Mention, MentionType, Span

    text = "The Marlow Dynamics rockets reached the Halvik Institute for the Study of Tides."
    maker = text.index("Marlow")
    institute = text.index("Halvik")
    study = text.index("Study")
    mentions = [
        Mention(Span(maker, maker + 6), MentionType.ORG),
        Mention(Span(maker + 7, maker + 15), MentionType.PRODUCT),
        Mention(Span(institute, institute + 16), MentionType.ORG),
        Mention(Span(study, study + 14), MentionType.ORG),
    ]
    joined = [m.span.of(text) for m in join_split_names(mentions, text)]
    assert joined == ["Marlow Dynamics", "Halvik Institute for the Study of Tides"]
    # two names with a comma between stay two
    listed = "Marlow, Dynamics"
    apart = [Mention(Span(0, 6), MentionType.ORG), Mention(Span(8, 16), MentionType.ORG)]
    assert len(join_split_names(apart, listed)) == 2
    group = "Recent Corvanian strikes"
    assert _without_opening_word(group, Span(0, 16)).of(group) == "Corvanian"
    assert _without_opening_word("North Korean", Span(0, 12)) == Span(0, 12)


@settings(max_examples=600, deadline=None)
@given(
    pieces=st.lists(
        st.sampled_from(["word", " ", "  ", ",", ", ", "\n", ".", "’", "(", "Dr", "a" * 70]),
        max_size=14,
    ),
    data=st.data(),
)
def test_mentions_the_word_before_a_name_is_the_whole_search_s(
    pieces: list[str], data: st.DataObject
) -> None:
    """Issue 16: the word before a name, looked for in a window that widens as needed, is
    what a search of the whole paragraph finds (which cost the square of its length)."""
    text = "".join(pieces)
    cursor = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(0, cursor))
    ours = _word_before(text, start, cursor)
    whole = _WORD_BEFORE.search(text, start, cursor)
    assert (ours and (ours.span(), ours.groups())) == (whole and (whole.span(), whole.groups()))
