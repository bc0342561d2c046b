"""The SQLite store: plain tables anyone can query, one writer, transactions for safety.

Tables (query them with `sqlite3` or datasette):

    articles       one row per article, keyed by its content id; re-ingesting is a no-op
    runs           one row per analysis: when, status ('running' until it completes,
                   'interrupted' when its process died first), report JSON, host and pid
    stories        the stories a run found
    story_articles which articles each story of a run holds
    run_errors     the inputs a run could not read
    story_events   a story's history across runs: created, articles joined or left,
                   stories merged into it (`stories.history`)
    feeds          what each watched feed last answered (ETag, Last-Modified) and which
                   of its entries were taken (`watch.py`), so a watch resumes
    annotations    each article's per-article analysis (the contract's article JSON less
                   its text) and its evidence for grouping (words, names, years), with
                   the text's hash and the analysis that made it, so an ingest analyses
                   only what is new (`analysis.analyze_store`)
    story_results  what a story's stages found (its JSON less its grouping), and
    result_articles  its articles' JSON, kept once under a key naming the analysis and
                   the articles (`analysis.result_key`): a story no new article touches
                   keeps its row from run to run, neither read back nor written again
    run_results    the results a run's report is made of; the latest complete run's
                   report is assembled from them as JSON text (`report_json`)

Articles are committed in batches as they are read, and a run's results in one
transaction at its end, so a process killed mid-run loses at most the batch in
flight: what was stored before stays, and the unfinished run stays marked 'running'.
WAL journaling lets readers (`parallax show`, a web app) read while a run writes.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import platformdirs

from newsparallax.errors import StoreError
from newsparallax.model import (
    Article,
    InputFailure,
    Removal,
    RemovalReason,
    StoryEvent,
    publication_id,
    publication_key,
)

SCHEMA_VERSION = 4
# Version 2: an article's id includes where it was published (model.ids.article_id), so
# the same text from two outlets is two articles. Version 1 stores are migrated in place
# when opened (`_migrate_1_to_2`).
# Version 3: a run records the host and process that run it, and a run whose process is
# gone is marked 'interrupted' when the store is next opened (`_mark_interrupted_runs`).
# Version 2 stores are migrated when opened (`_migrate_2_to_3`).
# Version 4: a run's report is kept as per-story results shared between runs (tables
# story_results, result_articles, run_results; columns stories.seq, .result, .grouping,
# runs.generated_at) instead of one JSON text per run, and an article's grouping evidence
# beside its annotations (annotations.evidence). Version 3 stores gain the columns when
# opened (`_V4_COLUMNS`); their latest report stays the text it was until the next run.

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT,
    outlet TEXT,
    published TEXT,
    published_inferred INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    removed TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted')),
    report TEXT,
    host TEXT,
    pid INTEGER,
    generated_at TEXT
);
CREATE TABLE IF NOT EXISTS stories (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    seq INTEGER,
    result TEXT,
    grouping TEXT,
    PRIMARY KEY (run_id, id)
);
CREATE TABLE IF NOT EXISTS story_articles (
    run_id INTEGER NOT NULL,
    story_id TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (run_id, story_id, article_id),
    FOREIGN KEY (run_id, story_id) REFERENCES stories(run_id, id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS annotations (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    text_sha1 TEXT NOT NULL,
    made_by TEXT NOT NULL,
    data TEXT NOT NULL,
    evidence TEXT
);
CREATE TABLE IF NOT EXISTS story_results (
    key TEXT PRIMARY KEY,
    story TEXT
);
CREATE TABLE IF NOT EXISTS result_articles (
    key TEXT NOT NULL REFERENCES story_results(key) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (key, article_id)
);
CREATE TABLE IF NOT EXISTS run_results (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key TEXT NOT NULL REFERENCES story_results(key) ON DELETE CASCADE,
    PRIMARY KEY (run_id, key)
);
CREATE TABLE IF NOT EXISTS story_events (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    polled_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS run_errors (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    error TEXT NOT NULL
);
"""


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir("parallax", appauthor=False)) / "parallax.db"


