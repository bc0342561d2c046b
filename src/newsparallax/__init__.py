"""Parallax: many articles about the same events in; one cross-checked, cited picture out.

The public API is re-exported here; anything not in `__all__` is internal.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsparallax")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from typing import TYPE_CHECKING, Any

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
from newsparallax.model import Annotated, Article, Report, Span, Story

if TYPE_CHECKING:
    from newsparallax.analysis import analyze, analyze_store, default_stages, ingest
    from newsparallax.ingest import read_articles
    from newsparallax.pipeline import ErrorPolicy, run_pipeline
    from newsparallax.render import render_html, report_from_json, report_to_json
    from newsparallax.store import SQLiteStore

# Imported on first use: the analysis pulls in spaCy, scikit-learn and their kin, which a
# `parallax --help` or an `import newsparallax` for the model alone should not pay for.
_LAZY = {
    "analyze": "newsparallax.analysis",
    "analyze_store": "newsparallax.analysis",
    "default_stages": "newsparallax.analysis",
    "ingest": "newsparallax.analysis",
    "read_articles": "newsparallax.ingest",
    "ErrorPolicy": "newsparallax.pipeline",
    "run_pipeline": "newsparallax.pipeline",
    "render_html": "newsparallax.render",
    "report_from_json": "newsparallax.render",
    "report_to_json": "newsparallax.render",
    "SQLiteStore": "newsparallax.store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newsparallax' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
