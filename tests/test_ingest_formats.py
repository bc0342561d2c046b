"""Each input format, read through its reader into cleaned articles."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsparallax.config import Settings
from newsparallax.errors import InputError
from newsparallax.ingest import read_articles
from newsparallax.model import Article, RemovalReason

Write = Callable[[str, "str | bytes"], Path]

PARAGRAPH = (
    "The ferry from Port Alder to the island of Merrin ran aground on Tuesday morning, "
    "and all 112 passengers were taken off safely by lifeboat, the coastguard said."
)
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Ferry runs aground off Merrin | The Harbour Times</title>
<meta property="og:site_name" content="The Harbour Times">
<meta name="date" content="2025-03-04"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Ferry runs aground off Merrin</h1>
<p>{p}</p>
<p>Captain Ole Brask said fog had rolled in within minutes and the radar had failed shortly before the ship struck the sandbank.</p>
<p>The ferry operator said services to the island would resume on Thursday once the ship had been inspected by divers.</p>
</article><footer>Copyright 2025 The Harbour Times. All rights reserved.</footer></body></html>
""".replace("{p}", PARAGRAPH)


def read(settings: Settings, *paths: Path) -> tuple[list[Article], list[InputError]]:
    articles: list[Article] = []
    errors: list[InputError] = []
    for item in read_articles(paths, settings):
        (errors if isinstance(item, InputError) else articles).append(item)  # type: ignore[arg-type]
    return articles, errors


def test_ingest_txt_headline_first_line_is_title(settings: Settings, write: Write) -> None:
    path = write("a.txt", f"Ferry runs aground off Merrin\n{PARAGRAPH}\nSecond paragraph here.\n")
    [article], errors = read(settings, path)
    assert errors == []
    assert article.title == "Ferry runs aground off Merrin"
    assert article.text == f"{PARAGRAPH}\n\nSecond paragraph here."
    assert article.source == str(path)


@pytest.mark.parametrize(
    "first",
    [
        PARAGRAPH,  # a sentence: ends with a period
        "Earlier this week, the ferry company said it would add a second ship.",
        "One, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirteen, "
        "fourteen, fifteen, sixteen, seventeen, eighteen, nineteen, twenty, twenty-one words",
    ],
)
def test_ingest_txt_sentence_first_line_is_not_a_title(
    settings: Settings, write: Write, first: str
) -> None:
    [article], _ = read(settings, write("a.txt", f"{first}\nMore text follows here.\n"))
    assert article.title is None
    assert article.text.startswith(first)


def test_ingest_txt_single_line_is_body_not_title(settings: Settings, write: Write) -> None:
    [article], _ = read(settings, write("a.txt", "Ferry runs aground off Merrin"))
    assert article.title is None and article.text == "Ferry runs aground off Merrin"


def test_ingest_txt_blank_line_layout_unwraps_hard_wrapped_lines(
    settings: Settings, write: Write
) -> None:
    text = "Ferry aground\n\nThe ferry ran\naground on Tuesday.\n\nAll were\r\nrescued.\n"
    [article], _ = read(settings, write("a.txt", text))
    assert article.title == "Ferry aground"
    assert article.text == "The ferry ran aground on Tuesday.\n\nAll were rescued."


def test_ingest_txt_detects_a_legacy_encoding(settings: Settings, write: Write) -> None:
    text = "Café owners in Sète protest\nThe owners of the café said the rent was déjà too high."
    [article], errors = read(settings, write("a.txt", text.encode("cp1252")))
    assert errors == []
    assert article.title == "Café owners in Sète protest"
    assert "déjà" in article.text


def test_ingest_txt_utf8_bom_and_utf16(settings: Settings, write: Write) -> None:
    body = "Kyiv and Odesa were quiet overnight, officials said."
    a, _ = read(settings, write("bom.txt", b"\xef\xbb\xbf" + body.encode("utf-8")))
    b, _ = read(settings, write("u16.txt", body.encode("utf-16")))
    assert a[0].text == body == b[0].text


def test_ingest_html_via_trafilatura(settings: Settings, write: Write) -> None:
    [article], errors = read(settings, write("page.html", PAGE))
    assert errors == []
    assert article.title == "Ferry runs aground off Merrin"
    assert article.outlet == "The Harbour Times"
    assert article.published == date(2025, 3, 4)
    assert article.text.startswith(PARAGRAPH)  # the repeated <h1> headline was removed
    assert "Copyright" not in article.text and "Home" not in article.text
    assert [r.reason for r in article.removed] == [RemovalReason.TITLE_REPEATED]


def test_ingest_json_single_record_list_and_wrapper(settings: Settings, write: Write) -> None:
    record = {
        "title": "Ferry aground",
        "body": PARAGRAPH,
        "url": "https://h.example/f",
        "date": "2025-03-04T08:00:00Z",
        "source": "The Harbour Times",
    }
    single = write("one.json", json.dumps(record))
    many = write("many.json", json.dumps([record, {**record, "text": "Other text.", "url": None}]))
    wrapped = write("wrapped.json", json.dumps({"articles": [{**record, "content": "Third."}]}))
    articles, errors = read(settings, single, many, wrapped)
    assert errors == []
    first = articles[0]
    assert first.source == "https://h.example/f"  # the record's url, not the file
    assert first.outlet == "The Harbour Times"
    assert first.published == datetime(2025, 3, 4, 8, tzinfo=UTC)
    assert [a.text for a in articles] == [PARAGRAPH, PARAGRAPH, "Other text.", PARAGRAPH]
    assert articles[2].source == str(many)  # no url: the file path


