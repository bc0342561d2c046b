"""Temporal expressions: the labelled gate, and the rules one by one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparallax.extract.publication import date_article, infer_anchor
from newsparallax.extract.times import (
    _ABBREVIATION,
    _SENTENCE_END,
    SentenceStarts,
    find_time_expressions,
    tense_at,
)
from newsparallax.extract.timevalues import resolve
from newsparallax.model import Annotated, Article, Removal, RemovalReason, Span
from time_eval import evaluate

DATE_VALUE_FLOOR = 0.95


def values(text: str, anchor: date | None) -> dict[str, str | None]:
    return {
        t.span.of(text): t.value for t in resolve(find_time_expressions(text), anchor, text=text)
    }


def test_times_gate_on_our_labelled_set() -> None:
    scores = evaluate()
    assert scores.checks >= 80
    assert scores.accuracy >= DATE_VALUE_FLOOR, scores.misses


@pytest.mark.parametrize(
    ("text", "tense"),
    [
        ("He will begin his term on Jan. 20.", "future"),
        ("Trump is set to assume office on January 20.", "future"),
        ("Ukraine fired six missiles on Nov. 19.", "past"),
        # a participle after a modal's "be" is not the past; what is expected or payable
        # is ahead
        ("The pilot will be named commander for a flight in December.", "future"),
        ("The reduced dividend is payable Jan. 2.", "future"),
        ("The sale's closing is expected in December.", "future"),
        # what was planned, put off until, or could come as early as a day is ahead of
        # it; "next to" is a place, not the week after
        ("Protesters planned a march on Saturday.", "future"),
        ("The hearing was postponed until Tuesday.", "future"),
        ("The father could arrive as early as Tuesday.", "future"),
        # what people were planning, and "this coming" day, are ahead
        ("Drivers were planning to block the ring road on Monday.", "future"),
        ("Harvest Day falls this coming Sunday.", "future"),
        ("Hundreds were hurt in the blasts next to the embassies on Friday.", "past"),
        ("Having won on November 5, he is set to assume office on January 20.", "past"),
        ("The minister takes office on January 20.", None),
        # "since" opens what has gone on from a day past, whatever follows
        ("The ferry has run daily since March and will keep running until May.", "past"),
        # capitalised names in -ed, "hundred" and "succeed" are no past verbs; an initial,
        # a title or "a.m." ends no sentence, so the "will" before them still counts
        ("Envoys of the United Nations meet on Monday.", None),
        ("Two hundred riders start on Sunday.", None),
        ("The board said Ana K. Ortiz will succeed him Feb. 1.", "future"),
        ("The firm will name Ana K. Ortiz chair on Friday.", "future"),
        ("The convoy will leave Mr. Okafor's farm at 6 a.m. Saturday.", "future"),
        # irregular pasts count as the regular ones do
        ("The cooperative bought the mill in February.", "past"),
    ],
)
def test_times_tense_of_the_clause(text: str, tense: str | None) -> None:
    [first, *_] = find_time_expressions(text)
    assert tense_at(text, first.span) == tense


def test_times_bad_input_gives_sensible_results() -> None:
    assert values("The law was passed on February 30, 2024.", date(2024, 5, 1)) == {
        "February 30, 2024": None
    }
    assert values("It happened on Nov. 19 and then last week.", None) == {
        "Nov. 19": None,
        "last week": None,
    }  # no anchor: nothing relative is guessed
    assert values("No dates here at all, we may say.", date(2024, 1, 1)) == {}
    assert values("The plan runs until 3000 homes are built in 9999.", date(2024, 1, 1)) == {}
    assert values("Two days later, it rained.", date(2024, 1, 1)) == {"Two days later": None}


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # present, past and future references: recognised, no calendar value
        ("Prices are rising now.", date(1998, 3, 1), {"now": None}),
        ("Shares fell recently.", date(1998, 3, 1), {"recently": None}),
        ("Talks may resume in the future.", date(1998, 3, 1), {"in the future": None}),
        # bare years, but not counts
        (
            "The dam opened 1978; it closed 2001.",
            date(2024, 1, 1),
            {"1978": "1978", "2001": "2001"},
        ),
        ("About 2000 people marched.", date(2024, 1, 1), {}),
        # quarters (TimeML YYYY-Qn)
        ("Profit rose in the third quarter.", date(1989, 10, 30), {"the third quarter": "1989-Q3"}),
        (
            "Sales fell in the latest quarter.",
            date(1989, 10, 30),
            {"the latest quarter": "1989-Q3"},
        ),
        ("Profit fell in the fourth quarter.", date(1989, 5, 2), {"the fourth quarter": "1988-Q4"}),
        # seasons (YYYY-SU …), decades (YYY), centuries (YY)
        ("It snowed heavily last fall.", date(1998, 2, 6), {"last fall": "1997-FA"}),
        ("The games open this summer.", date(1998, 3, 22), {"this summer": "1998-SU"}),
        ("Rates peaked in the 1980s.", date(1998, 3, 22), {"the 1980s": "198"}),
        ("It was a boom in the nineties.", date(1998, 3, 22), {"the nineties": "199"}),
        ("It began in the 20th century.", date(1998, 3, 22), {"the 20th century": "19"}),
        # "ago" and "earlier" in months and years, at their precision
        ("The plant closed two years ago.", date(1998, 4, 24), {"two years ago": "1996"}),
        ("He left three months ago.", date(1998, 4, 24), {"three months ago": "1998-01"}),
        ("Sales rose from a year earlier.", date(1998, 2, 6), {"a year earlier": "1997"}),
        # a decade back is a year, as "ten years ago" is; year-end is its last day
        ("The mine shut a decade ago.", date(1999, 3, 12), {"a decade ago": "1989"}),
        ("The deal should close by year-end.", date(1989, 11, 2), {"year-end": "1989-12-31"}),
        ("Stocks are up 9% since year-end.", date(1989, 10, 30), {"since year-end": "1988-12-31"}),
        # "two months before <event>" relates two events and names no date
        (
            "It came two months before he leaves office.",
            date(2024, 11, 18),
            {"two months before": None},
        ),
        # months with this/last/next, as TimeML resolves them
        ("It was cold last February.", date(1998, 3, 1), {"last February": "1997-02"}),
        ("They will meet this September.", date(1998, 3, 4), {"this September": "1998-09"}),
        # a past-tense clause does not send next month's date eleven months back
        ("He said the vote was set in January.", date(1989, 12, 1), {"January": "1990-01"}),
        # a year's quarter or half named with the year (TimeML YYYY-Qn, YYYY-Hn)
        (
            "Profit beat the 1988 third quarter.",
            date(1989, 10, 30),
            {"the 1988 third quarter": "1988-Q3"},
        ),
        # a quarter with the year it is of, however the year is named
        (
            "Output peaked in the third quarter of 1984.",
            date(1989, 10, 30),
            {"the third quarter of 1984": "1984-Q3"},
        ),
        (
            "Margins beat this year's second quarter and trail next year's first quarter.",
            date(1989, 10, 30),
            {"this year's second quarter": "1989-Q2", "next year's first quarter": "1990-Q1"},
        ),
        (
            "Losses narrowed over the first two quarters of 1990.",
            date(1990, 8, 1),
            {"the first two quarters of 1990": "1990-H1"},
        ),
        (
            "Sales fell in the first half of 1990.",
            date(1990, 8, 1),
            {"the first half of 1990": "1990-H1"},
        ),
        # in a report on a quarter, "last year" as the figure compared with is that
        # quarter a year back; "last year" as when something happened stays the year
        (
            "In the third quarter net rose to $5 million, compared with $3 million last "
            "year. Last year the firm moved to Leeds.",
            date(1989, 10, 30),
            {"the third quarter": "1989-Q3", "last year": "1988-Q3", "Last year": "1988"},
        ),
        # a weekday beside its date is that date; a yearless date takes the year in
        # which it falls on that weekday
        (
            "The vote is set for Saturday, April 25.",
            date(1998, 4, 24),
            {"Saturday": "1998-04-25", "April 25": "1998-04-25"},
        ),
        (
            "The ferry last sailed on Friday, Jan. 3.",
            date(2025, 12, 20),
            {"Friday": "2025-01-03", "Jan. 3": "2025-01-03"},
        ),
        # holidays of the US calendar, the nearest one the tense allows
        ("Shops close on Labor Day.", date(2025, 8, 20), {"Labor Day": "2025-09-01"}),
        ("Crowds came on Memorial Day.", date(2025, 8, 20), {"Memorial Day": "2025-05-26"}),
        # "a few years ago": before the text's time, with no value to give
        ("The mill shut a few years ago.", date(1998, 4, 24), {"a few years ago": None}),
        # "for the week", "the week's": the week the text speaks from
        ("For the week, the index rose.", date(1989, 10, 30), {"the week": "1989-W44"}),
        # a weekend is its ISO week with -WE
        (
            "Over the weekend, fighting resumed.",
            date(1990, 8, 13),
            {"Over the weekend": "1990-W32-WE"},
        ),
    ],
)
def test_times_timeml_kinds_have_their_rule(
    text: str, anchor: date, expected: dict[str, str | None]
) -> None:
    assert values(text, anchor) == expected


def test_times_anchor_from_the_latest_past_date_below_future_ones() -> None:
    text = (
        "Trump will begin his term on Jan. 20, 2025. On Nov. 19, missiles were fired. "
        "On Dec. 13, officials spoke."
    )
    anchor = infer_anchor(find_time_expressions(text))
    assert anchor.day == date(2024, 12, 13) and anchor.latest == date(2025, 1, 20)
    assert anchor.day_precise


def test_times_anchor_from_an_embedded_post() -> None:
    doc = Annotated(
        Article(
            id="a",
            source="t",
            text="Zelensky spoke on Sunday night.",
            removed=(Removal("— A B (@ab) November 17, 2024", RemovalReason.SOCIAL_EMBED),),
        )
    )
    dated, anchor = date_article(doc)
    assert anchor.day == date(2024, 11, 17)
    assert dated.article.published == date(2024, 11, 17) and dated.article.published_inferred
    assert [t.value for t in dated.times] == ["2024-11-17"]


def test_times_metadata_wins_over_inference() -> None:
    doc = Annotated(
        Article(id="a", source="t", text="It happened on Monday.", published=date(2025, 3, 5))
    )
    dated, anchor = date_article(doc)
    assert anchor.from_metadata and not dated.article.published_inferred
    assert [t.value for t in dated.times] == ["2025-03-03"]


def test_times_text_without_dates_has_no_anchor() -> None:
    doc = Annotated(Article(id="a", source="t", text="Nothing is dated here."))
    dated, anchor = date_article(doc)
    assert anchor.day is None and dated.article.published is None
    assert not dated.article.published_inferred


def test_times_spans_are_inside_the_text() -> None:
    text = "Since 2022, on Monday, in May and on Nov. 19, 2024 (two days later) it rained."
    for expression in find_time_expressions(text):
        assert isinstance(expression.span, Span)
        assert 0 <= expression.span.start < expression.span.end <= len(text)


def _corpus_texts() -> list[str]:
    """Our own texts with dates in them: the date, story and quote fixtures and the demo."""
    import json

    from conftest import DATA

    texts = []
    for name in ("times.jsonl", "stories.jsonl", "quotes.jsonl", "quantities.jsonl"):
        for line in (DATA / name).read_text("utf-8").splitlines():
            if line.strip():
                texts.append(str(json.loads(line).get("text", "")))
    demo = Path(__file__).resolve().parents[1] / "src" / "newsparallax" / "demo"
    texts += [p.read_text("utf-8") for p in sorted(demo.iterdir()) if p.suffix in {".txt", ".html"}]
    return texts


_TRICKY = (
    "Christmastime sales rose; Halloweens past; the Mondays blur.",
    "Mid-March, the 1990s and year-end figures; a 3-day strike, five hours later.",
    "In Sept. 2019 and on Jan. 5, the nineteen ninety-six race; 10th anniversary.",
    "Right now, for now, these days and recently, in the coming weeks.",
)


def test_times_each_pattern_searched_only_where_its_words_are() -> None:
    """The gate before each pattern (`Pattern.needs`) must never hide a match: every
    match of every pattern, read out to whole words, holds the words its gate asks for,
    and the expressions found with the gate are those found without it."""
    from newsparallax.extract import times

    texts = [*_corpus_texts(), *_TRICKY]
    for text in texts:
        for pattern in times.PATTERNS:
            for match in pattern.regex.finditer(text):
                start, end = match.start(), match.end()
                while start > 0 and text[start - 1].isalnum():
                    start -= 1
                while end < len(text) and text[end].isalnum():
                    end += 1
                words = times.text_words(text[start:end])
                assert pattern.may_match(words), (pattern.rule, text[start:end])
    gated = [find_time_expressions(t) for t in texts]
    every = [(p, p.needs) for p in times.PATTERNS]
    try:
        for pattern, _ in every:
            object.__setattr__(pattern, "needs", ())
        assert [find_time_expressions(t) for t in texts] == gated
    finally:
        for pattern, needs in every:
            object.__setattr__(pattern, "needs", needs)
    assert times.text_words("On Sept. 5, 2019") == {"on", "sept", "0"}


@settings(max_examples=600, deadline=None)
@given(
    pieces=st.lists(
        st.sampled_from(
            ["Rain fell", ".", "!", " ", "  ", "\n", "”", "“", "A", "b", "Monday", "Dr", "a.m"]
        ),
        max_size=30,
    ),
    data=st.data(),
)
def test_times_sentence_starts_from_one_search_are_the_scans_own(
    pieces: list[str], data: st.DataObject
) -> None:
    """Issue 16: one search of the text finds, for any position, the sentence start that
    searching from the text's start up to that position found (quadratic in a long text),
    less the periods of a title, an initial or "a.m."."""
    text = "".join(pieces)
    position = data.draw(st.integers(0, len(text)))
    scanned = max(
        (
            m.end()
            for m in _SENTENCE_END.finditer(text, 0, position)
            if not _ABBREVIATION.search(text[: m.start() + 1])
        ),
        default=0,
    )
    assert SentenceStarts(text).at(position) == scanned
