"""Story linkage: exact average linkage in sparse memory, and why each article joined."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from newsparallax.config import GroupOptions
from newsparallax.model import Annotated, Article, Mention, MentionType, Span, article_id
from newsparallax.stories import evidence as evidence_module
from newsparallax.stories import grouping
from newsparallax.stories import linkage as story_linkage
from newsparallax.stories.evidence import Background, Evidence, gather_evidence, no_background
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


def two_of_a_kind(rnd: random.Random, per_event: int = 6) -> list[Annotated]:
    """Two events of one kind: every article draws most of its words from the kind's
    share of the vocabulary and the rest from its own event's (two arrests of two
    players of one club: the club, the charge and the court are shared)."""
    kind, events = VOCABULARY[:6], (VOCABULARY[6:12], VOCABULARY[12:18])
    docs = []
    for number, own in enumerate(events):
        for k in range(per_event):
            words = [rnd.choice(kind) for _ in range(8)] + [rnd.choice(own) for _ in range(6)]
            docs.append(make_doc(" ".join(words) + f". Event {number}, report {k}."))
    return docs


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_story_cohesion_keeps_two_events_of_one_kind_apart(seed: int) -> None:
    """Alike enough to pass the threshold (their mean about 0.4), each event's own
    articles far more alike (about 0.7): one story by the threshold alone, two with the
    cohesion rule; stories smaller than its `min_size` still merge."""
    docs = two_of_a_kind(random.Random(seed))
    evidence = gather_evidence(docs, no_background())
    rule = story_linkage.Cohesion(ratio=0.7, min_size=5)
    events = {frozenset(range(6)), frozenset(range(6, 12))}
    alone = {frozenset(c.members.tolist()) for c in story_linkage.average_linkage(evidence, 0.2)}
    held = {
        frozenset(c.members.tolist()) for c in story_linkage.average_linkage(evidence, 0.2, rule)
    }
    assert alone == {frozenset(range(12))}
    assert held == events
    small = story_linkage.Cohesion(ratio=0.7, min_size=7)
    assert len(list(story_linkage.average_linkage(evidence, 0.2, small))) == 1


def test_story_kept_apart_names_the_other_story_and_why() -> None:
    """Each of two stories of one kind records the other (by its most central article)
    with the figures that kept them apart; a story kept apart from none records none."""
    docs = two_of_a_kind(random.Random(1))
    options = GroupOptions(0.2, merge_ratio=0.7, merge_min_articles=5)
    stories = group_stories(docs, options=options, background=no_background())
    assert len(stories) == 2
    for story, other in (stories, stories[::-1]):
        [apart] = story.kept_apart
        assert apart.article_id in other.article_ids
        central = max(other.join_reasons, key=lambda r: r.score).article_id
        assert apart.article_id == central
        assert 0.2 <= apart.similarity < 0.7 * max(apart.within, apart.other_within)
    [both] = group_stories(docs, options=GroupOptions(0.2), background=no_background())
    assert both.kept_apart == ()


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    ratio=st.sampled_from([0.0, 0.5, 0.7, 0.9]),
    unknown=st.sampled_from([0.0, 0.3, 0.7]),
)
def test_story_cohesion_pairs_path_equals_the_tree_cut(
    seed: int, ratio: float, unknown: float
) -> None:
    """Past DENSE_LIMIT the pairs path must make the stories the dense tree cut makes:
    a rejected merge is final for both groups, and for any group whose best partner
    is a finished one. Pairs it is not given count as 0 (`unknown`: the share of pairs
    left out, 0 in the dense matrix), so its queue of one best partner per group must
    find a group's partner again after each merge that changes it."""
    rnd = random.Random(seed)
    n = rnd.randint(4, 40)
    blocks = [rnd.randrange(3) for _ in range(n)]
    similarity = np.eye(n)
    for a in range(n):
        for b in range(a):
            base = 0.55 if blocks[a] == blocks[b] else 0.3
            if rnd.random() >= unknown:
                similarity[a, b] = similarity[b, a] = base + rnd.uniform(-0.25, 0.25)
    members = np.arange(n, dtype=np.intp)
    rule = story_linkage.Cohesion(ratio=ratio, min_size=3)
    dense = {
        frozenset(c.members.tolist())
        for c in story_linkage._dense_clusters(similarity, members, 0.2, rule)
    }
    i, j = np.triu_indices(n, k=1)
    known = similarity[i, j] > 0
    i, j = i[known], j[known]
    found, refusals = story_linkage._sparse_clusters(members, i, j, similarity[i, j], 0.2, rule)
    assert {frozenset(c.tolist()) for c in found} == dense

    def refused(clusters: list[story_linkage.Cluster]) -> set[tuple[frozenset[int], ...]]:
        where = {int(m): frozenset(c.members.tolist()) for c in clusters for m in c.members}
        return {
            (where[r.row], where[r.other_row], round(r.between, 6), round(r.within, 6))
            for c in clusters
            for r in c.refused
        }

    by_tree = story_linkage._dense_clusters(similarity, members, 0.2, rule)
    by_pairs = story_linkage._clusters(found, refusals, lambda _: None)
    assert refused(by_pairs) == refused(by_tree)
    if ratio == 0:  # the rule off refuses nothing
        assert not refused(by_tree)


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


