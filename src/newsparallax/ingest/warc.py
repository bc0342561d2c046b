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

from newsparallax.config import IngestOptions
from newsparallax.errors import EmptyInput, InputError, InputTooLarge, MalformedInput
from newsparallax.ingest.files import decode_text
from newsparallax.ingest.html import page_to_article
from newsparallax.ingest.raw import RawArticle


def read_warc_file(path: Path, options: IngestOptions) -> Iterator[RawArticle | InputError]:
    responses = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                if record.http_headers.get_statuscode() != "200":
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower():
                    continue
                responses += 1
                url = record.rec_headers.get_header("WARC-Target-URI") or f"{path}#{responses}"
                payload = record.content_stream().read(options.max_record_bytes + 1)
                if len(payload) > options.max_record_bytes:
                    yield InputTooLarge(url, "WARC record over ingest.max_record_bytes; skipped")
                    continue
                try:
                    html = decode_text(url, payload)
                    yield page_to_article(html, source=url, url=url)
                except InputError as exc:
                    yield exc
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
        raise MalformedInput(
            str(path), f"broken WARC archive after {responses} HTML responses: {exc}"
        ) from exc
    if not responses:
        raise EmptyInput(str(path), "WARC archive holds no HTML responses")
