"""The HTML report: one self-contained file, no network resources, article text escaped.

Jinja2 renders with autoescaping on, so article text (untrusted: a scraped page can
hold anything) is always shown as text. A Content-Security-Policy meta tag forbids
every network fetch and every script, so even a missed escape could not load or run
anything.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

import jinja2

from newsparallax import __version__
from newsparallax.config import ReportOptions
from newsparallax.extract.segment import paragraph_spans
from newsparallax.model import Annotated, MentionType, Report

# Organisations, places and groups listed per story, most widely reported first.
_OTHERS = 30


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("newsparallax.render", "templates"),
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
    stories = [
        {
            "story": story,
            "articles": [_article_view(docs[a], options) for a in story.article_ids if a in docs],
            "outlets": _outlets(docs[a] for a in story.article_ids if a in docs),
            "people": [e for e in story.entities if e.type is MentionType.PERSON],
            "others": [e for e in story.entities if e.type is not MentionType.PERSON][:_OTHERS],
        }
        for story in report.stories
    ]
    entity_names = {e.id: e.name for story in report.stories for e in story.entities}
    labels = {doc.id: _label(doc) for doc in report.articles}
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        stories=stories,
        labels=labels,
        entity_names=entity_names,
        version=__version__,
        removed_count=sum(len(d.article.removed) for d in report.articles),
    )


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
