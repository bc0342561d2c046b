"""The local web app: server-rendered pages and a JSON API over the store's latest run.

What it shows is the latest complete run of the store, read back as the contract's JSON
(nothing is analysed here); a newer run, made by `parallax ingest` while the app runs,
is picked up on the next request. Pages are Jinja2 with autoescaping, so article text is
always text; no page loads anything from the network or runs a script. Full-text search
is SQLite's FTS5 over the run's article texts and quotes, in memory, built once per run.

Routes: `/` stories (newest and biggest first; filters by day, outlet, person, place),
`/stories/{id}` everything the HTML report shows for one story, `/articles/{id}`,
`/entities/{id}` a person's or organisation's stories and quotes, `/outlets/{name}`,
`/search?q=`; the API under `/api/` returns the contract's shapes, described at
`/openapi.json`.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse, Response

from newsparallax import __version__
from newsparallax.config import Settings
from newsparallax.ingest.metadata import is_web_address
from newsparallax.model import Annotated, MentionType, Report, Story
from newsparallax.render import render_html, report_from_json, report_to_json
from newsparallax.render.html import template_environment
from newsparallax.store import open_store, store_exists
from newsparallax.store.postgres import is_postgres_address

# Search hits listed per story, and stories per search.
HITS_PER_STORY = 5
SEARCH_STORIES = 50
# Markers FTS5 puts around a matched word; article text cannot hold them (control chars).
_OPEN, _CLOSE = "\x02", "\x03"
_FTS_WORD = re.compile(r"\w+")


@dataclass
class Snapshot:
    """One complete run as the app serves it."""

    run_id: int
    report: Report
    document: dict[str, Any]
    docs: dict[str, Annotated]
    stories: dict[str, Story]
    search: sqlite3.Connection
    rows: dict[str, dict[str, Any]]  # each story as the list shows it (`_story_row`)

    @classmethod
    def read(cls, store_path: str | Path) -> Snapshot | None:
        if not store_exists(store_path):
            return None
        with open_store(store_path) as store:
            run_id = store.latest_complete_run()
            document = store.report_json(run_id) if run_id is not None else None
        if run_id is None or document is None:
            return None
        report = report_from_json(document)
        docs = {d.id: d for d in report.articles}
        return cls(
            run_id,
            report,
            document,
            docs,
            {s.id: s for s in report.stories},
            _search_index(report),
            {s.id: _story_row(docs, s) for s in report.stories},
        )


def _search_index(report: Report) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE VIRTUAL TABLE passages USING fts5(story, article, kind, body)")
    story_of = {a: s.id for s in report.stories for a in s.article_ids}
    rows = [
        (story_of.get(d.id, ""), d.id, "article", f"{d.article.title or ''}\n{d.article.text}")
        for d in report.articles
    ]
    rows += [
        (s.id, q.article_id, "quote", f"{q.speaker or ''}: {q.text}")
        for s in report.stories
        for q in s.quotes
    ]
    db.executemany("INSERT INTO passages VALUES (?, ?, ?, ?)", rows)
    return db


def create_app(store_path: str | Path, settings: Settings | None = None) -> FastAPI:
    """The app over the store at `store_path` (read only; the store may be written meanwhile)."""
    settings = settings or Settings.defaults()
    app = FastAPI(
        title="Parallax",
        version=__version__,
        description="Stories, quotes, places and cross-checks of the articles in a Parallax store.",
        docs_url=None,  # FastAPI's docs pages load scripts from a CDN: offline, and not ours
        redoc_url=None,
    )
    templates = template_environment("newsparallax.web")
    lock = threading.Lock()
    current: dict[str, Snapshot | None] = {"snapshot": None}

    def snapshot() -> Snapshot | None:
        """The latest complete run, re-read when a newer one has been stored."""
        with lock:
            known = current["snapshot"]
            latest = _latest_run(store_path)
            if latest is not None and (known is None or known.run_id != latest):
                current["snapshot"] = Snapshot.read(store_path)
            return current["snapshot"]

    def page(template: str, **context: Any) -> HTMLResponse:
        html = templates.get_template(template).render(version=__version__, **context)
        return HTMLResponse(html, headers=_HEADERS)

    def need(kind: str, found: Any, key: str) -> Any:
        if found is None:
            raise HTTPException(404, f"no {kind} {key!r} in the store's latest run")
        return found

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        outlet: str = "", person: str = "", place: str = "", since: str = "", until: str = ""
    ) -> HTMLResponse:
        snap = snapshot()
        if snap is None:
            return page("empty.html.j2", store=str(store_path))
        chosen = _filtered(snap, outlet, person, place, since, until)
        return page(
            "stories.html.j2",
            stories=[snap.rows[s.id] for s in chosen],
            total=len(snap.stories),
            articles=len(snap.docs),
            run_id=snap.run_id,
            filters={
                "outlet": outlet,
                "person": person,
                "place": place,
                "since": since,
                "until": until,
            },
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        snap = need("story", snapshot(), story_id)
        story = need("story", snap.stories.get(story_id), story_id)
        html = render_html(snap.report.of_story(story), settings.report)
        home = '<nav class="app"><a href="/">All stories</a> · <a href="/search">Search</a></nav>'
        return HTMLResponse(html.replace("<body>", "<body>\n" + home, 1), headers=_HEADERS)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        snap = need("article", snapshot(), article_id)
        doc = need("article", snap.docs.get(article_id), article_id)
        story = next((s for s in snap.stories.values() if article_id in s.article_ids), None)
        return page(
            "article.html.j2",
            doc=doc,
            story=story,
            paragraphs=_highlighted(doc),
            link=doc.article.source if is_web_address(doc.article.source) else None,
        )

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(entity_id: str) -> HTMLResponse:
        snap = need("entity", snapshot(), entity_id)
        found = [e for s in snap.stories.values() for e in s.entities if e.id == entity_id]
        entity = need("entity", found[0] if found else None, entity_id)
        names = {entity.name, *entity.aliases}
        stories = [s for s in snap.stories.values() if any(e.name in names for e in s.entities)]
        quotes, seen = [], set()
        for s in stories:  # each quote once: a story lists it once per outlet that carries it
            for q in s.quotes:
                mine = q.speaker_entity == entity_id or (q.speaker and q.speaker in names)
                if mine and (s.id, q.text) not in seen:
                    seen.add((s.id, q.text))
                    quotes.append((s, q))
        return page("entity.html.j2", entity=entity, stories=stories, quotes=quotes, docs=snap.docs)

    @app.get("/outlets/{name}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(name: str) -> HTMLResponse:
        snap = need("outlet", snapshot(), name)
        docs = [d for d in snap.docs.values() if (d.article.outlet or "") == name]
        need("outlet", docs or None, name)
        story_of = {a: s for s in snap.stories.values() for a in s.article_ids}
        return page("outlet.html.j2", name=name, docs=docs, story_of=story_of)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "") -> HTMLResponse:
        snap = snapshot()
        results = _search(snap, q) if snap is not None and q.strip() else []
        return page("search.html.j2", q=q, results=results)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)  # no icon, and no error in the browser's console

    @app.get("/api/stories", summary="The stories of the latest run (contract story objects)")
    def api_stories() -> list[dict[str, Any]]:
        snap = snapshot()
        return [] if snap is None else list(snap.document["stories"])

    @app.get("/api/stories/{story_id}", summary="One story as a contract report document")
    def api_story(story_id: str) -> dict[str, Any]:
        snap = need("story", snapshot(), story_id)
        story = need("story", snap.stories.get(story_id), story_id)
        return report_to_json(snap.report.of_story(story))

    @app.get("/api/articles/{article_id}", summary="One article (contract article object)")
    def api_article(article_id: str) -> dict[str, Any]:
        snap = need("article", snapshot(), article_id)
        found = next((a for a in snap.document["articles"] if a["id"] == article_id), None)
        return dict(need("article", found, article_id))

    @app.get("/api/search", summary="Full-text search over articles and quotes, by story")
    def api_search(q: str = Query(..., min_length=1)) -> dict[str, Any]:
        snap = snapshot()
        results = _search(snap, q) if snap is not None else []
        return {
            "query": q,
            "stories": [
                {
                    "story_id": r["story"].id if r["story"] else None,
                    "title": r["story"].title if r["story"] else None,
                    "hits": [
                        {"article_id": h["article"], "kind": h["kind"], "text": h["plain"]}
                        for h in r["hits"]
                    ],
                }
                for r in results
            ],
        }

    return app


# Pages say what they may load: nothing from elsewhere, no scripts, inline styles only.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _latest_run(store_path: str | Path) -> int | None:
    """The store's latest complete run, asked read-only: every request asks it."""
    if is_postgres_address(str(store_path)):
        with open_store(store_path) as store:
            return store.latest_complete_run()
    if not Path(store_path).is_file():
        return None
    uri = Path(store_path).resolve().as_uri() + "?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=30)) as db:
            row = db.execute("SELECT max(id) FROM runs WHERE status='complete'").fetchone()
    except sqlite3.Error:
        return None  # not (yet) a store: the page says so
    return None if row[0] is None else int(row[0])


