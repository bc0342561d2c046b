from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import pytest

from newsparallax.errors import PlanError
from newsparallax.model import Annotated, Story
from newsparallax.pipeline import (
    ArticleStage,
    CorpusStage,
    ErrorPolicy,
    StoryStage,
    plan,
    run_pipeline,
)


def identity(docs: Sequence[Annotated]) -> list[Annotated]:
    return list(docs)


def stage(name: str, requires: set[str], assigns: set[str]) -> ArticleStage:
    return ArticleStage(name, identity, frozenset(requires), frozenset(assigns))


def test_pipeline_plan_orders_stages_by_their_declarations() -> None:
    c = stage("c", {"b"}, {"c"})
    b = stage("b", {"a"}, {"b"})
    a = stage("a", {"text"}, {"a"})
    assert [s.name for s in plan([c, b, a])] == ["a", "b", "c"]


def test_pipeline_plan_refuses_missing_requirement() -> None:
    with pytest.raises(PlanError, match="no stage assigns quotes"):
        plan([stage("speakers", {"quotes"}, {"speakers"})])


def test_pipeline_plan_refuses_double_assignment_and_cycles() -> None:
    with pytest.raises(PlanError, match="assigned twice"):
        plan([stage("a", {"text"}, {"x"}), stage("b", {"text"}, {"x"})])
    with pytest.raises(PlanError, match="assigned twice"):
        plan([stage("a", {"text"}, {"text"})])
    with pytest.raises(PlanError, match="cycle"):
        plan([stage("a", {"y"}, {"x"}), stage("b", {"x"}, {"y"})])


def failing_on(bad_text: str) -> Callable[[Sequence[Annotated]], list[Annotated]]:
    def run(docs: Sequence[Annotated]) -> list[Annotated]:
        if any(d.article.text == bad_text for d in docs):
            raise RuntimeError("cannot parse this one")
        return list(docs)

    return run


def test_pipeline_collect_policy_drops_only_the_failing_article(
    make_doc: Callable[..., Annotated],
) -> None:
    docs = [make_doc(f"text {i}") for i in range(5)]
    flaky = ArticleStage("flaky", failing_on("text 2"), frozenset({"text"}), frozenset({"x"}))
    result = run_pipeline(docs, [flaky], policy=ErrorPolicy.COLLECT, batch_size=4)
    assert sorted(d.article.text for d in result.docs) == ["text 0", "text 1", "text 3", "text 4"]
    [error] = result.errors
    assert error.error == "flaky failed: RuntimeError: cannot parse this one"


def test_pipeline_raise_policy_lets_the_error_through(make_doc: Callable[..., Annotated]) -> None:
    flaky = ArticleStage("flaky", failing_on("bad"), frozenset({"text"}), frozenset({"x"}))
    with pytest.raises(RuntimeError):
        run_pipeline([make_doc("bad")], [flaky], policy=ErrorPolicy.RAISE)


def test_pipeline_corpus_stage_sees_all_articles_sorted(make_doc: Callable[..., Annotated]) -> None:
    seen: list[list[str]] = []

    def collect(
        docs: Sequence[Annotated], stories: tuple[Story, ...]
    ) -> tuple[Sequence[Annotated], tuple[Story, ...]]:
        seen.append([d.id for d in docs])
        return docs, ()

    docs = [make_doc(f"t{i}") for i in range(4)]
    group = CorpusStage("group", collect, frozenset({"a"}), frozenset({"stories"}))
    run_pipeline(list(reversed(docs)), [group, stage("a", {"text"}, {"a"})])
    assert seen == [sorted(d.id for d in docs)]


def test_pipeline_corpus_stage_failure_is_collected(make_doc: Callable[..., Annotated]) -> None:
    def boom(
        docs: Sequence[Annotated], stories: tuple[Story, ...]
    ) -> tuple[Sequence[Annotated], tuple[Story, ...]]:
        raise ValueError("no")

    group = CorpusStage("group", boom, frozenset({"text"}), frozenset({"stories"}))
    result = run_pipeline([make_doc("x")], [group], policy=ErrorPolicy.COLLECT)
    assert [(e.source, e.error) for e in result.errors] == [("stage group", "ValueError: no")]
    assert len(result.docs) == 1


def stories_of(*groups: list[Annotated]) -> tuple[Story, ...]:
    return tuple(
        Story(id=f"s{i}", title=f"story {i}", article_ids=tuple(sorted(d.id for d in g)))
        for i, g in enumerate(groups)
    )


def test_pipeline_story_stage_failure_costs_only_the_failing_article(
    make_doc: Callable[..., Annotated],
) -> None:
    """One bad article in one story: that story keeps its other articles' results, and
    every other story is untouched; the error names the stage, the story and the article."""
    good = [make_doc(f"calm {i}") for i in range(3)]
    mixed = [make_doc("calm 9"), make_doc("odd one"), make_doc("calm 8")]

    def count_articles(
        docs: Sequence[Annotated], story: Story
    ) -> tuple[Sequence[Annotated], Story]:
        if any("odd" in d.article.text for d in docs):
            raise IndexError("tuple index out of range")
        return docs, dataclasses.replace(story, title=f"{len(docs)} analysed")

    stage_ = StoryStage("count", count_articles, frozenset({"stories"}), frozenset({"n"}))
    group = CorpusStage(
        "group",
        lambda docs, _: (docs, stories_of(good, mixed)),
        frozenset(),
        frozenset({"stories"}),
    )
    result = run_pipeline([*good, *mixed], [group, stage_], policy=ErrorPolicy.COLLECT)
    first, second = result.stories
    assert first.title == "3 analysed"
    assert second.title == "2 analysed"  # analysed without the odd article
    assert second.article_ids == stories_of(good, mixed)[1].article_ids  # and keeps it
    [error] = result.errors
    assert error.source == "test"
    assert "stage count, story s1 ('story 1')" in error.error
    assert "IndexError" in error.error
    assert len(result.docs) == 6


def test_pipeline_story_stage_failure_of_the_whole_story_keeps_it_as_it_was(
    make_doc: Callable[..., Annotated],
) -> None:
    docs = [make_doc("a"), make_doc("b")]

    def needs_three(docs: Sequence[Annotated], story: Story) -> tuple[Sequence[Annotated], Story]:
        if len(docs) == 2:
            raise ValueError("two is a bad number")
        return docs, dataclasses.replace(story, title="changed")

    stage_ = StoryStage("three", needs_three, frozenset({"stories"}), frozenset({"n"}))
    group = CorpusStage(
        "group", lambda d, _: (d, stories_of(docs)), frozenset(), frozenset({"stories"})
    )
    result = run_pipeline(docs, [group, stage_], policy=ErrorPolicy.COLLECT)
    assert [s.title for s in result.stories] == ["story 0"]
    assert [(e.source, e.error) for e in result.errors] == [
        ("stage three, story s0 ('story 0')", "ValueError: two is a bad number")
    ]
    with pytest.raises(ValueError):
        run_pipeline(docs, [group, stage_], policy=ErrorPolicy.RAISE)
