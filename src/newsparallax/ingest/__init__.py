"""The outside world to `Article`: files and folders in, cleaned articles (or errors) out.

Each format has a thin reader over the library made for it; this module picks the
reader by suffix, turns what it finds into `Article`s (cleaning boilerplate on the
way) and turns every failure into an `InputError` that names its input. Nothing here
raises for one bad file: the caller gets the error in the stream and moves on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from newsparallax.config import IngestOptions, Settings
from newsparallax.errors import EmptyInput, InputError, InputTooLarge, UnsupportedInput
from newsparallax.ingest.clean import clean_paragraphs
from newsparallax.ingest.feeds import read_feed_file
from newsparallax.ingest.files import find_files
from newsparallax.ingest.html import read_html_file
from newsparallax.ingest.metadata import Metadata, metadata_from, outlet_of_address, read_sidecar
from newsparallax.ingest.raw import RawArticle
from newsparallax.ingest.records import read_json_file, read_jsonl_file
from newsparallax.ingest.text import read_text_file
from newsparallax.ingest.warc import read_warc_file
from newsparallax.model import Article, article_id, publication_key

Reader = Callable[[Path, IngestOptions], Iterator[RawArticle | InputError]]

# Suffix -> reader. Longest suffixes first so ".warc.gz" wins over ".gz".
READERS: dict[str, Reader] = {
    ".warc.gz": read_warc_file,
    ".warc": read_warc_file,
    ".txt": read_text_file,
    ".text": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".jsonl": read_jsonl_file,
    ".ndjson": read_jsonl_file,
    ".json": read_json_file,
    ".rss": read_feed_file,
    ".atom": read_feed_file,
    ".xml": read_feed_file,
}


def reader_for(path: Path) -> Reader:
    name = path.name.lower()
    for suffix, reader in READERS.items():
        if name.endswith(suffix):
            return reader
    raise UnsupportedInput(
        str(path), f"no reader for this kind of file; readable: {', '.join(READERS)}"
    )


def read_articles(
    paths: Iterable[str | Path], settings: Settings
) -> Iterator[Article | InputError]:
    """Every article in `paths` (files, folders read recursively), cleaned, or an error.

    Errors come in the stream in input order; an error in the middle of a file (a bad
    JSON line, a broken WARC record) keeps what the file yielded before it.
    """
    for item in find_files(paths, READERS):
        if isinstance(item, InputError):
            yield item
        else:
            yield from read_file(item, settings)


def read_file(path: Path, settings: Settings) -> Iterator[Article | InputError]:
    """The articles of one file, or the errors that stopped them; a metadata sidecar
    beside the file fills what its articles do not say (`ingest/metadata.py`)."""
    try:
        reader = reader_for(path)
        try:
            sidecar = read_sidecar(path)
        except InputError as exc:  # the article is still read, without its metadata
            yield exc
            sidecar = None
        single = reader in (read_text_file, read_html_file)  # a sidecar's url is one article's
        for found in reader(path, settings.ingest):
            if isinstance(found, InputError):
                yield found
                continue
            if sidecar is not None:
                found = sidecar.fill(found, with_url=single)
            yield _article_or_error(found, settings)
    except InputError as exc:
        yield exc
    except (RecursionError, MemoryError) as exc:
        yield InputError(
            str(path), f"too deeply nested or too large to parse ({type(exc).__name__})"
        )


def _article_or_error(raw: RawArticle, settings: Settings) -> Article | InputError:
    try:
        return to_article(raw, settings)
    except InputError as exc:
        return exc


def to_article(raw: RawArticle, settings: Settings) -> Article:
    """Clean a reader's find into an `Article` whose id derives from where it was published
    and its raw content (`model.ids.article_id`).

    The run's `--outlet` and `--published` fill what the input left open; a web address
    with no outlet is credited to its domain (shown, not part of the id, so stores made
    before keep their ids)."""
    raw = _with_run_defaults(raw, settings)
    paragraphs = [" ".join(line.split()) for line in raw.body.splitlines() if line.strip()]
    kept, removed = clean_paragraphs(paragraphs, title=raw.title, options=settings.clean)
    if not kept:
        raise EmptyInput(raw.source, "nothing is left once boilerplate is removed")
    length = sum(len(p) for p in kept)
    if length > settings.ingest.max_article_chars:
        raise InputTooLarge(
            raw.source,
            f"article text of {length:,} characters is over the "
            f"{settings.ingest.max_article_chars:,} limit (ingest.max_article_chars); "
            "is this one article?",
        )
    return Article(
        id=article_id(raw.title, "\n".join(paragraphs), publication_key(raw.source, raw.outlet)),
        source=raw.source,
        text="\n\n".join(kept),
        title=raw.title,
        outlet=raw.outlet or outlet_of_address(raw.source),
        published=raw.published,
        removed=tuple(removed),
    )


def _with_run_defaults(raw: RawArticle, settings: Settings) -> RawArticle:
    options = settings.ingest
    if not (options.outlet or options.published):
        return raw
    published = metadata_from({"published": options.published}, "--published").published
    return Metadata(options.outlet, published if options.published else None).fill(raw)


__all__ = ["READERS", "read_articles", "read_file", "to_article"]
