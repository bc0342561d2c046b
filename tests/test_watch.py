"""`parallax watch`: feeds polled from a local server the test starts (no internet)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsparallax.cli import main
from newsparallax.config import Settings
from newsparallax.store import SQLiteStore
from newsparallax.watch import Fetcher, parse_every, poll

PAGE = """<!DOCTYPE html><html><head><title>{title} | Harbour Times</title>
<meta property="og:site_name" content="The Harbour Times"></head><body>
<nav><a href="/">Home</a></nav><article><h1>{title}</h1>
<p>{body} The harbour master said the channel was dredged last spring and that pilots
had been warned about the fog, which rolled in within minutes on Tuesday morning.</p>
<p>Ferry services to the island of Merrin will resume on Thursday, the operator said,
once divers have inspected the hull of the ship that struck the sandbank.</p>
</article><footer>Copyright The Harbour Times</footer></body></html>"""


def feed(base: str, items: list[tuple[str, str]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}/news/{slug}</link><guid>{slug}</guid>"
        f"<description>{title}: the feed's own short summary of the story, with enough "
        f"words to stand as an article when the page cannot be read.</description>"
        f"<pubDate>Tue, 04 Mar 2025 09:00:00 GMT</pubDate></item>"
        for slug, title in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Times</title>'
        f"<link>{base}</link><description>news</description>{entries}</channel></rss>"
    )


class Site:
    """A news site: a feed with an ETag, article pages, and a robots.txt."""

    def __init__(self) -> None:
        self.items = [
            ("ferry-aground", "Ferry runs aground off Merrin"),
            ("private", "Members only"),
        ]
        self.requests: list[tuple[str, str | None]] = []  # (path, If-None-Match)
        self.down = False  # the feed answers 503 while True
        self.agents: set[str] = set()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("If-None-Match")))
                site.agents.add(self.headers.get("User-Agent", ""))
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path == "/robots.txt":
                    self._send(200, "User-agent: *\nDisallow: /news/private\n", "text/plain")
                elif self.path == "/feed.xml" and site.down:
                    self._send(503, "down for maintenance", "text/plain")
                elif self.path == "/feed.xml":
                    etag = f'"v{len(site.items)}"'
                    if self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.end_headers()
                        return
                    self._send(200, feed(base, site.items), "application/rss+xml", etag)
                elif self.path.startswith("/news/"):
                    slug = self.path.rsplit("/", 1)[1]
                    title = dict(site.items).get(slug, "Missing")
                    body = f"Page text of {slug}: all 112 passengers were taken off by lifeboat."
                    self._send(200, PAGE.format(title=title, body=body), "text/html")
                else:
                    self._send(404, "not here", "text/plain")

            def _send(self, code: int, text: str, kind: str, etag: str | None = None) -> None:
                data = text.encode()
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def site() -> Iterator[Site]:
    running = Site()
    thread = threading.Thread(target=running.server.serve_forever, daemon=True)
    thread.start()
    yield running
    running.server.shutdown()


def test_watch_takes_new_entries_once_and_asks_conditionally(site: Site, tmp_path: Path) -> None:
    settings = Settings.defaults()
    fetcher = Fetcher(host_delay=0)
    with SQLiteStore(tmp_path / "w.db") as store:
        [first] = poll([site.url + "/feed.xml"], store, settings, fetcher)
        assert (first.status, first.entries, len(first.added)) == ("new", 2, 2)
        by_source = {a.source.rsplit("/", 1)[1]: a for a in first.added}
        # the page's text where robots.txt allows it; the feed's summary where it does not
        assert "all 112 passengers" in by_source["ferry-aground"].text
        assert "/news/private" not in [p for p, _ in site.requests]
        assert "feed's own short summary" in by_source["private"].text
        assert by_source["ferry-aground"].outlet == "The Harbour Times"
        [again] = poll([site.url + "/feed.xml"], store, settings, fetcher)
        assert again.status == "unchanged"  # answered 304 to If-None-Match
        assert site.requests[-1] == ("/feed.xml", '"v2"')
        site.items.append(("bridge", "Bridge to Merrin reopens"))
        [third] = poll([site.url + "/feed.xml"], store, settings, fetcher)
        assert (len(third.added), third.skipped) == (1, 2)
        assert store.article_count() == 3
    assert all(a.startswith("Parallax/") for a in site.agents)


def test_watch_resumes_from_the_store_and_one_bad_feed_costs_only_itself(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "w.db")
    feeds = [site.url + "/feed.xml", site.url + "/missing.xml"]
    assert main(["watch", *feeds, "--db", db, "--once"]) == 1  # one feed failed
    out = capsys.readouterr().out
    assert "2 entries, 2 new" in out and "missing.xml: failed (feed answered HTTP 404)" in out
    assert "stories" in out  # the new articles were analysed
    assert main(["watch", feeds[0], "--db", db, "--once"]) == 0  # a new process
    assert "not modified" in capsys.readouterr().out
    with SQLiteStore(db) as store:
        assert store.article_count() == 2 and len(store.runs()) == 1


def test_watch_spaces_requests_to_one_host() -> None:
    now = [0.0]
    waits: list[float] = []

    class Client:
        def get(self, url: str, headers: dict[str, str]) -> Any:
            return None

    fetcher = Fetcher(
        client=Client(),  # type: ignore[arg-type]
        host_delay=2.0,
        clock=lambda: now[0],
        sleep=lambda s: (waits.append(s), now.__setitem__(0, now[0] + s)),
    )
    fetcher.get("http://a.example/1")
    fetcher.get("http://a.example/2")
    fetcher.get("http://b.example/1")
    assert waits == [2.0]


def test_watch_every_and_addresses_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_every("15m") == 900 and parse_every("2h") == 7200
    with pytest.raises(ValueError, match="--every"):
        parse_every("soon")
    assert main(["watch", "feeds.txt", "--once"]) == 2
    assert "not a web address" in capsys.readouterr().err


def test_watch_backs_off_a_feed_that_keeps_failing(site: Site, tmp_path: Path) -> None:
    settings = Settings.defaults()
    fetcher = Fetcher(host_delay=0)
    clock = [1_000_000.0]
    missing = site.url + "/missing.xml"
    with SQLiteStore(tmp_path / "w.db") as store:

        def once(url: str) -> str:
            [done] = poll([url], store, settings, fetcher, now=lambda: clock[0])
            return done.status

        asked = lambda: sum(1 for p, _ in site.requests if p == "/missing.xml")  # noqa: E731
        assert once(missing) == "failed" and asked() == 1
        clock[0] += 30  # within the first minute: not asked again
        assert once(missing) == "deferred" and asked() == 1
        clock[0] += 31
        assert once(missing) == "failed" and asked() == 2
        clock[0] += 90  # the second wait is two minutes
        assert once(missing) == "deferred" and asked() == 2
        assert store.feed_state(missing)["failures"] == 2
        clock[0] += 31
        assert once(missing) == "failed" and store.feed_state(missing)["failures"] == 3
        # a feed that comes back is polled as usual from then on
        feed_url = site.url + "/feed.xml"
        site.down = True
        assert once(feed_url) == "failed" and store.feed_state(feed_url)["failures"] == 1
        clock[0] += 61
        site.down = False
        assert once(feed_url) == "new" and store.feed_state(feed_url)["failures"] == 0
        assert once(feed_url) == "unchanged"  # no waiting after a success
