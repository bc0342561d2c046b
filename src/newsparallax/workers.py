"""The per-article stages on every core, or on a Dask cluster: workers with their own models.

Why processes: the parse is Python and numpy under one interpreter lock, so threads
would take turns; processes parse side by side. The per-article stages may do so
because each article's result depends on that article alone (`pipeline.ArticleStage`'s
contract): a chunk of articles can go to any worker and comes back as one process would
have made it. Everything that needs all the articles (stories, links, cross-checks) and
the store's one writer stay in the calling process.

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

import logging
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any

from newsparallax.config import Settings
from newsparallax.model import Annotated, InputFailure
from newsparallax.pipeline import ArticleStage, ErrorPolicy, PipelineResult, run_pipeline

# Articles sent to a worker at a time: big enough to batch the model's calls, small
# enough that two workers finish close together.
CHUNK = 32
# Below this many articles per worker, loading the models in each costs more than it saves.
MIN_ARTICLES_PER_WORKER = 100

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
