"""The SQLite store: idempotent ingest, runs, and nothing lost when a run is killed."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newsparallax.analysis import AnnotationCache, analyze, analyze_store, default_stages, ingest
from newsparallax.config import Settings
from newsparallax.errors import StoreError
from newsparallax.store import SQLiteStore, open_store, postgres


def write_corpus(folder: Path, count: int, seed: int) -> None:
    rnd = random.Random(seed)
    words = [
        "harbour",
        "dam",
        "strike",
        "minister",
        "flood",
        "council",
        "ferry",
        "port",
        "union",
        "talks",
        "river",
        "town",
    ]
    folder.mkdir(parents=True)
    for i in range(count):
        body = " ".join(rnd.choice(words) for _ in range(25))
        (folder / f"{i:05d}.txt").write_text(f"Headline number {seed}-{i}\n{body}.\n")


def test_store_reingest_is_a_noop(demo_corpus: Path, store_address: str) -> None:
    settings = Settings.defaults()
    with open_store(store_address) as store:
        first = ingest([demo_corpus], store, settings)
        second = ingest([demo_corpus], store, settings)
        assert first.new == len(first.articles) == 8
        assert second.new == 0 and len(second.articles) == 8
        assert store.article_count() == 8
    with open_store(store_address) as store:  # and across processes / reopenings
        assert ingest([demo_corpus], store, settings).new == 0
        assert [a.id for a in store.articles()] == sorted(a.id for a in first.articles)


def test_store_round_trips_articles(demo_corpus: Path, store_address: str) -> None:
    settings = Settings.defaults()
    with open_store(store_address) as store:
        read = ingest([demo_corpus], store, settings)
        assert store.articles() == sorted(read.articles, key=lambda a: a.id)


def test_store_records_runs_and_their_stories(demo_corpus: Path, store_address: str) -> None:
    with open_store(store_address) as store:
        report = analyze([demo_corpus], store, Settings.defaults())
        run_id = store.latest_complete_run()
        assert run_id is not None
        stored = store.stories(run_id)
        assert {(s.id, s.article_ids) for s in stored} == {
            (s.id, s.article_ids) for s in report.stories
        }
        saved = store.report_json(run_id)
        assert saved is not None and saved["schema"] == "parallax/v1"
        assert [r.status for r in store.runs()] == ["complete"]
        assert store.integrity_ok()


def test_store_report_text_streams_the_articles(
    demo_corpus: Path, store_address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report's articles are read a few rows at a time, not fetched whole when their
    query runs (gigabytes at 100,000 articles): on PostgreSQL through a cursor the server
    holds while they are read, and lets go of after."""
    monkeypatch.setattr(postgres, "_STREAMED_ROWS", 2)
    on_server = store_address.startswith("postgresql://")
    with open_store(store_address) as store:
        report = analyze([demo_corpus], store, Settings.defaults())
        run_id = store.latest_complete_run()
        assert run_id is not None
        pieces = store.report_text(run_id)
        assert pieces is not None
        head = [next(pieces) for _ in range(4)]  # the opening, then two of eight articles
        if on_server:
            assert store._execute("SELECT count(*) FROM pg_cursors").fetchone()[0] == 1
        text = "".join([*head, *pieces])
        if on_server:
            assert store._execute("SELECT count(*) FROM pg_cursors").fetchone()[0] == 0
        written = json.loads(text)
        assert [a["id"] for a in written["articles"]] == sorted(d.id for d in report.articles)
        analyze([demo_corpus], store, Settings.defaults())  # the store takes writes after
        assert [r.status for r in store.runs()] == ["complete", "complete"]


def test_store_keeps_the_full_report_of_its_latest_run_only(
    demo_corpus: Path, store_address: str
) -> None:
    with open_store(store_address) as store:
        analyze([demo_corpus], store, Settings.defaults())
        analyze([demo_corpus], store, Settings.defaults())
        first, second = (r.id for r in store.runs())
        assert store.report_json(first) is None  # its stories and history stay
        assert [(s.id, s.article_ids, s.grouping) for s in store.stories(first)] == [
            (s.id, s.article_ids, s.grouping) for s in store.stories(second)
        ]
        latest = store.report_json(second)
        assert latest is not None and len(latest["articles"]) == 8
        # the results of the first run are gone, not only unlisted
        assert store.known_results(s.result or "" for s in store.stories(first)) == set()


