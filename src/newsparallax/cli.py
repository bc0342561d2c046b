"""The `parallax` command: thin commands over the library functions in `analysis`.

Exit codes: 0 when at least one article was analysed (or, for `show`, the store was
read), 1 when nothing could be read, 2 on usage errors (bad options, bad settings).
Errors go to stderr, one line each, naming the input; results go to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from newsparallax import __version__
from newsparallax.config import Settings
from newsparallax.errors import ConfigError, ParallaxError, StoreError
from newsparallax.store import SQLiteStore, default_store_path, open_store, store_exists

if TYPE_CHECKING:  # the analysis pulls in spaCy and friends: imported when a command runs
    from newsparallax.analysis import ProgressFn, StoredRun
    from newsparallax.model import Report

EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE = 0, 1, 2
# Below this many inputs a progress bar is more noise than help.
PROGRESS_MIN_INPUTS = 6
_STORE_HELP = "the store: a SQLite file or a postgresql:// URL (default: the user data folder)"
# Articles `show` lists at a time (`--limit`, `--offset` page through the rest).
SHOW_PAGE = 50


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parallax",
        description="Read many news articles about the same events and turn them into a "
        "cross-checked, cited picture of each story.",
    )
    parser.add_argument("--version", action="version", version=f"parallax {__version__}")
    parser.add_argument(
        "--config", metavar="FILE", help="settings file (TOML) layered over the defaults"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    analyze_cmd = commands.add_parser(
        "analyze",
        help="analyse articles into stories and write the report",
        description="Read files and folders (recursively: .txt, .html, .json, .jsonl, "
        ".rss/.atom/.xml, .warc/.warc.gz), analyse them, and write the JSON report and "
        "the HTML report.",
    )
    analyze_cmd.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    analyze_cmd.add_argument("--json", metavar="FILE", help="write the JSON report here")
    analyze_cmd.add_argument("--html", metavar="FILE", help="write the HTML report here")
    analyze_cmd.add_argument(
        "--db",
        metavar="STORE",
        help="keep articles and results in this store, a SQLite file or a postgresql:// URL "
        "(default: none)",
    )
    _metadata_arguments(analyze_cmd)
    _run_arguments(analyze_cmd)

    demo_cmd = commands.add_parser(
        "demo",
        help="analyse the bundled demo corpus",
        description="Analyse the bundled demo corpus (two fictional stories, several outlets) "
        "and write parallax-demo.html and parallax-demo.json.",
    )
    demo_cmd.add_argument("--out", metavar="DIR", default=".", help="folder to write to")

    ingest_cmd = commands.add_parser(
        "ingest",
        help="add articles to the store and regroup its stories",
        description="Read files and folders into the store, then regroup every stored "
        "article into stories.",
    )
    ingest_cmd.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    ingest_cmd.add_argument("--db", metavar="STORE", help=_STORE_HELP)
    ingest_cmd.add_argument(
        "--reanalyse",
        action="store_true",
        help="group and analyse every stored article again (by default an ingest regroups "
        "only what its new articles touch, and changed settings redo everything anyway)",
    )
    _metadata_arguments(ingest_cmd)
    _run_arguments(ingest_cmd)

    show_cmd = commands.add_parser(
        "show",
        help="list stored articles and stories",
        description="List the stored articles and the stories of the latest complete run.",
    )
    show_cmd.add_argument("--db", metavar="STORE", help=_STORE_HELP)
    show_cmd.add_argument(
        "--limit",
        type=int,
        default=SHOW_PAGE,
        metavar="N",
        help=f"articles shown (default {SHOW_PAGE})",
    )
    show_cmd.add_argument("--offset", type=int, default=0, metavar="N", help="articles skipped")

    report_cmd = commands.add_parser(
        "report",
        help="write the reports of the store's latest run, without analysing again",
        description="Render the latest complete run of the store as JSON and HTML reports, "
        "whole or one story, without re-analysing anything.",
    )
    report_cmd.add_argument("--db", metavar="STORE", help=_STORE_HELP)
    report_cmd.add_argument("--story", metavar="ID", help="only this story (ids: `parallax show`)")
    report_cmd.add_argument("--json", metavar="FILE", help="write the JSON report here")
    report_cmd.add_argument("--html", metavar="FILE", help="write the HTML report here")

    serve_cmd = commands.add_parser(
        "serve",
        help="browse and search the store in a local web app",
        description="Serve the store's latest complete run as a local web app: stories, "
        "articles, people, outlets, full-text search and a JSON API (/openapi.json). New runs "
        "made by `parallax ingest` meanwhile are picked up on the next page.",
    )
    serve_cmd.add_argument("--db", metavar="STORE", help=_STORE_HELP)
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: loopback only)"
    )
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000)")

    watch_cmd = commands.add_parser(
        "watch",
        help="follow RSS/Atom feeds into the store",
        description="Poll feeds (conditional requests), fetch new entries' pages (politely: "
        "robots.txt, a delay per host), store them and regroup the stories; again every "
        "--every until stopped. What each feed answered is kept in the store, so a watch "
        "resumes where it was.",
    )
    watch_cmd.add_argument("urls", nargs="+", metavar="URL", help="feed addresses")
    watch_cmd.add_argument("--db", metavar="STORE", help=_STORE_HELP)
    watch_cmd.add_argument("--every", default="15m", help="time between polls: 90s, 15m, 2h")
    watch_cmd.add_argument("--once", action="store_true", help="poll once and stop")
    return parser


def _run_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes for the parse (default: run.workers, 0: one per core)",
    )
    command.add_argument(
        "--engine",
        choices=["local", "dask"],
        help="where those processes run: this machine, or a Dask cluster (default: local)",
    )
    command.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the cluster's scheduler (default: a local cluster)",
    )


def _with_run(args: argparse.Namespace, settings: Settings) -> Settings:
    """The run's --workers, --engine and --scheduler over the settings' [run]."""
    given = {
        key: value
        for key in ("workers", "engine", "scheduler")
        if (value := getattr(args, key, None)) is not None
    }
    if not given:
        return settings
    if given.get("scheduler") and given.get("engine", settings.run.engine) != "dask":
        raise ConfigError("--scheduler needs --engine dask")
    return dataclasses.replace(settings, run=dataclasses.replace(settings.run, **given))


def _metadata_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--outlet",
        metavar="NAME",
        help="outlet of every input that does not name its own (a NAME.meta.json sidecar "
        "or TOML front matter can say it per file)",
    )
    command.add_argument(
        "--published",
        metavar="DATE",
        help="publication date (ISO 8601) of every input that does not give its own",
    )


def _with_metadata(args: argparse.Namespace, settings: Settings) -> Settings:
    """The run's --outlet and --published, checked before anything is read."""
    outlet, published = getattr(args, "outlet", None), getattr(args, "published", None)
    if not (outlet or published):
        return settings
    if published:
        from newsparallax.ingest.raw import parse_published

        if parse_published(published) is None:
            raise ConfigError(f"--published {published!r} is not an ISO 8601 date (2024-11-18)")
    ingest = dataclasses.replace(settings.ingest, outlet=outlet, published=published)
    return dataclasses.replace(settings, ingest=ingest)


