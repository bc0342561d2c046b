"""The whole job, as library functions: inputs -> store -> stages -> report.

The CLI and the web app call these; they hold no logic of their own. Reading is
streamed and stored in batches as it goes, so a long ingest that is interrupted
keeps what it read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

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
from newsparallax.ingest.boilerplate import remove_outlet_boilerplate
from newsparallax.ingest.files import find_files
from newsparallax.link import gather_quotes_stage, link_entities_stage
from newsparallax.link.places import locate_places_stage
from newsparallax.link.timeline import align_story_dates, timeline_stage
from newsparallax.model import Annotated, Article, InputFailure, Report, Story
from newsparallax.nlp import LanguageModels
from newsparallax.pipeline import (
    INGESTED,
    ArticleStage,
    CorpusStage,
    ErrorPolicy,
    Settled,
    Stage,
    StoryStage,
    run_pipeline,
)
from newsparallax.render.contract import (
    article_from_json,
    article_to_json,
    report_from_json,
    report_json_text,
)
from newsparallax.store import SQLiteStore
from newsparallax.stories import evidence, group_stories_stage
from newsparallax.stories.evidence import Background
from newsparallax.stories.history import carry_story_ids
from newsparallax.workers import (
    run_article_stages_in_workers,
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
    embed = None
    if settings.claims.embedder:
        from newsparallax.embed import load_embedder

        embed = load_embedder(settings.claims.embedder)
    stages: list[Stage] = [
        *article_stages(settings, split_sentences, models),
        CorpusStage(
            "group_stories",
            partial(group_stories_stage, options=settings.group, background=background),
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
            partial(timeline_stage, max_dates=settings.timeline.max_dates),
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
    models: LanguageModels | None = None,
) -> list[ArticleStage]:
    """The per-article stages of `default_stages` (the parse: most of the cost), alone:
    what a worker process builds for itself (`workers.py`)."""
    from newsparallax import nlp

    if split_sentences is None:
        split_sentences = nlp.load_sentence_splitter()
    if models is None:
        models = nlp.load_language_models(settings.models.spacy)
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
    articles: tuple[Article, ...]  # in input order, each id once
    errors: tuple[InputFailure, ...]
    new: int  # how many were not in the store before


def ingest(
    paths: Iterable[str | Path],
    store: SQLiteStore,
    settings: Settings,
    progress: ProgressFn | None = None,
) -> IngestResult:
    """Read, clean and store the articles under `paths`, committing every few articles.

    The same article read twice (same content, any path) is kept once.
    """
    files: list[Path] = []
    errors: list[InputFailure] = []
    for item in find_files(paths, READERS):
        if isinstance(item, InputError):
            errors.append(_failure(item))
        else:
            files.append(item)
    seen: dict[str, Article] = {}
    pending: list[Article] = []
    new = 0
    for done, path in enumerate(files, start=1):
        for found in read_file(path, settings):
            if isinstance(found, InputError):
                errors.append(_failure(found))
            elif found.id not in seen:
                seen[found.id] = found
                pending.append(found)
        if len(pending) >= STORE_BATCH:
            new += store.add_articles(pending)
            pending = []
        if progress is not None:
            progress("read", done, len(files))
    new += store.add_articles(pending)
    return IngestResult(tuple(seen.values()), tuple(errors), new)


def analyze_articles(
    articles: Sequence[Article],
    settings: Settings,
    *,
    errors: Sequence[InputFailure] = (),
    stages: Sequence[Stage] | None = None,
    policy: ErrorPolicy = ErrorPolicy.COLLECT,
    progress: ProgressFn | None = None,
    cache: AnnotationCache | None = None,
    workers: int | None = None,
) -> Report:
    """Run the stages over articles already read, into a report.

    `workers`: processes for the per-article stages; by default one per core
    (`run.workers`) when the stages are the default ones, which each worker builds for
    itself, and this process alone when `stages` are given.

    Each outlet's boilerplate is learned from these articles and removed first
    (`ingest/boilerplate.py`): it needs them all, so it cannot happen as each is read.
    """

    def on_batch(stage: str, done: int) -> None:
        if progress is not None:
            progress(stage, done, len(articles))

    prepared = [Annotated(a) for a in remove_outlet_boilerplate(articles)]
    chosen = list(stages) if stages is not None else default_stages(settings)
    if workers is None:
        workers = _workers_for(settings, stages)
    docs, stories, failures = _run_stages(
        prepared, chosen, cache, policy, on_batch, settings, workers
    )
    return Report(
        generated_at=datetime.now(UTC).replace(microsecond=0),
        articles=tuple(docs),
        stories=tuple(stories),
        errors=(*errors, *failures),
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
        key = json.dumps([__version__, names, analysis], sort_keys=True)
        return cls(store, hashlib.sha1(key.encode()).hexdigest()[:16])

    def load(self) -> dict[str, tuple[str, dict[str, Any]]]:
        return self.store.annotations(self.made_by)

    def previous(self) -> Report | None:
        """The last complete run's report, when this same analysis made it."""
        run = self.store.latest_complete_run()
        if run is None or self.store.meta(f"run {run} made by") != self.made_by:
            return None
        document = self.store.report_json(run)
        return report_from_json(document) if document is not None else None

    def made(self, run_id: int) -> None:
        """Say which analysis made run `run_id` (for `previous`)."""
        self.store.set_meta(f"run {run_id} made by", self.made_by)

    def save(self, docs: Iterable[Annotated]) -> None:
        rows = []
        for doc in docs:
            data = article_to_json(doc)
            data.pop("text")  # the store has it; kept once
            rows.append((doc.id, _text_hash(doc.article.text), data))
        self.store.save_annotations(self.made_by, rows)


