"""Stages, their declared requirements, the plan that orders them, and the runner.

A stage says what it `requires` and what it `assigns` (names such as "text",
"sentences", "stories"). The plan is derived from those declarations and checked
before anything runs, so a missing stage is a `PlanError` at start-up, not a crash
after an hour of parsing. The runner's error policy is explicit: `raise` (tests)
lets the first failure through; `collect` (the CLI) turns a failing article into an
error record and lets the batch go on.
"""

from __future__ import annotations

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


Stage = ArticleStage | CorpusStage


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
) -> PipelineResult:
    """Run the planned stages over `docs`.

    Args:
        docs: the articles, in any order; the output is sorted by article id.
        stages: the stages to plan and run.
        policy: what a failing stage does to the run (see module docstring).
        batch_size: articles per call of an article stage.
        on_batch: called with (stage name, articles done) after each batch, for progress.
    """
    ordered = plan(stages)
    current = sorted(docs, key=lambda d: d.id)
    stories: tuple[Story, ...] = ()
    errors: list[InputFailure] = []
    for stage in ordered:
        if isinstance(stage, ArticleStage):
            current = _run_article_stage(stage, current, policy, batch_size, errors, on_batch)
        else:
            try:
                docs_out, stories = stage.run(current, stories)
                current = sorted(docs_out, key=lambda d: d.id)
            except Exception as exc:
                if policy is ErrorPolicy.RAISE:
                    raise
                errors.append(InputFailure(f"stage {stage.name}", _describe(exc)))
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
                        InputFailure(doc.article.source, f"{stage.name} failed: {_describe(exc)}")
                    )
        if on_batch is not None:
            on_batch(stage.name, min(start + batch_size, len(docs)))
    return out


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
