"""The one codec between the data model and the JSON contract (`report.schema.json`).

Nothing else serialises the model. Encoding is total (every required field, lists
empty where no stage filled them); decoding is its inverse, so a report written by
`parallax analyze --json` can be read back and rendered again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from importlib import resources
from typing import Any

from newsparallax.model import (
    Annotated,
    Article,
    Claim,
    Copy,
    CopyGroup,
    Discrepancy,
    DiscrepancyValue,
    Duplicate,
    DuplicateKind,
    Entity,
    InputFailure,
    JoinReason,
    KeptApart,
    Measure,
    Mention,
    MentionType,
    Passage,
    Place,
    Quantity,
    Quotation,
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

SCHEMA_ID = "parallax/v1"


def load_schema() -> dict[str, Any]:
    """The project's copy of the contract, shipped with the package."""
    text = resources.files("newsparallax.render").joinpath("report.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def report_to_json(report: Report) -> dict[str, Any]:
    """The report as the contract's JSON. A story that cannot be written is left out and
    named in `errors`; the rest of the report is written."""
    stories, errors = _stories_and_errors(report)
    return {
        "schema": SCHEMA_ID,
        "generated_at": report.generated_at.isoformat(),
        "articles": [_article(doc) for doc in report.articles],
        "stories": list(stories),
        "errors": errors,
    }


def report_json_text(report: Report, indent: int | None = None) -> Iterator[str]:
    """`report_to_json(report)` as JSON text, a piece at a time: an article or a story is
    built, written and let go before the next, so that writing the report of 10,000
    articles never holds all of their JSON objects at once (about five times the text)."""
    stories, errors = _stories_and_errors(report)
    yield from assemble_report_text(
        report.generated_at.isoformat(),
        (_text(_article(doc), indent) for doc in report.articles),
        (_text(story, indent) for story in stories),
        errors,
        indent,
    )


def assemble_report_text(
    generated_at: str,
    articles: Iterable[str],
    stories: Iterable[str],
    errors: Iterable[dict[str, str]],
    indent: int | None = None,
) -> Iterator[str]:
    """A report's JSON text from its articles' and stories' JSON texts, in order.

    `errors` is read after the stories (writing a story may add one).
    """
    yield f'{{"schema": {json.dumps(SCHEMA_ID)}, '
    yield f'"generated_at": {json.dumps(generated_at)},\n"articles": ['
    for index, article in enumerate(articles):
        yield ("," if index else "") + "\n" + article
    yield '],\n"stories": ['
    for index, story in enumerate(stories):
        yield ("," if index else "") + "\n" + story
    yield f'],\n"errors": {_text(list(errors), indent)}}}\n'


# The fields of a story its grouping decides (this run's: scores depend on every stored
# article); the rest are what its story stages found, which stand while its articles
# stay the same (`story_parts`).
GROUPING_FIELDS = ("id", "title", "article_ids", "join_reasons", "bridged_by", "kept_apart")


def story_parts(story: Story, docs: Sequence[Annotated]) -> tuple[str, str]:
    """A story's JSON text in the two parts the store keeps apart: its grouping fields
    (`GROUPING_FIELDS` less id, title and members, which the store has as columns) and
    the rest. `join_story_parts` puts them back together."""
    whole = _story(story, {d.id: d.article.text for d in docs})
    grouping = {field: whole.pop(field) for field in GROUPING_FIELDS}
    for column in ("id", "title", "article_ids"):
        grouping.pop(column)
    return _text(grouping, None), _text(whole, None)


def story_grouping(story: Story) -> str:
    """The first part of `story_parts` alone: why each article joined, which bridge."""
    return _text(_grouping(story), None)


def _grouping(story: Story) -> dict[str, Any]:
    return {
        "bridged_by": list(story.bridged_by),
        "join_reasons": [
            {
                "article_id": r.article_id,
                "score": r.score,
                "terms": list(r.terms),
                "names": list(r.names),
            }
            for r in story.join_reasons
        ],
        "kept_apart": [
            {
                "article_id": k.article_id,
                "similarity": k.similarity,
                "within": k.within,
                "other_within": k.other_within,
            }
            for k in story.kept_apart
        ],
    }


def join_story_parts(
    story_id: str, title: str, article_ids: Sequence[str], grouping: str, rest: str
) -> str:
    """A story's JSON text from its columns and the two parts of `story_parts`
    (object texts, spliced without being parsed: the store holds thousands)."""
    head = {"id": story_id, "title": title, "article_ids": list(article_ids)}
    parts = [_text(head, None)[1:-1], grouping[1:-1], rest[1:-1]]
    return "{" + ", ".join(p for p in parts if p.strip()) + "}"


def article_json_text(doc: Annotated) -> str:
    """One article and its annotations as the contract's JSON text."""
    return _text(_article(doc), None)


def _stories_and_errors(report: Report) -> tuple[Iterator[dict[str, Any]], list[dict[str, str]]]:
    """Each story's JSON as it is asked for, and the report's errors: those of the run,
    then one for each story that could not be written (known once the stories are)."""
    texts = {doc.id: doc.article.text for doc in report.articles}
    errors = [{"source": e.source, "error": e.error} for e in report.errors]

    def stories() -> Iterator[dict[str, Any]]:
        for story in report.stories:
            try:
                written = _story(story, texts)
            except Exception as exc:
                errors.append(story_write_error(story, exc))
                continue
            yield written

    return stories(), errors


def story_write_error(story: Story, exc: Exception) -> dict[str, str]:
    """The report's error for a story that could not be written (it is left out)."""
    where = f"json writer, story {story.id} ({story.title!r})"
    return {"source": where, "error": f"{type(exc).__name__}: {exc}"}


def _text(value: Any, indent: int | None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


def article_to_json(doc: Annotated) -> dict[str, Any]:
    """One article and its annotations, as the contract writes it."""
    return _article(doc)


def article_from_json(data: dict[str, Any]) -> Annotated:
    """The inverse of `article_to_json`."""
    return _article_from(data)


def _article(doc: Annotated) -> dict[str, Any]:
    a = doc.article
    return {
        "id": a.id,
        "source": a.source,
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published.isoformat() if a.published else None,
        "published_inferred": a.published_inferred,
        "text": a.text,
        "removed": [{"text": r.text, "reason": str(r.reason)} for r in a.removed],
        "paragraphs": [[s.start, s.end] for s in doc.paragraphs],
        "annotations": {
            "sentences": [[s.start, s.end] for s in doc.sentences],
            "mentions": [
                {
                    "start": m.span.start,
                    "end": m.span.end,
                    "type": str(m.type),
                    "entity": m.entity,
                    "role": m.role,
                }
                for m in doc.mentions
            ],
            "quotes": [
                {
                    "start": q.span.start,
                    "end": q.span.end,
                    "text": q.text,
                    "speaker": q.speaker_text,
                    "speaker_start": q.speaker.start if q.speaker else None,
                    "speaker_end": q.speaker.end if q.speaker else None,
                    "cue_start": q.cue.start if q.cue else None,
                    "cue_end": q.cue.end if q.cue else None,
                }
                for q in doc.quotes
            ],
            "quantities": [
                {
                    "start": m.span.start,
                    "end": m.span.end,
                    "value": m.value,
                    "unit": m.unit,
                    "si_value": m.si_value,
                    "si_unit": m.si_unit,
                    "about": m.about,
                    "qualifier": m.qualifier,
                    "converts": m.converts,
                }
                for m in doc.quantities
            ],
            "times": [
                {
                    "start": t.span.start,
                    "end": t.span.end,
                    "value": t.value,
                    "kind": t.kind,
                    "rule": t.rule,
                }
                for t in doc.times
            ],
            "toponyms": [
                {
                    "start": t.span.start,
                    "end": t.span.end,
                    "lat": t.lat,
                    "lon": t.lon,
                    "geonameid": t.geonameid,
                    "metonymy": t.metonymy,
                    "name": t.name,
                    "country": t.country,
                    "kind": t.kind,
                    "reason": t.reason,
                    "demonym": t.demonym,
                    "embedded": t.embedded,
                }
                for t in doc.toponyms
            ],
        },
    }


def _story(story: Story, texts: dict[str, str]) -> dict[str, Any]:
    def passage(p: Passage) -> dict[str, Any]:
        return {
            "article_id": p.article_id,
            "text": p.span.of(texts[p.article_id]),
            "start": p.span.start,
            "end": p.span.end,
        }

    return {
        "id": story.id,
        "title": story.title,
        "article_ids": list(story.article_ids),
        "summary": [{"text": s.text, "sources": list(s.sources)} for s in story.summary],
        "summary_rejected": [{"text": s.text} for s in story.summary_rejected],
        **_grouping(story),
        "copy_groups": [
            {
                "original": g.original,
                "copies": [
                    {"article_id": c.article_id, "kind": str(c.kind), "score": c.score}
                    for c in g.copies
                ],
            }
            for g in story.copy_groups
        ],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": str(e.type),
                "aliases": list(e.aliases),
                "article_ids": list(e.article_ids),
                "role": e.role,
            }
            for e in story.entities
        ],
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "speaker_entity": q.speaker_entity,
                "article_id": q.article_id,
                "start": q.span.start,
                "end": q.span.end,
                "also_in": list(q.also_in),
            }
            for q in story.quotes
        ],
        "timeline": [
            {
                "date": t.date,
                "text": t.text,
                "sources": list(t.sources),
                "evidence": list(t.evidence),
                "scheduled": t.scheduled,
                "key": t.key,
            }
            for t in story.timeline
        ],
        "places": [
            {
                "name": p.name,
                "lat": p.lat,
                "lon": p.lon,
                "country": p.country,
                "kind": p.kind,
                "article_ids": list(p.article_ids),
            }
            for p in story.places
        ],
        "quantities": [
            {
                "text": q.text,
                "value": q.value,
                "unit": q.unit,
                "si_value": q.si_value,
                "si_unit": q.si_unit,
                "about": q.about,
                "article_id": q.article_id,
            }
            for q in story.quantities
        ],
        "claims": [
            {
                "text": c.text,
                "sources": list(c.sources),
                "attributed_to": c.attributed_to,
                "passages": [
                    {"article_id": p.article_id, "start": p.span.start, "end": p.span.end}
                    for p in c.passages
                ],
            }
            for c in story.claims
        ],
        "discrepancies": [
            {
                "about": d.about,
                "note": d.note,
                "values": [
                    {"text": v.text, "value": v.value, "unit": v.unit, "sources": list(v.sources)}
                    for v in d.values
                ],
            }
            for d in story.discrepancies
        ],
        "duplicates": [
            {"kind": str(d.kind), "a": passage(d.a), "b": passage(d.b), "score": d.score}
            for d in story.duplicates
        ],
    }


