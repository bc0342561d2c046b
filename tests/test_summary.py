"""Summaries: corroborated claims first, copies counted once, every sentence cited."""

from __future__ import annotations

from typing import Any

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
