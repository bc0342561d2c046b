"""Summaries: corroborated claims first, copies counted once, every sentence cited."""

from __future__ import annotations

import re
from typing import Any

import pytest

from newsparallax.crosscheck.summary import _independent_sources, _trim, summarise
from newsparallax.model import (
    Annotated,
    Article,
    Claim,
    Duplicate,
    DuplicateKind,
    Passage,
    Span,
    Story,
)
from newsparallax.similarity import content_terms, sentence_names


def test_summary_trims_datelines_and_connectives() -> None:
    assert _trim("DUNMERE, Valdoria — Twelve people died.") == "Twelve people died."
    assert _trim("However, the talks failed.") == "The talks failed."
    assert _trim("Twelve people died.") == "Twelve people died."


def test_summary_copies_count_once() -> None:
    rewrite = Duplicate(
        DuplicateKind.DERIVED_ARTICLE, Passage("b", Span(0, 1)), Passage("a", Span(0, 1)), 0.9
    )
    story = Story("s", "t", ("a", "b", "c"), duplicates=(rewrite,))
    assert _independent_sources(story) == {"a": "a", "b": "a", "c": "c"}


def test_summary_prefers_corroboration_and_avoids_repeating_itself() -> None:
    docs = [Annotated(Article(id=i, source="t", text="x", title=f"Headline {i}")) for i in "abc"]
    claims = (
        Claim("The dam failed on Monday and flooded the town of Dunmere.", ("a", "b", "c")),
        Claim("The dam failed on Monday, flooding the town of Dunmere.", ("a", "b")),
        Claim("Twelve people died in the flood, the agency said.", ("a", "c")),
        Claim("A baker described the sound of the water.", ("b",)),
    )
    story = summarise(docs, Story("s", "t", ("a", "b", "c"), claims=claims), size=2)
    texts = [s.text for s in story.summary]
    assert texts[0].startswith("The dam failed on Monday and")
    assert "Twelve people died" in texts[1]  # not the near-repeat of the first
    assert story.summary[0].sources == ("a", "b", "c")


def test_summary_on_the_seeds(seeds_report: dict[str, Any]) -> None:
    [story] = seeds_report["stories"]
    summary = story["summary"]
    assert 4 <= len(summary) <= 8
    assert sum(1 for s in summary if len(s["sources"]) >= 2) >= len(summary) / 2
    claims = {c["text"]: c["sources"] for c in story["claims"]}
    for sentence in summary:  # each cites every article that states it
        matching = [
            sources
            for text, sources in claims.items()
            if sentence["text"].lower() in text.lower()  # trimmed, maybe recapitalised
        ]
        assert matching and sentence["sources"] == matching[0]
    headlines = {a["title"] for a in seeds_report["articles"] if a["title"]}
    assert story["title"] in headlines
    # the title names what one of the best-supported claims says
    most = max(len(c["sources"]) for c in story["claims"])
    tops = [c["text"].lower() for c in story["claims"] if len(c["sources"]) == most]
    title_words = {w for w in story["title"].lower().split() if len(w) > 3}
    assert any(len(title_words & set(top.split())) >= 2 for top in tops), (story["title"], tops)


def test_summary_word_limit_keeps_whole_sentences() -> None:
    docs = [Annotated(Article(id=i, source="t", text="x")) for i in "ab"]
    claims = (
        Claim("The dam failed on Monday and flooded the town of Dunmere.", ("a", "b")),
        Claim("Twelve people died in the flood, the agency said.", ("a", "b")),
        Claim("A baker described the sound of the water.", ("b",)),
    )
    story = summarise(docs, Story("s", "t", ("a", "b"), claims=claims), size=3, max_words=15)
    assert [s.text for s in story.summary] == [claims[0].text]  # 11 words; the next would pass 15


def cited_passages(story: dict[str, Any], texts: dict[str, str]) -> list[tuple[str, list[str]]]:
    """Each summary sentence with the passages its citations open: for every article it
    cites, that article's (or, for a copy, its original's) passage in the sentence's claim."""
    original_of = {
        c["article_id"]: g["original"] for g in story["copy_groups"] for c in g["copies"]
    }
    out = []
    for sentence in story["summary"]:
        [claim] = [
            c
            for c in story["claims"]
            if sentence["text"].lower() in c["text"].lower() and c["sources"] == sentence["sources"]
        ][:1]
        by_article = {
            p["article_id"]: texts[p["article_id"]][p["start"] : p["end"]]
            for p in claim["passages"]
        }
        passages = [
            by_article.get(source) or by_article[original_of[source]]
            for source in sentence["sources"]
        ]
        out.append((sentence["text"], passages))
    return out


def supports(passage: str, sentence: str) -> bool:
    """What a reader checks first: the passage speaks of the same things (content words
    in common), names no other party when both name some, gives no other number."""
    terms = set(content_terms(sentence)) & set(content_terms(passage))
    names_a, names_b = sentence_names(sentence), sentence_names(passage)
    numbers_a = set(re.findall(r"\d[\d,.]*\d|\d", sentence))
    numbers_b = set(re.findall(r"\d[\d,.]*\d|\d", passage))
    return (
        len(terms) >= 3
        and (not names_a or not names_b or bool(names_a & names_b))
        and (not numbers_a or not numbers_b or bool(numbers_a & numbers_b))
    )


@pytest.mark.parametrize("which", ["seeds_report", "demo_report"])
def test_summary_every_citation_opens_a_passage_that_supports_it(
    which: str, request: pytest.FixtureRequest
) -> None:
    report = request.getfixturevalue(which)
    texts = {a["id"]: a["text"] for a in report["articles"]}
    checked = 0
    for story in report["stories"]:
        for sentence, passages in cited_passages(story, texts):
            for passage in passages:
                assert supports(passage, sentence), (sentence, passage)
                checked += 1
    assert checked >= 10
