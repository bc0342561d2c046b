"""The whole job, as library functions: inputs -> store -> stages -> report.

The CLI and the web app call these; they hold no logic of their own. Reading is
streamed and stored in batches as it goes, so a long ingest that is interrupted
keeps what it read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from newsparallax import __version__
from newsparallax.config import Settings
from newsparallax.crosscheck.abstractive import abstractive_stage
from newsparallax.crosscheck.claims import claims_stage
from newsparallax.crosscheck.copies import copies_stage
from newsparallax.crosscheck.discrepancies import discrepancies_stage
from newsparallax.crosscheck.duplicates import duplicates_stage
from newsparallax.crosscheck.summary import summary_stage
from newsparallax.errors import InputError
from newsparallax.extract import find_mentions, find_quotes, segment
from newsparallax.extract.publication import find_times
from newsparallax.extract.quantities import find_quantities, pint_converter
from newsparallax.extract.segment import SentenceSplitter
from newsparallax.geo import Gazetteer
from newsparallax.ingest import READERS, read_file
from newsparallax.ingest.boilerplate import (
    outlet_boilerplate,
    remove_as_before,
    remove_outlet_boilerplate,
    without_learned,
)
from newsparallax.ingest.files import find_files
from newsparallax.link import gather_quotes_stage, link_entities_stage
from newsparallax.link.places import locate_places_stage
from newsparallax.link.timeline import align_story_dates, timeline_stage
from newsparallax.model import (
    Annotated,
    Article,
    InputFailure,
    Removal,
    RemovalReason,
    Report,
    Story,
)
from newsparallax.nlp import LanguageModels, ModelsOnFirstUse
from newsparallax.pipeline import (
    INGESTED,
    ArticleStage,
    CorpusStage,
    ErrorPolicy,
    PipelineResult,
    Stage,
    StoryStage,
    run_pipeline,
    stories_given,
)
from newsparallax.render.contract import (
    article_from_json,
    article_json_text,
    article_to_json,
    story_grouping,
    story_parts,
    story_write_error,
)
from newsparallax.similarity import Embedder
from newsparallax.store import SQLiteStore, StoredStory, StoryResult
from newsparallax.store.sqlite import StoredArticles
from newsparallax.stories import evidence, group_stories_stage
from newsparallax.stories.evidence import (
    EVIDENCE_FORMAT,
    Background,
    article_evidence,
    given_day,
    heading,
    load_background,
    weigh_evidence,
)
from newsparallax.stories.grouping import (
    cohesion,
    grouped_from_evidence,
    grow_stories,
    story_of,
)
from newsparallax.stories.history import carry_story_ids
from newsparallax.stories.linkage import Cluster, dense_similarity
from newsparallax.workers import (
    return_freed_memory,
    run_article_stages_in_workers,
    run_story_stages_in_workers,
    should_split_stories,
    should_use_workers,
    worker_count,
)

# Progress callback: (phase, done, total or None when unknown).
ProgressFn = Callable[[str, int, int | None], None]

STORE_BATCH = 100


def default_stages(
    settings: Settings,
    split_sentences: SentenceSplitter | None = None,
    models: LanguageModels | None = None,
    gazetteer: Gazetteer | None = None,
    background: Background | None = None,
) -> list[Stage]:
    """The stages `parallax analyze` runs, built with their resources (loaded when not given)."""
    from newsparallax import geo

    if gazetteer is None:
        gazetteer = geo.load_gazetteer()
    if background is None:
        background = evidence.load_background()
    loaded: dict[str, Embedder] = {}  # one model for claims and stories when they name one

    def embedder(name: str) -> Embedder | None:
        if name and name not in loaded:
            from newsparallax.embed import load_embedder

            loaded[name] = load_embedder(name)
        return loaded.get(name)

    embed = embedder(settings.claims.embedder)
    group_embed = embedder(settings.group.embedder)
    stages: list[Stage] = [
        *article_stages(settings, split_sentences, models),
        CorpusStage(
            "group_stories",
            partial(
                group_stories_stage,
                options=settings.group,
                background=background,
                embedder=group_embed,
            ),
            # mentions and dates: stories are told apart by their names, years and days
            requires=frozenset({"text", "title", "sentences", "mentions", "times"}),
            assigns=frozenset({"stories"}),
        ),
        StoryStage(
            "align_dates",
            align_story_dates,
            requires=frozenset({"stories", "times"}),
            assigns=frozenset({"story_dates"}),
        ),
        StoryStage(
            "copies",
            copies_stage,
            requires=frozenset({"stories", "text"}),
            assigns=frozenset({"copy_groups"}),
        ),
        StoryStage(
            "locate_places",
            partial(locate_places_stage, gazetteer=gazetteer),
            requires=frozenset({"stories", "mentions"}),
            assigns=frozenset({"toponyms", "places"}),
        ),
        StoryStage(
            "link_entities",
            link_entities_stage,
            # after places: a "person" the gazetteer shows to be a city is linked as a place
            requires=frozenset({"stories", "mentions", "toponyms"}),
            assigns=frozenset({"entities"}),
        ),
        StoryStage(
            "timeline",
            partial(
                timeline_stage,
                max_dates=settings.timeline.max_dates,
                key_evidence=settings.timeline.key_evidence,
            ),
            requires=frozenset({"story_dates", "entities", "copy_groups"}),
            assigns=frozenset({"timeline"}),
        ),
        StoryStage(
            "claims",
            partial(
                claims_stage,
                threshold=(
                    settings.claims.embedding_threshold
                    if embed
                    else settings.claims.paraphrase_threshold
                ),
                embed=embed,
            ),
            # names as the story's entities (the same country however written), speakers
            # as the story's quotes link them
            requires=frozenset({"stories", "sentences", "copy_groups", "entities", "story_quotes"}),
            assigns=frozenset({"claims"}),
        ),
        StoryStage(
            "discrepancies",
            discrepancies_stage,
            requires=frozenset({"stories", "quantities", "sentences", "copy_groups"}),
            assigns=frozenset({"discrepancies", "story_quantities"}),
        ),
        StoryStage(
            "duplicates",
            duplicates_stage,
            requires=frozenset({"stories", "sentences", "claims", "copy_groups"}),
            assigns=frozenset({"duplicates", "rewrites"}),  # rewrites join copy_groups
        ),
        StoryStage(
            "summary",
            partial(
                summary_stage, size=settings.summary.sentences, max_words=settings.summary.words
            ),
            requires=frozenset({"claims", "duplicates", "story_dates"}),
            assigns=frozenset({"summary"}),
        ),
        StoryStage(
            "gather_quotes",
            partial(gather_quotes_stage, overlap=settings.quotes.same_quote_min_overlap),
            requires=frozenset({"entities", "quotes", "copy_groups"}),
            assigns=frozenset({"story_quotes"}),
        ),
    ]
    if settings.abstractive.enabled:
        from newsparallax.llm import chat_completer

        options = settings.abstractive
        complete = chat_completer(
            options.base_url,
            options.model,
            api_key_env=options.api_key_env,
            timeout=options.timeout_seconds,
        )
        stages.append(
            StoryStage(
                "abstractive_summary",
                partial(abstractive_stage, complete=complete),
                requires=frozenset({"summary"}),
                assigns=frozenset({"abstractive_summary"}),
            )
        )
    return stages


def article_stages(
    settings: Settings,
    split_sentences: SentenceSplitter | None = None,
    models: LanguageModels | ModelsOnFirstUse | None = None,
) -> list[ArticleStage]:
    """The per-article stages of `default_stages` (the parse: most of the cost), alone:
    what a worker process builds for itself (`workers.py`)."""
    from newsparallax import nlp

    if split_sentences is None:
        split_sentences = nlp.load_sentence_splitter()
    if models is None:
        models = nlp.ModelsOnFirstUse(settings.models.spacy)
    convert = pint_converter()
    return [
        ArticleStage(
            "segment",
            partial(segment, split_sentences=split_sentences),
            requires=frozenset({"text"}),
            assigns=frozenset({"paragraphs", "sentences"}),
        ),
        ArticleStage(
            "mentions",
            partial(find_mentions, recognise=models.recognise_entities),
            requires=frozenset({"paragraphs"}),
            assigns=frozenset({"mentions"}),
        ),
        ArticleStage(
            "quotes",
            partial(
                find_quotes,
                parse=models.parse,
                scare_quote_max_words=settings.quotes.scare_quote_max_words,
            ),
            requires=frozenset({"sentences", "mentions"}),
            assigns=frozenset({"quotes"}),
        ),
        ArticleStage(
            "times",
            find_times,
            requires=frozenset({"text"}),
            assigns=frozenset({"times", "published"}),
        ),
        ArticleStage(
            "quantities",
            partial(find_quantities, convert=convert),
            requires=frozenset({"times"}),
            assigns=frozenset({"quantities"}),
        ),
    ]


@dataclass(frozen=True, slots=True)
class IngestResult:
    ids: tuple[str, ...]  # each article read, in input order, once
    errors: tuple[InputFailure, ...]
    new: int  # how many were not in the store before
    # the articles as read, in `ids`' order; None when more than `hold` were read
    articles: tuple[Article, ...] | None = None


def ingest(
    paths: Iterable[str | Path],
    store: SQLiteStore,
    settings: Settings,
    progress: ProgressFn | None = None,
    *,
    hold: int | None = None,
) -> IngestResult:
    """Read, clean and store the articles under `paths`, committing every few articles.

    The same article read twice (same content, any path) is kept once. The articles
    read are given back as well while they are at most `hold` (all when None); past
    that only their ids, and the store has them (`spill.py`).
    """
    files: list[Path] = []
    errors: list[InputFailure] = []
    for item in find_files(paths, READERS):
        if isinstance(item, InputError):
            errors.append(_failure(item))
        else:
            files.append(item)
    seen: dict[str, None] = {}
    held: list[Article] | None = []
    pending: list[Article] = []
    new = 0
    for done, path in enumerate(files, start=1):
        for found in read_file(path, settings):
            if isinstance(found, InputError):
                errors.append(_failure(found))
            elif found.id not in seen:
                seen[found.id] = None
                pending.append(found)
                if held is not None:
                    held.append(found)
                    if hold is not None and len(held) > hold:
                        held = None
        if len(pending) >= STORE_BATCH:
            new += store.add_articles(pending)
            pending = []
        if progress is not None:
            progress("read", done, len(files))
    new += store.add_articles(pending)
    return IngestResult(tuple(seen), tuple(errors), new, None if held is None else tuple(held))


def analyze_articles(
    articles: Sequence[Article],
    settings: Settings,
    *,
    errors: Sequence[InputFailure] = (),
    stages: Sequence[Stage] | None = None,
    policy: ErrorPolicy = ErrorPolicy.COLLECT,
    progress: ProgressFn | None = None,
    workers: int | None = None,
) -> Report:
    """Run the stages over articles already read, into a report.

    `workers`: processes for the per-article stages and the story stages; by default one
    per core (`run.workers`) when the stages are the default ones, and this process alone
    when `stages` are given. Given stages never go to the per-article workers (those
    build the default stages for themselves); forked story workers share any stages.

    Each outlet's boilerplate is learned from these articles and removed first
    (`ingest/boilerplate.py`): it needs them all, so it cannot happen as each is read.
    """
    on_batch = counting(progress, len(articles))
    prepared = [Annotated(a) for a in remove_outlet_boilerplate(articles)]
    chosen = list(stages) if stages is not None else default_stages(settings)
    if workers is None:
        workers = _workers_for(settings, stages)
    parsers = workers if stages is None else 0
    first = run_article_stages(prepared, chosen, settings, parsers, policy, on_batch)
    later = [s for s in chosen if not isinstance(s, ArticleStage)]
    second = run_later_stages(first.docs, later, provided_by(chosen), workers, policy, on_batch)
    return Report(
        generated_at=_now(),
        articles=second.docs,
        stories=second.stories,
        errors=(*errors, *first.errors, *second.errors),
    )


@dataclass(frozen=True)
class AnnotationCache:
    """Per-article results kept in the store between runs, so that an ingest runs the
    per-article stages (the parse: most of the cost) only on articles that are new or
    whose cleaned text changed. `made_by` names the analysis (Parallax's version, the
    stages, the settings): results made otherwise are not reused."""

    store: SQLiteStore
    made_by: str

    @classmethod
    def for_run(
        cls, store: SQLiteStore, settings: Settings, stages: Sequence[Stage]
    ) -> AnnotationCache:
        names = [s.name for s in stages if isinstance(s, ArticleStage)]
        # what reading, storing, rendering and the worker count are told does not change an
        # article's analysis
        analysis = {
            f.name: repr(getattr(settings, f.name))
            for f in dataclasses.fields(settings)
            if f.name not in ("ingest", "store", "report", "run")
        }
        # and what the grouping evidence kept beside each analysis holds
        key = json.dumps([__version__, EVIDENCE_FORMAT, names, analysis], sort_keys=True)
        return cls(store, hashlib.sha1(key.encode()).hexdigest()[:16])

    def kept(self) -> dict[str, str]:
        """Every analysed article's text hash (its evidence is read when grouping, a few
        hundred at a time: held for every article of a store of 100,000 it would take
        gigabytes)."""
        return self.store.text_hashes(self.made_by)

    def load(self, articles: Sequence[Article]) -> list[Annotated]:
        """These articles with their stored per-article results (each must have some)."""
        stored = self.store.annotations(self.made_by, [a.id for a in articles])
        return [article_from_json({**stored[a.id][1], "text": a.text}) for a in articles]

    def cleaned_as_kept(
        self,
        read: Sequence[Article],
        cleaned: Sequence[Article],
        kept: Mapping[str, str],
        hashes: dict[str, str],
    ) -> list[Article]:
        """`cleaned` (the articles `read`, in that order, cleaned of their outlets'
        boilerplate as learned now), each stored article whose cleaning changed since its
        results were made cleaned as it was then, where that gives the text they are for;
        `hashes` (each cleaned text's) is brought up to date for those.

        New articles change what an outlet's boilerplate is (a paragraph reaches a third
        article, or turns up in another outlet); parsing the stored articles that carry it
        again would make an ingest cost follow the store, not the new articles. So they
        keep their cleaning until `ingest --reanalyse` cleans and analyses all afresh.
        """
        changed = [k for k, a in enumerate(cleaned) if kept.get(a.id, hashes[a.id]) != hashes[a.id]]
        if not changed:
            return list(cleaned)
        stored = self.store.annotations(self.made_by, [cleaned[k].id for k in changed])
        out = list(cleaned)
        for k in changed:
            removed = stored[cleaned[k].id][1].get("removed", [])
            before = remove_as_before(
                read[k], [Removal(r["text"], RemovalReason(r["reason"])) for r in removed]
            )
            if _text_hash(before.text) == kept[before.id]:
                out[k] = before
                hashes[before.id] = kept[before.id]
        return out

    def previous(self) -> list[StoredStory]:
        """The last complete run's stories, when this same analysis made all their results."""
        run = self.store.latest_complete_run()
        if run is None or self.store.meta(f"run {run} made by") != self.made_by:
            return []
        stories = self.store.stories(run)
        return stories if all(s.result is not None for s in stories) else []

    def made(self, run_id: int) -> None:
        """Say which analysis made run `run_id` (for `previous`)."""
        self.store.set_meta(f"run {run_id} made by", self.made_by)

    def save(self, docs: Iterable[Annotated]) -> dict[str, str]:
        """Keep these articles' results; what `kept` now says of them."""
        rows = []
        for doc in docs:
            data = article_to_json(doc)
            data.pop("text")  # the store has it; kept once
            rows.append((doc.id, _text_hash(doc.article.text), data, article_evidence(doc)))
        self.store.save_annotations(self.made_by, rows)
        return {aid: sha for aid, sha, _, _ in rows}


