"""How long for N articles, and how much memory: Parallax end to end at 1k and 10k
real-like articles, beside spaCy's full parse of the same texts.

    python benchmarks/bench_scale.py                      # 1,000 and 10,000 articles
    PARALLAX_BENCH_WORKERS=1 python benchmarks/bench_scale.py --sizes 1000   # one process

Each size runs in a fresh process (`--one`), so that its peak memory is its own:
- the articles: `reallike.py`'s first N records (the labelled corpora under
  ../shared/corpora, retold as other events past their 3,562 articles), as JSON Lines
  files of 5,000 records; the benchmark says so and stops when that folder is absent;
- Parallax: `parallax analyze FILE --db STORE --json REPORT`, through the command's own
  code, with PARALLAX_BENCH_WORKERS worker processes (0, the default: one per core); wall seconds,
  CPU seconds of this process and its workers together, peak memory of this process and
  of the largest child process (a parse worker, a story-stage worker, or a spilled
  run's grouping);
- the yardstick: spaCy's small English model, every component, parsing the same cleaned
  texts in one process (`nlp.pipe`, batches of 32). Above 1,000 articles it parses an even
  sample of 1,000 and is scaled to all of them by characters (a parse costs in
  proportion to its text, whatever else is in the corpus), and the result says so.
Writes benchmarks/results/scale.json: per size, articles per second, the ratio of
Parallax's wall time to the parse's, and memory.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import reallike
from _common import peak_rss_mb, run_sizes_from_command_line

RESULTS = Path(__file__).parent / "results" / "scale.json"
YARDSTICK_SAMPLE = 1_000
FILE_RECORDS = 5_000
WORKERS_VARIABLE = "PARALLAX_BENCH_WORKERS"


def run_one(size: int) -> dict[str, float]:
    from newsparallax.cli import main as cli
    from newsparallax.config import Settings
    from newsparallax.ingest import read_articles
    from newsparallax.model import Article
    from newsparallax.nlp import load_model

    workers = int(os.environ.get(WORKERS_VARIABLE, "0"))
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "articles"
        _write_files(inputs, reallike.real_like(size))
        settings_file = Path(folder) / "settings.toml"
        settings_file.write_text(f"[run]\nworkers = {workers}\n")
        cpu_before = _cpu_seconds()
        start = time.perf_counter()
        code = cli(
            [
                "--config",
                str(settings_file),
                "analyze",
                str(inputs),
                "--db",
                str(Path(folder) / "store.db"),
                "--json",
                str(Path(folder) / "report.json"),
            ]
        )
        parallax_s = time.perf_counter() - start
        parallax_cpu = _cpu_seconds() - cpu_before
        if code != 0:
            raise SystemExit(f"parallax analyze exited {code}")
        report_mb = (Path(folder) / "report.json").stat().st_size / 1e6
        parallax_rss = peak_rss_mb()
        worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        texts = [
            a.text for a in read_articles([inputs], Settings.defaults()) if isinstance(a, Article)
        ]
    step = max(1, len(texts) // YARDSTICK_SAMPLE)
    sample = texts[::step][:YARDSTICK_SAMPLE]
    nlp = load_model()
    list(nlp.pipe(sample[:3]))  # warm up
    start = time.perf_counter()
    for _ in nlp.pipe(sample, batch_size=32):
        pass
    sample_s = time.perf_counter() - start
    spacy_s = sample_s * sum(map(len, texts)) / sum(map(len, sample))
    return {
        "articles": size,
        "analysed": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "workers": workers or len(os.sched_getaffinity(0)),
        "parallax_s": round(parallax_s, 1),
        "parallax_cpu_s": round(parallax_cpu, 1),
        "articles_per_s": round(size / parallax_s, 2),
        "spacy_full_parse_s": round(spacy_s, 1),
        "spacy_parsed": len(sample),
        "ratio": round(parallax_s / spacy_s, 3),
        "peak_rss_mb": round(parallax_rss, 1),
        "worker_peak_rss_mb": round(worker_rss, 1),
        "report_mb": round(report_mb, 1),
    }


def _write_files(folder: Path, records: Iterator[dict[str, Any]]) -> None:
    """The records as JSON Lines files of `FILE_RECORDS` each (a file of 100,000 articles
    would be over `ingest.max_file_bytes`, as a crawl's would be: it comes in parts)."""
    folder.mkdir()
    for part in itertools.count():
        chunk = list(itertools.islice(records, FILE_RECORDS))
        if not chunk:
            return
        reallike.write_jsonl(folder / f"part-{part:04d}.jsonl", chunk)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    if not reallike.present():
        print(f"{reallike.CORPORA} lacks one of {reallike.NEEDED}: nothing measured")
        return
    done = run_sizes_from_command_line(
        __doc__ or "", __file__, run_one, RESULTS, sizes=(1_000, 10_000)
    )
    if done is None:
        return
    rows, out = done
    result = {
        "benchmark": "end to end on real-like news vs spaCy's full parse of the same texts",
        "machine": platform.platform(),
        "python": sys.version.split()[0],
        "sizes": rows,
    }
    out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