@dataclass(frozen=True, slots=True)
class RunInfo:
    id: int
    started_at: str
    finished_at: str | None
    status: str


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A story of a run: its grouping, and the key of its results (`StoryResult`)."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    grouping: str = "{}"  # JSON text: its grouping fields (`render.contract.story_parts`)
    result: str | None = None  # None in a run stored before version 4


@dataclass(frozen=True, slots=True)
class StoryResult:
    """What a story's stages found, as the report's JSON text, kept under `key` (the
    analysis and the articles that made it) and shared by every run that has the story.
    `story` is None for articles a run analysed into no story (its grouping failed)."""

    key: str
    story: str | None
    articles: tuple[tuple[str, str], ...]  # (article id, its JSON text)


class StoredArticles:
    """Some of a store's articles, read from it each time they are iterated (in id order,
    a few hundred at a time): what a run too large to hold in memory passes where a list
    of articles would go (`ingest.boilerplate.outlet_boilerplate` reads them twice)."""

    def __init__(self, store: SQLiteStore, ids: Iterable[str]) -> None:
        self._store = store
        self._ids = sorted(set(ids))

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[Article]:
        for chunk in _chunks(self._ids):
            yield from self._store.articles(chunk)


class SQLiteStore:
    """One writer connection to a store file; use as a context manager.

    Args:
        path: the database file; created with its folder when missing. ":memory:" works.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        # where another process opens this store (`store.open_store`); None: in memory
        self.address: str | None = None if self.path is None else str(self.path)
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)  # idempotent: CREATE … IF NOT EXISTS
            self._db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
            version = self._db.execute(
                "SELECT value FROM meta WHERE key='schema_version'"
            ).fetchone()[0]
            if int(version) == 1:
                _migrate_1_to_2(self._db)
                version = 2
            if int(version) == 2:
                _migrate_2_to_3(self._db)
                version = 3
            if int(version) == 3:
                with _migration(self._db, to_version=4):
                    for statement in _V4_COLUMNS:
                        self._db.execute(statement)
                version = 4
            if int(version) == SCHEMA_VERSION:
                self._mark_interrupted_runs()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"{path}: cannot open the store ({exc}); is it a Parallax store?"
            ) from exc
        if int(version) != SCHEMA_VERSION:
            raise StoreError(
                f"{path}: store schema version {version}, this Parallax reads {SCHEMA_VERSION}"
            )

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    # The queries below are written in SQLite's dialect; `PostgresStore` translates them.
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; the cursor."""
        return self._db.execute(sql, params)

    def _where_in(self, sql: str, values: Iterable[str], *params: Any) -> Iterator[Any]:
        """Rows of `sql`, which ends in `IN`, for `values` a few hundred at a time (SQLite
        binds at most 32,766 parameters); `params` bind before them."""
        for chunk in _chunks(values):
            yield from self._execute(f"{sql} ({','.join('?' * len(chunk))})", (*params, *chunk))

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Run one statement per row; how many rows it changed."""
        return int(self._db.executemany(sql, rows).rowcount)

    # -- articles ---------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Store the articles in one transaction; those already stored are left as they are.

        Returns:
            How many were new.
        """
        now = _now()
        rows = [_article_row(a, now) for a in articles]
        with self._transaction():
            return self._executemany(
                "INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )

    def articles(self, ids: Iterable[str] | None = None) -> list[Article]:
        """Stored articles, all or those with the given ids, ordered by id."""
        query = f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles"
        if ids is None:
            rows: Iterable[Any] = self._execute(query + " ORDER BY id")
        else:
            rows = sorted(self._where_in(query + " WHERE id IN", set(ids)), key=lambda r: r[0])
        return [_row_article(dict(zip(_ARTICLE_COLUMNS, row, strict=True))) for row in rows]

    def article_ids(self) -> list[str]:
        """Every stored article's id, in order."""
        return [row[0] for row in self._execute("SELECT id FROM articles ORDER BY id")]

    def article_count(self) -> int:
        return int(self._execute("SELECT count(*) FROM articles").fetchone()[0])

    # -- per-article annotations ---------------------------------------------------------

    def annotations(
        self, made_by: str, ids: Iterable[str] | None = None
    ) -> dict[str, tuple[str, dict[str, Any]]]:
        """Stored per-article analyses made by `made_by`, all or those of `ids`:
        article id -> (text hash, JSON)."""
        query = "SELECT article_id, text_sha1, data FROM annotations WHERE made_by = ?"
        if ids is None:
            rows = self._execute(query, (made_by,)).fetchall()
        else:
            rows = list(self._where_in(query + " AND article_id IN", ids, made_by))
        return {aid: (sha, json.loads(data)) for aid, sha, data in rows}

    def text_hashes(self, made_by: str) -> dict[str, str]:
        """Each article analysed by `made_by`: the hash of the text its analysis is for."""
        rows = self._execute(
            "SELECT article_id, text_sha1 FROM annotations WHERE made_by = ?", (made_by,)
        )
        return dict(rows.fetchall())

    def without_evidence(self, made_by: str) -> set[str]:
        """The articles analysed by `made_by` whose grouping evidence was not kept (by a
        store older than the evidence column)."""
        rows = self._execute(
            "SELECT article_id FROM annotations WHERE made_by = ? AND evidence IS NULL",
            (made_by,),
        )
        return {row[0] for row in rows}

    def evidence_of(self, made_by: str, ids: Iterable[str]) -> Iterator[dict[str, Any] | None]:
        """The grouping evidence of these articles (None where not kept, or not made by
        `made_by`), one at a time in the order of `ids`: read a few hundred at a time, so
        that a run weighs every article's evidence without holding it all as JSON."""
        query = "SELECT article_id, evidence FROM annotations WHERE made_by = ? AND article_id IN"
        for chunk in _chunks(ids):
            found = dict(self._where_in(query, chunk, made_by))
            for aid in chunk:
                text = found.get(aid)
                yield json.loads(text) if text else None

    def save_annotations(
        self,
        made_by: str,
        rows: Iterable[tuple[str, str, dict[str, Any], dict[str, Any] | None]],
    ) -> None:
        """Keep (article id, text hash, JSON, grouping evidence) per-article analyses,
        replacing older ones."""
        with self._transaction():
            self._executemany(
                "INSERT OR REPLACE INTO annotations VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        aid,
                        sha,
                        made_by,
                        json.dumps(data, ensure_ascii=False),
                        None if evidence is None else json.dumps(evidence, ensure_ascii=False),
                    )
                    for aid, sha, data, evidence in rows
                ],
            )

    def save_evidence(self, made_by: str, rows: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Keep grouping evidence beside annotations stored without it."""
        with self._transaction():
            self._executemany(
                "UPDATE annotations SET evidence = ? WHERE article_id = ? AND made_by = ?",
                [(json.dumps(e, ensure_ascii=False), aid, made_by) for aid, e in rows],
            )

    def known_results(self, keys: Iterable[str]) -> set[str]:
        """Which of these story results the store holds."""
        found = self._where_in("SELECT key FROM story_results WHERE key IN", keys)
        return {row[0] for row in found}

    def meta(self, key: str) -> str | None:
        row = self._execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction():
            self._execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def feed_state(self, url: str) -> dict[str, Any]:
        """What `parallax watch` kept about a feed; empty for a feed never polled."""
        row = self._execute("SELECT state FROM feeds WHERE url = ?", (url,)).fetchone()
        return {} if row is None else dict(json.loads(row[0]))

    def save_feed_state(self, url: str, state: dict[str, Any]) -> None:
        with self._transaction():
            self._execute(
                "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?)",
                (url, json.dumps(state, ensure_ascii=False), _now()),
            )

    def discard_run(self, run_id: int) -> None:
        """Forget a run begun for nothing (an ingest that read nothing new)."""
        with self._transaction():
            self._execute("DELETE FROM runs WHERE id = ? AND status = 'running'", (run_id,))

    # -- runs -------------------------------------------------------------------------

    def begin_run(self) -> int:
        with self._transaction():
            row = self._execute(
                "INSERT INTO runs (started_at, status, host, pid) VALUES (?, 'running', ?, ?) "
                "RETURNING id",
                (_now(), socket.gethostname(), os.getpid()),
            ).fetchone()
        return int(row[0])

    def finish_run(
        self,
        run_id: int,
        *,
        generated_at: datetime,
        stories: Sequence[StoredStory],
        results: Iterable[StoryResult] = (),
        errors: Iterable[InputFailure] = (),
        events: Iterable[StoryEvent] = (),
        result_keys: Iterable[str] = (),
    ) -> None:
        """Record a run's stories, the results they lack (new ones: a story that stood
        names the results it already has), history events and errors, and mark it
        complete, atomically. `result_keys`: results saved before (`save_results`) that
        the run holds besides its stories' (articles in no story).

        Only the latest complete run keeps its report: the runs before keep their stories,
        memberships, history and errors, and results no longer named by the latest run
        are dropped, so a store ingested into every quarter of an hour grows with its
        articles, not with its runs (SQLite reuses the freed pages). A run writes only
        the results that changed, so its cost follows its new articles.
        """
        with self._transaction():
            keys = {s.result for s in stories if s.result is not None} | set(result_keys)
            keys |= self._insert_results(results)
            self._executemany(
                "INSERT INTO run_results VALUES (?, ?)", [(run_id, key) for key in sorted(keys)]
            )
            self._executemany(
                "INSERT INTO story_events VALUES (?, ?, ?, ?)",
                [(run_id, e.story_id, e.event, json.dumps(e.detail)) for e in events],
            )
            self._executemany(
                "INSERT INTO stories (run_id, id, title, seq, result, grouping) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (run_id, s.id, s.title, seq, s.result, s.grouping)
                    for seq, s in enumerate(stories)
                ],
            )
            self._executemany(
                "INSERT INTO story_articles VALUES (?, ?, ?)",
                [(run_id, s.id, a) for s in stories for a in s.article_ids],
            )
            self._executemany(
                "INSERT INTO run_errors VALUES (?, ?, ?)",
                [(run_id, e.source, e.error) for e in errors],
            )
            self._execute(
                "UPDATE runs SET status='complete', finished_at=?, generated_at=? WHERE id=?",
                (_now(), generated_at.isoformat(), run_id),
            )
            self._execute(
                "UPDATE runs SET report=NULL WHERE id < ? AND report IS NOT NULL", (run_id,)
            )
            self._execute(
                "DELETE FROM story_results WHERE key NOT IN "
                "(SELECT key FROM run_results WHERE run_id = ?)",
                (run_id,),
            )

    def save_results(self, results: Iterable[StoryResult]) -> None:
        """Keep story results ahead of the run that will name them (`finish_run`), so that
        a run too large to hold in memory writes them as it goes; results no complete
        run names are dropped when the next run finishes."""
        with self._transaction():
            self._insert_results(results)

    def _insert_results(self, results: Iterable[StoryResult]) -> set[str]:
        keys = set()
        for result in results:
            self._execute(
                "INSERT OR IGNORE INTO story_results VALUES (?, ?)", (result.key, result.story)
            )
            self._executemany(
                "INSERT OR IGNORE INTO result_articles VALUES (?, ?, ?)",
                [(result.key, aid, body) for aid, body in result.articles],
            )
            keys.add(result.key)
        return keys

    def story_history(self, story_id: str) -> list[tuple[int, StoryEvent]]:
        """What happened to a story, run by run (oldest first)."""
        rows = self._execute(
            "SELECT run_id, event, detail FROM story_events WHERE story_id = ? ORDER BY rowid",
            (story_id,),
        )
        return [(run, StoryEvent(story_id, event, json.loads(d))) for run, event, d in rows]

    def runs(self) -> list[RunInfo]:
        rows = self._execute(
            "SELECT id, started_at, finished_at, status FROM runs ORDER BY id"
        ).fetchall()
        return [RunInfo(*row) for row in rows]

    def latest_complete_run(self) -> int | None:
        row = self._execute("SELECT max(id) FROM runs WHERE status='complete'").fetchone()
        return None if row[0] is None else int(row[0])

    def stories(self, run_id: int) -> list[StoredStory]:
        """A run's stories, in the report's order (largest first)."""
        rows = self._execute(
            "SELECT s.id, s.title, s.grouping, s.result, group_concat(sa.article_id) "
            "FROM stories s "
            "JOIN story_articles sa ON sa.run_id = s.run_id AND sa.story_id = s.id "
            "WHERE s.run_id = ? GROUP BY s.id, s.title, s.grouping, s.result, s.seq "
            "ORDER BY s.seq, count(*) DESC, s.id",
            (run_id,),
        ).fetchall()
        return [
            StoredStory(sid, title, tuple(sorted(ids.split(","))), grouping or "{}", result)
            for sid, title, grouping, result, ids in rows
        ]

    def report_json(self, run_id: int) -> dict[str, Any] | None:
        """A run's report as the contract's JSON; None when the run has none (it is not
        the latest complete run, or not complete)."""
        text = self.report_text(run_id)
        return None if text is None else dict(json.loads("".join(text)))

    def report_text(self, run_id: int) -> Iterator[str] | None:
        """A run's report as JSON text, a piece at a time (`report_json`'s source)."""
        from newsparallax.render.contract import assemble_report_text, join_story_parts

        row = self._execute(
            "SELECT report, generated_at, status FROM runs WHERE id=?", (run_id,)
        ).fetchone()
        if row is None or row[2] != "complete":
            return None
        if row[0] is not None:  # a report stored whole (before version 4)
            return iter([row[0]])
        if row[1] is None or run_id != self.latest_complete_run():
            return None
        articles = (
            body
            for (body,) in self._streamed(
                "SELECT ra.body FROM run_results rr JOIN result_articles ra ON ra.key = rr.key "
                "WHERE rr.run_id = ? ORDER BY ra.article_id",
                (run_id,),
            )
        )

        def result_of(key: str | None) -> str | None:  # one story's at a time: at 100,000
            row = self._execute(  # articles all of them held took gigabytes
                "SELECT r.story FROM run_results rr JOIN story_results r ON r.key = rr.key "
                "WHERE rr.run_id = ? AND rr.key = ? AND r.story IS NOT NULL",
                (run_id, key),
            ).fetchone()
            return None if row is None else str(row[0])

        stories = (
            join_story_parts(s.id, s.title, s.article_ids, s.grouping, result)
            for s in self.stories(run_id)
            if (result := result_of(s.result)) is not None
        )
        errors = [
            {"source": source, "error": error}
            for source, error in self._execute(
                "SELECT source, error FROM run_errors WHERE run_id = ? ORDER BY rowid", (run_id,)
            ).fetchall()
        ]
        return assemble_report_text(row[1], articles, stories, errors)

    def _streamed(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows of a query a few at a time, for one too large to hold (a report's
        articles: gigabytes at 100,000). SQLite's cursor steps through its rows as they
        are read."""
        yield from self._execute(sql, params)

    def _mark_interrupted_runs(self) -> None:
        """Runs still 'running' whose process on this host is gone were killed: say so."""
        host = socket.gethostname()
        rows = self._execute("SELECT id, pid FROM runs WHERE status='running' AND host=?", (host,))
        gone = [(run_id,) for run_id, pid in rows.fetchall() if not _process_alive(pid)]
        if gone:
            self._executemany("UPDATE runs SET status='interrupted' WHERE id=?", gone)

    def integrity_ok(self) -> bool:
        return bool(self._execute("PRAGMA integrity_check").fetchone()[0] == "ok")


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception: one writer at a time.
    `begin`: the statements that open it, where a database says it otherwise."""

    def __init__(self, db: Any, *begin: str) -> None:
        self._db = db
        self._begin = begin or ("BEGIN IMMEDIATE",)

    def __enter__(self) -> None:
        for statement in self._begin:
            self._db.execute(statement)

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


_ARTICLE_COLUMNS = (
    "id",
    "source",
    "title",
    "outlet",
    "published",
    "published_inferred",
    "text",
    "removed",
    "ingested_at",
)


def _chunks(values: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    chunk: list[str] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _article_row(article: Article, now: str) -> tuple[Any, ...]:
    removed = [{"text": r.text, "reason": str(r.reason)} for r in article.removed]
    published = article.published.isoformat() if article.published else None
    return (
        article.id,
        article.source,
        article.title,
        article.outlet,
        published,
        int(article.published_inferred),
        article.text,
        json.dumps(removed, ensure_ascii=False),
        now,
    )


def _row_article(row: dict[str, Any]) -> Article:
    published: date | datetime | None = None
    if row["published"]:
        value = row["published"]
        published = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    return Article(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        title=row["title"],
        outlet=row["outlet"],
        published=published,
        published_inferred=bool(row["published_inferred"]),
        removed=tuple(
            Removal(r["text"], RemovalReason(r["reason"])) for r in json.loads(row["removed"])
        ),
    )


def _migrate_1_to_2(db: sqlite3.Connection) -> None:
    """Re-key a version 1 store's articles by publication, in one transaction.

    A version 1 id is the content-only id, and a version 2 id derives from it and the
    article's publication key (`model.ids.publication_id`), so every stored article gets
    exactly the id ingesting it again would give it, and re-reading a stored file stays a
    no-op. Story memberships follow. Reports stored as JSON keep the ids they were
    written with (they are a record of that run). Articles a version 1 store dropped as
    "already stored" (the same text from a second outlet) were never kept and cannot be
    recovered: ingest those inputs again to have them.
    """
    rows = db.execute("SELECT id, source, outlet FROM articles").fetchall()
    new_ids = {
        old: publication_id(old, publication_key(source, outlet)) for old, source, outlet in rows
    }
    with _migration(db, to_version=2):
        db.executemany("UPDATE articles SET id=? WHERE id=?", [(n, o) for o, n in new_ids.items()])
        db.executemany(
            "UPDATE story_articles SET article_id=? WHERE article_id=?",
            [(n, o) for o, n in new_ids.items()],
        )


@contextmanager
def _migration(db: sqlite3.Connection, to_version: int) -> Iterator[None]:
    """One migration step: foreign keys off, one transaction that ends by checking them
    and setting the schema version, rolled back whole on any error."""
    db.execute("PRAGMA foreign_keys=OFF")
    try:
        db.execute("BEGIN IMMEDIATE")
        yield
        if db.execute("PRAGMA foreign_key_check").fetchall():
            raise sqlite3.IntegrityError(f"foreign keys broken by the migration to {to_version}")
        db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(to_version),))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    finally:
        db.execute("PRAGMA foreign_keys=ON")


def _migrate_2_to_3(db: sqlite3.Connection) -> None:
    """Rebuild `runs` with the host and process columns and the 'interrupted' status.

    SQLite cannot change a CHECK constraint in place, so the table is copied into its new
    form (SQLite's documented procedure, foreign keys off, in one transaction). Runs a
    version 2 store left 'running' have no process to ask about: they become
    'interrupted', which is what they are unless a Parallax of version 2 is writing
    to this store at this moment.
    """
    with _migration(db, to_version=3):
        db.execute(
            "CREATE TABLE runs_v3 ("
            "id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, finished_at TEXT, "
            "status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted')), "
            "report TEXT, host TEXT, pid INTEGER)"
        )
        db.execute(
            "INSERT INTO runs_v3 (id, started_at, finished_at, status, report) "
            "SELECT id, started_at, finished_at, "
            "CASE status WHEN 'running' THEN 'interrupted' ELSE status END, report FROM runs"
        )
        db.execute("DROP TABLE runs")
        db.execute("ALTER TABLE runs_v3 RENAME TO runs")


# Version 3 -> 4: the columns version 4 adds to existing tables (its new tables are
# created with the schema, as missing tables are). Plain SQL both databases take.
_V4_COLUMNS = (
    "ALTER TABLE runs ADD COLUMN generated_at TEXT",
    "ALTER TABLE stories ADD COLUMN seq INTEGER",
    "ALTER TABLE stories ADD COLUMN result TEXT",
    "ALTER TABLE stories ADD COLUMN grouping TEXT",
    "ALTER TABLE annotations ADD COLUMN evidence TEXT",
)


def _process_alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True