def _day(value: date | datetime | None) -> str:
    return value.isoformat()[:10] if value else ""


def _story_row(docs_by_id: dict[str, Annotated], story: Story) -> dict[str, Any]:
    docs = [docs_by_id[a] for a in story.article_ids if a in docs_by_id]
    days = sorted(_day(d.article.published) for d in docs if d.article.published)
    outlets = sorted({d.article.outlet for d in docs if d.article.outlet})
    return {
        "story": story,
        "first": days[0] if days else "",
        "last": days[-1] if days else "",
        "outlets": outlets,
        "people": [e for e in story.entities if e.type is MentionType.PERSON][:5],
        "places": [p.name for p in story.places][:5],
    }


def _filtered(
    snap: Snapshot, outlet: str, person: str, place: str, since: str, until: str
) -> list[Story]:
    def keep(story: Story) -> bool:
        row = snap.rows[story.id]
        if outlet and outlet.casefold() not in {o.casefold() for o in row["outlets"]}:
            return False
        if person and not any(
            person.casefold() in n.casefold()
            for e in story.entities
            if e.type is MentionType.PERSON
            for n in (e.name, *e.aliases)
        ):
            return False
        if place and not any(place.casefold() == p.name.casefold() for p in story.places):
            return False
        if since and (not row["last"] or row["last"] < since):
            return False
        return not (until and (not row["first"] or row["first"] > until))

    chosen = [s for s in snap.stories.values() if keep(s)]
    # newest first, then biggest: a story's newest article decides its place
    chosen.sort(key=lambda s: (-len(s.article_ids), s.id))
    chosen.sort(key=lambda s: snap.rows[s.id]["last"], reverse=True)
    return chosen


