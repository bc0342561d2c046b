"""Parallax: many articles about the same events in; one cross-checked, cited picture out.

The public API is re-exported here; anything not in `__all__` is internal.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsparallax")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from newsparallax.analysis import analyze, analyze_store, default_stages, ingest
from newsparallax.config import Settings
from newsparallax.errors import (
    ConfigError,
    EmptyInput,
    InputError,
    InputTooLarge,
    MalformedInput,
    ModelNotFound,
    ParallaxError,
    PlanError,
    StoreError,
    UnreadableInput,
    UnsupportedInput,
)
from newsparallax.ingest import read_articles
from newsparallax.model import Annotated, Article, Report, Span, Story
from newsparallax.pipeline import ErrorPolicy, run_pipeline
from newsparallax.render import render_html, report_from_json, report_to_json
from newsparallax.store import SQLiteStore

__all__ = [
    "Annotated",
    "Article",
    "ConfigError",
    "EmptyInput",
    "ErrorPolicy",
    "InputError",
    "InputTooLarge",
    "MalformedInput",
    "ModelNotFound",
    "ParallaxError",
    "PlanError",
    "Report",
    "SQLiteStore",
    "Settings",
    "Span",
    "StoreError",
    "Story",
    "UnreadableInput",
    "UnsupportedInput",
    "__version__",
    "analyze",
    "analyze_store",
    "default_stages",
    "ingest",
    "read_articles",
    "render_html",
    "report_from_json",
    "report_to_json",
    "run_pipeline",
]
