"""Story linkage: exact average linkage in sparse memory, and why each article joined."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from newsparallax.config import GroupOptions
from newsparallax.model import Annotated, Article, article_id
from newsparallax.stories import grouping
from newsparallax.stories import linkage as story_linkage
from newsparallax.stories.evidence import Background, gather_evidence, no_background
from newsparallax.stories.grouping import group_stories, similarity_matrix

VOCABULARY = [f"word{chr(97 + i)}{chr(97 + j)}" for i in range(6) for j in range(6)]


def make_doc(text: str) -> Annotated:
    return Annotated(Article(id=article_id(None, text), source="test", text=text))


def topical_docs(rnd: random.Random, topics: int, per_topic: int) -> list[Annotated]:
    """Articles drawing most of their words from their topic's share of a small vocabulary."""
    docs = []
    for topic in range(topics):
        own = VOCABULARY[topic * 6 : topic * 6 + 6]
        for k in range(per_topic):
            words = [rnd.choice(own) for _ in range(12)] + rnd.sample(VOCABULARY, 3)
            docs.append(make_doc(" ".join(words) + f". Number {topic} {k}."))
    return docs


def full_matrix_clusters(docs: list[Annotated], threshold: float) -> set[frozenset[int]]:
    """Average linkage over the whole dense matrix: what the sparse rule must equal."""
    similarity = similarity_matrix(docs, no_background())
    if len(docs) < 2:
        return {frozenset(range(len(docs)))}
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    labels = fcluster(
        linkage(squareform(distance, checks=False), "average"), 1.0 - threshold, "distance"
    )
    return {frozenset(np.flatnonzero(labels == label).tolist()) for label in np.unique(labels)}


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    topics=st.integers(1, 5),
    per_topic=st.integers(1, 6),
    threshold=st.sampled_from([0.1, 0.2, 0.3, 0.5]),
)
def test_story_linkage_by_components_equals_the_full_matrix(
    seed: int, topics: int, per_topic: int, threshold: float
) -> None:
    docs = topical_docs(random.Random(seed), topics, per_topic)
    evidence = gather_evidence(docs, no_background())
    found = {
        frozenset(c.members.tolist()) for c in story_linkage.average_linkage(evidence, threshold)
    }
    assert found == full_matrix_clusters(docs, threshold)


