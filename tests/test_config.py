from __future__ import annotations

from pathlib import Path

import pytest

from newsparallax.config import Settings
from newsparallax.errors import ConfigError


def test_config_defaults_load() -> None:
    settings = Settings.defaults()
    assert settings.ingest.max_file_bytes > 1_000_000
    assert 0 < settings.group.similarity_threshold < 1


def test_config_user_file_layers_over_defaults(tmp_path: Path) -> None:
    user = tmp_path / "my.toml"
    user.write_text("[group]\nsimilarity_threshold = 0.3\n[ingest]\nmax_file_bytes = 10\n")
    settings = Settings.load(user)
    assert settings.group.similarity_threshold == 0.3
    assert settings.ingest.max_file_bytes == 10
    assert settings.clean == Settings.defaults().clean  # untouched sections keep defaults


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[grup]\nx = 1\n", "unknown section [grup]"),
        ("[group]\nsimilarity = 0.3\n", "unknown setting group.similarity"),
        ("[ingest]\nmax_file_bytes = 'big'\n", "must be int"),
        ("[group]\nsimilarity_threshold = true\n", "must be float"),
        ("[group\n", "not valid TOML"),
    ],
)
def test_config_refuses_unknown_keys_and_wrong_types(
    tmp_path: Path, content: str, message: str
) -> None:
    user = tmp_path / "bad.toml"
    user.write_text(content)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        Settings.load(user)


def test_config_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        Settings.load(tmp_path / "absent.toml")


def test_config_model_list_must_hold_names(tmp_path: Path) -> None:
    user = tmp_path / "m.toml"
    user.write_text('[models]\nspacy = ["en_core_web_md", "en_core_web_sm"]\n')
    assert Settings.load(user).models.spacy == ["en_core_web_md", "en_core_web_sm"]
    user.write_text("[models]\nspacy = [1, 2]\n")
    with pytest.raises(ConfigError, match="must be list"):
        Settings.load(user)
