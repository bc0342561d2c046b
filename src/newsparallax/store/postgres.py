"""The same store on a PostgreSQL server, for a store that several machines write to.

`--db postgresql://user@host/dbname` (or `store.path`) opens it. The tables, the
queries and the behaviour are `SQLiteStore`'s: its queries are written in SQLite's
dialect and translated here (`?` placeholders, `INSERT OR IGNORE`, `INSERT OR REPLACE`,
`group_concat`, `rowid`), so the two cannot drift apart. One writer at a time, as in SQLite: each
write transaction takes a transaction-level advisory lock. The database is created by
whoever runs the server; Parallax creates its tables in it, at the current schema
version, and migrates a version 3 database to version 4 (`_V4_COLUMNS`).

psycopg 3 is the driver: the maintained PostgreSQL adapter for Python, with its own
wheels (`psycopg[binary]`, in the `postgres` extra), so nothing needs compiling.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from newsparallax.errors import StoreError
from newsparallax.store.sqlite import (
    _SCHEMA,
    _V4_COLUMNS,
    SCHEMA_VERSION,
    SQLiteStore,
    _Transaction,
)

# Rows a server-side cursor sends at a time (`_streamed`).
_STREAMED_ROWS = 200
# Any number, so that every Parallax writing to one database takes the same lock.
_WRITER_LOCK = 7_243_001
# The tables `INSERT OR REPLACE` writes to: their keys and the columns a new row replaces.
_REPLACED = {
    "meta": (("key",), ("value",)),
    "annotations": (("article_id",), ("text_sha1", "made_by", "data", "evidence")),
    "feeds": (("url",), ("state", "polled_at")),
}
_REPLACE = re.compile(r"INSERT OR REPLACE INTO (\w+)")
_IGNORE = re.compile(r"INSERT OR IGNORE INTO \w+")


def is_postgres_address(path: str) -> bool:
    return path.startswith(("postgresql://", "postgres://"))


def to_postgres(sql: str) -> str:
    """One of the store's queries, from SQLite's dialect into PostgreSQL's."""
    replaced = _REPLACE.match(sql)
    if replaced:
        keys, columns = _REPLACED[replaced.group(1)]
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)
        sql = f"{sql.replace('INSERT OR REPLACE', 'INSERT')} ON CONFLICT ({', '.join(keys)}) "
        sql += f"DO UPDATE SET {updates}"
    elif _IGNORE.match(sql):
        sql = f"{sql.replace('INSERT OR IGNORE', 'INSERT')} ON CONFLICT DO NOTHING"
    sql = sql.replace("group_concat(sa.article_id)", "string_agg(sa.article_id, ',')")
    sql = sql.replace("ORDER BY rowid", "ORDER BY seq")
    return sql.replace("?", "%s")


class PostgresStore(SQLiteStore):
    """`SQLiteStore` on a PostgreSQL database; use as a context manager.

    Args:
        address: a libpq connection URL, `postgresql://user:password@host:port/dbname`.
    """

    def __init__(self, address: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(
                "a PostgreSQL store needs psycopg: pip install 'newsparallax[postgres]'"
            ) from exc
        self.path = None
        self.address = address
        shown = re.sub(r"//[^@/]*@", "//…@", address)  # no password in messages
        try:
            self._db = psycopg.connect(address, autocommit=True)  # type: ignore[assignment]
            with self._transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(_postgres_table(statement))
                self._execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                )
            version = self._execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if int(version[0]) == 3:
                with self._transaction():
                    for statement in (*_V4_COLUMNS, _RUN_ERRORS_ORDER):
                        self._db.execute(statement)
                    self._execute("UPDATE meta SET value='4' WHERE key='schema_version'")
                version = ("4",)
            if int(version[0]) == SCHEMA_VERSION:
                self._mark_interrupted_runs()
        except psycopg.Error as exc:
            raise StoreError(f"{shown}: cannot open the store ({exc})") from exc
        if int(version[0]) != SCHEMA_VERSION:
            raise StoreError(
                f"{shown}: store schema version {version[0]}, this Parallax reads {SCHEMA_VERSION}"
            )

    def _transaction(self) -> _Transaction:
        # one writer at a time, as SQLite's BEGIN IMMEDIATE gives
        return _Transaction(self._db, "BEGIN", f"SELECT pg_advisory_xact_lock({_WRITER_LOCK})")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._db.execute(to_postgres(sql), params)

    def _streamed(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """psycopg's default cursor fetches every row of a query when it runs, so a
        report's articles would all come at once: a server-side cursor (one with a
        name, living in a transaction) sends them `_STREAMED_ROWS` at a time."""
        db: Any = self._db  # a psycopg connection
        with db.transaction():
            cursor = db.cursor(name=f"parallax_{uuid.uuid4().hex}")
            try:
                cursor.itersize = _STREAMED_ROWS
                cursor.execute(to_postgres(sql), params)
                yield from cursor
            finally:
                cursor.close()

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        cursor: Any = self._db.cursor()
        try:
            cursor.executemany(to_postgres(sql), rows)
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def integrity_ok(self) -> bool:
        """The server keeps its own pages whole; what can be checked here is that every
        story's article is stored (the foreign keys hold by construction)."""
        orphans = self._execute(
            "SELECT count(*) FROM story_articles sa LEFT JOIN articles a ON a.id = sa.article_id "
            "WHERE a.id IS NULL"
        ).fetchone()[0]
        return bool(orphans == 0)


# A run's errors are read in the order they were written (a version 3 database lacks it).
_RUN_ERRORS_ORDER = "ALTER TABLE run_errors ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY"


def _postgres_table(statement: str) -> str:
    """A CREATE TABLE of the SQLite schema in PostgreSQL's words. A story's events and a
    run's errors are read in the order they were written, which SQLite keeps as `rowid`;
    here a last column, `seq`, keeps it (rows are written without it, so it takes its
    default)."""
    statement = statement.replace(
        "INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    )
    if any(f"TABLE IF NOT EXISTS {t} " in statement for t in ("story_events", "run_errors")):
        last = statement.rindex(")")
        statement = f"{statement[:last]},\n    seq BIGINT GENERATED ALWAYS AS IDENTITY\n)"
    return statement