def _workers_for(settings: Settings, stages: Sequence[Stage] | None) -> int:
    """Processes for the per-article stages: `run.workers` when the stages are the default
    ones (each worker builds them for itself), none when the caller gave its own."""
    return worker_count(settings.run.workers) if stages is None else 0


def _text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def counting(
    progress: ProgressFn | None, total: int, offset: int = 0
) -> Callable[[str, int], None]:
    """The runner's progress callback (stage, articles done) as a `ProgressFn` over
    `total` articles, for a share of them that starts at `offset`."""

    def on_batch(stage: str, done: int) -> None:
        if progress is not None:
            progress(stage, offset + done, total)

    return on_batch


def provided_by(stages: Sequence[Stage]) -> frozenset[str]:
    """What articles hold once the per-article stages have run."""
    return INGESTED.union(*(s.assigns for s in stages if isinstance(s, ArticleStage)))


def run_article_stages(
    docs: Sequence[Annotated],
    stages: Sequence[Stage],
    settings: Settings,
    workers: int,
    policy: ErrorPolicy,
    on_batch: Callable[[str, int], None],
) -> PipelineResult:
    """The per-article stages of `stages` over `docs`: in `workers` processes (or on Dask
    when the settings say so) when there are enough articles to pay for them, else here.

    Args:
        workers: 0 when the stages were given by the caller and must stay in this process
            (workers build the default ones).
    """
    per_article = [s for s in stages if isinstance(s, ArticleStage)]
    engine = settings.run.engine if workers > 0 else "local"
    if should_use_workers(len(docs), workers, engine):
        return run_article_stages_in_workers(
            docs,
            settings,
            workers,
            policy=policy,
            stage_names=[s.name for s in per_article],
            on_batch=on_batch,
        )
    return run_pipeline(docs, per_article, policy=policy, on_batch=on_batch)


