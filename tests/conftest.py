"""Shared fixtures. Heavy resources (the sentence splitter) are built once per session."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from newsparallax.config import Settings
from newsparallax.model import Annotated, Article, article_id
from newsparallax.nlp import SentenceSplitter, load_sentence_splitter

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.defaults()


@pytest.fixture(scope="session")
def splitter() -> SentenceSplitter:
    return load_sentence_splitter()


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
