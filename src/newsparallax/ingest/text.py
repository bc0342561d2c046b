"""Plain-text articles: one file, one article; a headline-like first line is the title;
TOML front matter between `+++` lines may say its outlet, date, address and title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from newsparallax.config import IngestOptions
from newsparallax.errors import EmptyInput, InputError
from newsparallax.ingest.files import decode_text, read_bytes
from newsparallax.ingest.metadata import split_front_matter
from newsparallax.ingest.raw import RawArticle

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.,;:]['\"’”)\]]*$")


def read_text_file(path: Path, options: IngestOptions) -> Iterator[RawArticle | InputError]:
    text = decode_text(str(path), read_bytes(path, options.max_file_bytes))
    metadata, text = split_front_matter(text, str(path))
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise EmptyInput(str(path), "file holds only whitespace")
    title = None
    if len(paragraphs) > 1 and reads_like_headline(paragraphs[0], options):
        title, paragraphs = paragraphs[0], paragraphs[1:]
    raw = RawArticle(source=str(path), body="\n".join(paragraphs), title=title)
    yield metadata.fill(raw) if metadata else raw


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text, each on one line.

    Two layouts are common: one paragraph per line (exports, scrapes) and paragraphs
    separated by blank lines with hard-wrapped lines inside (email, wire copy). When the
    text has blank lines we take the second reading and unwrap; otherwise every line
    is a paragraph.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _BLANK_LINE.search(text.strip()):
        blocks = _BLANK_LINE.split(text)
        return [" ".join(block.split()) for block in blocks if block.strip()]
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def reads_like_headline(line: str, options: IngestOptions) -> bool:
    """Short, and not ending like a sentence (a headline has no final period)."""
    words = line.split()
    return (
        0 < len(words) <= options.headline_max_words
        and len(line) <= options.headline_max_chars
        and not _SENTENCE_END.search(line)
    )