def report_from_json(data: dict[str, Any]) -> Report:
    """The inverse of `report_to_json`.

    Raises:
        ValueError: the document is not a Parallax v1 report.
    """
    if data.get("schema") != SCHEMA_ID:
        raise ValueError(f"not a {SCHEMA_ID} report (schema: {data.get('schema')!r})")
    return Report(
        generated_at=datetime.fromisoformat(data["generated_at"]),
        articles=tuple(_article_from(a) for a in data["articles"]),
        stories=tuple(_story_from(s) for s in data["stories"]),
        errors=tuple(InputFailure(e["source"], e["error"]) for e in data["errors"]),
    )


def _published_from(value: str | None) -> date | datetime | None:
    if not value:
        return None
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)


def _optional_span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else Span(start, end)


def _article_from(a: dict[str, Any]) -> Annotated:
    notes = a["annotations"]
    article = Article(
        id=a["id"],
        source=a["source"],
        text=a["text"],
        title=a["title"],
        outlet=a["outlet"],
        published=_published_from(a["published"]),
        published_inferred=a["published_inferred"],
        removed=tuple(Removal(r["text"], RemovalReason(r["reason"])) for r in a.get("removed", [])),
    )
    return Annotated(
        article=article,
        paragraphs=tuple(Span(s, e) for s, e in a.get("paragraphs", [])),
        sentences=tuple(Span(s, e) for s, e in notes["sentences"]),
        mentions=tuple(
            Mention(Span(m["start"], m["end"]), MentionType(m["type"]), m["entity"], m.get("role"))
            for m in notes["mentions"]
        ),
        quotes=tuple(
            Quotation(
                Span(q["start"], q["end"]),
                q["text"],
                _optional_span(q.get("speaker_start"), q.get("speaker_end")),
                q.get("speaker"),
                _optional_span(q.get("cue_start"), q.get("cue_end")),
            )
            for q in notes.get("quotes", [])
        ),
        quantities=tuple(
            Measure(
                Span(m["start"], m["end"]),
                m["value"],
                m["unit"],
                m.get("si_value"),
                m.get("si_unit"),
                m.get("about"),
                m.get("qualifier"),
                m.get("converts"),
            )
            for m in notes.get("quantities", [])
        ),
        times=tuple(
            TimeExpr(
                Span(t["start"], t["end"]), t["value"], t.get("kind", "date"), t.get("rule", "")
            )
            for t in notes["times"]
        ),
        toponyms=tuple(
            Toponym(
                Span(t["start"], t["end"]),
                t["lat"],
                t["lon"],
                t.get("geonameid"),
                t.get("metonymy", False),
                t.get("name"),
                t.get("country"),
                t.get("kind"),
                t.get("reason"),
                t.get("demonym", False),
                t.get("embedded", False),
            )
            for t in notes["toponyms"]
        ),
    )


