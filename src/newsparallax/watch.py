"""Following feeds: poll RSS/Atom, fetch new entries' pages, add them to the store.

A poll asks each feed with the validators its last answer gave (ETag, Last-Modified),
so an unchanged feed costs one "304 Not Modified". Each entry not seen before has its
page fetched and its main text extracted (trafilatura, as for saved HTML files); where
robots.txt forbids the page, or fetching it fails, the entry's own content or summary
stands in. Requests to one host are spaced by `host_delay` seconds and say who they
are (`USER_AGENT`). What a feed answered and which entries were taken is kept in the
store (`feeds` table), so a watch that is stopped and started again carries on where it
was. New articles are then analysed incrementally (`analysis.analyze_store`).
"""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx

from newsparallax import __version__
from newsparallax.config import Settings
from newsparallax.errors import InputError
from newsparallax.ingest import to_article
from newsparallax.ingest.feeds import entry_body, entry_date
from newsparallax.ingest.html import page_to_article
from newsparallax.ingest.metadata import is_web_address
from newsparallax.ingest.raw import RawArticle, clean_field
from newsparallax.model import Article, InputFailure
from newsparallax.store import SQLiteStore

log = logging.getLogger(__name__)

USER_AGENT = (
    f"Parallax/{__version__} (news cross-checking; +https://github.com/newsparallax/parallax)"
)
# Seconds between two requests to one host, and how long one request may take.
HOST_DELAY = 1.0
TIMEOUT = 20.0
# Entries remembered per feed (the oldest are forgotten first).
SEEN_PER_FEED = 5_000
# A feed that keeps failing is asked less often: after n failures in a row, not again for
# BACKOFF_SECONDS * 2**(n-1), at most BACKOFF_MAX_SECONDS (a dead feed costs its host,
# and the log, one request in six hours, not one each poll).
BACKOFF_SECONDS = 60.0
BACKOFF_MAX_SECONDS = 6 * 3600.0


@dataclass
class FeedPoll:
    """What one poll of one feed did, for its log line."""

    url: str
    status: str  # "new", "unchanged" (304), "failed" or "deferred" (backing off)
    entries: int = 0
    added: list[Article] = field(default_factory=list)
    skipped: int = 0  # entries seen in an earlier poll
    errors: list[InputFailure] = field(default_factory=list)
    retry_at: str | None = None  # when a feed that keeps failing is asked again

    def line(self) -> str:
        if self.status == "unchanged":
            return f"{self.url}: not modified"
        if self.status == "deferred":
            return f"{self.url}: failing, next try after {self.retry_at}"
        if self.status == "failed":
            return f"{self.url}: failed ({self.errors[0].error if self.errors else 'unknown'})"
        return (
            f"{self.url}: {self.entries} entries, {len(self.added)} new, "
            f"{self.skipped} seen before, {len(self.errors)} errors"
        )


