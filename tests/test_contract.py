"""The JSON contract: every report validates, the codec round-trips, our schema extends the shared one."""

from __future__ import annotations

import dataclasses
import itertools
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from newsparallax.analysis import analyze
from newsparallax.config import Settings
from newsparallax.model import (
    Annotated,
    Article,
    Claim,
    Discrepancy,
    DiscrepancyValue,
    Duplicate,
    DuplicateKind,
    Entity,
    InputFailure,
    JoinReason,
    KeptApart,
    Mention,
    MentionType,
    Passage,
    Place,
    Quantity,
    Quote,
    Removal,
    RemovalReason,
    Report,
    Span,
    Story,
    SummarySentence,
    TimeExpr,
    TimelineEvent,
    Toponym,
)
from newsparallax.render import load_schema, report_from_json, report_json_text, report_to_json
from newsparallax.store import SQLiteStore

SHARED_SCHEMA = SEEDS.parent / "contract" / "report.schema.json"


def validate(document: dict[str, Any], schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def schemas() -> list[dict[str, Any]]:
    found = [load_schema()]
    if SHARED_SCHEMA.exists():
        found.append(json.loads(SHARED_SCHEMA.read_text()))
    return found


@pytest.fixture(scope="module")
def demo_report(demo_corpus: Path) -> Report:
    with SQLiteStore(":memory:") as store:
        return analyze([demo_corpus], store, Settings.defaults())


def full_report() -> Report:
    """A report with every kind of finding filled in, built by hand."""
    text = "Kyiv said on Monday that 10 people died. “It is late,” Sikorski said."
    article = Article(
        id="a1",
        source="https://x.example/1",
        text=text,
        title="T",
        outlet="X",
        published=datetime(2024, 11, 19, 8, 30, tzinfo=UTC),
        published_inferred=True,
        removed=(Removal("Photo: AAP", RemovalReason.CAPTION),),
    )
    other = Article(id="a2", source="b.txt", text="Ten people died.", published=date(2024, 11, 20))
    doc = Annotated(
        article,
        paragraphs=(Span(0, len(text)),),
        sentences=(Span(0, 40), Span(41, len(text))),
        mentions=(Mention(Span(0, 4), MentionType.PLACE, "e1"),),
        times=(TimeExpr(Span(13, 19), "2024-11-18"),),
        toponyms=(
            Toponym(Span(0, 4), 50.45, 30.52, 703448, metonymy=True),
            Toponym(Span(0, 4), 50.45, 30.52, 703448, embedded=True),
        ),
    )
    story = Story(
        id="s1",
        title="Ten dead",
        article_ids=("a1", "a2"),
        summary=(SummarySentence("Ten people died.", ("a1", "a2")),),
        join_reasons=(
            JoinReason("a1", 0.31, ("dead", "flood"), ("kyiv",)),
            JoinReason("a2", 0.31, ("flood",), ()),
        ),
        kept_apart=(KeptApart("a9", 0.21, 0.31, 0.44),),
        entities=(Entity("e1", "Kyiv", MentionType.PLACE, ("Kyiv", "Kiev"), ("a1",), None),),
        quotes=(Quote("It is late,", "Sikorski", None, "a1", Span(42, 53), ("a2",)),),
        timeline=(
            TimelineEvent(
                "2024-11-02", "A warning was issued.", ("a2",), ("on Nov. 2",), key=False
            ),
            TimelineEvent("2024-11-18", "Ten people died.", ("a1",), ("on Monday",)),
        ),
        places=(Place("Kyiv", 50.45, 30.52, ("a1",), "UA", "city"),),
        quantities=(Quantity("10 people", 10.0, "people", "a1", None, None, "deaths"),),
        claims=(Claim("Ten people died.", ("a1", "a2"), "Kyiv"),),
        discrepancies=(
            Discrepancy(
                "deaths",
                (
                    DiscrepancyValue("10", ("a1",), 10.0, "people"),
                    DiscrepancyValue("ten", ("a2",), 10.0, None),
                ),
                "compatible",
            ),
        ),
        duplicates=(
            Duplicate(
                DuplicateKind.NEAR, Passage("a1", Span(0, 40)), Passage("a2", Span(0, 16)), 0.8
            ),
        ),
    )
    return Report(
        datetime(2026, 1, 1, tzinfo=UTC),
        (doc, Annotated(other)),
        (story,),
        (InputFailure("bad.txt", "file is empty"),),
    )


@pytest.mark.parametrize("schema", schemas(), ids=["own", "shared"][: len(schemas())])
def test_contract_demo_report_validates(demo_report: Report, schema: dict[str, Any]) -> None:
    validate(report_to_json(demo_report), schema)


@pytest.mark.parametrize("schema", schemas(), ids=["own", "shared"][: len(schemas())])
def test_contract_full_report_validates(schema: dict[str, Any]) -> None:
    validate(report_to_json(full_report()), schema)


def test_contract_every_list_present_even_when_empty(demo_report: Report) -> None:
    document = report_to_json(demo_report)
    story = document["stories"][0]
    for key in ("summary", "entities", "quotes", "timeline", "quantities", "claims", "duplicates"):
        assert story[key], key  # filled by the stages that run today (the demo's places
        # are fictional, so none is on the map)
    annotations = document["articles"][0]["annotations"]
    assert annotations["sentences"] and annotations["mentions"] and annotations["times"]


def test_contract_codec_round_trips(demo_report: Report) -> None:
    for report in (demo_report, full_report()):
        encoded = report_to_json(report)
        assert report_from_json(json.loads(json.dumps(encoded))) == report


def test_contract_refuses_other_documents() -> None:
    with pytest.raises(ValueError, match="not a parallax/v1 report"):
        report_from_json({"schema": "other"})


def is_extension(shared: Any, ours: Any, path: str = "") -> list[str]:
    """Where `ours` removes or changes something `shared` has (adding is allowed)."""
    if isinstance(shared, dict) and isinstance(ours, dict):
        problems = []
        for key, value in shared.items():
            if key not in ours:
                problems.append(f"{path}/{key} removed")
            else:
                problems += is_extension(value, ours[key], f"{path}/{key}")
        return problems
    return [] if shared == ours else [f"{path} changed"]


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="../shared/contract is not present")
def test_contract_our_schema_only_extends_the_shared_one() -> None:
    assert is_extension(json.loads(SHARED_SCHEMA.read_text()), load_schema()) == []