def _check_outputs(*paths: str | None) -> None:
    """Fail before a long analysis, not after it, when a report cannot be written."""
    for path in paths:
        if not path:
            continue
        target = Path(path)
        if target.is_dir():
            raise ConfigError(f"{path}: is a folder; give a file name for the report")
        folder = target.parent
        if not folder.is_dir():
            raise ConfigError(f"{path}: folder {folder} does not exist")
        if not os.access(folder, os.W_OK):
            raise ConfigError(f"{path}: folder {folder} is not writable")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = _with_run(args, _with_metadata(args, Settings.load(args.config)))
        if args.command in ("analyze", "report"):
            _check_outputs(args.json, args.html)
    except ConfigError as exc:
        print(f"parallax: {exc}", file=sys.stderr)
        return EXIT_USAGE
    handlers = {
        "analyze": _analyze,
        "demo": _demo,
        "ingest": _ingest,
        "show": _show,
        "report": _report,
        "serve": _serve,
        "watch": _watch,
    }
    try:
        return handlers[args.command](args, settings)
    except ConfigError as exc:  # a bad option found once the command started
        print(f"parallax: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ParallaxError as exc:
        print(f"parallax: {exc}", file=sys.stderr)
        return EXIT_NOTHING_READ


def _analyze(args: argparse.Namespace, settings: Settings) -> int:
    from newsparallax.spill import analyze_bounded

    with _analysis_store(args.db) as store, _progress() as progress:
        run, report = analyze_bounded(args.paths, store, settings, progress=progress)
        if report is None:  # too many articles to hold: the store has the report
            return _finish_stored(store, run, settings, json_path=args.json, html_path=args.html)
    return _finish(report, settings, json_path=args.json, html_path=args.html)


@contextmanager
def _analysis_store(db: str | None) -> Iterator[SQLiteStore]:
    """The store `--db` names, else a temporary file (not memory: a run too large to hold
    in memory spills its articles' analyses to the store)."""
    if db:
        with open_store(db) as store:
            yield store
        return
    with (
        tempfile.TemporaryDirectory(prefix="parallax-") as folder,
        open_store(Path(folder) / "analysis.db") as store,
    ):
        yield store


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    demo_corpus = resources.files("newsparallax") / "demo"
    from newsparallax.analysis import analyze

    with resources.as_file(demo_corpus) as corpus, open_store(":memory:") as store:
        report = analyze([corpus], store, settings)
    return _finish(
        report,
        settings,
        json_path=str(out / "parallax-demo.json"),
        html_path=str(out / "parallax-demo.html"),
    )


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from newsparallax.analysis import analyze_store, ingest

    with (
        open_store(_store_path(args, settings)) as store,
        _progress() as progress,
    ):
        run_id = store.begin_run()
        read = ingest(args.paths, store, settings, progress, hold=0)  # the store has them
        _print_errors(read.errors)
        print(
            f"{len(read.ids)} articles read, {read.new} new; {store.article_count()} in the store"
        )
        latest = store.latest_complete_run()
        if read.new == 0 and latest is not None and not args.reanalyse:
            store.discard_run(run_id)  # nothing new: the last run's stories stand as they are
            stories = store.stories(latest)
            print(f"nothing new: the {len(stories)} stories of run {latest} stand")
            return EXIT_OK if read.ids else EXIT_NOTHING_READ
        report = analyze_store(
            store,
            settings,
            errors=read.errors,
            run_id=run_id,
            progress=progress,
            regroup_all=args.reanalyse,
        )
    _print_stories(report)
    return EXIT_OK if read.ids else EXIT_NOTHING_READ


def _show(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(_store_path(args, settings)) as store:
        articles = store.articles()
        print(f"{len(articles)} articles in {store.path or 'memory'}")
        page = articles[max(args.offset, 0) : max(args.offset, 0) + max(args.limit, 0)]
        for article in page:
            when = article.published.isoformat()[:10] if article.published else "undated"
            name = article.title or article.source
            print(f"  {article.id}  {when}  {article.outlet or '-'}  {name}")
        rest = len(articles) - max(args.offset, 0) - len(page)
        if rest > 0:
            print(f"  … {rest} more: --offset {max(args.offset, 0) + len(page)}")
        run_id = store.latest_complete_run()
        if run_id is None:
            print("no complete run yet: `parallax ingest PATH` or `parallax analyze --db`")
            return EXIT_OK
        stories = store.stories(run_id)
        print(f"{len(stories)} stories (run {run_id})")
        for story in stories:
            print(f"  {story.id}  {len(story.article_ids)} articles  {story.title}")
    return EXIT_OK


def _report(args: argparse.Namespace, settings: Settings) -> int:
    """The latest complete run's report, read back from the store and rendered again."""
    from newsparallax.render import report_from_json

    path = _store_path(args, settings)
    if not store_exists(path):
        raise StoreError(f"{path}: no store here (`parallax ingest PATH --db {path}` makes one)")
    with open_store(path) as store:
        run_id = store.latest_complete_run()
        document = store.report_json(run_id) if run_id is not None else None
    if document is None:
        raise StoreError(f"{path}: no complete run yet (`parallax ingest PATH` makes one)")
    report = report_from_json(document)
    if args.story:
        story = next((s for s in report.stories if s.id == args.story), None)
        if story is None:
            known = ", ".join(s.id for s in report.stories[:10])
            raise StoreError(f"{path}: run {run_id} has no story {args.story!r} (it has: {known})")
        report = report.of_story(story)
    if not (args.json or args.html):
        _print_stories(report)
        print("give --json FILE and/or --html FILE to write the reports")
        return EXIT_OK
    return _finish(report, settings, json_path=args.json, html_path=args.html, errors=False)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from newsparallax.web import create_app

    path = _store_path(args, settings)
    print(f"Parallax: serving {path} on http://{args.host}:{args.port}/ (Ctrl-C stops)")
    uvicorn.run(create_app(path, settings), host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def _watch(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from newsparallax.analysis import analyze_store
    from newsparallax.ingest.metadata import is_web_address
    from newsparallax.watch import Fetcher, parse_every, poll

    try:
        every = parse_every(args.every)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    bad = [u for u in args.urls if not is_web_address(u)]
    if bad:
        raise ConfigError(f"not a web address: {', '.join(bad)} (for files: parallax ingest)")
    fetcher = Fetcher()
    with open_store(_store_path(args, settings)) as store, contextlib.suppress(KeyboardInterrupt):
        while True:  # Ctrl-C ends the watch; what was stored stays
            polls = poll(args.urls, store, settings, fetcher)
            for done in polls:
                print(done.line(), flush=True)
                _print_errors(done.errors)
            if any(done.added for done in polls):
                report = analyze_store(store, settings, errors=[e for p in polls for e in p.errors])
                _print_stories(report)
            if args.once:
                return EXIT_OK if all(p.status != "failed" for p in polls) else EXIT_NOTHING_READ
            time.sleep(every)
    return EXIT_OK


def _store_path(args: argparse.Namespace, settings: Settings) -> str | Path:
    """`--db`, else the settings' `store.path`, else the user data folder."""
    return str(args.db or settings.store.path or default_store_path())


def _finish(
    report: Report,
    settings: Settings,
    *,
    json_path: str | None,
    html_path: str | None,
    errors: bool = True,
) -> int:
    from newsparallax.render import render_html, report_json_text

    if errors:  # a report read back from the store said its errors when it was made
        _print_errors(report.errors)
    if json_path:
        with Path(json_path).open("w", encoding="utf-8") as out:
            out.writelines(report_json_text(report, indent=1))
    if html_path:
        Path(html_path).write_text(render_html(report, settings.report), "utf-8")
    _print_stories(report)
    _print_written(json_path, html_path)
    return EXIT_OK if report.articles else EXIT_NOTHING_READ


def _finish_stored(
    store: SQLiteStore,
    run: StoredRun,
    settings: Settings,
    *,
    json_path: str | None,
    html_path: str | None,
) -> int:
    """`_finish` for a run that spilled to the store: its reports are read from there, the
    JSON a piece at a time; the HTML report shows every article, so it is read whole."""
    from newsparallax.render import render_html, report_from_json

    _print_errors(run.errors)
    if json_path:
        with Path(json_path).open("w", encoding="utf-8") as out:
            out.writelines(store.report_text(run.run_id) or ())
    document = store.report_json(run.run_id) if html_path else None
    if html_path and document is not None:
        html = render_html(report_from_json(document), settings.report)
        Path(html_path).write_text(html, "utf-8")
    _print_stories(run, analysed=False)
    _print_written(json_path, html_path)
    return EXIT_OK if run.articles else EXIT_NOTHING_READ


def _print_written(json_path: str | None, html_path: str | None) -> None:
    for label, path in (("JSON", json_path), ("HTML", html_path)):
        if path:
            print(f"{label} report: {path}")


def _print_errors(errors: Sequence[object]) -> None:
    for error in errors:
        print(f"parallax: error: {error.source}: {error.error}", file=sys.stderr)  # type: ignore[attr-defined]


# Stories an ingest lists (largest first); `parallax show` pages through the rest.
LISTED_STORIES = 20


def _print_stories(report: Report | StoredRun, *, analysed: bool = True) -> None:
    """The stories, largest first; for a stored run, how many articles this run analysed
    again when `analysed` (an ingest's)."""
    articles = report.articles if isinstance(report.articles, int) else len(report.articles)
    print(f"{len(report.stories)} stories, {articles} articles, {len(report.errors)} errors")
    if isinstance(report.articles, int) and analysed:
        print(f"  stories analysed this run: those of {report.analysed} articles (new or grown)")
    for story in report.stories[:LISTED_STORIES]:
        print(f"  [{len(story.article_ids)}] {story.title}")
    if len(report.stories) > LISTED_STORIES:
        print(f"  … {len(report.stories) - LISTED_STORIES} more: parallax show")


@contextmanager
def _progress() -> Iterator[ProgressFn | None]:
    """A rich progress bar on an interactive terminal, nothing in pipes and CI."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.progress import Progress, TaskID

    with Progress(transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(phase: str, done: int, total: int | None) -> None:
            if total is not None and total < PROGRESS_MIN_INPUTS:
                return
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield update