def spread_in_time(docs: list[Annotated], rnd: random.Random) -> list[Annotated]:
    """The articles given days over three years, one in five none."""
    first = date(2019, 1, 1).toordinal()
    return [
        doc
        if rnd.random() < 0.2
        else Annotated(
            dataclasses.replace(
                doc.article, published=date.fromordinal(first + rnd.randrange(3 * 365))
            )
        )
        for doc in docs
    ]


def all_pairs_reaching(evidence: Evidence, threshold: float) -> set[tuple[int, int]]:
    """Every pair whose similarity reaches the threshold, from the whole dense matrix."""
    everyone = np.arange(len(evidence), dtype=np.intp)
    similarity = story_linkage.cross_similarity(evidence, everyone, everyone)
    i, j = np.nonzero(np.triu(similarity >= threshold, k=1))
    return set(zip(i.tolist(), j.tolist(), strict=True))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    threshold=st.sampled_from([0.04, 0.1, 0.3, 0.6]),
    block=st.sampled_from([1, 7, 60, 4_000_000]),
)
def test_story_pairs_in_windows_of_time_are_every_pair_that_reaches_the_threshold(
    seed: int, threshold: float, block: int
) -> None:
    """Compared within windows of time (undated articles with all), the pairs found are
    those of all against all, at any block size."""
    rnd = random.Random(seed)
    docs = spread_in_time(topical_docs(rnd, topics=3, per_topic=8), rnd)
    evidence = gather_evidence(docs, no_background())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(story_linkage, "_BLOCK_ENTRIES", block)
        patch.setattr(story_linkage, "NEIGHBOURS", len(docs))
        i, j, _ = story_linkage.similar_pairs(evidence, threshold)
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == all_pairs_reaching(evidence, threshold)
    assert (np.diff(i) >= 0).all()  # ordered by (i, j)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    keep=st.sampled_from([1, 2, 4]),
    prune=st.sampled_from([1, 5, 10**9]),
)
def test_story_pairs_each_article_keeps_its_best_however_often_they_are_pruned(
    seed: int, keep: int, prune: int
) -> None:
    """A pair stays when it is among the `NEIGHBOURS` best pairs of either of its
    articles (ties: the lower partner after, then before, it), whether the pairs are
    pruned once at the end or every `prune` pairs as they are found (the memory of
    100,000 articles' pairs)."""
    rnd = random.Random(seed)
    docs = spread_in_time(topical_docs(rnd, topics=2, per_topic=9), rnd)
    evidence = gather_evidence(docs, no_background())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(story_linkage, "NEIGHBOURS", len(docs))
        i, j, s = story_linkage.similar_pairs(evidence, 0.04)
    mine: dict[int, list[tuple[float, int, int, tuple[int, int]]]] = {}
    for a, b, v in zip(i.tolist(), j.tolist(), s.tolist(), strict=True):
        mine.setdefault(a, []).append((-v, 0, b, (a, b)))  # partners after it first
        mine.setdefault(b, []).append((-v, 1, a, (a, b)))
    best = {pair for ranked in mine.values() for *_, pair in sorted(ranked)[:keep]}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(story_linkage, "NEIGHBOURS", keep)
        patch.setattr(story_linkage, "_PRUNE_PAIRS", prune)
        patch.setattr(story_linkage, "_BLOCK_ENTRIES", 30)
        i, j, _ = story_linkage.similar_pairs(evidence, 0.04)
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == best
    assert (np.diff(i) >= 0).all()


