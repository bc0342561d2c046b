"""Identifiers derived from content, so a re-run gives the same ids.

Hashing normalised content (not file paths, not timestamps) makes re-ingesting the
same article a no-op and keeps report ids stable for the same input.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

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


def article_id(title: str | None, body: str) -> str:
    """The id of an article: its title and raw body text, before any cleaning.

    Cleaning rules will improve; ids must not change when they do.
    """
    return content_id("a", title, body)


def group_id(prefix: str, member_ids: Iterable[str]) -> str:
    """The id of a group (a story) from its members, independent of their order."""
    return content_id(prefix, *sorted(member_ids))
