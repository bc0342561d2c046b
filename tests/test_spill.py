"""A run too large to hold in memory spills to the store and gives the report a run in memory gives."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from newsparallax import analysis, spill, workers
from newsparallax.cli import main
from newsparallax.config import Settings
from newsparallax.model import Annotated
from newsparallax.store import SQLiteStore, open_store
from newsparallax.stories.grouping import grouped_from_evidence

DATA = Path(__file__).parent / "data"
# Our own sign-off, which one outlet puts under each of its articles: its boilerplate.
SIGN_OFF = "Meridian News is read in forty harbours. Write to the desk with tips and corrections."


def _holding(settings: Settings, articles: int, workers: int = 1) -> Settings:
    run = dataclasses.replace(settings.run, articles_in_memory=articles, workers=workers)
    return dataclasses.replace(settings, run=run)


def _fixtures(folder: Path) -> Path:
    """Our 162 grouping fixtures (27 stories), one outlet's articles signed off alike."""
    rows = [json.loads(line) for line in (DATA / "stories.jsonl").read_text().splitlines()]
    path = folder / "stories.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for index, row in enumerate(rows):
            if row["outlet"] == "Meridian News":
                row = dict(row, text=f"{row['text']}\n\n{SIGN_OFF}")
            out.write(json.dumps(dict(row, url=f"https://fixtures.example/{index}")) + "\n")
    return path


def _report(store: SQLiteStore, run_id: int) -> dict[str, Any]:
    document = store.report_json(run_id)
    assert document is not None
    document.pop("generated_at")
    return document


def _analysed(inputs: Path, settings: Settings, where: Path | str) -> tuple[dict[str, Any], bool]:
    """The stored report of a bounded analysis (in a SQLite file in folder `where`, or on
    the PostgreSQL server `where` names), and whether it spilled."""
    address = where / "store.db" if isinstance(where, Path) else where
    with open_store(address) as store:
        run, report = spill.analyze_bounded([inputs], store, settings)
        return _report(store, run.run_id), report is None


def _sizes(monkeypatch: pytest.MonkeyPatch, name: str, caller: ModuleType = spill) -> list[int]:
    """How many articles each call of `analysis.<name>` made from `caller` was given."""
    sizes: list[int] = []
    real: Callable[..., Any] = getattr(analysis, name)

    def counted(docs: Sequence[Annotated], *args: object, **kwargs: object) -> object:
        sizes.append(len(docs))
        return real(docs, *args, **kwargs)

    monkeypatch.setattr(caller, name, counted)
    return sizes


