"""The per-article stages on every core, or on a Dask cluster: workers with their own models.

Why processes: the parse is Python and numpy under one interpreter lock, so threads
would take turns; processes parse side by side. The per-article stages may do so
because each article's result depends on that article alone (`pipeline.ArticleStage`'s
contract): a chunk of articles can go to any worker and comes back as one process would
have made it. What needs all the articles (grouping them into stories) and the store's
one writer stay in the calling process.

The story stages (links, cross-checks, summary) go to processes too when the stories
hold enough articles: each story's result depends on its own articles alone
(`pipeline.StoryStage`'s contract), so stories can be shared out like articles. Those
processes are forked once the stories are made (`run_story_stages_in_workers`): they
start with the stages, their loaded gazetteer and the annotated articles already in
memory, so nothing is rebuilt or sent but the stories' numbers, and only what a stage
changed comes back. Where `fork` is not offered (macOS, Windows), where another thread
runs, or once torch is loaded, they run here (`should_split_stories`).

The stages close over loaded models, which do not travel between processes, so each
worker builds its own from the settings once (`analysis.article_stages`), started with
`spawn` (a fresh interpreter: no locks or threads copied mid-use from the parent, and the
same on every platform). That costs each worker a model load (about a second), so a
small batch stays in one process.

Past one machine, the same chunks go to a Dask cluster (`run.engine = "dask"`): a local
cluster of `run.workers` processes, or the scheduler at `run.scheduler`, whose workers
need Parallax and its models installed. Dask is the engine because it schedules plain
Python functions over many machines with no cluster software beyond itself (Spark or Ray
would need a JVM or their own runtime to be kept), and `pip install
'newsparallax[dask]'` is all it takes. The articles are read, and the story stages run,
where the command runs: the parse is what grows with the corpus.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from typing import Any, TypeVar

from newsparallax.config import Settings
from newsparallax.model import Annotated, InputFailure, Story
from newsparallax.pipeline import (
    ArticleStage,
    ErrorPolicy,
    PipelineResult,
    StoryStage,
    run_pipeline,
    stories_given,
)

# Articles sent to a worker at a time: big enough to batch the model's calls, small
# enough that two workers finish close together.
CHUNK = 32
# Below this many articles per worker, loading the models in each costs more than it saves.
MIN_ARTICLES_PER_WORKER = 100
# Stories sent to a worker at a time hold about this many articles: the biggest stories
# go first, so the last chunks are small and the workers finish close together.
STORY_CHUNK = 64

# In a worker (a local process or a Dask worker): the stages built for the settings
# (pickled) it was last sent, so that its models load once.
_built: dict[bytes, list[ArticleStage]] = {}


def worker_count(setting: int) -> int:
    """The `run.workers` setting as a number of processes: 0 means one per usable core."""
    if setting > 0:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def should_use_workers(articles: int, workers: int, engine: str = "local") -> bool:
    """Dask when asked for; local processes when there are enough articles to pay for them."""
    if engine == "dask":
        return articles > 0
    return workers > 1 and articles >= MIN_ARTICLES_PER_WORKER * workers


def run_article_stages_in_workers(
    docs: Sequence[Annotated],
    settings: Settings,
    workers: int,
    *,
    policy: ErrorPolicy,
    stage_names: Sequence[str],
    on_batch: Callable[[str, int], None] | None = None,
) -> PipelineResult:
    """What `run_pipeline(docs, article_stages(settings))` gives, made by `workers`
    processes on this machine, or on Dask when `settings.run.engine` says so; the articles
    come back sorted by id, as the runner sorts them."""
    ordered = sorted(docs, key=lambda d: d.id)
    chunks = [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]
    out: list[Annotated] = []
    errors: list[InputFailure] = []
    results = (
        _on_dask(chunks, settings, workers, policy)
        if settings.run.engine == "dask"
        else _in_processes(chunks, settings, workers, policy)
    )
    for made, failed in results:
        out.extend(made)
        errors.extend(failed)
        if on_batch is not None:
            for name in stage_names:
                on_batch(name, len(out))
    return PipelineResult(tuple(out), (), tuple(errors))


_ChunkResult = tuple[tuple[Annotated, ...], tuple[InputFailure, ...]]


def _in_processes(
    chunks: list[list[Annotated]], settings: Settings, workers: int, policy: ErrorPolicy
) -> Iterator[_ChunkResult]:
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        yield from pool.map(_run_chunk, chunks, [settings] * len(chunks), [policy] * len(chunks))


def _on_dask(
    chunks: list[list[Annotated]], settings: Settings, workers: int, policy: ErrorPolicy
) -> Iterator[_ChunkResult]:
    with _dask_client(settings.run.scheduler, workers) as client:
        shipped = client.scatter(settings, broadcast=True)
        futures = client.map(_run_chunk, chunks, settings=shipped, policy=policy)
        for future in futures:  # in order, as each is done
            yield future.result()
            future.release()


@contextmanager
def _dask_client(scheduler: str, workers: int) -> Iterator[Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        from newsparallax.errors import ConfigError

        raise ConfigError(
            "run.engine = 'dask' needs Dask: pip install 'newsparallax[dask]'"
        ) from exc
    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    logging.getLogger("distributed").setLevel(logging.ERROR)
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,  # the parse holds the interpreter lock
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def _run_chunk(docs: list[Annotated], settings: Settings, policy: ErrorPolicy) -> _ChunkResult:
    """One chunk through the per-article stages, in whichever worker it was sent to."""
    key = pickle.dumps(settings)
    if key not in _built:
        from newsparallax.analysis import article_stages

        _built.clear()
        _built[key] = article_stages(settings)
    result = run_pipeline(docs, _built[key], policy=policy, batch_size=CHUNK)
    return result.docs, result.errors


def should_split_stories(articles: int, workers: int) -> bool:
    """Whether stories holding this many articles in all go to forked workers.

    Only a process with one thread forks: a lock another thread holds at the fork (a
    notebook's, a server's, a Dask client's left running) stays held in the child for
    ever. Nor once torch is loaded (an embedding model for claims): its thread pools do
    not survive a fork. Nor where fork is not offered.
    """
    return can_fork() and workers > 1 and articles >= MIN_ARTICLES_PER_WORKER * workers


def can_fork() -> bool:
    """Whether this process may fork a child that uses what it holds (`should_split_stories`
    says when not)."""
    forks = "fork" in get_all_start_methods() and "torch" not in sys.modules
    return forks and threading.active_count() == 1


_Made = TypeVar("_Made")
_forked_work: Callable[[], Any] | None = None


def in_forked_child(work: Callable[[], _Made]) -> _Made:
    """`work()` done in a forked child process, its result sent back: what it builds on
    its way (a batch's similarity rows, gigabytes at 100,000 articles) goes back to the
    system when the child ends, where memory freed in this process would mostly stay
    with it. What `work` raises is raised here. Where a fork is not safe (`can_fork`),
    it is done here."""
    global _forked_work
    if not can_fork():
        return work()
    _forked_work = work
    try:
        with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
            return pool.submit(_run_forked_work).result()  # type: ignore[no-any-return]
    finally:
        _forked_work = None


def _run_forked_work() -> Any:
    assert _forked_work is not None, "runs only in a child forked by in_forked_child"
    return _forked_work()


def return_freed_memory() -> None:
    """Hand memory this process has freed back to the system: Python's cycles collected,
    then the C allocator's free pages released (glibc's `malloc_trim`; elsewhere only the
    collection). Between shares of a run larger than memory, so that what one share
    freed is not counted again under the next."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):  # not glibc: collected only
            ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass(frozen=True)
class _StoryJob:
    """What forked workers find in memory: the annotated articles, the stories, and the
    story stages with what they need (set by the parent just before it forks)."""

    docs: Mapping[str, Annotated]
    stories: Sequence[Story]
    stages: Sequence[StoryStage]
    policy: ErrorPolicy
    provided: frozenset[str]


_story_job: _StoryJob | None = None
_StoryChunkResult = tuple[tuple[Annotated, ...], tuple[Story, ...], tuple[InputFailure, ...]]


def run_story_stages_in_workers(
    docs: Sequence[Annotated],
    stories: Sequence[Story],
    stages: Sequence[StoryStage],
    workers: int,
    *,
    policy: ErrorPolicy,
    provided: frozenset[str],
    on_batch: Callable[[str, int], None] | None = None,
) -> PipelineResult:
    """What `run_pipeline` gives for these stories and story stages (the articles sorted
    by id, the stories in their order), the stories shared among `workers` forked
    processes. `provided`: what the articles hold, the stories included."""
    global _story_job
    chunks = story_chunks(stories)
    given = {doc.id: doc for doc in docs}  # what the workers see, as forked
    by_id = dict(given)  # what comes back replaces its article here
    told = list(stories)
    errors: list[InputFailure] = []
    _story_job = _StoryJob(given, tuple(stories), tuple(stages), policy, provided)
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            done = 0
            for chunk, (changed, made, failed) in zip(
                chunks, pool.map(_run_story_chunk, chunks), strict=True
            ):
                by_id.update((doc.id, doc) for doc in changed)
                for index, story in zip(chunk, made, strict=True):
                    told[index] = story
                errors.extend(failed)
                done += sum(len(stories[i].article_ids) for i in chunk)
                if on_batch is not None:
                    for stage in stages:
                        on_batch(stage.name, done)
    finally:
        _story_job = None
    ordered = tuple(sorted(by_id.values(), key=lambda d: d.id))
    return PipelineResult(ordered, tuple(told), tuple(errors))


def story_chunks(stories: Sequence[Story]) -> list[list[int]]:
    """The stories' positions in chunks of about `STORY_CHUNK` articles, biggest stories
    first (a story bigger than a chunk is a chunk of its own)."""
    by_size = sorted(range(len(stories)), key=lambda i: (-len(stories[i].article_ids), i))
    chunks: list[list[int]] = []
    held = 0
    for index in by_size:
        if not chunks or held + len(stories[index].article_ids) > STORY_CHUNK:
            chunks.append([])
            held = 0
        chunks[-1].append(index)
        held += len(stories[index].article_ids)
    return chunks


def _run_story_chunk(chunk: list[int]) -> _StoryChunkResult:
    """Some stories through the story stages, in a forked worker; back come the stories
    and only the articles a stage changed."""
    job = _story_job
    assert job is not None, "story stages run only in a worker forked by the parent"
    stories = tuple(job.stories[i] for i in chunk)
    members = [job.docs[a] for s in stories for a in s.article_ids if a in job.docs]
    result = run_pipeline(
        members,
        [stories_given(stories), *job.stages],
        policy=job.policy,
        provided=job.provided - {"stories"},
    )
    changed = tuple(doc for doc in result.docs if doc is not job.docs[doc.id])
    return changed, result.stories, result.errors