text_strategy = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=40, deadline=None)
@given(
    text=text_strategy,
    title=st.none() | text_strategy,
    outlet=st.none() | text_strategy,
    cuts=st.lists(st.integers(0, 60), max_size=6),
)
def test_contract_round_trip_property(
    text: str, title: str | None, outlet: str | None, cuts: list[int]
) -> None:
    points = sorted({min(c, len(text)) for c in cuts})
    spans = tuple(Span(a, b) for a, b in itertools.pairwise(points))
    doc = Annotated(
        Article(id="a", source="s", text=text, title=title, outlet=outlet), sentences=spans
    )
    report = Report(datetime(2026, 1, 1, tzinfo=UTC), (doc,), ())
    assert report_from_json(json.loads(json.dumps(report_to_json(report)))) == report


def test_contract_a_story_the_writer_cannot_write_costs_only_that_story() -> None:
    report = full_report()
    good = report.stories[0]
    broken = dataclasses.replace(
        good,
        id="s2",
        title="Broken",
        duplicates=(
            Duplicate(
                DuplicateKind.NEAR, Passage("gone", Span(0, 4)), Passage("a1", Span(0, 4)), 1.0
            ),
        ),
    )
    document = report_to_json(dataclasses.replace(report, stories=(good, broken)))
    assert [s["id"] for s in document["stories"]] == ["s1"]
    assert document["errors"][-1]["source"] == "json writer, story s2 ('Broken')"
    assert document["errors"][-1]["error"].startswith("KeyError")
    for schema in schemas():
        validate(document, schema)
    # written a piece at a time, as the store and `analyze --json` write it: the same
    text = "".join(report_json_text(dataclasses.replace(report, stories=(good, broken))))
    assert json.loads(text) == document


def test_contract_the_report_written_piece_by_piece_is_the_report(demo_report: Report) -> None:
    for indent in (None, 1):
        text = "".join(report_json_text(demo_report, indent))
        assert json.loads(text) == report_to_json(demo_report)
    empty = dataclasses.replace(demo_report, articles=(), stories=(), errors=())
    assert json.loads("".join(report_json_text(empty))) == report_to_json(empty)


def test_contract_demo_sunday_talks_called_on_a_saturday_are_the_next_day(
    demo_report: Report,
) -> None:
    # "has invited … to talks on Sunday" in an article of Saturday 8 March 2025
    talks = [e for s in demo_report.stories for e in s.timeline if "to talks on Sunday" in e.text]
    assert talks and all(e.date == "2025-03-09" for e in talks)