def run_later_stages(
    docs: Sequence[Annotated],
    later: Sequence[Stage],
    provided: frozenset[str],
    workers: int,
    policy: ErrorPolicy,
    on_batch: Callable[[str, int], None],
) -> PipelineResult:
    """The stages after the per-article ones: the grouping here, then the story stages in
    `workers` forked processes when the articles are enough to pay for them
    (`workers.should_split_stories`), else here as well.

    Args:
        workers: 0 when the stages were given by the caller: they all run here.
    """
    if not should_split_stories(len(docs), workers):
        return run_pipeline(docs, later, policy=policy, on_batch=on_batch, provided=provided)
    per_story = [s for s in later if isinstance(s, StoryStage)]
    grouping = [s for s in later if not isinstance(s, StoryStage)]
    grouped = run_pipeline(docs, grouping, policy=policy, on_batch=on_batch, provided=provided)
    told = run_story_stages_in_workers(
        grouped.docs,
        grouped.stories,
        per_story,
        workers,
        policy=policy,
        provided=provided.union(*(s.assigns for s in grouping)),
        on_batch=on_batch,
    )
    return PipelineResult(told.docs, told.stories, (*grouped.errors, *told.errors))


@dataclass(frozen=True)
class StoryTelling:
    """How a run's story stages are run: the stages (the per-article ones among them say
    what the articles hold), its settings, the key its results are made under, and its
    error policy and progress."""

    stages: Sequence[Stage]
    settings: Settings
    made_by: str
    policy: ErrorPolicy
    progress: ProgressFn | None


