"""Shared fixtures. Heavy resources (the sentence splitter) are built once per session."""

from __future__ import annotations

import functools
import json
import os
import uuid
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from newsparallax import geo, nlp
from newsparallax.config import Settings
from newsparallax.model import Annotated, Article, article_id
from newsparallax.nlp import LanguageModels, SentenceSplitter
from newsparallax.pipeline import Stage
from newsparallax.stories import evidence

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.defaults()


@pytest.fixture(scope="session")
def splitter() -> SentenceSplitter:
    return _load_splitter_once()


# The real loaders, for the tests that must see them work (or fail) for real.
REAL_LOAD_LANGUAGE_MODELS = nlp.load_language_models
# Loaded at most once per test session, and only when a test needs them.
_load_models_once = functools.cache(nlp.load_language_models)
_load_splitter_once = functools.cache(nlp.load_sentence_splitter)
_load_gazetteer_once = functools.cache(geo.load_gazetteer)
_load_background_once = functools.cache(evidence.load_background)


@pytest.fixture(scope="session")
def models() -> LanguageModels:
    """The spaCy-backed resources, loaded once for the whole session."""
    return _load_models_once()


@pytest.fixture(autouse=True)
def reuse_session_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands under test load models themselves; give them the session's instead."""
    monkeypatch.setattr(nlp, "load_language_models", lambda *names: _load_models_once())
    monkeypatch.setattr(nlp, "load_sentence_splitter", _load_splitter_once)
    monkeypatch.setattr(geo, "load_gazetteer", _load_gazetteer_once)
    monkeypatch.setattr(evidence, "load_background", _load_background_once)


@pytest.fixture(scope="session")
def gazetteer() -> geo.Gazetteer:
    return _load_gazetteer_once()


@pytest.fixture(scope="session")
def background() -> evidence.Background:
    return _load_background_once()


@pytest.fixture(scope="session")
def default_stages() -> list[Stage]:
    """The stages `parallax analyze` runs, with the session's models and gazetteer."""
    from newsparallax.analysis import default_stages as build

    return build(
        Settings.defaults(),
        _load_splitter_once(),
        _load_models_once(),
        _load_gazetteer_once(),
        _load_background_once(),
    )


@pytest.fixture(scope="session")
def demo_corpus() -> Path:
    return Path(str(resources.files("newsparallax") / "demo"))


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The five real seed articles beside the checkout; tests using them skip without them."""
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip("../shared/seeds is not present")
    return SEEDS


@pytest.fixture
def make_doc() -> Callable[..., Annotated]:
    """Build an annotated article by hand, no files, no models."""

    def make(text: str, title: str | None = None, **fields: object) -> Annotated:
        article = Article(
            id=article_id(title, text), source="test", text=text, title=title, **fields
        )  # type: ignore[arg-type]
        return Annotated(article)

    return make


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under the test's temp folder and return its path."""

    def write_file(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")
        return path

    return write_file


def analysed(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A folder analysed through the command line, as the JSON report."""
    from newsparallax.cli import main

    out = tmp_path_factory.mktemp(folder.name) / "report.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nlp, "load_language_models", lambda *names: _load_models_once())
        patch.setattr(geo, "load_gazetteer", _load_gazetteer_once)
        assert main(["analyze", str(folder), "--json", str(out)]) == 0
    report: dict[str, Any] = json.loads(out.read_text())
    return report


@pytest.fixture(scope="session")
def seeds_report(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seeds analysed once."""
    return analysed(seeds, tmp_path_factory)


@pytest.fixture(scope="session")
def demo_report(demo_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo corpus analysed once."""
    return analysed(demo_corpus, tmp_path_factory)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_address(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a test's store lives, once per backend: a SQLite file, and a fresh database
    on the PostgreSQL server whose admin URL PARALLAX_TEST_POSTGRES gives (`.ci/run`
    starts one; without it the PostgreSQL case is skipped, saying so, or fails where
    PARALLAX_REQUIRE_POSTGRES is set)."""
    if request.param == "sqlite":
        yield str(tmp_path / "p.db")
        return
    admin = os.environ.get("PARALLAX_TEST_POSTGRES")
    if not admin:
        if os.environ.get("PARALLAX_REQUIRE_POSTGRES"):
            pytest.fail("PARALLAX_REQUIRE_POSTGRES is set but PARALLAX_TEST_POSTGRES is not")
        pytest.skip("no PostgreSQL server: set PARALLAX_TEST_POSTGRES to an admin URL")
    psycopg = pytest.importorskip("psycopg")
    name = f"parallax_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    yield f"{admin.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