def _highlighted(doc: Annotated) -> list[list[tuple[str, str | None]]]:
    """The article's paragraphs as pieces (text, mention type or None) for <mark>."""
    text = doc.article.text
    marks = sorted((m.span.start, m.span.end, m.type.value) for m in doc.mentions)
    paragraphs: list[list[tuple[str, str | None]]] = []
    start = 0
    for block in [*text.split("\n\n")]:
        end = start + len(block)
        pieces: list[tuple[str, str | None]] = []
        at = start
        for m_start, m_end, kind in marks:
            if m_start < at or m_end > end:
                continue
            if m_start > at:
                pieces.append((text[at:m_start], None))
            pieces.append((text[m_start:m_end], kind))
            at = m_end
        if at < end:
            pieces.append((text[at:end], None))
        paragraphs.append(pieces)
        start = end + 2
    return paragraphs


def _search(snap: Snapshot | None, q: str) -> list[dict[str, Any]]:
    """Hits for the words of `q` (all of them, any order), grouped by story."""
    if snap is None:
        return []
    words = _FTS_WORD.findall(q)
    if not words:
        return []
    query = " ".join('"' + w.replace('"', "") + '"' for w in words)
    rows = snap.search.execute(
        "SELECT story, article, kind, snippet(passages, 3, ?, ?, ' … ', 24) "
        "FROM passages WHERE passages MATCH ? ORDER BY rank LIMIT 500",
        (_OPEN, _CLOSE, query),
    ).fetchall()
    grouped: dict[str, list[dict[str, Any]]] = {}
    for story, article, kind, snippet in rows:
        hits = grouped.setdefault(story, [])
        if len(hits) < HITS_PER_STORY:
            hits.append(
                {
                    "article": article,
                    "kind": kind,
                    "pieces": _marked(snippet),
                    "plain": snippet.replace(_OPEN, "").replace(_CLOSE, ""),
                }
            )
    return [
        {"story": snap.stories.get(story), "hits": hits}
        for story, hits in list(grouped.items())[:SEARCH_STORIES]
    ]


def _marked(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as pieces (text, matched?), for <mark> in an autoescaped template."""
    out = []
    for i, part in enumerate(re.split(f"[{_OPEN}{_CLOSE}]", snippet)):
        if part:
            out.append((part, i % 2 == 1))
    return out