def result_key(made_by: str, docs: Iterable[Annotated], kind: str = "story") -> str:
    """The key a story's results are kept under: the analysis, and its articles as they
    read (ids and cleaned texts). The same articles analysed the same way give the same
    results, so a story whose key the store holds need not be analysed again."""
    members = sorted((d.id, _text_hash(d.article.text)) for d in docs)
    return hashlib.sha1(json.dumps([made_by, kind, members]).encode()).hexdigest()


def report_results(
    report: Report, made_by: str
) -> tuple[list[StoredStory], list[StoryResult], list[InputFailure]]:
    """A report as the store keeps it: each story's grouping and the key of its results,
    the results (the story's JSON less its grouping, its articles' JSON), and an error
    for each story that cannot be written (left out; its articles kept)."""
    docs = {d.id: d for d in report.articles}
    stories: list[StoredStory] = []
    results: list[StoryResult] = []
    failures: list[InputFailure] = []
    placed: set[str] = set()
    for story in report.stories:
        members = [docs[a] for a in story.article_ids if a in docs]
        try:
            grouping, rest = story_parts(story, members)
            written = tuple((d.id, article_json_text(d)) for d in members)
        except Exception as exc:
            failures.append(InputFailure(**story_write_error(story, exc)))
            continue
        key = result_key(made_by, members)
        stories.append(StoredStory(story.id, story.title, story.article_ids, grouping, key))
        results.append(StoryResult(key, rest, written))
        placed.update(story.article_ids)
    loose = [d for d in report.articles if d.id not in placed]
    if loose:  # in no story (the grouping failed): kept in the report all the same
        written = tuple((d.id, article_json_text(d)) for d in loose)
        results.append(StoryResult(result_key(made_by, loose, "loose"), None, written))
    return stories, results, failures


