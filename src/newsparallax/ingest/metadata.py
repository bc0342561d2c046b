"""What a plain file cannot say about itself: its outlet, publication date, address, title.

A text or HTML file saved from the web has lost where it came from, so a report of five
such files says "5 articles from 1 outlet" and names sources by file name. Three ways
to say it, each filling only what the earlier ones left open:
- TOML front matter at the top of a text file, between two `+++` lines;
- a sidecar beside the file: `NAME.meta.json` for `NAME.txt`, `NAME.html` (or any
  other input; for files of many records it fills what each record lacks, except `url`);
- the command line's `--outlet` and `--published`, for every file of the run.
A record with a web address and no outlet is credited to the address's domain.

Keys: `outlet`, `published` (ISO 8601 date or date-time, or RFC 2822), `url`, `title`.
An unknown key or an unreadable date is an error that names the file, never a guess.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsparallax.errors import MalformedInput
from newsparallax.ingest.files import SIDECAR_SUFFIX
from newsparallax.ingest.raw import RawArticle, parse_published

KEYS = ("outlet", "published", "url", "title")
_FRONT_MATTER = re.compile(r"\A\ufeff?\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)


@dataclass(frozen=True, slots=True)
class Metadata:
    outlet: str | None = None
    published: date | datetime | None = None
    url: str | None = None
    title: str | None = None

    def fill(self, raw: RawArticle, *, with_url: bool = True) -> RawArticle:
        """`raw` with what it lacks taken from here (what it has is kept)."""
        return dataclasses.replace(
            raw,
            outlet=raw.outlet or self.outlet,
            published=raw.published or self.published,
            title=raw.title or self.title,
            source=self.url
            if with_url and self.url and not is_web_address(raw.source)
            else raw.source,
        )


def metadata_from(fields: Any, where: str) -> Metadata:
    """Metadata from a decoded object; `where` names it in errors."""
    if not isinstance(fields, dict):
        raise MalformedInput(where, f"metadata must be a table of {', '.join(KEYS)}")
    unknown = sorted(set(fields) - set(KEYS))
    if unknown:
        raise MalformedInput(
            where, f"unknown metadata key(s) {', '.join(unknown)}; known: {', '.join(KEYS)}"
        )
    for key, value in fields.items():
        if not isinstance(value, str | date) or (isinstance(value, str) and not value.strip()):
            raise MalformedInput(where, f"metadata {key!r} must be a non-empty string")
    published = None
    if "published" in fields:
        published = parse_published(fields["published"])
        if published is None:
            raise MalformedInput(
                where, f"metadata 'published' {fields['published']!r} is not an ISO 8601 date"
            )
    text = {k: str(v).strip() for k, v in fields.items() if k != "published"}
    return Metadata(text.get("outlet"), published, text.get("url"), text.get("title"))


def sidecar_of(path: Path) -> Path:
    """Where the sidecar of `path` lives: `story.txt` -> `story.meta.json`."""
    return path.with_name(path.name.rsplit(".", 1)[0] + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> Metadata | None:
    """The sidecar's metadata, None when there is none; MalformedInput naming it if bad."""
    sidecar = sidecar_of(path)
    if sidecar == path or not sidecar.is_file():
        return None
    try:
        fields = json.loads(sidecar.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedInput(str(sidecar), f"unreadable metadata sidecar: {exc}") from exc
    return metadata_from(fields, str(sidecar))


def split_front_matter(text: str, where: str) -> tuple[Metadata | None, str]:
    """TOML front matter (between `+++` lines at the top) and the text after it."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None, text
    try:
        fields = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as exc:
        raise MalformedInput(where, f"front matter is not TOML: {exc}") from exc
    return metadata_from(fields, f"{where} (front matter)"), text[match.end() :]


def outlet_of_address(source: str) -> str | None:
    """The outlet a web address names: its host without "www." ("apnews.com")."""
    if not is_web_address(source):
        return None
    host = urlsplit(source).hostname or ""
    return host.removeprefix("www.") or None


def is_web_address(source: str) -> bool:
    """Whether a source is an http(s) address (not a file path, a corpus key, a script)."""
    return source.startswith(("http://", "https://"))
