from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparallax.extract.segment import is_statement, paragraph_spans, segment
from newsparallax.model import Annotated, Article, Quotation, Span, article_id
from newsparallax.nlp import SentenceSplitter


def sentences_of(doc: Annotated) -> list[str]:
    return [s.of(doc.article.text) for s in doc.sentences]


def test_segment_paragraph_spans() -> None:
    text = "First para.\n\nSecond para. Two sentences.\n\nThird."
    spans = paragraph_spans(text)
    assert [s.of(text) for s in spans] == ["First para.", "Second para. Two sentences.", "Third."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ukraine fired six missiles on Nov. 19. Two days later, it fired again.",
            ["Ukraine fired six missiles on Nov. 19.", "Two days later, it fired again."],
        ),
        (
            "The U.S. State Department declined to comment. Mr. Brell did not.",
            ["The U.S. State Department declined to comment.", "Mr. Brell did not."],
        ),
        (
            "“Who signed off on that?” he asked. “It is a mistake.”",
            ["“Who signed off on that?” he asked.", "“It is a mistake.”"],
        ),
        (
            'He said it was "over." "We are done," she replied.',
            ['He said it was "over."', '"We are done," she replied.'],
        ),
        (
            "Sikorski said: “It is late.” (The talks ended.)",
            ["Sikorski said: “It is late.”", "(The talks ended.)"],
        ),
        ("No final period here", ["No final period here"]),
    ],
)
def test_segment_sentences_with_abbreviations_and_quotes(
    make_doc: Callable[..., Annotated], splitter: SentenceSplitter, text: str, expected: list[str]
) -> None:
    [doc] = segment([make_doc(text)], splitter)
    assert sentences_of(doc) == expected


def test_segment_sentences_never_cross_paragraphs(
    make_doc: Callable[..., Annotated], splitter: SentenceSplitter
) -> None:
    text = "A paragraph without a final period\n\nand a second one that starts in lower case."
    [doc] = segment([make_doc(text)], splitter)
    assert sentences_of(doc) == [
        "A paragraph without a final period",
        "and a second one that starts in lower case.",
    ]
    assert doc.paragraphs == (Span(0, 34), Span(36, len(text)))


def test_segment_batch_matches_one_by_one(
    make_doc: Callable[..., Annotated], splitter: SentenceSplitter
) -> None:
    docs = [make_doc(f"Article {i}. It has text.\n\nMore here, {i}.") for i in range(5)]
    assert segment(docs, splitter) == [segment([d], splitter)[0] for d in docs]


paragraph = st.text(
    alphabet=st.sampled_from(list("abc XYZ.,!?“”\"'’—-:;()0123456789é\t")), min_size=1, max_size=80
)


@settings(max_examples=80, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=5))
def test_segment_spans_lie_inside_text_in_order(
    splitter: SentenceSplitter, paragraphs: list[str]
) -> None:
    text = "\n\n".join(paragraphs)
    [doc] = segment([Annotated(Article(id="a", source="t", text=text))], splitter)
    previous_end = 0
    for span in doc.sentences:
        assert 0 <= span.start < span.end <= len(text)
        assert span.start >= previous_end
        piece = span.of(text)
        assert piece == piece.strip() and piece
        assert "\n\n" not in piece
        previous_end = span.end
    # every non-space character is inside some sentence
    covered = sum(len(s.of(text).replace(" ", "").replace("\t", "")) for s in doc.sentences)
    assert covered == len(text.replace(" ", "").replace("\t", "").replace("\n", ""))


def statement_doc(text: str, quotes: list[tuple[str, str | None]] = ()) -> tuple[Annotated, Span]:  # type: ignore[assignment]
    """An article of one sentence; quotes given as (quoted words, speaker words in the text)."""
    found = []
    for words, speaker in quotes:
        start = text.index(words)
        who = None
        if speaker is not None:
            at = text.index(speaker)
            who = Span(at, at + len(speaker))
        found.append(Quotation(Span(start, start + len(words)), words, speaker=who))
    article = Article(id=article_id(None, text), source="t", text=text)
    return Annotated(article, quotes=tuple(found)), Span(0, len(text))


@pytest.mark.parametrize(
    ("text", "quotes", "whole"),
    [
        ("The harbour authority closed the north pier on Tuesday.", [], True),
        ("Storm Damage on the North Pier", [], False),  # a subheading
        ("By Mara Quill, Harbour Correspondent", [], False),  # a byline
        ("Mara Quill, harbour correspondent", [], False),  # a name-and-title line
        ("The authority said it would reopen the pier “", [], False),  # ends on an opening mark
        ("and then the ferry left without its passengers.", [], False),  # starts mid-sentence
        (
            "“We will rebuild the pier by spring,” the mayor said.",
            [("We will rebuild the pier by spring,", "the mayor")],
            True,
        ),
        (
            "“We will rebuild the pier by spring, whatever it costs us.”",
            [("We will rebuild the pier by spring, whatever it costs us.", None)],
            False,
        ),
    ],
)
def test_segment_is_statement(text: str, quotes: list[tuple[str, str | None]], whole: bool) -> None:
    doc, sentence = statement_doc(text, quotes)
    assert is_statement(doc, sentence) is whole


def test_segment_is_statement_refuses_a_sentence_beginning_inside_a_quote() -> None:
    text = "“The pier is gone. We will rebuild it by spring,” the mayor said."
    quote = Quotation(
        Span(1, text.index("”")), "…", speaker=Span(text.index("the mayor"), len(text) - 6)
    )
    doc = Annotated(Article(id="a", source="t", text=text), quotes=(quote,))
    second = Span(text.index("We will"), len(text))
    assert not is_statement(doc, second)
    assert not is_statement(doc, Span(0, text.index(" We will")))  # mostly quote, no speaker in it


@pytest.mark.parametrize(
    "paragraph",
    [
        # the quote finder could not pair the marks; the second sentence is still inside them
        "“The pier is gone and the ferry with it. We will rebuild it by spring,” said Ona Reyes.",
        # a closing mark with no opening one: the writer dropped it
        "Ona Reyes added, We will rebuild the pier by spring, whatever it costs.”",
    ],
)
def test_segment_is_statement_refuses_unpaired_marks(paragraph: str) -> None:
    last = paragraph.rindex(". ") + 2 if ". " in paragraph else 0
    doc = Annotated(
        Article(id="a", source="t", text=paragraph), paragraphs=(Span(0, len(paragraph)),)
    )
    assert not is_statement(doc, Span(last, len(paragraph)))