def analyze(
    paths: Iterable[str | Path],
    store: SQLiteStore,
    settings: Settings,
    *,
    stages: Sequence[Stage] | None = None,
    policy: ErrorPolicy = ErrorPolicy.COLLECT,
    progress: ProgressFn | None = None,
) -> Report:
    """Ingest `paths` into `store` and analyse exactly those articles, as one stored run."""
    run_id = store.begin_run()
    read = ingest(paths, store, settings, progress)
    assert read.articles is not None  # all are held
    return analyze_held(
        read.articles,
        run_id,
        store,
        settings,
        errors=read.errors,
        stages=stages,
        policy=policy,
        progress=progress,
    )


def analyze_held(
    articles: Sequence[Article],
    run_id: int,
    store: SQLiteStore,
    settings: Settings,
    *,
    errors: Sequence[InputFailure] = (),
    stages: Sequence[Stage] | None = None,
    policy: ErrorPolicy = ErrorPolicy.COLLECT,
    progress: ProgressFn | None = None,
) -> Report:
    """`analyze` once the articles are read and stored: analysed in memory as run `run_id`."""
    report = analyze_articles(
        articles, settings, errors=errors, stages=stages, policy=policy, progress=progress
    )
    stories, results, failures = report_results(report, f"run {run_id}")
    store.finish_run(
        run_id,
        generated_at=report.generated_at,
        stories=stories,
        results=results,
        errors=(*report.errors, *failures),
    )
    return report


