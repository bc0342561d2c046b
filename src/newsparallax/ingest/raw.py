"""What a reader hands to cleaning: an article as found, before boilerplate is removed."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as a reader found it. `body` holds paragraphs separated by newlines."""

    source: str
    body: str
    title: str | None = None
    outlet: str | None = None
    published: date | datetime | None = None


def parse_published(value: object) -> date | datetime | None:
    """An input's publication date: ISO 8601 (date or date-time) or RFC 2822 (feeds, mail).

    Anything else is left out rather than guessed; the time stage infers dates from the
    text when metadata gives none.
    """
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def clean_field(value: object) -> str | None:
    """A metadata string, trimmed; None for missing, empty or non-string values."""
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None
