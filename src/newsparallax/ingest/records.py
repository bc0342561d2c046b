"""JSON and JSON Lines records: one object per article.

Accepted shapes: a single object, a list of objects, or an object with an `articles`
list (`.json`); one object per line (`.jsonl`). Field names vary between exporters,
so each field has a short list of accepted names, tried in order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsparallax.config import IngestOptions
from newsparallax.errors import EmptyInput, InputError, MalformedInput
from newsparallax.ingest.files import decode_text, read_bytes
from newsparallax.ingest.html import fragment_to_text, looks_like_html
from newsparallax.ingest.raw import RawArticle, clean_field, parse_published

TEXT_FIELDS = ("text", "body", "content")
DATE_FIELDS = ("published", "date")
OUTLET_FIELDS = ("outlet", "source")


def read_json_file(path: Path, options: IngestOptions) -> Iterator[RawArticle | InputError]:
    text = decode_text(str(path), read_bytes(path, options.max_file_bytes), utf8_only=True)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInput(
            str(path), f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if not isinstance(data, list):
        yield _record_or_error(data, str(path), str(path))
        return
    if not data:
        raise EmptyInput(str(path), "JSON holds no records")
    for index, record in enumerate(data):
        yield _record_or_error(record, f"{path}[{index}]", str(path))


def read_jsonl_file(path: Path, options: IngestOptions) -> Iterator[RawArticle | InputError]:
    text = decode_text(str(path), read_bytes(path, options.max_file_bytes), utf8_only=True)
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        seen += 1
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield MalformedInput(where, f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        yield _record_or_error(record, where, str(path))
    if not seen:
        raise EmptyInput(str(path), "file holds no JSON lines")


def _record_or_error(record: Any, where: str, path: str) -> RawArticle | InputError:
    try:
        return record_to_article(record, fallback_source=path, where=where)
    except InputError as exc:
        return exc


def record_to_article(record: Any, *, fallback_source: str, where: str) -> RawArticle:
    """One JSON object to an article; the record's `url` is its source when it has one."""
    if not isinstance(record, dict):
        raise MalformedInput(where, f"expected a JSON object, found {type(record).__name__}")
    body = _first(record, TEXT_FIELDS)
    if body is None:
        raise EmptyInput(where, f"record has no text (looked for: {', '.join(TEXT_FIELDS)})")
    if looks_like_html(body):
        body = fragment_to_text(body)
    outlet = _first(record, OUTLET_FIELDS)
    return RawArticle(
        source=clean_field(record.get("url")) or fallback_source,
        body=body,
        title=clean_field(record.get("title")),
        outlet=clean_field(outlet),
        published=parse_published(_first(record, DATE_FIELDS)),
    )


def _first(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None