def test_story_pairs_of_articles_years_apart_are_never_multiplied_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A factor below the threshold cannot be made up: half a year apart at 0.1."""
    assert story_linkage.reach_days(0.1) == 180
    assert story_linkage.reach_days(0.3) == 30 and story_linkage.reach_days(0.6) == 7
    assert story_linkage.reach_days(0.05) is None  # x0.05 may still reach it
    rnd = random.Random(5)
    docs = topical_docs(rnd, topics=2, per_topic=20)
    years = [
        Annotated(dataclasses.replace(d.article, published=date(2010 + k % 10, 6, 1)))
        for k, d in enumerate(docs)
    ]
    multiplied: list[int] = []
    real = story_linkage._mixed

    def counted(words: Any, words_t: Any, *rest: Any) -> Any:
        multiplied.append(words.shape[0] * words_t.shape[1])
        return real(words, words_t, *rest)

    monkeypatch.setattr(story_linkage, "_mixed", counted)
    monkeypatch.setattr(story_linkage, "_BLOCK_ENTRIES", 16)  # blocks as small as at 100,000
    story_linkage.similar_pairs(gather_evidence(years, no_background()), 0.1)
    assert sum(multiplied) <= 40 * 4  # each article with its own year's four at most
    multiplied.clear()
    story_linkage.similar_pairs(gather_evidence(docs, no_background()), 0.1)
    assert sum(multiplied) == 39 * 40  # none dated: each against all (the first, none before it)


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


def test_story_evidence_counts_an_events_own_numbers(background: Background) -> None:
    """Numbers are an event's facts: two of them shared make two reports alike; a year
    is left to the years rule and a lone digit to chance; numbers alone name no one."""
    doc = make_doc("A 6.1 quake in 2008 left 37 dead and 1,200 homeless on day 5.")
    assert evidence_module.name_counts(doc) == {"6.1": 1, "37": 1, "1200": 1}
    assert not gather_evidence([doc, doc], background).named.any()
    # wordfreq's estimate: "48" is as common as an everyday word, "3200" far rarer
    assert background.share("48") > 100 * background.share("3200") > 0
    reports = [
        "Tarnby: rescuers searched the rubble after the 6.1 quake; 37 died.",
        "Tarnby: the 6.1 tremor killed 37, rescuers said after searching rubble.",
        "Tarnby: the 5.4 tremor killed 12, rescuers said after searching rubble.",
    ]
    place = (Mention(Span(0, 6), MentionType.PLACE),)
    named = [dataclasses.replace(make_doc(text), mentions=place) for text in reports]
    similarity = similarity_matrix(named, background)
    assert similarity[0, 1] > similarity[0, 2] + 0.1
    bare = similarity_matrix([make_doc(text) for text in reports], background)
    assert bare[0, 1] == pytest.approx(bare[0, 2])  # by their words alone


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


def test_grow_stories_holds_merges_to_the_cohesion_rule() -> None:
    """The second event of a kind arriving after the first stands as its own story in
    an ingest, as it does when everything is grouped again."""
    docs = two_of_a_kind(random.Random(5))
    first, second = docs[:6], docs[6:]
    rule = story_linkage.Cohesion(ratio=0.7, min_size=5)
    before = group_stories(first, options=GroupOptions(0.2), background=no_background())
    ordered = sorted(docs, key=lambda d: d.id)
    evidence = gather_evidence(ordered, no_background())
    ids = [d.id for d in ordered]
    new = {d.id for d in second}
    held, standing = grouping.grow_stories(evidence, ids, new, before, 0.2, rule)
    assert held == [sorted(new)] and standing == [before[0].id]
    merged, _ = grouping.grow_stories(evidence, ids, new, before, 0.2)
    assert merged == [sorted(ids)]


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


def _stub_embedder(sentences: Sequence[str]) -> NDArray[np.float32]:
    """A stand-in for a sentence model: "Event 0" and "Event 1" leads point two ways."""
    return np.asarray(
        [[1.0, 0.0] if "Event 0" in s else [0.0, 1.0] for s in sentences], dtype=np.float32
    )


def test_story_lead_meaning_lowers_the_similarity_of_leads_that_mean_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With an embedder (`group.embedder`), two articles whose leads mean different things
    keep none of their similarity: two events of one kind part even without the cohesion
    rule, and the pairs path agrees with the dense one."""
    docs = sorted(two_of_a_kind(random.Random(2)), key=lambda d: d.id)
    docs = [dataclasses.replace(d, sentences=(Span(0, len(d.article.text)),)) for d in docs]
    headings = [evidence_module.heading(d) for d in docs]
    options = GroupOptions(0.2)
    plain = grouping.stories_from_evidence(
        headings, gather_evidence(docs, no_background()), options
    )
    assert len(plain) == 1
    evidence = gather_evidence(docs, no_background(), _stub_embedder)
    assert evidence.meaning is not None and evidence.rows(np.arange(3)).meaning.shape == (3, 2)
    meant = grouping.stories_from_evidence(headings, evidence, options)
    assert sorted(len(s.article_ids) for s in meant) == [6, 6]
    monkeypatch.setattr(story_linkage, "DENSE_LIMIT", 2)
    assert grouping.stories_from_evidence(headings, evidence, options) == meant
    factors = evidence_module.meaning_factor(np.array([0.1, 0.4, 0.9]))
    assert factors.tolist() == pytest.approx([0.0, 0.5, 1.0])


def test_story_embedder_loaded_once_with_the_stages_and_given_to_grouping(
    monkeypatch: pytest.MonkeyPatch, background: Background
) -> None:
    """`group.embedder` is loaded where the stages' other resources are, once when the
    claims name the same model, and handed to the grouping stage (never loaded per run)."""
    from conftest import _load_gazetteer_once, _load_models_once, _load_splitter_once
    from newsparallax import embed
    from newsparallax.analysis import default_stages
    from newsparallax.config import Settings

    loads: list[str] = []
    monkeypatch.setattr(embed, "load_embedder", lambda name: loads.append(name) or _stub_embedder)
    settings = Settings.defaults()
    settings = dataclasses.replace(
        settings,
        group=dataclasses.replace(settings.group, embedder="stub-model"),
        claims=dataclasses.replace(settings.claims, embedder="stub-model"),
    )
    stages = default_stages(
        settings,
        _load_splitter_once(),
        _load_models_once(),
        _load_gazetteer_once(),
        background,
    )
    [grouping_stage] = [s for s in stages if s.name == "group_stories"]
    assert loads == ["stub-model"]
    assert grouping_stage.run.keywords["embedder"] is _stub_embedder  # type: ignore[attr-defined]