def test_story_linkage_large_component_keeps_its_stories(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past DENSE_LIMIT a component is clustered on its pairs alone; clear stories stay whole."""
    docs = topical_docs(random.Random(3), topics=4, per_topic=8)
    evidence = gather_evidence(docs, no_background())
    dense = {frozenset(c.members.tolist()) for c in story_linkage.average_linkage(evidence, 0.3)}
    monkeypatch.setattr(story_linkage, "DENSE_LIMIT", 2)
    sparse = {frozenset(c.members.tolist()) for c in story_linkage.average_linkage(evidence, 0.3)}
    assert sparse == dense and len(dense) == 4


def test_story_linkage_floods_of_copies_cost_their_neighbours_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(story_linkage, "NEIGHBOURS", 5)
    docs = [make_doc(f"The same wire text about the harbour fire, copy {k}.") for k in range(40)]
    i, _, _ = story_linkage.similar_pairs(gather_evidence(docs, no_background()), 0.2)
    assert len(i) <= 40 * 5  # not the 780 pairs of all against all


def test_story_join_reasons_say_what_was_shared(background: Background) -> None:
    docs = [
        make_doc("Harbour workers in Valdoria walked out over pay; the harbour is shut."),
        make_doc("The Valdoria harbour strike over pay entered its second day."),
        make_doc("Pay talks failed and the harbour strike in Valdoria goes on."),
        make_doc("A comet was seen over the northern mountains last night."),
    ]
    stories = group_stories(docs, options=GroupOptions(0.15), background=background)
    [strike] = [s for s in stories if len(s.article_ids) == 3]
    [comet] = [s for s in stories if len(s.article_ids) == 1]
    assert comet.join_reasons == ()  # an article alone has nothing to explain
    assert [r.article_id for r in strike.join_reasons] == list(strike.article_ids)
    similarity = similarity_matrix(docs[:3], background)
    means = sorted(round((row.sum() - 1.0) / 2, 4) for row in similarity)
    assert sorted(r.score for r in strike.join_reasons) == pytest.approx(means, abs=1e-4)
    for reason in strike.join_reasons:
        assert "harbour" in reason.terms or "valdoria" in reason.terms
        text = next(d.article.text.lower() for d in docs if d.id == reason.article_id)
        assert all(term in text for term in reason.terms)


def test_story_background_weights_are_right_from_the_first_articles(background: Background) -> None:
    """Two articles alone: their shared common words ("people", "said", "year") must not
    make them one story, their shared rare ones must (batch counts alone cannot tell)."""
    common = [
        make_doc("People said this year that the harbour levy would rise."),
        make_doc("People said this year that the orchestra tour was cancelled."),
    ]
    rare = [
        make_doc("Volcanologists measured sulphur plumes at Mount Ardent overnight."),
        make_doc("Sulphur plumes rose from Mount Ardent, volcanologists reported."),
    ]
    options = GroupOptions(0.2)
    assert len(group_stories(common, options=options, background=background)) == 2
    assert len(group_stories(rare, options=options, background=background)) == 1
    # without the background, two articles' words all look alike rare
    assert len(group_stories(common, options=options, background=no_background())) == 1


def test_grow_stories_adds_a_new_article_to_its_story_and_leaves_the_others_standing() -> None:
    """An ingest's grouping (`grow_stories`): the new article joins the story of its
    topic, which is the only story analysed again; an article like no other starts its
    own; the earlier stories it does not touch stand as they were."""
    rnd = random.Random(3)
    old = topical_docs(rnd, topics=3, per_topic=5)
    options = GroupOptions(0.2)
    before = group_stories(old, options=options, background=no_background())
    assert sorted(len(s.article_ids) for s in before) == [5, 5, 5]  # one story per topic
    joining = make_doc(" ".join(rnd.choice(VOCABULARY[:6]) for _ in range(12)) + ". Late.")
    alone = make_doc("Quixotic zephyrs vex jumbled kilns beyond every harbour wall.")
    docs = sorted([*old, joining, alone], key=lambda d: d.id)
    ids = [d.id for d in docs]
    evidence = gather_evidence(docs, no_background())
    grown, standing = grouping.grow_stories(
        evidence, ids, {joining.id, alone.id}, before, options.similarity_threshold
    )
    topic0 = next(s for s in before if old[0].id in s.article_ids)
    assert sorted(map(tuple, grown)) == sorted(
        [tuple(sorted([*topic0.article_ids, joining.id])), (alone.id,)]
    )
    assert sorted(standing) == sorted(s.id for s in before if s is not topic0)


def test_grow_stories_regroups_a_story_that_lost_an_article() -> None:
    """An article whose text changed is taken out of its story and placed again; the
    story it left is analysed again even if the article comes back to it."""
    rnd = random.Random(4)
    old = topical_docs(rnd, topics=2, per_topic=4)
    options = GroupOptions(0.2)
    before = group_stories(old, options=options, background=no_background())
    assert sorted(len(s.article_ids) for s in before) == [4, 4]
    docs = sorted(old, key=lambda d: d.id)
    changed = old[0].id
    grown, standing = grouping.grow_stories(
        gather_evidence(docs, no_background()),
        [d.id for d in docs],
        {changed},
        before,
        options.similarity_threshold,
    )
    home = next(s for s in before if changed in s.article_ids)
    assert grown == [sorted(home.article_ids)]  # back where it was, analysed again
    assert standing == [s.id for s in before if s is not home]
