"""Where articles and results are kept: SQLite by default, behind one small interface."""

from newsparallax.store.sqlite import RunInfo, SQLiteStore, StoredStory, default_store_path

__all__ = ["RunInfo", "SQLiteStore", "StoredStory", "default_store_path"]
