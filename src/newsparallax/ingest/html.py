"""HTML pages through trafilatura, and HTML fragments (feed entries, JSON fields) through lxml.

trafilatura is the field's best-measured main-text extractor: it drops navigation,
footers and comments and reads the title, date and site name from the page's
metadata. A fragment is not a page (no boilerplate around it), so it only needs its
block structure turned into paragraphs, which lxml does directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from newsparallax.config import IngestOptions
from newsparallax.errors import EmptyInput, InputError
from newsparallax.ingest.files import decode_text, read_bytes
from newsparallax.ingest.raw import RawArticle, clean_field, parse_published

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "pre",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "figcaption",
    ]
)
_TAG = re.compile(r"<(?:p|div|br|span|a|b|i|em|strong|h[1-6]|ul|ol|li|blockquote)\b", re.I)


def read_html_file(path: Path, options: IngestOptions) -> Iterator[RawArticle | InputError]:
    html = decode_text(str(path), read_bytes(path, options.max_file_bytes))
    yield page_to_article(html, source=str(path), url=None)


def page_to_article(html: str, *, source: str, url: str | None) -> RawArticle:
    """One web page to one article: main text, title, date and outlet from its metadata."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        raise EmptyInput(source, "no article text found in the HTML page")
    outlet = clean_field(getattr(doc, "sitename", None)) or clean_field(
        getattr(doc, "hostname", None)
    )
    if outlet is None and url:
        outlet = urlsplit(url).hostname
    return RawArticle(
        source=url or source,
        body=body,
        title=clean_field(getattr(doc, "title", None)),
        outlet=outlet,
        published=parse_published(getattr(doc, "date", None)),
    )


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


def fragment_to_text(fragment: str) -> str:
    """An HTML fragment's text, one block element per line; scripts and styles dropped."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment
    etree.strip_elements(root, "script", "style", with_tail=False)
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    def walk(element: lxml.html.HtmlElement) -> None:
        if not isinstance(element.tag, str):  # a comment or processing instruction
            current.append(element.tail or "")
            return
        block = element.tag in _BLOCK_TAGS
        if block or element.tag == "br":
            flush()
        current.append(element.text or "")
        for child in element:
            walk(child)
        if block:
            flush()
        current.append(element.tail or "")

    walk(root)
    flush()
    return "\n".join(lines)