def test_store_ingest_parses_only_what_is_new_and_keeps_story_ids(
    demo_corpus: Path, store_address: str, tmp_path: Path
) -> None:
    settings = Settings.defaults()
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "late.txt").write_text(
        "Halvik port talks resume\nTalks between the dockworkers' union and the Halvik port "
        "authority resumed on Monday, the union said.\n"
    )
    with open_store(store_address) as store:
        ingest([demo_corpus], store, settings)
        first = analyze_store(store, settings)
        made_by = AnnotationCache.for_run(store, settings, default_stages(settings)).made_by
        assert len(store.annotations(made_by)) == 8
        ingest([extra], store, settings)
        second = analyze_store(store, settings)
        assert len(store.annotations(made_by)) == 9
        assert second.articles == 9
        assert {s.id for s in first.stories} <= {s.id for s in second.stories}
        joined = [e for run, e in store.story_history(second.stories[0].id) if run > 1]
        assert store.latest_complete_run() == 2 and all(e.story_id for e in joined)


LEDGER_NOTE = "Editor's note: the Ledger's newsroom is funded by readers like you; join them."
LEDGER_BODIES = [
    "The council voted to close two libraries on the east side after a long night of debate. "
    "Residents packed the chamber holding handmade signs about reading groups for toddlers.",
    "Flooding on the ring road kept commuters at home for a second day running this week. "
    "Pumps brought from the harbour worked through the night near the tunnel entrance.",
    "A new bakery opened on Mill Street, and the queue reached the corner by seven o'clock. "
    "Its owner trained in Lyon and spent savings converting an empty pharmacy.",
]


def ledger_records(path: Path, bodies: list[str], first: int) -> Path:
    path.write_text(
        "".join(
            json.dumps(
                {
                    "url": f"https://ledger.example/{i}",
                    "outlet": "Ledger",
                    "text": f"{body}\n\n{LEDGER_NOTE}",
                }
            )
            + "\n"
            for i, body in enumerate(bodies, start=first)
        ),
        "utf-8",
    )
    return path


def test_store_ingest_keeps_stored_articles_cleaned_as_they_were(
    store_address: str, tmp_path: Path
) -> None:
    """A third article makes a paragraph its outlet's boilerplate: the new one is cleaned of
    it, the two stored ones keep the text their results were made from (not parsed
    again), and `--reanalyse` cleans all three afresh."""
    settings = Settings.defaults()
    first = ledger_records(tmp_path / "first.jsonl", LEDGER_BODIES[:2], 0)
    later = ledger_records(tmp_path / "later.jsonl", LEDGER_BODIES[2:], 2)

    def texts(store: SQLiteStore, run: int) -> dict[str, str]:
        return {a["id"]: a["text"] for a in store.report_json(run)["articles"]}

    with open_store(store_address) as store:
        made_by = AnnotationCache.for_run(store, settings, default_stages(settings)).made_by
        ingest([first], store, settings)
        analyze_store(store, settings)
        made = {k: sha for k, (sha, _) in store.annotations(made_by).items()}
        ingest([later], store, settings)
        two = analyze_store(store, settings)
        now = {k: sha for k, (sha, _) in store.annotations(made_by).items()}
        grown = texts(store, two.run_id)
        assert {k: now[k] for k in made} == made  # the stored two: not parsed again
        [new] = set(now) - set(made)
        assert LEDGER_NOTE not in grown[new]
        assert all(LEDGER_NOTE in grown[k] for k in made)
        three = analyze_store(store, settings, regroup_all=True)
        assert all(LEDGER_NOTE not in t for t in texts(store, three.run_id).values())
        assert all(store.annotations(made_by)[k][0] != made[k] for k in made)


def test_store_keeps_feed_state_and_settings(store_address: str) -> None:
    with open_store(store_address) as store:
        assert store.feed_state("https://example.org/feed.xml") == {}
        store.save_feed_state("https://example.org/feed.xml", {"etag": "x1", "failures": 2})
        store.save_feed_state("https://example.org/feed.xml", {"etag": "x2", "failures": 0})
        store.set_meta("note", "one")
        store.set_meta("note", "two")
    with open_store(store_address) as store:
        assert store.feed_state("https://example.org/feed.xml") == {"etag": "x2", "failures": 0}
        assert store.meta("note") == "two"


def test_store_marks_a_run_whose_process_died_interrupted(store_address: str) -> None:
    with open_store(store_address) as store:
        run = store.begin_run()
        store._execute("UPDATE runs SET pid = ? WHERE id = ?", (2**22 + 12345, run))
    with open_store(store_address) as store:
        assert [r.status for r in store.runs()] == ["interrupted"]


def test_store_refuses_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not a database, just some text " * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        SQLiteStore(path)


