"""WARC archives through warcio: every HTML response becomes an article via trafilatura.

Archives are streamed record by record, never read whole, so the per-file size limit
does not apply; each record is limited instead. A break in the archive ends it with
an error, and the articles read before the break are kept.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from newsparallax.config import IngestOptions
from newsparallax.errors import EmptyInput, InputError, InputTooLarge, MalformedInput
from newsparallax.ingest.files import decode_text
from newsparallax.ingest.html import page_to_article
from newsparallax.ingest.raw import RawArticle


def read_warc_file(path: Path, options: IngestOptions) -> Iterator[RawArticle | InputError]:
    records = responses = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                records += 1
                if record.rec_type is None:
                    raise _Broken(f"record {records} has no WARC header")
                found = _read_html_response(record, records, path, options)
                _drain(record)
                if getattr(record.raw_stream, "limit", 0) > 0:
                    where = record.rec_headers.get_header("WARC-Target-URI") or f"record {records}"
                    raise _Broken(f"the archive ends inside the record for {where}")
                if found is not None:
                    responses += 1
                    yield found
    except (_Broken, ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
        raise MalformedInput(
            str(path), f"broken WARC archive after {responses} HTML responses: {exc}"
        ) from exc
    if not records:
        raise MalformedInput(
            str(path), "no WARC records found: not a WARC archive, or a broken one"
        )
    if not responses:
        raise EmptyInput(str(path), "WARC archive holds no HTML responses")


class _Broken(Exception):
    """A record that is cut off or has no header: the archive is damaged from here on."""


def _read_html_response(
    record: ArcWarcRecord, number: int, path: Path, options: IngestOptions
) -> RawArticle | InputError | None:
    """The article of an HTML response record, its error, or None for any other record."""
    if not _is_html_response(record):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or f"{path}#{number}"
    payload = record.content_stream().read(options.max_record_bytes + 1)
    if len(payload) > options.max_record_bytes:
        return InputTooLarge(url, "WARC record over ingest.max_record_bytes; skipped")
    try:
        return page_to_article(decode_text(url, payload), source=url, url=url)
    except InputError as exc:
        return exc


def _drain(record: ArcWarcRecord) -> None:
    """Read what is left of the record, so a short record shows as one."""
    while record.raw_stream.read(1 << 16):
        pass


def _is_html_response(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    return "html" in (record.http_headers.get_header("Content-Type") or "").lower()
