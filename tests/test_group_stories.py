"""Provisional story grouping, gated on our labelled set (demo corpus + tests/data/grouping)."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA
from newsparallax.config import GroupOptions, Settings
from newsparallax.extract import segment
from newsparallax.ingest import read_articles
from newsparallax.model import Annotated, Article
from newsparallax.nlp import SentenceSplitter
from newsparallax.stories.evidence import Background
from newsparallax.stories.grouping import group_stories, similarity_matrix

LABELS = json.loads((DATA / "grouping-labels.json").read_text())


def label_of(article: Article) -> str:
    """The story label of an article, by the file (or, for records, the record's file) it came from."""
    for name, label in LABELS.items():
        stem = name.split(".")[0]
        if not name.startswith("_") and (
            Path(article.source).name == name or stem in article.source
        ):
            return str(label)
    for outlet, label in {
        "meridian-news": "strike",
        "bay-observer": "strike",
        "coastline-daily": "dam",
    }.items():
        if outlet in article.source:
            return label
    raise KeyError(article.source)


@pytest.fixture(scope="module")
def labelled(demo_corpus: Path, splitter: SentenceSplitter) -> list[tuple[Annotated, str]]:
    found = list(read_articles([demo_corpus, DATA / "grouping"], Settings.defaults()))
    assert all(isinstance(a, Article) for a in found)
    docs = segment([Annotated(a) for a in found], splitter)  # type: ignore[arg-type]
    return [(d, label_of(d.article)) for d in docs]


def bcubed_f1(predicted: dict[str, str], gold: dict[str, str]) -> float:
    """B-cubed F1 of a clustering: per item, precision and recall of its cluster."""
    precision = recall = 0.0
    for item in gold:
        same_pred = {o for o in gold if predicted[o] == predicted[item]}
        same_gold = {o for o in gold if gold[o] == gold[item]}
        both = len(same_pred & same_gold)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    p, r = precision / len(gold), recall / len(gold)
    return 2 * p * r / (p + r)


def test_group_threshold_separates_labelled_pairs(
    background: Background, labelled: list[tuple[Annotated, str]]
) -> None:
    docs = [d for d, _ in labelled]
    labels = [lab for _, lab in labelled]
    sim = similarity_matrix(docs, background)
    same = [sim[i, j] for i in range(len(docs)) for j in range(i) if labels[i] == labels[j]]
    diff = [sim[i, j] for i in range(len(docs)) for j in range(i) if labels[i] != labels[j]]
    threshold = Settings.defaults().group.similarity_threshold
    assert max(diff) < threshold < min(same)
    # and with a margin on both sides, so the threshold is not balanced on one pair
    assert threshold - max(diff) > 0.03 and min(same) - threshold > 0.03


def test_group_labelled_set_bcubed_f1_floor(
    background: Background, labelled: list[tuple[Annotated, str]]
) -> None:
    docs = [d for d, _ in labelled]
    gold = {d.id: lab for d, lab in labelled}
    stories = group_stories(docs, options=Settings.defaults().group, background=background)
    predicted = {a: s.id for s in stories for a in s.article_ids}
    assert bcubed_f1(predicted, gold) >= 0.95  # pinned floor


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_group_independent_of_input_order(
    background: Background, labelled: list[tuple[Annotated, str]], rnd: random.Random
) -> None:
    docs = [d for d, _ in labelled]
    options = Settings.defaults().group
    shuffled = docs[:]
    rnd.shuffle(shuffled)
    assert group_stories(shuffled, options=options, background=background) == group_stories(
        docs, options=options, background=background
    )


def test_group_title_is_a_headline_from_the_story(
    background: Background, labelled: list[tuple[Annotated, str]]
) -> None:
    docs = [d for d, _ in labelled]
    titles = {d.article.title for d in docs}
    for story in group_stories(docs, options=Settings.defaults().group, background=background):
        assert story.title in titles


def test_group_untitled_story_takes_its_first_sentence(
    background: Background, make_doc: Callable[..., Annotated], splitter: SentenceSplitter
) -> None:
    [doc] = segment([make_doc("Lead sentence here. Second sentence.")], splitter)
    [story] = group_stories([doc], options=GroupOptions(0.15), background=background)
    assert story.title == "Lead sentence here."


def test_group_handles_empty_and_stopword_only_input(
    background: Background, make_doc: Callable[..., Annotated]
) -> None:
    assert group_stories([], options=GroupOptions(0.15), background=background) == ()
    docs = [make_doc("the and of"), make_doc("a an the")]
    assert len(group_stories(docs, options=GroupOptions(0.15), background=background)) == 2
    assert np.allclose(similarity_matrix(docs, background), np.eye(2))


def test_group_seeds_form_one_story_that_nothing_else_joins(
    background: Background,
    seeds: Path,
    splitter: SentenceSplitter,
    labelled: list[tuple[Annotated, str]],
) -> None:
    found = list(read_articles([seeds], Settings.defaults()))
    seed_docs = segment([Annotated(a) for a in found], splitter)  # type: ignore[arg-type]
    default = Settings.defaults().group
    for factor in (0.7, 1.0, 1.3):  # and so over the +-30 % the threshold is held to
        threshold = default.similarity_threshold * factor
        options = dataclasses.replace(default, similarity_threshold=threshold)
        alone = group_stories(seed_docs, options=options, background=background)
        assert len(alone) == 1 and len(alone[0].article_ids) == 5, factor
        mixed = group_stories(
            [*seed_docs, *(d for d, _ in labelled)], options=options, background=background
        )
        seed_ids = {d.id for d in seed_docs}
        [seed_story] = [s for s in mixed if seed_ids & set(s.article_ids)]
        assert set(seed_story.article_ids) == seed_ids, factor
