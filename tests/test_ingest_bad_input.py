"""Bad input: a clear error naming the file and the problem; the rest of the batch goes on."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from newsparallax.cli import main
from newsparallax.config import Settings
from newsparallax.errors import (
    EmptyInput,
    InputError,
    InputTooLarge,
    MalformedInput,
    UnreadableInput,
)
from newsparallax.ingest import read_articles
from test_ingest_formats import PAGE, warc_bytes

Write = Callable[[str, "str | bytes"], Path]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4


def only_error(settings: Settings, path: Path) -> InputError:
    items = list(read_articles([path], settings))
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("empty.txt", b"", EmptyInput, "file is empty"),
        ("blank.txt", b"  \n\n \t\n", EmptyInput, "file is empty"),
        ("image.txt", PNG, UnreadableInput, "binary data"),
        (
            "bad.json",
            b'{"text": "caf\xe9 \xff\xfe"}',
            UnreadableInput,
            "not valid UTF-8: first bad byte at offset 13 (this format must be UTF-8)",
        ),
        ("bad.json", b'{"text": "unclosed', MalformedInput, "not valid JSON"),
        ("norecord.json", b"[]", EmptyInput, "JSON holds no records"),
        ("notext.json", b'{"title": "Only a title"}', EmptyInput, "record has no text"),
        ("garbage.xml", b"this is not xml at all", MalformedInput, "RSS or Atom"),
        ("broken.rss", b"<rss><channel><title>x</title><item><title>", MalformedInput, "feed"),
        (
            "empty.rss",
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
            EmptyInput,
            "feed has no entries",
        ),
        (
            "junk.warc",
            b"WARC/1.0\r\nthis is not a warc header block\r\n\r\n" * 3,
            MalformedInput,
            "broken WARC archive",
        ),
        (
            "noresponses.warc",
            warc_bytes([("https://x.example/a.png", "image/png", "png")]),
            EmptyInput,
            "no HTML responses",
        ),
        ("scan.pdf", b"%PDF-1.4 ...", InputError, "no reader for this kind of file"),
        (
            "boiler.txt",
            b"Share this article\nAdvertisement\n",
            EmptyInput,
            "nothing is left once boilerplate is removed",
        ),
    ],
)
def test_ingest_bad_file_gives_error_naming_file_and_problem(
    settings: Settings, write: Write, name: str, content: bytes, kind: type, message: str
) -> None:
    path = write(name, content)
    error = only_error(settings, path)
    assert isinstance(error, kind)
    assert error.source == str(path)
    assert message in error.problem
    assert str(error).startswith(f"{path}: ")


def test_ingest_huge_file_is_refused_unread(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # a sparse 200 MB file: costs no disk, reads would cost time
        handle.truncate(200 * 1024 * 1024)
    error = only_error(settings, path)
    assert isinstance(error, InputTooLarge)
    assert "209.7 MB is over the 50.0 MB limit" in error.problem


def test_ingest_truncated_warc_keeps_records_before_the_break(
    settings: Settings, write: Write
) -> None:
    pages = [
        (f"https://h.example/{i}", "text/html", PAGE.replace("Merrin", f"Merrin {i}"))
        for i in range(3)
    ]
    data = warc_bytes(pages, compress=True)
    path = write("cut.warc.gz", data[: int(len(data) * 0.8)])
    items = list(read_articles([path], settings))
    articles = [i for i in items if not isinstance(i, InputError)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(articles) == 2
    assert len(errors) == 1 and errors[0].source == str(path)
    assert (
        "broken WARC archive after 2 HTML responses: the archive ends inside the record for https://h.example/2"
        in errors[0].problem
    )


def test_ingest_folder_without_readable_files(
    settings: Settings, write: Write, tmp_path: Path
) -> None:
    write("pics/a.png", PNG)
    write("pics/b.pdf", b"%PDF")
    error = only_error(settings, tmp_path / "pics")
    assert "folder holds no readable files (skipped: .pdf, .png)" in error.problem


def test_ingest_missing_path(settings: Settings, tmp_path: Path) -> None:
    error = only_error(settings, tmp_path / "nowhere")
    assert error.problem == "no such file or folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_ingest_unreadable_file(settings: Settings, write: Write) -> None:
    path = write("locked.txt", "secret")
    path.chmod(0)
    assert "cannot read" in only_error(settings, path).problem


def test_cli_batch_with_bad_files_still_analyses_the_rest(
    write: Write, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        "in/good.txt",
        "Ferry aground off Merrin\nThe ferry ran aground on Tuesday, the coastguard said.",
    )
    write("in/empty.txt", b"")
    write("in/image.txt", PNG)
    write("in/bad.json", b"{oops")
    out = tmp_path / "out.json"
    code = main(["analyze", str(tmp_path / "in"), "--json", str(out)])
    assert code == 0
    report = json.loads(out.read_text())
    assert [a["title"] for a in report["articles"]] == ["Ferry aground off Merrin"]
    failed = sorted(Path(e["source"]).name for e in report["errors"])
    assert failed == ["bad.json", "empty.txt", "image.txt"]
    stderr = capsys.readouterr().err
    for name in failed:
        assert f"in/{name}: " in stderr


def test_cli_exit_code_1_when_nothing_could_be_read(
    write: Write, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write("in/empty.txt", b"")
    out = tmp_path / "out.json"
    assert main(["analyze", str(tmp_path / "in"), "--json", str(out)]) == 1
    report = json.loads(out.read_text())
    assert report["articles"] == [] and report["stories"] == [] and len(report["errors"]) == 1
    assert "file is empty" in capsys.readouterr().err


def test_ingest_article_too_long_to_be_one(settings: Settings, write: Write) -> None:
    path = write("dump.txt", "word " * 70_000)
    error = only_error(settings, path)
    assert isinstance(error, InputTooLarge)
    assert "over the 300,000 limit (ingest.max_article_chars)" in error.problem