class Fetcher:
    """Polite HTTP: one client, a User-Agent, a delay per host, robots.txt per host."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        host_delay: float = HOST_DELAY,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client or httpx.Client(
            headers={"User-Agent": USER_AGENT}, timeout=TIMEOUT, follow_redirects=True
        )
        self.host_delay = host_delay
        self._clock, self._sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def get(self, url: str, headers: dict[str, str] | None = None) -> httpx.Response:
        host = urlsplit(url).netloc
        wait = self._last.get(host, -1e9) + self.host_delay - self._clock()
        if wait > 0:
            self._sleep(wait)
        try:
            return self.client.get(url, headers=headers or {})
        finally:
            self._last[host] = self._clock()

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets Parallax fetch `url` (no robots.txt: yes)."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            rules = urllib.robotparser.RobotFileParser()
            try:
                answer = self.get(urljoin(root, "/robots.txt"))
                rules.parse(answer.text.splitlines() if answer.status_code == 200 else [])
            except httpx.HTTPError:
                rules.parse([])
            self._robots[root] = rules
        return self._robots[root].can_fetch(USER_AGENT, url)


def poll(
    urls: Iterable[str],
    store: SQLiteStore,
    settings: Settings,
    fetcher: Fetcher,
    now: Callable[[], float] = time.time,
) -> list[FeedPoll]:
    """Poll each feed once; new entries become stored articles. One feed's failure is
    that feed's: the others are polled all the same, and it is asked again later and
    later while it keeps failing (`BACKOFF_SECONDS`)."""
    out = []
    for url in urls:
        state = store.feed_state(url)
        retry = float(state.get("retry_after") or 0.0)
        if retry > now():
            when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(retry))
            out.append(FeedPoll(url, "deferred", retry_at=when))
            continue
        done = _poll_one(url, store, settings, fetcher)
        failures = int(state.get("failures") or 0) + 1 if done.status == "failed" else 0
        if failures:
            wait = min(BACKOFF_SECONDS * 2 ** (failures - 1), BACKOFF_MAX_SECONDS)
            store.save_feed_state(
                url, store.feed_state(url) | {"failures": failures, "retry_after": now() + wait}
            )
        elif state.get("failures"):  # answering again: _poll_one kept no failure count
            store.save_feed_state(url, store.feed_state(url) | {"failures": 0, "retry_after": 0.0})
        out.append(done)
    return out


def _poll_one(url: str, store: SQLiteStore, settings: Settings, fetcher: Fetcher) -> FeedPoll:
    state = store.feed_state(url)
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    try:
        answer = fetcher.get(url, headers)
    except httpx.HTTPError as exc:
        return FeedPoll(url, "failed", errors=[InputFailure(url, f"feed not fetched: {exc}")])
    if answer.status_code == 304:
        return FeedPoll(url, "unchanged")
    if answer.status_code != 200:
        failure = InputFailure(url, f"feed answered HTTP {answer.status_code}")
        return FeedPoll(url, "failed", errors=[failure])
    feed = feedparser.parse(answer.content)
    if not feed.entries and not feed.get("version"):
        return FeedPoll(url, "failed", errors=[InputFailure(url, "not an RSS or Atom feed")])
    seen: list[str] = list(state.get("seen", []))
    known = set(seen)
    result = FeedPoll(url, "new", entries=len(feed.entries))
    outlet = clean_field(feed.feed.get("title"))
    articles = []
    for index, entry in enumerate(feed.entries):
        key = clean_field(entry.get("id")) or clean_field(entry.get("link")) or f"#{index}"
        if key in known:
            result.skipped += 1
            continue
        raw = _entry_article(entry, outlet, f"{url}#entry{index + 1}", fetcher)
        if isinstance(raw, InputFailure):
            result.errors.append(raw)
        else:
            try:
                articles.append(to_article(raw, settings))
            except InputError as exc:
                result.errors.append(InputFailure(exc.source, exc.problem))
        seen.append(key)
        known.add(key)
    store.add_articles(articles)
    result.added = articles
    store.save_feed_state(
        url,
        {
            "etag": answer.headers.get("ETag"),
            "last_modified": answer.headers.get("Last-Modified"),
            "seen": seen[-SEEN_PER_FEED:],
        },
    )
    return result


def _entry_article(
    entry: Any, outlet: str | None, where: str, fetcher: Fetcher
) -> RawArticle | InputFailure:
    """The entry's page, extracted; its own content or summary where the page cannot be had."""
    link = clean_field(entry.get("link"))
    body = entry_body(entry)
    if link and is_web_address(link) and fetcher.allowed(link):
        try:
            answer = fetcher.get(link)
            if answer.status_code == 200 and "html" in answer.headers.get("content-type", "html"):
                page = page_to_article(answer.text, source=link, url=link)
                return RawArticle(
                    source=link,
                    body=page.body,
                    title=page.title or clean_field(entry.get("title")),
                    outlet=page.outlet or outlet,
                    published=page.published or entry_date(entry),
                )
        except (httpx.HTTPError, InputError) as exc:
            log.info("%s: page not used (%s); the feed's text stands in", link, exc)
    if not body:
        return InputFailure(link or where, "no page to fetch and no text in the feed entry")
    return RawArticle(
        source=link or where,
        body=body,
        title=clean_field(entry.get("title")),
        outlet=outlet,
        published=entry_date(entry),
    )


def parse_every(text: str) -> float:
    """ "15m", "2h", "90s", "1d" -> seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
    value, unit = text[:-1], text[-1:].lower()
    if unit not in units or not value.replace(".", "", 1).isdigit() or float(value) <= 0:
        raise ValueError(f"--every {text!r}: give a number and s, m, h or d (15m)")
    return float(value) * units[unit]
