"""The HTML report: one self-contained file, no network resources, article text escaped.

Jinja2 renders with autoescaping on, so article text (untrusted: a scraped page can
hold anything) is always shown as text. A Content-Security-Policy meta tag forbids
every network fetch and every script, so even a missed escape could not load or run
anything.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from importlib import resources
from typing import Any

import jinja2

from newsparallax import __version__
from newsparallax.config import ReportOptions
from newsparallax.extract.segment import paragraph_spans
from newsparallax.model import Annotated, InputFailure, MentionType, Place, Report, Story

# Organisations, places and groups listed per story, most widely reported first.
_OTHERS = 30
_WORDS = re.compile(r"\w{3,}")
# Shared claims shown in the outlet × claim table.
_COVERAGE_CLAIMS = 12
# Map framing, in tenths of a degree: room around the markers, and the narrowest view.
_MAP_MARGIN = 60
_MAP_MIN_WIDTH = 250


def template_environment(package: str = "newsparallax.render") -> jinja2.Environment:
    """Jinja2 as every page of Parallax uses it: autoescaped, strict about missing names."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = _day
    return env


def render_html(report: Report, options: ReportOptions) -> str:
    """The report as one HTML document."""
    docs = {doc.id: doc for doc in report.articles}
    stories = []
    errors = list(report.errors)
    for story in report.stories:
        try:  # one story that cannot be drawn costs that story, not the report
            stories.append(_story_view(story, docs, options))
        except Exception as exc:
            where = f"html writer, story {story.id} ({story.title!r})"
            errors.append(InputFailure(where, f"{type(exc).__name__}: {exc}"))
    entity_names = {e.id: e.name for story in report.stories for e in story.entities}
    labels = {doc.id: _label(doc) for doc in report.articles}
    template = template_environment().get_template("report.html.j2")
    return template.render(
        report=report,
        stories=stories,
        errors=errors,
        labels=labels,
        entity_names=entity_names,
        story_of={a: story for story in report.stories for a in story.article_ids},
        world=_world_paths() if any(s.places for s in report.stories) else None,
        version=__version__,
        removed_count=sum(len(d.article.removed) for d in report.articles),
    )


def _story_view(story: Story, docs: dict[str, Annotated], options: ReportOptions) -> dict[str, Any]:
    return {
        "story": story,
        "articles": [_article_view(docs[a], options) for a in story.article_ids if a in docs],
        "outlets": _outlets(docs[a] for a in story.article_ids if a in docs),
        "people": [e for e in story.entities if e.type is MentionType.PERSON],
        "map": map_view(story.places),
        "coverage": coverage_view(
            story, {a: _label(docs[a]) for a in story.article_ids if a in docs}
        ),
        "copies": [d for d in story.duplicates if d.kind != "paraphrase"],
        "summary": [
            (s, [(a, _supporting(docs[a], s.text)) for a in s.sources if a in docs])
            for s in story.summary
        ],
        "paraphrases": sum(1 for d in story.duplicates if d.kind == "paraphrase"),
        "unplaced": sorted(
            {
                t.span.of(docs[a].article.text)
                for a in story.article_ids
                if a in docs
                for t in docs[a].toponyms
                if t.lat is None and not t.metonymy
            }
        ),
        "others": [e for e in story.entities if e.type is not MentionType.PERSON][:_OTHERS],
        "reasons": {r.article_id: r for r in story.join_reasons},
    }


def _supporting(doc: Annotated, claim: str) -> str:
    """The sentence of an article that most resembles a summary sentence: its evidence."""
    words = set(_WORDS.findall(claim.lower()))
    sentences = [s.of(doc.article.text) for s in doc.sentences] or [doc.article.text]

    def overlap(sentence: str) -> float:
        found = set(_WORDS.findall(sentence.lower()))
        return len(words & found) / (len(words | found) or 1)

    return max(sentences, key=overlap)


def coverage_view(story: Story, labels: dict[str, str]) -> dict[str, Any]:
    """Which article states which of the story's shared claims, and what only it states."""
    shared = [c for c in story.claims if len(c.sources) > 1][:_COVERAGE_CLAIMS]
    rows = []
    for article_id, label in labels.items():
        only = sum(1 for c in story.claims if c.sources == (article_id,))
        rows.append(
            {"label": label, "cells": [article_id in c.sources for c in shared], "only": only}
        )
    return {"claims": shared, "rows": rows}


def map_view(places: Sequence[Place]) -> dict[str, Any] | None:
    """Markers for a story's towns and regions on the world outline, framed around them.

    Countries and continents are listed rather than drawn: a dot in the middle of Russia
    says less than its name. Coordinates follow world-110m.json: x = (lon + 180) * 10,
    y = (90 - lat) * 10.
    """
    local = [p for p in places if p.kind not in ("country", "continent")]
    if not local:
        return None
    xs = [round((p.lon + 180) * 10) for p in local]
    ys = [round((90 - p.lat) * 10) for p in local]
    markers = [
        {"x": x, "y": y, "name": p.name, "sources": len(p.article_ids)}
        for x, y, p in zip(xs, ys, local, strict=True)
    ]
    width: float = max(max(xs) - min(xs) + 2 * _MAP_MARGIN, _MAP_MIN_WIDTH)
    height: float = max(max(ys) - min(ys) + 2 * _MAP_MARGIN, width / 2)
    width = max(width, height * 2) * 1.15  # room for the labels right of the markers
    height = width / 2
    x0 = (min(xs) + max(xs)) / 2 - width / 2 + width * 0.05
    y0 = (min(ys) + max(ys)) / 2 - height / 2
    return {
        "viewbox": f"{x0:.0f} {y0:.0f} {width:.0f} {height:.0f}",
        "markers": markers,
        "radius": round(width / 160, 1),
        "font": round(width / 45, 1),
    }


def _world_paths() -> list[str]:
    data = json.loads(
        resources.files("newsparallax.render").joinpath("world-110m.json").read_text("utf-8")
    )
    return list(data["countries"].values())


def _article_view(doc: Annotated, options: ReportOptions) -> dict[str, Any]:
    text = doc.article.text
    spans = doc.paragraphs or paragraph_spans(text)
    return {
        "doc": doc,
        "label": _label(doc),
        "paragraphs": [s.of(text) for s in spans],
        "excerpt": text[: options.excerpt_chars].rsplit(" ", 1)[0]
        + ("…" if len(text) > options.excerpt_chars else ""),
    }


def _label(doc: Annotated) -> str:
    """How a source is named to readers: its outlet, else its title, else its file or URL."""
    source = doc.article.source.rstrip("/")
    return doc.article.outlet or doc.article.title or source.rsplit("/", 1)[-1] or doc.id


def _outlets(docs: Any) -> list[tuple[str, int]]:
    counts = Counter(doc.article.outlet or "unknown outlet" for doc in docs)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%-d %b %Y")
