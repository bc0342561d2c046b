"""The per-article stages in worker processes give what one process gives."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from newsparallax import workers
from newsparallax.analysis import analyze
from newsparallax.config import Settings
from newsparallax.model import Annotated, Article, Report, Story
from newsparallax.render import report_to_json
from newsparallax.store import SQLiteStore

DATA = Path(__file__).parent / "data"


def _with_workers(settings: Settings, count: int, engine: str = "local") -> Settings:
    run = dataclasses.replace(settings.run, workers=count, engine=engine)
    return dataclasses.replace(settings, run=run)


def _analysed(paths: list[Path], settings: Settings) -> Report:
    with SQLiteStore(":memory:") as store:
        return analyze(paths, store, settings)


def _calls_of(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """How many articles each call of `workers.<name>` from the analysis was given."""
    calls: list[int] = []
    real = getattr(workers, name)

    def counted(docs: list[object], *args: object, **kwargs: object) -> object:
        calls.append(len(docs))
        return real(docs, *args, **kwargs)

    monkeypatch.setattr(f"newsparallax.analysis.{name}", counted)
    return calls


def _comparable(report: Report) -> str:
    document = report_to_json(report)
    document.pop("generated_at", None)
    return json.dumps(document, sort_keys=True)


def test_worker_count_zero_means_every_usable_core() -> None:
    assert workers.worker_count(0) == len(os.sched_getaffinity(0))
    assert workers.worker_count(3) == 3


def test_small_batches_stay_in_one_process() -> None:
    assert not workers.should_use_workers(150, 2)
    assert workers.should_use_workers(2 * workers.MIN_ARTICLES_PER_WORKER, 2)
    assert not workers.should_use_workers(10_000, 1)


def test_two_workers_give_the_report_one_process_gives(
    demo_corpus: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    single = _analysed([demo_corpus], _with_workers(settings, 1))
    # the demo is small: let it go to the workers in chunks of three articles anyway
    monkeypatch.setattr(workers, "MIN_ARTICLES_PER_WORKER", 1)
    monkeypatch.setattr(workers, "CHUNK", 3)
    spawned = _calls_of(monkeypatch, "run_article_stages_in_workers")
    parallel = _analysed([demo_corpus], _with_workers(settings, 2))
    assert spawned, "the workers were not used"
    assert len(parallel.articles) == len(single.articles) > 6
    assert [s.article_ids for s in parallel.stories] == [s.article_ids for s in single.stories]
    assert _comparable(parallel) == _comparable(single)


def _same_analysis(one: Report, other: Report) -> None:
    """Story membership, quotes with their speakers, timelines, and the rest of the JSON."""
    assert [s.article_ids for s in one.stories] == [s.article_ids for s in other.stories]
    assert [s.quotes for s in one.stories] == [s.quotes for s in other.stories]
    assert [s.timeline for s in one.stories] == [s.timeline for s in other.stories]
    assert _comparable(one) == _comparable(other)


def _thousand_articles(folder: Path) -> Path:
    """Our 162 grouping fixtures seven times over (1,134 articles), each copy a
    publication of its own with its own closing line."""
    records = [json.loads(line) for line in (DATA / "stories.jsonl").read_text().splitlines()]
    path = folder / "thousand.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for copy in range(7):
            for index, record in enumerate(records):
                text = f"{record['text']}\n\nFiled as number {copy * 1000 + index}."
                row = dict(record, url=f"https://copy{copy}.example/{index}", text=text)
                out.write(json.dumps(row) + "\n")
    return path


def test_the_dask_engine_gives_the_report_the_default_engine_gives(
    demo_corpus: Path, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed", reason="the Dask engine needs newsparallax[dask]")
    chunks_on_dask: list[int] = []
    real_on_dask = workers._on_dask

    def counted(chunks: list[object], *args: object) -> object:
        chunks_on_dask.append(len(chunks))
        return real_on_dask(chunks, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "_on_dask", counted)
    for inputs in ([demo_corpus], [_thousand_articles(tmp_path)]):
        default = _analysed(inputs, _with_workers(settings, 1))
        on_dask = _analysed(inputs, _with_workers(settings, 2, "dask"))
        assert len(on_dask.articles) == len(default.articles)
        _same_analysis(on_dask, default)
    assert len(default.articles) == 1_134
    assert len(chunks_on_dask) == 2 and chunks_on_dask[1] == -(-1_134 // workers.CHUNK)


def test_a_scheduler_needs_the_dask_engine(tmp_path: Path) -> None:
    from newsparallax.cli import main

    code = main(["analyze", str(tmp_path), "--scheduler", "tcp://127.0.0.1:8786"])
    assert code == 2


def test_ingest_into_a_store_parses_in_the_workers_too(
    demo_corpus: Path, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparallax.analysis import analyze_store, ingest

    monkeypatch.setattr(workers, "MIN_ARTICLES_PER_WORKER", 1)
    monkeypatch.setattr(workers, "CHUNK", 3)
    used = _calls_of(monkeypatch, "run_article_stages_in_workers")
    reports = []
    for count in (1, 2):
        with SQLiteStore(tmp_path / f"{count}.db") as store:
            ingest([demo_corpus], store, _with_workers(settings, count))
            reports.append(analyze_store(store, _with_workers(settings, count)))
    assert used == [8]
    assert [s.article_ids for s in reports[0].stories] == [
        s.article_ids for s in reports[1].stories
    ]


def _story(number: int, size: int) -> Story:
    ids = tuple(f"a{number}-{k}" for k in range(size))
    return Story(id=f"s{number}", title=f"story {number}", article_ids=ids)


def test_story_chunks_take_the_biggest_stories_first() -> None:
    stories = [_story(0, 3), _story(1, 70), _story(2, 40), _story(3, 30), _story(4, 1)]
    chunks = workers.story_chunks(stories)
    assert chunks == [[1], [2], [3, 0, 4]]  # 70 alone (over a chunk); 40 + 30 > 64
    assert sorted(i for chunk in chunks for i in chunk) == list(range(len(stories)))


def test_story_stages_stay_here_when_few_another_thread_runs_or_torch_is_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    enough = 2 * workers.MIN_ARTICLES_PER_WORKER
    done = threading.Event()
    waiting = threading.Thread(target=done.wait)
    waiting.start()
    try:  # a lock that thread held at a fork would stay held in the child
        assert not workers.should_split_stories(enough, 2)
    finally:
        done.set()
        waiting.join()
    _as_the_only_thread(monkeypatch)
    monkeypatch.delitem(sys.modules, "torch", raising=False)  # as if no embedding test ran
    assert workers.should_split_stories(enough, 2)
    assert not workers.should_split_stories(enough - 1, 2)
    assert not workers.should_split_stories(10 * enough, 1)
    monkeypatch.setitem(sys.modules, "torch", object())  # its thread pools do not fork
    assert not workers.should_split_stories(enough, 2)


def _as_the_only_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process counted as one thread: the Dask test leaves Dask's offload thread
    running in this one, and the tests that use it are about what forked workers give."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def _without_torch_loaded() -> None:
    """Forked story workers are refused once torch is loaded (with the `embed` extra, an
    embedding test of this run may have loaded it): a test that needs them then skips."""
    if "torch" in sys.modules:
        pytest.skip("torch is loaded in this test process: story stages are not forked")


def _articles(count: int) -> list[Article]:
    return [
        Article(id=f"a{k:02d}", source=f"a{k}.txt", text=f"Text {k}.", title=f"T{k}")
        for k in range(count)
    ]


def _by_tens(
    docs: Sequence[Annotated], _: tuple[Story, ...]
) -> tuple[Sequence[Annotated], tuple[Story, ...]]:
    """Ten articles a story, in id order."""
    ordered = sorted(docs, key=lambda d: d.id)
    groups = [ordered[k : k + 10] for k in range(0, len(ordered), 10)]
    stories = tuple(
        Story(id=f"s{k}", title=g[0].article.title, article_ids=tuple(d.id for d in g))
        for k, g in enumerate(groups)
    )
    return docs, stories


def _titled_by_size(docs: Sequence[Annotated], story: Story) -> tuple[Sequence[Annotated], Story]:
    """A story stage that also changes its articles, and fails on one story."""
    if story.id == "s2":
        raise ValueError("no title for this one")
    marked = [
        dataclasses.replace(d, article=dataclasses.replace(d.article, outlet=story.id))
        for d in docs
    ]
    return marked, dataclasses.replace(story, title=f"{story.title} ({len(docs)})")


def test_story_stages_in_forked_workers_give_what_one_process_gives(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparallax.analysis import analyze_articles
    from newsparallax.pipeline import CorpusStage, ErrorPolicy, StoryStage

    _without_torch_loaded()

    stages = [
        CorpusStage("group", _by_tens, requires=frozenset(), assigns=frozenset({"stories"})),
        StoryStage(
            "title", _titled_by_size, requires=frozenset({"stories"}), assigns=frozenset({"size"})
        ),
    ]
    monkeypatch.setattr(workers, "MIN_ARTICLES_PER_WORKER", 1)
    monkeypatch.setattr(workers, "STORY_CHUNK", 10)
    _as_the_only_thread(monkeypatch)
    forked = _calls_of(monkeypatch, "run_story_stages_in_workers")
    reports = [
        analyze_articles(
            _articles(45), settings, stages=stages, policy=ErrorPolicy.COLLECT, workers=count
        )
        for count in (1, 2)
    ]
    assert forked == [45]  # the second only
    one, two = reports
    assert [s.title for s in two.stories] == ["T0 (10)", "T10 (10)", "T20", "T30 (10)", "T40 (5)"]
    assert [s.title for s in two.stories] == [s.title for s in one.stories]
    assert two.errors == one.errors
    assert "no title for this one" in two.errors[0].error
    assert two.articles == one.articles
    assert [d.article.outlet for d in two.articles[:21:10]] == ["s0", "s1", None]


def test_a_story_grown_by_ingest_is_analysed_in_forked_workers_as_in_one_process(
    demo_corpus: Path, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparallax.analysis import analyze_store, ingest

    _without_torch_loaded()
    monkeypatch.setattr(workers, "MIN_ARTICLES_PER_WORKER", 1)
    monkeypatch.setattr(workers, "STORY_CHUNK", 2)
    _as_the_only_thread(monkeypatch)
    forked = _calls_of(monkeypatch, "run_story_stages_in_workers")
    # a later telling of the strike, from an outlet of its own: it joins that story
    record = json.loads((demo_corpus / "meridian-news-strike.jsonl").read_text().splitlines()[0])
    later = tmp_path / "later.jsonl"
    record.update(source="Harbour Gazette", url="https://harbour-gazette.example/strike")
    record["body"] += "<p>Talks are due to resume on Monday, both sides said.</p>"
    later.write_text(json.dumps(record) + "\n", "utf-8")
    reports = []
    for count in (1, 2):
        with SQLiteStore(tmp_path / f"{count}.db") as store:
            ingest([demo_corpus], store, _with_workers(settings, count))
            analyze_store(store, _with_workers(settings, count))
            ingest([later], store, _with_workers(settings, count))
            run = analyze_store(store, _with_workers(settings, count))
            report = store.report_json(run.run_id)
            assert report is not None
            report.pop("generated_at")
            reports.append(report)
    assert len(forked) == 2  # the first ingest's stories, then the grown story alone
    assert 2 <= forked[1] < forked[0]
    assert reports[0] == reports[1]


@pytest.mark.skipif("fork" not in workers.get_all_start_methods(), reason="fork is not offered")
def test_work_in_a_forked_child_comes_back_and_what_it_raises_is_raised_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here = os.getpid()
    monkeypatch.setattr(workers, "can_fork", lambda: True)  # torch may be loaded by now
    assert workers.in_forked_child(os.getpid) != here  # done in another process

    def fails() -> None:
        raise ValueError("no evidence for article 7")

    with pytest.raises(ValueError, match="article 7"):
        workers.in_forked_child(fails)
    monkeypatch.setattr(workers, "can_fork", lambda: False)  # another thread, or torch
    assert workers.in_forked_child(os.getpid) == here


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_memory_freed_between_shares_goes_back_to_the_system() -> None:
    def resident_mb() -> float:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6

    held = [bytes(1000) + bytes([i % 256]) for i in range(200_000)]  # ~200 MB, not pooled
    pinned = bytes(1000) + b"!"  # allocated last: the freed space lies below it
    with_share = resident_mb()
    del held
    workers.return_freed_memory()
    assert resident_mb() < with_share - 150
    assert pinned
