"""Where articles and results are kept: SQLite by default, PostgreSQL on request, behind
one small interface (`SQLiteStore`'s methods)."""

from pathlib import Path

from newsparallax.store.postgres import PostgresStore, is_postgres_address
from newsparallax.store.sqlite import (
    RunInfo,
    SQLiteStore,
    StoredStory,
    StoryResult,
    default_store_path,
)


def open_store(where: str | Path) -> SQLiteStore:
    """The store at `where`: a PostgreSQL URL (`postgresql://…`), else a SQLite file
    (":memory:" for one that lives as long as the process)."""
    if is_postgres_address(str(where)):
        return PostgresStore(str(where))
    return SQLiteStore(where)


def store_exists(where: str | Path) -> bool:
    """Whether there is a store to read at `where` (a server is asked when opened)."""
    return is_postgres_address(str(where)) or Path(where).is_file()


__all__ = [
    "PostgresStore",
    "RunInfo",
    "SQLiteStore",
    "StoredStory",
    "StoryResult",
    "default_store_path",
    "open_store",
    "store_exists",
]