@dataclass(frozen=True, slots=True)
class StoredRun:
    """What `analyze_store` stored: the run, its stories as the store lists them, how
    many articles it holds, how many of them this run analysed (the new ones and the
    stories they touched), and what failed."""

    run_id: int
    stories: tuple[StoredStory, ...]
    articles: int
    analysed: int
    errors: tuple[InputFailure, ...]


def analyze_store(
    store: SQLiteStore,
    settings: Settings,
    *,
    errors: Sequence[InputFailure] = (),
    run_id: int | None = None,
    stages: Sequence[Stage] | None = None,
    policy: ErrorPolicy = ErrorPolicy.COLLECT,
    progress: ProgressFn | None = None,
    regroup_all: bool = False,
) -> StoredRun:
    """Analyse the stored articles, as one stored run (what `parallax ingest` ends with),
    in time that follows the new articles rather than the store:

    - the per-article stages run only on articles the store has no result for (new ones,
      or ones whose cleaned text changed); a stored article whose outlet's boilerplate the
      new ones changed stays cleaned as it was (`AnnotationCache.cleaned_as_kept`);
    - the new articles are grown into the last run's stories
      (`stories.grouping.grow_stories`); the stories they do not join stand as they
      were, their results neither read back nor written again;
    - the story stages run only on stories whose articles no earlier run analysed as one
      story (`result_key`).

    Everything is grouped and analysed again when the last run was made by another
    analysis (other settings or version), with stages given by the caller, with the
    incremental clusterer, when the new articles are many (`GROW_AT_MOST`,
    `GROW_SHARE`), or when `regroup_all` says so (`parallax ingest --reanalyse`).

    Args:
        run_id: a run begun before reading the inputs, so an interrupted ingest shows as
            an unfinished run; a new run is begun when None.
    """
    if run_id is None:
        run_id = store.begin_run()
    background = load_background()  # for the grouping stage, and for growing stories
    chosen = list(stages) if stages is not None else default_stages(settings, background=background)
    cache = AnnotationCache.for_run(store, settings, chosen)
    limit = settings.run.articles_in_memory
    ids = store.article_ids()
    kept = cache.kept()
    cleaned, hashes, days = cleaned_store(store, ids, cache, kept, limit, regroup_all)
    fresh = [i for i in ids if kept.get(i) != hashes[i]]
    workers = _workers_for(settings, stages)
    made: dict[str, Annotated] = {}  # what the stages made now, while few enough to hold
    new: set[str] = set()
    run_errors = list(errors)
    for start in range(0, len(fresh), limit):  # a share at a time, kept in the store as made
        docs = [Annotated(a) for a in cleaned(fresh[start : start + limit])]
        parsed = counting(progress, len(fresh), start)
        first = run_article_stages(docs, chosen, settings, workers, policy, parsed)
        kept.update(cache.save(first.docs))
        new.update(d.id for d in first.docs)
        if len(fresh) <= limit:
            made.update((d.id, d) for d in first.docs)
        run_errors.extend(first.errors)
        del docs, first
        return_freed_memory()
    # the articles to analyse: those whose kept results are for their text
    analysed = [i for i in ids if kept.get(i) == hashes[i]]
    known = _Ingested(analysed, [days[i] for i in analysed], cleaned, made, frozenset(new), cache)
    before = cache.previous() if not regroup_all else []
    later = [s for s in chosen if not isinstance(s, ArticleStage)]
    provided = provided_by(chosen)
    standing: list[StoredStory] = []
    loose: list[str] = []
    on_batch = counting(progress, len(analysed))
    if before and stages is None and settings.group.method == "tfidf" and _few(new, analysed):
        standing, second = _analyse_grown(
            known,
            background,
            before,
            settings,
            later,
            provided,
            workers,
            policy,
            on_batch,
        )
    elif len(analysed) > limit and stages is None and grouped_from_evidence(settings.group):
        telling = StoryTelling(chosen, settings, cache.made_by, policy, progress)
        computed, loose = _tell_spilled(known, telling, background, run_errors)
        second = None
    else:
        docs = _with_annotations(cleaned(analysed), made, cache)
        second = run_later_stages(docs, later, provided, workers, policy, on_batch)
    now = _now()
    results: list[StoryResult] = []
    if second is not None:
        run_errors.extend(second.errors)
        report = Report(now, second.docs, second.stories, tuple(run_errors))
        computed, results, failures = report_results(report, cache.made_by)
        run_errors.extend(failures)
    every = sorted([*standing, *computed], key=lambda s: (-len(s.article_ids), s.id))
    latest = store.latest_complete_run()
    earlier = store.stories(latest) if latest is not None else []
    stories_out, events = carry_story_ids(every, earlier)
    store.finish_run(
        run_id,
        generated_at=now,
        stories=stories_out,
        results=results,
        errors=run_errors,
        events=events,
        result_keys=loose,
    )
    cache.made(run_id)
    told = len(second.docs) if second is not None else len(analysed)
    return StoredRun(run_id, tuple(stories_out), len(ids), told, tuple(run_errors))


