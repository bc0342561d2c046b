"""Identifiers derived from what a thing is, so a re-run gives the same ids.

An article is a publication: its id derives from where it was published (its URL, else
its file's name and its outlet) and its content, never from timestamps or the folder it
was read from. Re-reading the same file or URL is a no-op; the same wire text run by two
outlets is two articles (linked later as copies), not one silently dropped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePath

_SPACE = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    """Unicode NFC, whitespace collapsed, trimmed: invisible differences do not change ids."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_id(prefix: str, *parts: str | None) -> str:
    """A short stable id: `prefix` + 16 hex digits of SHA-256 over the normalised parts."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(normalise_for_id(part or "").encode("utf-8"))
        digest.update(b"\x1f")
    return f"{prefix}{digest.hexdigest()[:16]}"


_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def publication_key(source: str, outlet: str | None) -> str:
    """Where an article was published: its URL (without a #fragment), else its file's name
    and its outlet. The folder is left out, so the same file read from another working
    folder is the same publication."""
    if _URL.match(source):
        return source.split("#", 1)[0]
    return f"{PurePath(source.split('[', 1)[0]).name}|{outlet or ''}"


def article_id(title: str | None, body: str, publication: str | None = None) -> str:
    """The id of an article: where it was published (`publication_key`), its title and its
    raw body text, before any cleaning (cleaning rules will improve; ids must not change
    when they do).

    The content part is itself the id that content alone would give, so a store written
    before publications counted can be migrated exactly (`publication_id`).
    """
    content = content_id("a", title, body)
    return content if publication is None else publication_id(content, publication)


def publication_id(content: str, publication: str) -> str:
    """An article's id from its content-only id and its publication key."""
    return content_id("a", publication, content)


def group_id(prefix: str, member_ids: Iterable[str]) -> str:
    """The id of a group (a story) from its members, independent of their order."""
    return content_id(prefix, *sorted(member_ids))
