"""Story quotes: echoes across outlets and speakers given as descriptions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparallax.link.quotes import echo_pairs, gather_quotes, same_quote
from newsparallax.model import (
    Annotated,
    Article,
    Entity,
    Mention,
    MentionType,
    Quotation,
    Span,
    Story,
    article_id,
)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("The harbour lights will stay dark until spring,", "stay dark until spring.", True),
        ("We are just flooding this town", "We’re just flooding this town", False),
        (
            "The tide could leave the lower town in ruins by Friday",
            "the tide could leave the lower town in ruin by Friday",
            True,
        ),
        ("Four percent is an insult", "Nine percent would bankrupt the port", False),
        ("no", "no", True),
        ("yes", "no", False),
    ],
)
def test_group_quotes_same_quote(a: str, b: str, same: bool) -> None:
    assert same_quote(a, b) is same


def article(
    text: str,
    quotes: list[tuple[str, str | None, str | None]],
    mentions: list[tuple[str, str]] | None = None,
) -> Annotated:
    """An article with quotes given as (quoted words, speaker as written, entity of that name)."""
    found = []
    for words, speaker, _ in quotes:
        start = text.index(words)
        speaker_span = None
        if speaker is not None:
            s = text.index(speaker)
            speaker_span = Span(s, s + len(speaker))
        found.append(Quotation(Span(start, start + len(words)), words, speaker_span, speaker))
    named = []
    for name, entity in mentions or []:
        s = text.index(name)
        named.append(Mention(Span(s, s + len(name)), MentionType.PERSON, entity))
    return Annotated(
        Article(id=article_id(None, text), source="t", text=text),
        mentions=tuple(named),
        quotes=tuple(found),
    )


PESKOV = Entity(
    "e-peskov", "Dmitry Peskov", MentionType.PERSON, ("Dmitry Peskov",), (), "Kremlin spokesman"
)
KIRBY = Entity(
    "e-kirby",
    "John Kirby",
    MentionType.PERSON,
    ("John Kirby",),
    (),
    "National Security Council spokesman",
)


def story_of(*docs: Annotated, entities: tuple[Entity, ...] = (PESKOV, KIRBY)) -> Story:
    return Story("s", "t", tuple(d.id for d in docs), entities=entities)


def test_group_quotes_echoes_are_listed_both_ways() -> None:
    a = article(
        "“The harbour lights will stay dark until spring,” Zelensky said.",
        [("The harbour lights will stay dark until spring,", "Zelensky", None)],
    )
    b = article(
        "He said they would “stay dark until spring.”", [("stay dark until spring.", None, None)]
    )
    c = article(
        "“Something else entirely,” Keller said.", [("Something else entirely,", "Keller", None)]
    )
    story = gather_quotes([a, b, c], story_of(a, b, c))
    also = {q.article_id: q.also_in for q in story.quotes}
    assert also == {a.id: (b.id,), b.id: (a.id,), c.id: ()}


def test_group_quotes_named_speaker_links_through_its_mention() -> None:
    a = article(
        "“No comment,” Dmitry Peskov said.",
        [("No comment,", "Dmitry Peskov", None)],
        mentions=[("Dmitry Peskov", "e-peskov")],
    )
    [quote] = gather_quotes([a], story_of(a)).quotes
    assert quote.speaker == "Dmitry Peskov" and quote.speaker_entity == "e-peskov"


def test_group_quotes_description_goes_to_the_nearest_fitting_person() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov spoke first. Later John Kirby spoke. "
        "“The tide decides,” the spokesman said."
    )
    a = article(
        text,
        [("The tide decides,", "the spokesman", None)],
        mentions=[("Dmitry Peskov", "e-peskov"), ("John Kirby", "e-kirby")],
    )
    [quote] = gather_quotes([a], story_of(a)).quotes
    assert quote.speaker_entity == "e-kirby"  # the nearest spokesman named before


def test_group_quotes_description_with_other_office_is_not_linked() -> None:
    text = (
        "Dmitry Peskov spoke. “No comment on rumours,” a U.S. State Department spokesperson said."
    )
    a = article(
        text,
        [("No comment on rumours,", "a U.S. State Department spokesperson", None)],
        mentions=[("Dmitry Peskov", "e-peskov")],
    )
    [quote] = gather_quotes([a], story_of(a, entities=(PESKOV,))).quotes
    assert quote.speaker_entity is None


def test_group_quotes_an_unnamed_speaker_described_alike_stays_unnamed() -> None:
    text = (
        "Dmitry Peskov spoke. “No comment on rumours,” a State Department spokesperson said. "
        "The spokesperson stressed the “right to defend itself.”"
    )
    a = article(
        text,
        [
            ("No comment on rumours,", "a State Department spokesperson", None),
            ("right to defend itself.", "The spokesperson", None),
        ],
        mentions=[("Dmitry Peskov", "e-peskov")],
    )
    quotes = gather_quotes([a], story_of(a, entities=(PESKOV,))).quotes
    assert [q.speaker_entity for q in quotes] == [None, None]


def test_group_quotes_ambiguous_description_settled_by_an_echo() -> None:
    a = article(
        "“Pouring salt on the wound,” Dmitry Peskov said.",
        [("Pouring salt on the wound,", "Dmitry Peskov", None)],
        mentions=[("Dmitry Peskov", "e-peskov")],
    )
    b = article(
        "Putin’s spokesman accused the US of “pouring salt on the wound.”",
        [("pouring salt on the wound.", "Putin’s spokesman", None)],
    )
    quotes = {q.article_id: q for q in gather_quotes([a, b], story_of(a, b)).quotes}
    assert quotes[b.id].speaker_entity == "e-peskov"  # Peskov and Kirby both fit; the echo decides


words = st.sampled_from(
    "we will not wait for the water to go down before asking questions now".split()
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("abc"), st.lists(words, min_size=1, max_size=14)), max_size=12
    )
)
def test_group_quotes_echo_index_finds_exactly_what_comparing_all_pairs_finds(
    quotes: list[tuple[str, list[str]]],
) -> None:
    items = [(article, " ".join(ws)) for article, ws in quotes]
    brute = {
        (i, j)
        for i in range(len(items))
        for j in range(i + 1, len(items))
        if items[i][0] != items[j][0] and same_quote(items[i][1], items[j][1])
    }
    assert echo_pairs(items) == brute