def _tell_spilled(
    known: _Ingested,
    telling: StoryTelling,
    background: Background,
    failures: list[InputFailure],
) -> tuple[list[StoredStory], list[str]]:
    """Every analysed article grouped and told again, too many to hold at once: grouped
    from the evidence the store keeps, the story stages run on shares of the stories
    (`spill.py`). The stories as the store keeps them, and the keys of the results of
    articles in none."""
    from newsparallax.spill import group_stored, tell_in_shares  # spill.py imports this module

    cache = known.cache
    ids = known.ids
    stories = group_stored(
        cache.store, cache.made_by, ids, known.days, background, telling, failures
    )

    def load(some: list[str]) -> list[Annotated]:
        return _with_annotations(known.cleaned(some), known.made, cache)

    return tell_in_shares(stories, ids, load, telling, cache.store, failures)


def cleaned_store(
    store: SQLiteStore,
    ids: Sequence[str],
    cache: AnnotationCache,
    kept: Mapping[str, str],
    limit: int,
    regroup_all: bool,
) -> tuple[Callable[[Sequence[str]], list[Article]], dict[str, str], dict[str, date | None]]:
    """The stored articles as this run cleans them, read `limit` at a time and let go:
    a function that reads some of them back by id (in id order), and each one's text
    hash and given day. Each outlet's boilerplate is learned from them all (in two
    readings); a stored article whose results were made from a text cleaned otherwise
    stays cleaned as it was (`AnnotationCache.cleaned_as_kept`) unless `regroup_all`."""
    stored = StoredArticles(store, ids)
    learned = outlet_boilerplate(stored)
    as_before: dict[str, Article] = {}  # the few whose cleaning changed: held as they were
    hashes: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for start in range(0, len(ids), limit):
        read = store.articles(ids[start : start + limit])
        cleaned = [without_learned(a, learned) for a in read]
        share = {a.id: _text_hash(a.text) for a in cleaned}
        if not regroup_all:
            out = cache.cleaned_as_kept(read, cleaned, kept, share)
            as_before.update((a.id, a) for a, c in zip(out, cleaned, strict=True) if a is not c)
        hashes.update(share)
        days.update((a.id, given_day(Annotated(a))) for a in read)

    def cleaned_articles(some: Sequence[str]) -> list[Article]:
        return [as_before.get(a.id) or without_learned(a, learned) for a in store.articles(some)]

    return cleaned_articles, hashes, days


# New articles are grown into the stories an earlier run made while they are at most
# this many, or this share of the store; past that, grouping everything again costs
# about as much (the pairs are found in bulk) and gives the batch rule's own stories.
GROW_AT_MOST = 100
GROW_SHARE = 0.1


def _few(new: Collection[str], articles: Collection[str]) -> bool:
    return len(new) <= max(GROW_AT_MOST, GROW_SHARE * len(articles))


def _members(story: Story, docs: Mapping[str, Annotated]) -> list[Annotated]:
    return [docs[a] for a in story.article_ids if a in docs]


