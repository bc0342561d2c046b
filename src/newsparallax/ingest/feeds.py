"""RSS and Atom feeds through feedparser: one article per entry.

feedparser reads every RSS and Atom dialect and tolerates the broken XML that real
feeds serve; it flags what it had to forgive (`bozo`). A feed it could forgive is
read; one it could make nothing of is reported as malformed.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from newsparallax.config import IngestOptions
from newsparallax.errors import EmptyInput, InputError, MalformedInput
from newsparallax.ingest.files import read_bytes
from newsparallax.ingest.html import fragment_to_text, looks_like_html
from newsparallax.ingest.raw import RawArticle, clean_field


def read_feed_file(path: Path, options: IngestOptions) -> Iterator[RawArticle | InputError]:
    data = read_bytes(path, options.max_file_bytes)
    if not data.strip():
        raise EmptyInput(str(path), "file is empty")
    feed = feedparser.parse(data)
    if not feed.entries:
        if feed.get("bozo"):
            problem = feed.get("bozo_exception")
            raise MalformedInput(str(path), f"not a readable RSS or Atom feed: {problem}")
        if not feed.get("version"):
            raise MalformedInput(str(path), "not an RSS or Atom feed")
        raise EmptyInput(str(path), "feed has no entries")
    outlet = clean_field(feed.feed.get("title"))
    bodies = [entry_body(entry) for entry in feed.entries]
    if feed.get("bozo") and not any(bodies):
        problem = feed.get("bozo_exception")
        raise MalformedInput(str(path), f"not a readable RSS or Atom feed: {problem}")
    for index, (entry, body) in enumerate(zip(feed.entries, bodies, strict=True)):
        where = f"{path}#entry{index + 1}"
        if not body:
            yield EmptyInput(where, "feed entry has neither content nor summary")
            continue
        yield RawArticle(
            source=clean_field(entry.get("link")) or where,
            body=body,
            title=clean_field(entry.get("title")),
            outlet=outlet,
            published=entry_date(entry),
        )


def entry_body(entry: Any) -> str | None:
    """The entry's full content when the feed carries it, else its summary."""
    candidates = [c.get("value") for c in entry.get("content", [])] + [entry.get("summary")]
    for value in candidates:
        if isinstance(value, str) and value.strip():
            text = fragment_to_text(value) if looks_like_html(value) else value
            if text.strip():
                return text
    return None


def entry_date(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
