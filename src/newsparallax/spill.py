"""A run larger than memory: the articles spill to the store between the parse and the stories.

`parallax analyze` holds every article's analysis in memory while it groups the
articles and runs the story stages: about 0.18 GB per 1,000 real articles, so 100,000
would need some 18 GB. Past `run.articles_in_memory` articles it keeps them in the
store instead, and memory follows that setting, not the input:

1. each outlet's boilerplate is learned in two readings of the stored articles
   (`ingest.boilerplate.outlet_boilerplate`, which keeps a number per paragraph), and
   the articles are read back by id, cleaned, when a stage needs them
   (`analysis.cleaned_store`);
2. the per-article stages run on `run.articles_in_memory` articles at a time, each
   share's results going to the store as an ingest keeps them (`AnnotationCache`),
   with what grouping needs of each article (its counted words and names, the years it
   states, its heading: `stories.evidence.article_evidence`); only its given day stays
   in memory;
3. the stories are made by the rule used in memory
   (`stories.grouping.stories_from_evidence`) from that evidence, read back a few
   hundred articles at a time into sparse rows, in a child process whose memory goes
   back to the system when it ends (`group_stored`);
4. the story stages run on shares of the stories holding at most
   `run.articles_in_memory` articles (a larger story alone), read back from the store,
   and each share's results are written to it as they are made (`tell_in_shares`);
5. the report is read from the store a piece at a time (`SQLiteStore.report_text`).

`parallax ingest` (`analysis.analyze_store`) parses its new articles in the same shares
and, when it groups a store larger than the setting afresh, does 3 and 4 the same way.
The report is the one the in-memory run makes (tests compare them whole). Grouping by
the incremental clusterer or with a meaning model (`group.method`, `group.embedder`)
needs every article's analysis at once: those runs stay in memory.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from newsparallax.analysis import (
    AnnotationCache,
    ProgressFn,
    StoredRun,
    StoryTelling,
    analyze_held,
    cleaned_store,
    counting,
    default_stages,
    ingest,
    provided_by,
    report_results,
    run_article_stages,
    run_later_stages,
)
from newsparallax.config import GroupOptions, Settings
from newsparallax.model import Annotated, InputFailure, Report, Story
from newsparallax.pipeline import ErrorPolicy, Stage, StoryStage, describe, stories_given
from newsparallax.store import SQLiteStore, StoredStory, open_store
from newsparallax.stories.evidence import (
    Background,
    Heading,
    load_background,
    weigh_evidence,
)
from newsparallax.stories.grouping import grouped_from_evidence, stories_from_evidence
from newsparallax.workers import in_forked_child, return_freed_memory, worker_count


def analyze_bounded(
    paths: Iterable[str | Path],
    store: SQLiteStore,
    settings: Settings,
    *,
    policy: ErrorPolicy = ErrorPolicy.COLLECT,
    progress: ProgressFn | None = None,
) -> tuple[StoredRun, Report | None]:
    """`analysis.analyze` in memory that `run.articles_in_memory` bounds: the run, and its
    report when the articles were few enough to hold (else the store has it:
    `store.report_text(run.run_id)`)."""
    run_id = store.begin_run()
    limit = settings.run.articles_in_memory
    read = ingest(paths, store, settings, progress, hold=limit)
    if read.articles is None and grouped_from_evidence(settings.group):
        return _analyze_spilled(read.ids, run_id, store, settings, read.errors, policy, progress)
    articles = read.articles if read.articles is not None else store.articles(read.ids)
    report = analyze_held(
        articles, run_id, store, settings, errors=read.errors, policy=policy, progress=progress
    )
    stored = store.stories(run_id)
    count = len(report.articles)
    return StoredRun(run_id, tuple(stored), count, count, report.errors), report


def _analyze_spilled(
    ids: Sequence[str],
    run_id: int,
    store: SQLiteStore,
    settings: Settings,
    errors: Sequence[InputFailure],
    policy: ErrorPolicy,
    progress: ProgressFn | None,
) -> tuple[StoredRun, None]:
    limit = settings.run.articles_in_memory
    background = load_background()
    stages = default_stages(settings, background=background)
    cache = AnnotationCache.for_run(store, settings, stages)
    ordered = sorted(set(ids))
    cleaned, _, given = cleaned_store(store, ordered, cache, {}, limit, regroup_all=True)
    workers = worker_count(settings.run.workers)
    failures = list(errors)
    analysed: list[str] = []
    for start in range(0, len(ordered), limit):
        docs = [Annotated(a) for a in cleaned(ordered[start : start + limit])]
        parsed = counting(progress, len(ordered), start)
        first = run_article_stages(docs, stages, settings, workers, policy, parsed)
        cache.save(first.docs)
        failures.extend(first.errors)
        analysed.extend(d.id for d in first.docs)
        del docs, first  # before the next share is read: one share in memory at a time
        return_freed_memory()
    days = [given[i] for i in analysed]
    telling = StoryTelling(stages, settings, f"run {run_id}", policy, progress)
    stories = group_stored(store, cache.made_by, analysed, days, background, telling, failures)
    told, loose = tell_in_shares(
        stories,
        analysed,
        lambda some: cache.load(cleaned(some)),
        telling,
        store,
        failures,
    )
    now = datetime.now(UTC).replace(microsecond=0)
    store.finish_run(run_id, generated_at=now, stories=told, errors=failures, result_keys=loose)
    return StoredRun(run_id, tuple(told), len(ordered), len(analysed), tuple(failures)), None


def group_stored(
    store: SQLiteStore,
    made_by: str,
    ids: Sequence[str],
    days: Sequence[date | None],
    background: Background,
    telling: StoryTelling,
    failures: list[InputFailure],
) -> tuple[Story, ...]:
    """The stories of the articles `ids` (sorted; `days`: the day each one's input
    gives), grouped by the batch rule from the evidence the store keeps of them (read a
    few hundred at a time, once per field); none, and the failure said in `failures`,
    when the grouping fails, as in memory.

    The grouping runs in a child process of its own where it can (`in_forked_child`),
    one that opens the store again: its similarity rows take some gigabyte at 100,000
    articles, and that memory goes back to the system with the child instead of staying
    with this process under the story stages that follow.
    """
    options = telling.settings.group
    address = store.address

    def reopened(address: str) -> tuple[Story, ...]:
        with open_store(address) as own:  # a child does not use its parent's connection
            return _stored_stories(own, made_by, ids, days, background, options)

    try:
        if address is None:  # a store in this process's memory: grouped here
            return _stored_stories(store, made_by, ids, days, background, options)
        return in_forked_child(functools.partial(reopened, address))
    except Exception as exc:
        if telling.policy is ErrorPolicy.RAISE:
            raise
        failures.append(InputFailure("stage group_stories", describe(exc)))
        return ()
    finally:
        return_freed_memory()


def _stored_stories(
    store: SQLiteStore,
    made_by: str,
    ids: Sequence[str],
    days: Sequence[date | None],
    background: Background,
    options: GroupOptions,
) -> tuple[Story, ...]:
    def each(field: str) -> Iterator[Any]:
        return (e.get(field) if e else None for e in store.evidence_of(made_by, ids))

    evidence = weigh_evidence(
        (found or {} for found in each("words")),
        (found or {} for found in each("names")),
        [found or [] for found in each("years")],
        days,
        background,
    )
    headings = [
        Heading(i, title, lead or "")
        for i, title, lead in zip(ids, each("title"), each("lead"), strict=True)
    ]
    return stories_from_evidence(headings, evidence, options)


def tell_in_shares(
    stories: Sequence[Story],
    ids: Sequence[str],
    load: Callable[[list[str]], list[Annotated]],
    telling: StoryTelling,
    store: SQLiteStore,
    failures: list[InputFailure],
) -> tuple[list[StoredStory], list[str]]:
    """The story stages on shares of `stories` holding at most `run.articles_in_memory`
    articles (a larger story alone), each share's articles read with `load` and its
    results written to the store as they are made; with no stories (the grouping
    failed), the articles `ids` in shares of that many, in none.

    Returns the stories as the store keeps them (largest first) and the keys of the
    results of articles in none; what fails is added to `failures`.
    """
    limit = telling.settings.run.articles_in_memory
    workers = worker_count(telling.settings.run.workers)
    per_story = [s for s in telling.stages if isinstance(s, StoryStage)]
    provided = provided_by(telling.stages)
    told: list[StoredStory] = []
    loose: list[str] = []
    shares = _story_shares(stories, limit) if stories else _loose(ids, limit)
    now = datetime.now(UTC).replace(microsecond=0)
    done = 0
    for share_stories, members in shares:
        docs = load(members)
        later: list[Stage] = (
            [stories_given(tuple(share_stories)), *per_story] if share_stories else []
        )
        on_batch = counting(telling.progress, len(ids), done)
        second = run_later_stages(docs, later, provided, workers, telling.policy, on_batch)
        done += len(docs)
        report = Report(now, second.docs, second.stories, ())
        made, results, unwritten = report_results(report, telling.made_by)
        store.save_results(results)
        told.extend(made)
        loose.extend(r.key for r in results if r.story is None)
        failures.extend((*second.errors, *unwritten))
        del docs, second, report, results
        return_freed_memory()
    told.sort(key=lambda s: (-len(s.article_ids), s.id))
    return told, loose


def _story_shares(stories: Sequence[Story], size: int) -> Iterator[tuple[list[Story], list[str]]]:
    """The stories in shares of at most `size` articles (a larger story alone), biggest
    first, each with its articles' ids."""
    share: list[Story] = []
    held = 0
    for story in sorted(stories, key=lambda s: (-len(s.article_ids), s.id)):
        if share and held + len(story.article_ids) > size:
            yield share, [a for s in share for a in s.article_ids]
            share, held = [], 0
        share.append(story)
        held += len(story.article_ids)
    if share:
        yield share, [a for s in share for a in s.article_ids]


def _loose(ids: Sequence[str], size: int) -> Iterator[tuple[list[Story], list[str]]]:
    """With no stories (the grouping failed), the articles `size` at a time, in none."""
    for start in range(0, len(ids), size):
        yield [], list(ids[start : start + size])