def _grouping_processes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process each grouping of a spilled run ran in."""
    processes: list[int] = []
    real = spill.in_forked_child

    def noted(work: Callable[[], Any]) -> Any:
        process, made = real(lambda: (os.getpid(), work()))
        processes.append(process)
        return made

    monkeypatch.setattr(spill, "in_forked_child", noted)
    return processes


def test_a_spilled_run_reports_what_a_run_in_memory_reports(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_address: str
) -> None:
    """In a SQLite file and on a PostgreSQL server alike."""
    inputs = _fixtures(tmp_path)
    (tmp_path / "held").mkdir()
    held, spilled_held = _analysed(inputs, _holding(settings, 1_000), tmp_path / "held")
    parsed = _sizes(monkeypatch, "run_article_stages")
    told = _sizes(monkeypatch, "run_later_stages")
    grouped_in = _grouping_processes(monkeypatch)
    monkeypatch.setattr(workers, "can_fork", lambda: True)  # torch may be loaded by now
    spilled, spilled_now = _analysed(inputs, _holding(settings, 40), store_address)
    assert not spilled_held and spilled_now
    # grouped once, in a child process of its own (its memory goes when it ends)
    assert len(grouped_in) == 1 and grouped_in[0] != os.getpid()
    # never more than 40 articles' analyses at a time, but for a story larger than that
    assert parsed == [40, 40, 40, 40, 2]
    biggest = max(len(s["article_ids"]) for s in held["stories"])
    assert max(told) <= max(40, biggest) and sum(told) == 162 and len(told) > 2
    removed = [r for a in spilled["articles"] for r in a.get("removed", [])]
    assert any(r["reason"] == "outlet_boilerplate" for r in removed)
    assert [s["article_ids"] for s in spilled["stories"]] == [
        s["article_ids"] for s in held["stories"]
    ]
    assert spilled == held


def test_analyze_writes_a_spilled_runs_reports_from_the_store(
    demo_corpus: Path, demo_report: dict[str, Any], tmp_path: Path
) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("[run]\nworkers = 1\narticles_in_memory = 4\n")
    out, page = tmp_path / "report.json", tmp_path / "report.html"
    argv = ["--config", str(config), "analyze", str(demo_corpus), "--json", str(out)]
    assert main([*argv, "--html", str(page)]) == 0
    written = json.loads(out.read_text("utf-8"))
    assert written["generated_at"] and len(written["articles"]) > 4
    expected = dict(demo_report, generated_at=written["generated_at"])
    assert written == expected
    assert demo_report["stories"][0]["title"] in page.read_text("utf-8")


def test_a_spilled_run_whose_grouping_fails_keeps_every_article_and_says_why(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: object) -> object:
        raise ValueError("no stories today")

    monkeypatch.setattr(spill, "stories_from_evidence", failing)
    report, spilled = _analysed(_fixtures(tmp_path), _holding(settings, 50), tmp_path)
    assert spilled and report["stories"] == []
    assert len(report["articles"]) == 162
    assert {"source": "stage group_stories", "error": "ValueError: no stories today"} in report[
        "errors"
    ]


def test_a_run_whose_grouping_needs_every_article_at_once_stays_in_memory(
    settings: Settings,
) -> None:
    assert grouped_from_evidence(settings.group)
    incremental = dataclasses.replace(settings.group, method="incremental")
    assert not grouped_from_evidence(incremental)
    meant = dataclasses.replace(settings.group, embedder="all-MiniLM-L6-v2")
    assert not grouped_from_evidence(meant)


def test_an_ingest_too_large_to_hold_stores_what_one_in_memory_stores_and_grows_alike(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`parallax ingest` into a store: the first run (every article new) spills past the
    setting; a later one with a few new articles grows the stories either way."""
    rows = (DATA / "stories.jsonl").read_text().splitlines()
    (tmp_path / "first").mkdir()
    first = tmp_path / "first" / "stories.jsonl"
    first.write_text("\n".join(rows[:150]) + "\n")
    later = tmp_path / "later.jsonl"
    later.write_text("\n".join(rows[150:]) + "\n")
    parsed = _sizes(monkeypatch, "run_article_stages", analysis)
    told = _sizes(monkeypatch, "run_later_stages", spill)
    reports = []
    for limit in (1_000, 40):
        held = _holding(settings, limit)
        with SQLiteStore(tmp_path / f"store-{limit}.db") as store:
            analysis.ingest([first], store, held)
            run = analysis.analyze_store(store, held)
            reports.append(_report(store, run.run_id))
            analysis.ingest([later], store, held)
            grown = analysis.analyze_store(store, held)
            assert grown.analysed < 150  # grown: only the stories the new articles joined
            reports.append(_report(store, grown.run_id))
    assert parsed == [150, 12, 40, 40, 40, 30, 12]
    assert told and max(told) <= 40 and sum(told) == 150
    assert reports[2] == reports[0] and reports[3] == reports[1]
    assert len(reports[3]["articles"]) == 162


def test_analyses_kept_with_evidence_of_another_form_are_not_reused(
    settings: Settings, default_stages: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spilled run names its stories from the headings kept with the evidence: an analysis
    kept when the evidence held no heading must be made again, not read as if it did."""
    with SQLiteStore(":memory:") as store:
        now = analysis.AnnotationCache.for_run(store, settings, default_stages).made_by
        monkeypatch.setattr(analysis, "EVIDENCE_FORMAT", analysis.EVIDENCE_FORMAT - 1)
        before = analysis.AnnotationCache.for_run(store, settings, default_stages).made_by
    assert now != before