def _with_annotations(
    articles: Sequence[Article], made: Mapping[str, Annotated], cache: AnnotationCache
) -> list[Annotated]:
    """These articles, in their order, with their per-article results: made in this run,
    or read back."""
    stored = {d.id: d for d in cache.load([a for a in articles if a.id not in made])}
    return [made[a.id] if a.id in made else stored[a.id] for a in articles]


@dataclass(frozen=True)
class _Ingested:
    """What an ingest has once the per-article stages ran: the articles to analyse (their
    ids in order, and the day each one's input gives), how to read them back cleaned,
    those annotated now (and the ones held of them), and where the store keeps the
    annotations and grouping evidence of all of them."""

    ids: Sequence[str]
    days: Sequence[date | None]
    cleaned: Callable[[Sequence[str]], list[Article]]
    made: Mapping[str, Annotated]
    new: frozenset[str]
    cache: AnnotationCache


def _analyse_grown(
    known: _Ingested,
    background: Background,
    before: Sequence[StoredStory],
    settings: Settings,
    later: Sequence[Stage],
    provided: frozenset[str],
    workers: int,
    policy: ErrorPolicy,
    on_batch: Callable[[str, int], None],
) -> tuple[list[StoredStory], PipelineResult]:
    """The new articles grown into the earlier stories, and the story stages run on the
    stories whose results the store lacks: the stories that stand (earlier ones no new
    article joined, and grown ones whose results the store has: the same articles as a
    story it kept), and what the stages made of the rest."""
    cache = known.cache
    standing, stories, docs = _regroup_touched(known, background, before, settings)
    keys = {s.id: result_key(cache.made_by, _members(s, docs)) for s in stories}
    stored = cache.store.known_results(keys.values())
    to_run = tuple(s for s in stories if keys[s.id] not in stored)
    members = {a for s in to_run for a in s.article_ids}
    group = next(s for s in later if "stories" in s.assigns)
    grouped = stories_given(to_run, group.name, group.assigns)  # the grouping is done
    second = run_later_stages(
        [d for d in docs.values() if d.id in members],
        [grouped, *(s for s in later if s is not group)],
        provided,
        workers,
        policy,
        on_batch,
    )
    settled = [
        StoredStory(s.id, s.title, s.article_ids, story_grouping(s), keys[s.id])
        for s in stories
        if keys[s.id] in stored
    ]
    return [*standing, *settled], second


def _regroup_touched(
    known: _Ingested, background: Background, before: Sequence[StoredStory], settings: Settings
) -> tuple[list[StoredStory], tuple[Story, ...], dict[str, Annotated]]:
    """The earlier stories that stand, the new or grown stories, and the articles of
    those with their per-article results (`stories.grouping.grow_stories`).

    Every article's evidence is weighed from the store's copy (no annotations read);
    only the articles of the stories new ones join are read back.
    """
    made, cache = known.made, known.cache
    ids = list(known.ids)  # in id order
    missing = cache.store.without_evidence(cache.made_by)
    lacking = [i for i in ids if i in missing]
    if lacking:  # kept by a store older than the evidence column: made now, kept once
        again = {d.id: article_evidence(d) for d in cache.load(known.cleaned(lacking))}
        cache.store.save_evidence(cache.made_by, again.items())

    def each(field: str) -> Iterator[Any]:  # read a few hundred at a time, once per field
        return (e.get(field, {}) if e else {} for e in cache.store.evidence_of(cache.made_by, ids))

    evidence = weigh_evidence(
        each("words"), each("names"), list(each("years")), known.days, background
    )
    threshold = settings.group.similarity_threshold
    grown, standing_ids = grow_stories(
        evidence, ids, known.new, before, threshold, cohesion(settings.group)
    )
    stand = set(standing_ids)
    standing = [s for s in before if s.id in stand]
    wanted = {a for group in grown for a in group}
    docs = _with_annotations(known.cleaned([i for i in ids if i in wanted]), made, cache)
    local = {d.id: k for k, d in enumerate(docs)}
    rows = np.asarray([k for k, i in enumerate(ids) if i in wanted], dtype=np.intp)
    sub = evidence.rows(rows)
    headings = [heading(d) for d in docs]
    stories = []
    for group in grown:
        members = np.asarray([local[a] for a in group], dtype=np.intp)
        cluster = Cluster(members, dense_similarity(sub, members))
        stories.append(story_of(headings, sub, cluster))
    return standing, tuple(stories), {d.id: d for d in docs}


def _failure(error: InputError) -> InputFailure:
    return InputFailure(error.source, error.problem)