@pytest.mark.slow
def test_store_kill_mid_run_loses_nothing_already_stored(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    write_corpus(tmp_path / "before", 50, seed=1)
    write_corpus(tmp_path / "big", 1200, seed=2)
    command = [sys.executable, "-m", "newsparallax", "ingest", "--db", str(db)]
    subprocess.run([*command, str(tmp_path / "before")], check=True, capture_output=True)
    with SQLiteStore(db) as store:
        before = {a.id: a for a in store.articles()}
        complete_before = store.latest_complete_run()
    assert len(before) == 50 and complete_before is not None

    process = subprocess.Popen(
        [*command, str(tmp_path / "big")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    count = 0
    while time.monotonic() < deadline:
        time.sleep(0.01)
        try:
            with sqlite3.connect(db, timeout=5) as reader:
                count = reader.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if count >= 250:
            break
    assert process.poll() is None, "the ingest finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    with SQLiteStore(db) as store:
        assert store.integrity_ok()
        after = {a.id: a for a in store.articles()}
        assert all(after[i] == a for i, a in before.items())  # nothing stored was lost
        assert 250 <= len(after) < 1250  # batches committed before the kill are kept
        assert store.latest_complete_run() == complete_before  # the killed run is not complete
        assert store.runs()[-1].status == "interrupted"  # its process is gone: said so
    # and the interrupted ingest can simply be run again
    subprocess.run([*command, str(tmp_path / "big")], check=True, capture_output=True)
    with SQLiteStore(db) as store:
        assert store.article_count() == 1250
        assert store.latest_complete_run() != complete_before


def as_version_3(address: str | Path) -> None:
    """Rewrite a store as version 3 kept it: the latest run's report as one JSON text,
    no per-story results, no evidence beside the annotations (and, on PostgreSQL, no
    order column for a run's errors)."""
    with open_store(address) as store:
        run = store.latest_complete_run()
        text = store.report_text(run) if run is not None else None
        report = "".join(text) if text is not None else None
    columns = [
        ("runs", "generated_at"),
        ("stories", "seq"),
        ("stories", "result"),
        ("stories", "grouping"),
        ("annotations", "evidence"),
    ]
    if str(address).startswith("postgresql://"):
        import psycopg

        db: Any = psycopg.connect(str(address), autocommit=True)
        columns.append(("run_errors", "seq"))
        placeholder = "%s"
    else:
        db = sqlite3.connect(address, isolation_level=None)
        db.execute("PRAGMA foreign_keys=OFF")
        placeholder = "?"
    try:
        if report is not None:
            db.execute(
                f"UPDATE runs SET report = {placeholder} WHERE id = {placeholder}", (report, run)
            )
        for table in ("run_results", "result_articles", "story_results"):
            db.execute(f"DROP TABLE {table}")
        for table, column in columns:
            db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        db.execute("UPDATE meta SET value='3' WHERE key='schema_version'")
    finally:
        db.close()


def test_store_migrates_a_version_3_store_and_its_next_ingest_stores_results(
    demo_corpus: Path, store_address: str
) -> None:
    """Version 3 kept each run's report whole: it stays readable after the migration, and
    the next ingest (which cannot tell which stories stand) analyses everything once and
    stores its report as per-story results."""
    settings = Settings.defaults()
    files = sorted(p for p in demo_corpus.iterdir() if p.is_file())
    with open_store(store_address) as store:
        ingest(files[:-1], store, settings)
        analyze_store(store, settings)
        before = store.report_json(store.latest_complete_run() or 0)
    as_version_3(store_address)
    with open_store(store_address) as store:
        run = store.latest_complete_run() or 0
        assert store.report_json(run) == before  # the whole text, as version 3 kept it
        ingest(files[-1:], store, settings)
        after = analyze_store(store, settings)
        assert after.analysed == after.articles == 8  # everything, once
        assert store.report_json(run) is None
        latest = store.report_json(after.run_id)
        assert latest is not None and len(latest["articles"]) == 8
        assert store.integrity_ok()
        assert store.meta("schema_version") == "4"
        assert all(r.id == after.run_id or store.report_json(r.id) is None for r in store.runs())


def test_store_migrates_a_version_1_store_by_publication(
    demo_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store written when ids were content only is re-keyed by publication on opening:
    every article gets the id ingesting it now gives, so re-reading it is still a no-op,
    and story memberships follow."""
    import importlib

    ingest_module = importlib.import_module("newsparallax.ingest")
    from newsparallax.model import article_id

    settings = Settings.defaults()
    path = tmp_path / "v1.db"
    with monkeypatch.context() as patch:  # ingest as version 1 did: content-only ids
        patch.setattr(ingest_module, "article_id", lambda t, b, p=None: article_id(t, b))
        with SQLiteStore(path) as store:
            analyze([demo_corpus], store, settings)
            old_ids = {a.id for a in store.articles()}
    as_version_3(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    with SQLiteStore(path) as store:
        migrated = {a.id for a in store.articles()}
        assert len(migrated) == len(old_ids) == 8 and not migrated & old_ids
        assert ingest([demo_corpus], store, settings).new == 0
        run = store.latest_complete_run()
        assert run is not None
        members = {a for s in store.stories(run) for a in s.article_ids}
        assert members == migrated
        assert store.integrity_ok()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("4",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_store_migrates_a_version_2_store_and_marks_its_dead_runs(
    demo_corpus: Path, tmp_path: Path
) -> None:
    """Version 2's runs table had no host, process or 'interrupted': rebuilt on opening,
    ids, reports and story memberships kept, runs left 'running' marked interrupted."""
    path = tmp_path / "v2.db"
    with SQLiteStore(path) as store:
        analyze([demo_corpus], store, Settings.defaults())
        run = store.latest_complete_run()
        stories = store.stories(run or 0)
        report = store.report_json(run or 0)
    as_version_3(path)
    with sqlite3.connect(path) as db:  # as version 2 wrote it
        db.executescript(
            "PRAGMA foreign_keys=OFF; BEGIN;"
            "CREATE TABLE runs_old (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL,"
            " finished_at TEXT, status TEXT NOT NULL CHECK (status IN ('running', 'complete')),"
            " report TEXT);"
            "INSERT INTO runs_old SELECT id, started_at, finished_at, status, report FROM runs;"
            "DROP TABLE runs; ALTER TABLE runs_old RENAME TO runs;"
            "INSERT INTO runs (started_at, status) VALUES ('2025-01-01T00:00:00Z', 'running');"
            "UPDATE meta SET value='2' WHERE key='schema_version'; COMMIT;"
        )
    with SQLiteStore(path) as store:
        assert [r.status for r in store.runs()] == ["complete", "interrupted"]
        kept = [(s.id, s.title, s.article_ids) for s in store.stories(run or 0)]
        assert kept == [(s.id, s.title, s.article_ids) for s in stories]
        assert store.report_json(run or 0) == report
        assert store.begin_run() > 2  # ids keep counting up
        assert store.integrity_ok()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("4",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_store_a_run_whose_process_lives_is_not_interrupted(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        mine = store.begin_run()  # this process: alive
        with sqlite3.connect(tmp_path / "s.db") as db:
            db.execute("UPDATE runs SET pid = 2147483646 WHERE id = ?", (mine,))  # no such pid
        other = store.begin_run()
    with SQLiteStore(tmp_path / "s.db") as store:
        status = {r.id: r.status for r in store.runs()}
    assert status == {mine: "interrupted", other: "running"}


def test_store_annotation_cache_key_ignores_what_reading_is_told() -> None:
    import dataclasses

    from newsparallax.analysis import AnnotationCache, default_stages
    from newsparallax.config import Settings

    settings = Settings.defaults()
    stages = default_stages(settings)
    with SQLiteStore(":memory:") as store:
        base = AnnotationCache.for_run(store, settings, stages).made_by
        told = dataclasses.replace(
            settings, ingest=dataclasses.replace(settings.ingest, outlet="Desk copy")
        )
        assert AnnotationCache.for_run(store, told, stages).made_by == base
        quotes = dataclasses.replace(settings, quotes=dataclasses.replace(settings.quotes))
        assert AnnotationCache.for_run(store, quotes, stages).made_by == base
        fewer = [s for s in stages if s.name != stages[0].name]
        assert AnnotationCache.for_run(store, settings, fewer).made_by != base


def test_store_the_commands_take_either_store(
    demo_corpus: Path, store_address: str, tmp_path: Path
) -> None:
    from newsparallax.cli import main

    assert main(["ingest", str(demo_corpus), "--db", store_address]) == 0
    assert main(["ingest", str(demo_corpus), "--db", store_address]) == 0  # nothing new
    out = tmp_path / "again.json"
    assert main(["report", "--db", store_address, "--json", str(out)]) == 0
    with open_store(store_address) as store:
        assert [r.status for r in store.runs()] == ["complete"]
        assert store.report_json(store.latest_complete_run() or 0) is not None
    assert len(json.loads(out.read_text())["articles"]) == 8