def _story_from(s: dict[str, Any]) -> Story:
    def passage(p: dict[str, Any]) -> Passage:
        return Passage(p["article_id"], Span(p["start"], p["end"]))

    return Story(
        id=s["id"],
        title=s["title"],
        article_ids=tuple(s["article_ids"]),
        summary=tuple(SummarySentence(x["text"], tuple(x["sources"])) for x in s["summary"]),
        summary_rejected=tuple(
            SummarySentence(x["text"], ()) for x in s.get("summary_rejected", [])
        ),
        bridged_by=tuple(s.get("bridged_by", [])),
        join_reasons=tuple(
            JoinReason(r["article_id"], r["score"], tuple(r["terms"]), tuple(r["names"]))
            for r in s.get("join_reasons", [])
        ),
        kept_apart=tuple(
            KeptApart(k["article_id"], k["similarity"], k["within"], k["other_within"])
            for k in s.get("kept_apart", [])
        ),
        copy_groups=tuple(
            CopyGroup(
                g["original"],
                tuple(
                    Copy(c["article_id"], DuplicateKind(c["kind"]), c["score"]) for c in g["copies"]
                ),
            )
            for g in s.get("copy_groups", [])
        ),
        entities=tuple(
            Entity(
                e["id"],
                e["name"],
                MentionType(e["type"]),
                tuple(e["aliases"]),
                tuple(e["article_ids"]),
                e.get("role"),
            )
            for e in s["entities"]
        ),
        quotes=tuple(
            Quote(
                q["text"],
                q["speaker"],
                q["speaker_entity"],
                q["article_id"],
                Span(q["start"], q["end"]),
                tuple(q["also_in"]),
            )
            for q in s["quotes"]
        ),
        timeline=tuple(
            TimelineEvent(
                t["date"],
                t["text"],
                tuple(t["sources"]),
                tuple(t.get("evidence", [])),
                t.get("scheduled", False),
                t.get("key", True),
            )
            for t in s["timeline"]
        ),
        places=tuple(
            Place(
                p["name"],
                p["lat"],
                p["lon"],
                tuple(p["article_ids"]),
                p.get("country"),
                p.get("kind"),
            )
            for p in s["places"]
        ),
        quantities=tuple(
            Quantity(
                q["text"],
                q["value"],
                q["unit"],
                q["article_id"],
                q.get("si_value"),
                q.get("si_unit"),
                q.get("about"),
            )
            for q in s["quantities"]
        ),
        claims=tuple(
            Claim(
                c["text"],
                tuple(c["sources"]),
                c.get("attributed_to"),
                tuple(
                    Passage(p["article_id"], Span(p["start"], p["end"]))
                    for p in c.get("passages", [])
                ),
            )
            for c in s["claims"]
        ),
        discrepancies=tuple(
            Discrepancy(
                d["about"],
                tuple(
                    DiscrepancyValue(v["text"], tuple(v["sources"]), v.get("value"), v.get("unit"))
                    for v in d["values"]
                ),
                d.get("note"),
            )
            for d in s["discrepancies"]
        ),
        duplicates=tuple(
            Duplicate(DuplicateKind(d["kind"]), passage(d["a"]), passage(d["b"]), d["score"])
            for d in s["duplicates"]
        ),
    )