def test_ingest_json_html_body_becomes_paragraphs(settings: Settings, write: Write) -> None:
    record = {"title": "T", "content": "<p>First <b>bold</b> one.</p><p>Second one.</p>"}
    [article], _ = read(settings, write("r.json", json.dumps(record)))
    assert article.text == "First bold one.\n\nSecond one."


def test_ingest_jsonl_bad_line_is_reported_and_others_kept(
    settings: Settings, write: Write
) -> None:
    lines = [
        json.dumps({"title": "A", "text": "First article."}),
        "{not json",
        "",
        json.dumps({"title": "C", "text": "Third article."}),
        json.dumps([1, 2]),
    ]
    path = write("feed.jsonl", "\n".join(lines))
    articles, errors = read(settings, path)
    assert [a.text for a in articles] == ["First article.", "Third article."]
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:5"]
    assert "not valid JSON" in errors[0].problem
    assert "expected a JSON object" in errors[1].problem


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Bay Observer</title>
<item><title>Ferry aground</title><link>https://bay.example/ferry</link>
<pubDate>Tue, 04 Mar 2025 09:30:00 +0100</pubDate>
<description><![CDATA[<p>{p}</p><p>Second paragraph.</p>]]></description></item>
<item><title>Empty</title><link>https://bay.example/empty</link></item>
</channel></rss>""".replace("{p}", PARAGRAPH)

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Atom</title>
<entry><title>Ferry aground</title><link href="https://h.example/a"/>
<updated>2025-03-04T10:00:00Z</updated>
<content type="html">&lt;p&gt;Full content wins.&lt;/p&gt;</content>
<summary>Only a summary.</summary></entry></feed>"""


def test_ingest_rss_entries_with_summary(settings: Settings, write: Write) -> None:
    path = write("feed.rss", RSS)
    [article], [error] = read(settings, path)
    assert article.title == "Ferry aground"
    assert article.outlet == "Bay Observer"
    assert article.source == "https://bay.example/ferry"
    assert article.published == datetime(2025, 3, 4, 8, 30, tzinfo=UTC)
    assert article.text == f"{PARAGRAPH}\n\nSecond paragraph."
    assert "neither content nor summary" in error.problem


def test_ingest_atom_prefers_full_content(settings: Settings, write: Write) -> None:
    [article], errors = read(settings, write("feed.atom", ATOM))
    assert errors == []
    assert article.text == "Full content wins."
    assert article.published == datetime(2025, 3, 4, 10, tzinfo=UTC)


def warc_bytes(pages: list[tuple[str, str, str]], compress: bool = False) -> bytes:
    """A WARC archive of (url, content type, body) responses, built with warcio."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for url, content_type, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body.encode("utf-8")), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "compress"), [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_ingest_warc_html_responses(
    settings: Settings, write: Write, name: str, compress: bool
) -> None:
    data = warc_bytes(
        [
            ("https://h.example/ferry", "text/html; charset=utf-8", PAGE),
            ("https://h.example/logo.png", "image/png", "not html"),
        ],
        compress,
    )
    [article], errors = read(settings, write(name, data))
    assert errors == []
    assert article.source == "https://h.example/ferry"
    assert article.title == "Ferry runs aground off Merrin"
    assert article.text.startswith(PARAGRAPH)


def test_ingest_folder_is_read_recursively_skipping_hidden_and_unknown(
    settings: Settings, write: Write, tmp_path: Path
) -> None:
    write("corpus/a.txt", "First article text.")
    write("corpus/sub/b.txt", "Second article text.")
    write("corpus/.hidden.txt", "Hidden.")
    write("corpus/notes.pdf", b"%PDF-1.4")
    articles, errors = read(settings, tmp_path / "corpus")
    assert sorted(a.text for a in articles) == ["First article text.", "Second article text."]
    assert errors == []


def test_ingest_same_article_twice_has_one_id(settings: Settings, write: Write) -> None:
    """The same file (from another folder, line endings and spaces aside) is one publication."""
    a = write("a.txt", "Ferry aground\nThe ferry ran aground.")
    b = write("copy/a.txt", "Ferry aground\r\nThe ferry  ran aground.\n")
    articles, _ = read(settings, a, b)
    assert articles[0].id == articles[1].id


def test_ingest_same_text_from_two_publications_is_two_articles(
    settings: Settings, write: Write
) -> None:
    """A wire story run by two outlets is two articles (the copies report links them)."""
    text = "The ferry ran aground off Carrick Point."
    records = [
        {"text": text, "outlet": "Ledger"},
        {"text": text, "outlet": "Gazette"},
        {"text": text, "url": "https://ledger.example/ferry"},
        {"text": text, "url": "https://ledger.example/ferry#comments"},  # the same page
        {"text": text, "url": "https://gazette.example/ferry"},
    ]
    path = write("wire.jsonl", "\n".join(json.dumps(r) for r in records))
    articles, _ = read(settings, path)
    assert len({a.id for a in articles}) == 4
    names, _ = read(settings, write("x.txt", text), write("y.txt", text))
    assert names[0].id != names[1].id


def test_ingest_gz_suffix_alone_is_unsupported(settings: Settings, write: Write) -> None:
    _, [error] = read(settings, write("x.txt.gz", gzip.compress(b"text")))
    assert "no reader" in error.problem