def _workers_for(settings: Settings, stages: Sequence[Stage] | None) -> int:
    """Processes for the per-article stages: `run.workers` when the stages are the default
    ones (each worker builds them for itself), none when the caller gave its own."""
    return worker_count(settings.run.workers) if stages is None else 0


def _text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _run_stages(
    prepared: Sequence[Annotated],
    stages: Sequence[Stage],
    cache: AnnotationCache | None,
    policy: ErrorPolicy,
    on_batch: Callable[[str, int], None],
    settings: Settings,
    workers: int,
) -> tuple[list[Annotated], tuple[Story, ...], tuple[InputFailure, ...]]:
    """The per-article stages on what the cache lacks, then the rest over every article.

    Args:
        workers: processes for the per-article stages (on Dask when the settings say so),
            used when there are enough articles to pay for them; 0 when the stages were
            given by the caller and must stay in this process (workers build the defaults).
    """
    per_article = [s for s in stages if isinstance(s, ArticleStage)]
    later = [s for s in stages if not isinstance(s, ArticleStage)]
    reused: dict[str, Annotated] = {}
    stored = cache.load() if cache is not None else {}
    for doc in prepared:
        hit = stored.get(doc.id)
        if hit is not None and hit[0] == _text_hash(doc.article.text):
            reused[doc.id] = article_from_json({**hit[1], "text": doc.article.text})
    fresh = [d for d in prepared if d.id not in reused]
    engine = settings.run.engine if workers > 0 else "local"
    if should_use_workers(len(fresh), workers, engine):
        first = run_article_stages_in_workers(
            fresh,
            settings,
            workers,
            policy=policy,
            stage_names=[s.name for s in per_article],
            on_batch=on_batch,
        )
    else:
        first = run_pipeline(fresh, per_article, policy=policy, on_batch=on_batch)
    if cache is not None:
        cache.save(first.docs)
    made = {d.id: d for d in first.docs}
    docs = [reused.get(d.id) or made[d.id] for d in prepared if d.id in reused or d.id in made]
    provided = INGESTED.union(*(s.assigns for s in per_article))
    settled = _settled_stories(cache.previous(), set(reused)) if cache is not None else None
    second = run_pipeline(
        docs, later, policy=policy, on_batch=on_batch, provided=provided, settled=settled
    )
    return list(second.docs), second.stories, (*first.errors, *second.errors)


def _settled_stories(previous: Report | None, unchanged: set[str]) -> Settled:
    """Stories the last run finished with exactly these articles, none of them new or
    changed: their story stages would give what they gave then, so that stands.

    The grouping's own fields (id, members, why each article joined: scores that depend
    on the whole store) are this run's; the rest of the story (title, summary, entities,
    timeline …) and its articles' story-level annotations are the last run's.
    """
    known: dict[frozenset[str], tuple[Story, list[Annotated]]] = {}
    if previous is not None:
        docs = {d.id: d for d in previous.articles}
        for story in previous.stories:
            members = frozenset(story.article_ids)
            if members <= unchanged and all(a in docs for a in members):
                known[members] = (story, [docs[a] for a in story.article_ids])

    def settled(story: Story) -> tuple[Story, Sequence[Annotated]] | None:
        found = known.get(frozenset(story.article_ids))
        if found is None:
            return None
        earlier, members = found
        return dataclasses.replace(
            earlier, id=story.id, article_ids=story.article_ids, join_reasons=story.join_reasons
        ), members

    return settled


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
    report = analyze_articles(
        read.articles, settings, errors=read.errors, stages=stages, policy=policy, progress=progress
    )
    store.finish_run(run_id, report, "".join(report_json_text(report)))
    return report


def analyze_store(
    store: SQLiteStore,
    settings: Settings,
    *,
    errors: Sequence[InputFailure] = (),
    run_id: int | None = None,
    stages: Sequence[Stage] | None = None,
    policy: ErrorPolicy = ErrorPolicy.COLLECT,
    progress: ProgressFn | None = None,
) -> Report:
    """Analyse every stored article, as one stored run (what `parallax ingest` ends with).

    The per-article stages run only on articles the store has no result for (new ones,
    or ones whose cleaned text changed); the story stages run over all of them.

    Args:
        run_id: a run begun before reading the inputs, so an interrupted ingest shows as
            an unfinished run; a new run is begun when None.
    """
    if run_id is None:
        run_id = store.begin_run()
    chosen = list(stages) if stages is not None else default_stages(settings)
    cache = AnnotationCache.for_run(store, settings, chosen)
    report = analyze_articles(
        store.articles(),
        settings,
        errors=errors,
        stages=chosen,
        policy=policy,
        progress=progress,
        cache=cache,
        workers=_workers_for(settings, stages),
    )
    latest = store.latest_complete_run()
    before = store.stories(latest) if latest is not None else []
    stories, events = carry_story_ids(report.stories, before)
    report = dataclasses.replace(report, stories=stories)
    store.finish_run(run_id, report, "".join(report_json_text(report)), events)
    cache.made(run_id)
    return report


def _failure(error: InputError) -> InputFailure:
    return InputFailure(error.source, error.problem)
