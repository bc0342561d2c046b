"""Settings: one shipped defaults file, user TOML layered over it, unknown keys refused.

The defaults live in `defaults.toml`, commented with the reason for each value; this
module only loads, layers and type-checks. Settings are plain frozen dataclasses
passed to the functions that need them, never read from module globals.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any, Self

from newsparallax.errors import ConfigError


@dataclass(frozen=True, slots=True)
class IngestOptions:
    max_file_bytes: int
    max_record_bytes: int
    max_article_chars: int
    headline_max_words: int
    headline_max_chars: int
    # For every input that does not say its own (see ingest/metadata.py); set by the
    # command line's --outlet and --published.
    outlet: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class CleanOptions:
    social_post_max_chars: int
    caption_credit_max_words: int
    share_line_max_words: int
    repeated_paragraph_min_words: int


@dataclass(frozen=True, slots=True)
class GroupOptions:
    similarity_threshold: float
    method: str = "tfidf"
    incremental_threshold: float = 0.15
    merge_ratio: float = 0.0
    merge_min_articles: int = 5
    embedder: str = ""

    def __post_init__(self) -> None:
        if self.method not in {"tfidf", "incremental"}:
            raise ConfigError(f"group.method must be 'tfidf' or 'incremental', not {self.method!r}")
        if not 0.0 <= self.merge_ratio <= 1.0:
            raise ConfigError(f"group.merge_ratio must be from 0 to 1, not {self.merge_ratio}")
        if self.merge_min_articles < 2:
            raise ConfigError(
                f"group.merge_min_articles must be 2 or more, not {self.merge_min_articles}"
            )


@dataclass(frozen=True, slots=True)
class ModelOptions:
    spacy: list[str]


@dataclass(frozen=True, slots=True)
class QuoteOptions:
    scare_quote_max_words: int
    same_quote_min_overlap: float


@dataclass(frozen=True, slots=True)
class ClaimOptions:
    paraphrase_threshold: float
    embedder: str
    embedding_threshold: float


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    sentences: int
    words: int = 0


@dataclass(frozen=True, slots=True)
class TimelineOptions:
    max_dates: int
    key_evidence: float = 2.0


@dataclass(frozen=True, slots=True)
class AbstractiveOptions:
    enabled: bool
    base_url: str
    model: str
    api_key_env: str
    timeout_seconds: float


@dataclass(frozen=True, slots=True)
class StoreOptions:
    path: str


@dataclass(frozen=True, slots=True)
class ReportOptions:
    excerpt_chars: int


@dataclass(frozen=True, slots=True)
class RunOptions:
    workers: int
    engine: str = "local"
    scheduler: str = ""
    articles_in_memory: int = 5000

    def __post_init__(self) -> None:
        if self.articles_in_memory < 1:
            raise ConfigError(
                f"run.articles_in_memory must be 1 or more, not {self.articles_in_memory}"
            )
        if self.engine not in {"local", "dask"}:
            raise ConfigError(f"run.engine must be 'local' or 'dask', not {self.engine!r}")
        if self.workers < 0:
            raise ConfigError(f"run.workers must be 0 (one per core) or more, not {self.workers}")


@dataclass(frozen=True, slots=True)
class Settings:
    ingest: IngestOptions
    clean: CleanOptions
    group: GroupOptions
    models: ModelOptions
    quotes: QuoteOptions
    claims: ClaimOptions
    summary: SummaryOptions
    timeline: TimelineOptions
    abstractive: AbstractiveOptions
    store: StoreOptions
    report: ReportOptions
    run: RunOptions

    @classmethod
    def load(cls, user_file: str | Path | None = None) -> Self:
        """The defaults, with `user_file` (TOML) layered over them when given."""
        merged = _read_defaults()
        if user_file is not None:
            _layer(merged, _read_toml(Path(user_file)), str(user_file))
        return cls._from_dict(merged)

    @classmethod
    def defaults(cls) -> Self:
        return cls.load(None)

    @classmethod
    def _from_dict(cls, data: dict[str, dict[str, Any]]) -> Self:
        sections = {}
        for section in fields(cls):
            section_type = _SECTION_TYPES[section.name]
            sections[section.name] = section_type(**data[section.name])
        return cls(**sections)


_SECTION_TYPES: dict[str, type] = {
    "ingest": IngestOptions,
    "clean": CleanOptions,
    "group": GroupOptions,
    "models": ModelOptions,
    "quotes": QuoteOptions,
    "claims": ClaimOptions,
    "summary": SummaryOptions,
    "timeline": TimelineOptions,
    "abstractive": AbstractiveOptions,
    "store": StoreOptions,
    "report": ReportOptions,
    "run": RunOptions,
}


def _read_defaults() -> dict[str, dict[str, Any]]:
    text = resources.files("newsparallax").joinpath("defaults.toml").read_text("utf-8")
    return tomllib.loads(text)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: settings file not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file or leave it out") from exc


def _layer(base: dict[str, dict[str, Any]], user: dict[str, Any], origin: str) -> None:
    """Overlay `user` onto `base` in place, refusing keys and types the defaults do not have."""
    for section, values in user.items():
        if section not in base:
            known = ", ".join(sorted(base))
            raise ConfigError(f"{origin}: unknown section [{section}]; known sections: {known}")
        if not isinstance(values, dict):
            raise ConfigError(f"{origin}: [{section}] must be a table of settings")
        for key, value in values.items():
            if key not in base[section]:
                known = ", ".join(sorted(base[section]))
                raise ConfigError(
                    f"{origin}: unknown setting {section}.{key}; settings of [{section}]: {known}"
                )
            default = base[section][key]
            if not _same_kind(default, value):
                raise ConfigError(
                    f"{origin}: {section}.{key} must be {type(default).__name__}, "
                    f"not {type(value).__name__} ({value!r})"
                )
            base[section][key] = float(value) if isinstance(default, float) else value


def _same_kind(default: object, value: object) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    if isinstance(default, list) and isinstance(value, list):
        return all(isinstance(item, type(default[0])) for item in value) if default else True
    return isinstance(value, type(default))
