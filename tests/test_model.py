from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsparallax.analysis import analyze
from newsparallax.config import Settings
from newsparallax.model import Span, article_id, content_id, group_id
from newsparallax.store import SQLiteStore


def test_model_span_refuses_inverted_and_negative_ranges() -> None:
    with pytest.raises(ValueError):
        Span(5, 4)
    with pytest.raises(ValueError):
        Span(-1, 3)


def test_model_span_of_and_shift() -> None:
    span = Span(4, 9)
    assert span.of("the quick brown") == "quick"
    assert span.shifted(2) == Span(6, 11)
    assert len(span) == 5


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kyiv said  on\nMonday", "Kyiv said on Monday"),
        ("  trimmed  ", "trimmed"),
        ("cafe\u0301", "café"),  # decomposed and composed forms are the same text
    ],
)
def test_model_ids_ignore_invisible_differences(a: str, b: str) -> None:
    assert article_id("T", a) == article_id("T", b)


def test_model_ids_differ_for_different_content() -> None:
    assert article_id("T", "one") != article_id("T", "two")
    assert article_id("A", "body") != article_id("B", "body")
    assert article_id(None, "body") == article_id("", "body")
    # a title/body boundary is not movable: parts are separated before hashing
    assert content_id("x", "ab", "c") != content_id("x", "a", "bc")


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=6))
def test_model_group_id_independent_of_member_order(members: list[str]) -> None:
    assert group_id("s", members) == group_id("s", list(reversed(members)))


def test_model_records_cross_between_processes_whole(demo_corpus: Path) -> None:
    """Workers send analysed articles and stories back pickled: every field of every
    record comes back, and a state in the form `dataclasses` writes (a list of the field
    values in order) still restores a record."""
    with SQLiteStore(":memory:") as store:
        report = analyze([demo_corpus], store, Settings.defaults())
    assert report.stories and any(d.mentions for d in report.articles)
    assert pickle.loads(pickle.dumps(report)) == report
    span = Span.__new__(Span)
    span.__setstate__([3, 8])
    assert span == Span(3, 8)
