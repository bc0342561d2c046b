"""Stages, their declared requirements, the plan that orders them, and the runner.

A stage says what it `requires` and what it `assigns` (names such as "text",
"sentences", "stories"). The plan is derived from those declarations and checked
before anything runs, so a missing stage is a `PlanError` at start-up, not a crash
after an hour of parsing. The runner's error policy is explicit: `raise` (tests)
lets the first failure through; `collect` (the CLI) turns a failure into an error
record and goes on.

Under `collect`, a failure costs the smallest unit it can: an article stage re-runs a
failing batch one article at a time; a story stage runs story by story, and a story
that fails is re-run without the article(s) that fail on their own, so one odd name
in one article never empties a section of every story. What could not be saved is
named in the error: the stage, the story and the article.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from newsparallax.errors import PlanError
from newsparallax.model import Annotated, InputFailure, Story

# What ingest provides before any stage runs.
INGESTED = frozenset({"text", "title", "outlet"})

ArticleBatchFn = Callable[[Sequence[Annotated]], list[Annotated]]
# A corpus stage sees every article and the stories so far; it returns both, so a
# stage that links across articles (entities) can write its links back into them.
CorpusFn = Callable[
    [Sequence[Annotated], tuple[Story, ...]], tuple[Sequence[Annotated], tuple[Story, ...]]
]
# A story stage sees one story and its articles (in id order) and returns both.
StoryFn = Callable[[Sequence[Annotated], Story], tuple[Sequence[Annotated], Story]]


class ErrorPolicy(StrEnum):
    RAISE = "raise"
    COLLECT = "collect"


@dataclass(frozen=True, slots=True)
class ArticleStage:
    """A per-article stage, applied to batches so model calls can be batched.

    Each article's result must depend on that article alone: the runner may re-run a
    failing batch one article at a time to find the one that fails.
    """

    name: str
    run: ArticleBatchFn
    requires: frozenset[str]
    assigns: frozenset[str]


@dataclass(frozen=True, slots=True)
class CorpusStage:
    """A stage over the whole set of articles and the stories found so far."""

    name: str
    run: CorpusFn
    requires: frozenset[str]
    assigns: frozenset[str]


@dataclass(frozen=True, slots=True)
class StoryStage:
    """A stage run once per story, on that story's articles alone.

    The result for one story must depend on that story's articles alone: the runner
    may re-run a failing story without some of them (see the module docstring).
    """

    name: str
    run: StoryFn
    requires: frozenset[str]
    assigns: frozenset[str]


Stage = ArticleStage | CorpusStage | StoryStage


def stories_given(
    stories: tuple[Story, ...],
    name: str = "stories",
    assigns: frozenset[str] = frozenset({"stories"}),
) -> CorpusStage:
    """A stage standing in for the grouping, whose stories were made elsewhere (grown
    into a store's, or a worker's share of them): it gives these stories as they are."""
    return CorpusStage(name, lambda found, _: (found, stories), frozenset(), assigns)


@dataclass(frozen=True, slots=True)
class PipelineResult:
    docs: tuple[Annotated, ...]
    stories: tuple[Story, ...]
    errors: tuple[InputFailure, ...] = field(default=())


def plan(stages: Iterable[Stage], provided: frozenset[str] = INGESTED) -> list[Stage]:
    """The stages in an order where each one's requirements are met before it runs.

    Among stages that are ready at the same time, the given order is kept, so the
    plan is deterministic.

    Raises:
        PlanError: a requirement no stage assigns, two stages assigning the same name,
            or a cycle.
    """
    pending = list(stages)
    assigners: dict[str, str] = {}
    for stage in pending:
        for name in stage.assigns:
            if name in assigners or name in provided:
                raise PlanError(
                    f"{name!r} is assigned twice: by {assigners.get(name, 'ingest')} "
                    f"and {stage.name}; remove one of the stages"
                )
            assigners[name] = stage.name
    available = set(provided)
    ordered: list[Stage] = []
    while pending:
        ready = next((s for s in pending if s.requires <= available), None)
        if ready is None:
            missing = {s.name: sorted(s.requires - available) for s in pending}
            unassigned = sorted({n for names in missing.values() for n in names} - assigners.keys())
            if unassigned:
                raise PlanError(f"no stage assigns {', '.join(unassigned)}; needed by: {missing}")
            raise PlanError(f"stages depend on each other in a cycle: {missing}")
        ordered.append(ready)
        available |= ready.assigns
        pending.remove(ready)
    return ordered


def run_pipeline(
    docs: Sequence[Annotated],
    stages: Iterable[Stage],
    *,
    policy: ErrorPolicy = ErrorPolicy.RAISE,
    batch_size: int = 64,
    on_batch: Callable[[str, int], None] | None = None,
    provided: frozenset[str] = INGESTED,
) -> PipelineResult:
    """Run the planned stages over `docs`.

    Args:
        docs: the articles, in any order; the output is sorted by article id.
        stages: the stages to plan and run.
        policy: what a failing stage does to the run (see module docstring).
        batch_size: articles per call of an article stage.
        on_batch: called with (stage name, articles done) after each batch, for progress.
        provided: what the articles already hold (articles annotated earlier and kept).
    """
    ordered = plan(stages, provided)
    current = sorted(docs, key=lambda d: d.id)
    stories: tuple[Story, ...] = ()
    errors: list[InputFailure] = []
    for stage in ordered:
        if isinstance(stage, ArticleStage):
            current = _run_article_stage(stage, current, policy, batch_size, errors, on_batch)
        elif isinstance(stage, StoryStage):
            current, stories = _run_story_stage(stage, current, stories, policy, errors, on_batch)
        else:
            try:
                docs_out, stories = stage.run(current, stories)
                current = sorted(docs_out, key=lambda d: d.id)
            except Exception as exc:
                if policy is ErrorPolicy.RAISE:
                    raise
                errors.append(InputFailure(f"stage {stage.name}", describe(exc)))
            if on_batch is not None:
                on_batch(stage.name, len(current))
    return PipelineResult(tuple(current), stories, tuple(errors))


def _run_article_stage(
    stage: ArticleStage,
    docs: list[Annotated],
    policy: ErrorPolicy,
    batch_size: int,
    errors: list[InputFailure],
    on_batch: Callable[[str, int], None] | None,
) -> list[Annotated]:
    out: list[Annotated] = []
    for start in range(0, len(docs), batch_size):
        batch = docs[start : start + batch_size]
        try:
            out.extend(stage.run(batch))
        except Exception:
            if policy is ErrorPolicy.RAISE:
                raise
            for doc in batch:  # isolate the article(s) that fail
                try:
                    out.extend(stage.run([doc]))
                except Exception as exc:
                    errors.append(
                        InputFailure(doc.article.source, f"{stage.name} failed: {describe(exc)}")
                    )
        if on_batch is not None:
            on_batch(stage.name, min(start + batch_size, len(docs)))
    return out


def _run_story_stage(
    stage: StoryStage,
    docs: list[Annotated],
    stories: tuple[Story, ...],
    policy: ErrorPolicy,
    errors: list[InputFailure],
    on_batch: Callable[[str, int], None] | None,
) -> tuple[list[Annotated], tuple[Story, ...]]:
    by_id = {doc.id: doc for doc in docs}
    out: list[Story] = []
    done = 0
    for story in stories:
        members = [by_id[a] for a in story.article_ids if a in by_id]
        try:
            changed, result = stage.run(members, story)
        except Exception as exc:
            if policy is ErrorPolicy.RAISE:
                raise
            changed, result = _salvage_story(stage, members, story, exc, errors)
        for doc in changed:
            by_id[doc.id] = doc
        out.append(result)
        done += len(members)
        if on_batch is not None:
            on_batch(stage.name, done)
    return sorted(by_id.values(), key=lambda d: d.id), tuple(out)


def _salvage_story(
    stage: StoryStage,
    members: list[Annotated],
    story: Story,
    failure: Exception,
    errors: list[InputFailure],
) -> tuple[Sequence[Annotated], Story]:
    """A failed story's result without the articles that fail alone; the story as it was if none.

    Each article is tried as a story of one to find the culprits (only after a failure,
    so the cost is paid only then); the story is then re-run without them and keeps all
    its articles, the culprits simply unanalysed by this stage.
    """
    where = f"stage {stage.name}, story {story.id} ({story.title!r})"
    culprits: list[Annotated] = []
    if len(members) > 1:
        for doc in members:
            alone = dataclasses.replace(story, article_ids=(doc.id,))
            try:
                stage.run([doc], alone)
            except Exception as exc:
                culprits.append(doc)
                errors.append(InputFailure(doc.article.source, f"{where}: {describe(exc)}"))
    if not culprits or len(culprits) == len(members):
        if not culprits:
            errors.append(InputFailure(where, describe(failure)))
        return (), story
    bad = {doc.id for doc in culprits}
    rest = [doc for doc in members if doc.id not in bad]
    try:
        smaller = dataclasses.replace(story, article_ids=tuple(d.id for d in rest))
        changed, result = stage.run(rest, smaller)
    except Exception as exc:
        errors.append(InputFailure(where, describe(exc)))
        return (), story
    return changed, dataclasses.replace(result, article_ids=story.article_ids)


def describe(exc: BaseException) -> str:
    """The exception's type and message, and any notes a stage added (the name that failed)."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    notes = getattr(exc, "__notes__", None) or []
    return "; ".join([text, *notes])
