"""Fuzzing: odd articles through every stage and both writers, with the contract's invariants.

Articles are drawn from Hypothesis strategies for what real copy throws at a parser:
unicode of every category, quote marks of every style (paired and not), very long and
one-character paragraphs, names with particles, initials, suffixes and capitals,
numbers and dates in odd forms, HTML fragments, right-to-left text. Each example is
read as a JSON record is read, analysed with the default stages under the `raise`
policy (so any crash fails the test), written as JSON and HTML, and the output checked:
the JSON validates against the schema, every span lies inside its article's text, and
every id a story refers to exists.

    python -m pytest tests/test_fuzz.py                          # CI: 150 examples
    PARALLAX_FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py   # the long profile
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsparallax.analysis import analyze_articles
from newsparallax.config import Settings
from newsparallax.errors import InputError
from newsparallax.ingest import to_article
from newsparallax.ingest.records import record_to_article
from newsparallax.model import Article
from newsparallax.pipeline import ErrorPolicy, Stage
from newsparallax.render import render_html
from newsparallax.render.contract import load_schema, report_to_json

EXAMPLES = int(os.environ.get("PARALLAX_FUZZ_EXAMPLES", "150"))
SETTINGS = Settings.defaults()


QUOTE_MARKS = [
    '"',
    "“",
    "”",
    "„",
    "‟",
    "‘",
    "’",
    "'",
    "''",
    "``",
    "«",
    "»",
    "‹",
    "›",
    "「",
    "」",
    "´",
]
NAMES = [
    "Ludo van der Berg",
    "Ana de la Cruz",
    "J. R. Carrow",
    "Marta Oyelaran Jr.",
    "Hal Brenner III",
    "Okafor Jr",
    "KESTREL DAM AUTHORITY",
    "Mr. Tavi",
    "Dr. Ines Maro-Velk",
    "Sen. Bo Q. Aldine",
    "Jr",
    "O'Neill-Ó Briain",
]
ODD_NUMBERS = [
    "12/31/1999",
    "31.12.99",
    "Feb. 30",
    "2024-13-45",
    "1e6 km",
    "3½ miles",
    "-5,000,000.5 tonnes",
    "Monday the 32nd",
    "10,000th day",
    "up to 300km (186 miles)",
    "in 1999 and in 20001",
    "two days later",
    "0.000001%",
    "$1.2bn",
    "9:75 p.m.",
    "the 1990s",
]
HTML_BITS = [
    "<p>para</p>",
    "<script>alert(1)</script>",
    "&amp; &#x27; &lt;",
    "<b>unclosed",
    "<br/>",
]
RTL = ["مرحبا بالعالم", "שלום עולם", "\u200fذهب\u200f", "\u202eevil\u202c", "漢字テキスト"]
WORDS = "the dam burst said minister on Monday police in Valdoria over people were killed".split()

any_unicode = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=120)
piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(NAMES),
    st.sampled_from(ODD_NUMBERS),
    st.sampled_from(QUOTE_MARKS),
    st.sampled_from(HTML_BITS),
    st.sampled_from(RTL),
    any_unicode,
)
sentence = st.lists(piece, min_size=1, max_size=25).map(" ".join).map(lambda s: s + ".")
paragraph = st.one_of(
    st.lists(sentence, min_size=1, max_size=5).map(" ".join),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=1),
    st.integers(200, 1500).map(lambda n: " ".join(["long"] * n) + "."),
    any_unicode,
)
record = st.fixed_dictionaries(
    {
        "text": st.lists(paragraph, min_size=1, max_size=6).map("\n\n".join),
        "title": st.one_of(st.none(), sentence),
        "outlet": st.one_of(st.none(), st.sampled_from(["Ledger", "Gazette", "Wire", "ledger"])),
        "published": st.one_of(
            st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(date.isoformat)
        ),
    }
)


def read(records: list[dict[str, Any]]) -> list[Article]:
    """Records read as a JSON file is read; a record refused with a clear InputError is fine."""
    out: dict[str, Article] = {}
    for index, item in enumerate(records):
        try:
            raw = record_to_article(item, fallback_source="fuzz.json", where=f"fuzz.json[{index}]")
            article = to_article(raw, SETTINGS)
        except InputError:
            continue
        out.setdefault(article.id, article)
    return list(out.values())


def check_invariants(document: dict[str, Any]) -> None:
    articles = {a["id"]: a for a in document["articles"]}
    entity_ids = {e["id"] for s in document["stories"] for e in s["entities"]}
    for article in articles.values():
        length = len(article["text"])
        notes = article["annotations"]
        for start, end in notes["sentences"]:
            assert 0 <= start <= end <= length
        for kind in ("mentions", "quotes", "quantities", "times", "toponyms"):
            for item in notes[kind]:
                assert 0 <= item["start"] <= item["end"] <= length, (kind, item)
        for mention in notes["mentions"]:
            assert mention["entity"] is None or mention["entity"] in entity_ids
    for story in document["stories"]:
        members = set(story["article_ids"])
        assert members <= articles.keys()
        referenced = [
            *(a for s in story["summary"] for a in s["sources"]),
            *(a for c in story["claims"] for a in c["sources"]),
            *(a for t in story["timeline"] for a in t["sources"]),
            *(a for e in story["entities"] for a in e["article_ids"]),
            *(a for p in story["places"] for a in p["article_ids"]),
            *(q["article_id"] for q in story["quotes"]),
            *(a for q in story["quotes"] for a in q["also_in"]),
            *(q["article_id"] for q in story["quantities"]),
            *(a for d in story["discrepancies"] for v in d["values"] for a in v["sources"]),
            *(d[side]["article_id"] for d in story["duplicates"] for side in ("a", "b")),
        ]
        assert set(referenced) <= members, set(referenced) - members
        for duplicate in story["duplicates"]:
            for side in ("a", "b"):
                passage = duplicate[side]
                text = articles[passage["article_id"]]["text"]
                assert 0 <= passage["start"] <= passage["end"] <= len(text)


VALIDATOR = jsonschema.Draft202012Validator(load_schema())


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(record, min_size=1, max_size=4))
def test_fuzz_every_stage_and_writer_survive_odd_articles(
    default_stages: list[Stage], records: list[dict[str, Any]]
) -> None:
    articles = read(records)
    report = analyze_articles(articles, SETTINGS, stages=default_stages, policy=ErrorPolicy.RAISE)
    assert not report.errors
    document = report_to_json(report)
    VALIDATOR.validate(document)
    check_invariants(document)
    page = render_html(report, SETTINGS.report)
    assert "<script>alert(1)</script>" not in page
