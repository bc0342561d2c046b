"""The README documents every command and every setting; the public API is what it says."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

import newsparallax
from newsparallax.cli import build_parser

README = (Path(__file__).parents[1] / "README.md").read_text()
DEFAULTS = tomllib.loads(resources.files("newsparallax").joinpath("defaults.toml").read_text())


def commands() -> list[str]:
    parser = build_parser()
    [sub] = [a for a in parser._actions if a.dest == "command"]
    return sorted(sub.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", commands())
def test_docs_every_command_is_in_the_readme(command: str) -> None:
    assert f"`parallax {command}" in README


@pytest.mark.parametrize(
    "setting", [f"{section}.{key}" for section, keys in DEFAULTS.items() for key in keys]
)
def test_docs_every_setting_is_in_the_readme(setting: str) -> None:
    assert f"`{setting}`" in README


def test_docs_readme_opens_with_the_two_fresh_machine_commands() -> None:
    blocks = README.split("```bash\n")[1:3]
    demo, tests = (block.split("\n```")[0] for block in blocks)
    assert "pip install ." in demo and demo.endswith("parallax demo")
    assert "pip install -e '.[test]'" in tests and tests.endswith("python -m pytest")
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text()
    assert tests.split("&& ")[-1] in ci


def test_docs_public_api_is_exported() -> None:
    for name in newsparallax.__all__:
        assert hasattr(newsparallax, name), name
    assert sorted(newsparallax.__all__) == newsparallax.__all__
