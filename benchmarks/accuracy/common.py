"""What every corpus task shares: reading records the way `parallax analyze` does, running
the default stages, mapping offsets back to the corpus's own text, and the scores.

Parallax is run through its library functions with `Settings.defaults()` and
`default_stages()`: no per-corpus setting. A task keeps only the default stages its
output depends on (the plan's requirements, followed back), because later stages
cannot change what it scores; that saves time and changes no result.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from newsparallax.analysis import default_stages
from newsparallax.config import Settings
from newsparallax.ingest import read_articles
from newsparallax.ingest.boilerplate import remove_outlet_boilerplate
from newsparallax.model import Annotated, Article, RemovalReason, Story
from newsparallax.pipeline import INGESTED, ArticleStage, ErrorPolicy, Stage, run_pipeline
from newsparallax.stories import evidence

T = TypeVar("T")
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class TaskResult:
    """One task's figures: `metrics` go to the table and the JSON; `misses` are examples."""

    task: str
    corpus: str
    metrics: dict[str, float | int]
    documents: int
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Budget:
    """A per-task time budget: tasks that read document by document stop when it is spent
    (and say how many documents they scored)."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.start = time.perf_counter()

    def spent(self) -> bool:
        return self.seconds is not None and time.perf_counter() - self.start > self.seconds


@dataclass(frozen=True)
class TaskOptions:
    """What every task is told: how many documents (ECB+: topics; Timeline17: articles per
    pool), its time budget, how many misses to list, and whether to draw F1 curves."""

    limit: int | None = None
    budget: Budget = field(default_factory=lambda: Budget(None))
    show_errors: int = 0
    curves: bool = False


class Parallax:
    """The default settings and stages, built once for every task of a harness run."""

    def __init__(
        self, stages: Sequence[Stage] | None = None, background: evidence.Background | None = None
    ) -> None:
        self.settings = Settings.defaults()
        self.background = background or evidence.load_background()
        self.stages = (
            list(stages)
            if stages is not None
            else default_stages(self.settings, background=self.background)
        )
        self._annotated: dict[tuple[str, str], Annotated] = {}

    def stages_for(self, *outputs: str) -> list[Stage]:
        """The default stages that `outputs` depend on, in their given order."""
        needed = set(outputs)
        chosen: set[str] = set()
        grew = True
        while grew:  # whatever order the stages are listed in
            grew = False
            for stage in self.stages:
                if stage.name not in chosen and stage.assigns & needed:
                    chosen.add(stage.name)
                    needed |= stage.requires
                    grew = True
        return [stage for stage in self.stages if stage.name in chosen]

    def read(self, records: Sequence[dict[str, Any]]) -> list[Article]:
        """Records (title, text, url, outlet, published) read as a JSON Lines file is read.

        Each record's `url` is its key: it becomes the article's `source`. Articles whose
        text is identical to an earlier one's share its id and are dropped here, as the
        store would keep them once.
        """
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "records.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for record in records:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            found = list(read_articles([path], self.settings))
        seen: dict[str, Article] = {}
        for item in found:
            if isinstance(item, Article):
                seen.setdefault(item.id, item)
        return list(seen.values())

    def run(
        self, articles: Sequence[Article], *outputs: str
    ) -> tuple[list[Annotated], tuple[Story, ...], list[str]]:
        """The stages `outputs` need, run as `analyze` runs them (errors collected).

        Every per-article stage runs, and its results are kept by article (id and text):
        tasks that read the same articles again (the Timeline17 stream, then each pool)
        pay for the parse once. The story stages always run afresh.
        """
        prepared = remove_outlet_boilerplate(articles)  # as analyze_articles does
        article_stages = [s for s in self.stages if isinstance(s, ArticleStage)]
        fresh = [a for a in prepared if (a.id, a.text) not in self._annotated]
        errors = []
        if fresh:
            done = run_pipeline(
                [Annotated(a) for a in fresh], article_stages, policy=ErrorPolicy.COLLECT
            )
            errors += [f"{e.source}: {e.error}" for e in done.errors]
            self._annotated.update({(d.id, d.article.text): d for d in done.docs})
        docs = [
            self._annotated[(a.id, a.text)] for a in prepared if (a.id, a.text) in self._annotated
        ]
        later = [s for s in self.stages_for(*outputs) if not isinstance(s, ArticleStage)]
        provided = INGESTED.union(*(s.assigns for s in article_stages))
        result = run_pipeline(docs, later, policy=ErrorPolicy.COLLECT, provided=provided)
        errors += [f"{e.source}: {e.error}" for e in result.errors]
        return list(result.docs), result.stories, errors


def analysed_in_batches(
    parallax: Parallax,
    items: Sequence[T],
    record: Callable[[T], dict[str, Any]],
    options: TaskOptions,
    outputs: Sequence[str],
    errors: list[str],
    size: int = 50,
) -> Iterator[tuple[T, Annotated, tuple[Story, ...]]]:
    """Each item analysed (as the record `record` makes of it, keyed by its `url`), with
    its story set, batch by batch until the task's time budget is spent; the run's
    errors are added to `errors`."""
    for batch in chunks(items, size):
        if options.budget.spent():
            return
        by_url: dict[str, T] = {}
        records = []
        for item in batch:
            made = record(item)
            by_url[made["url"]] = item
            records.append(made)
        docs, stories, problems = parallax.run(parallax.read(records), *outputs)
        errors += problems
        for doc in docs:
            yield by_url[doc.article.source], doc, stories


def offset_map(cleaned: str, original: str) -> list[int | None]:
    """For each character of an article's cleaned text, its offset in the corpus's text.

    Cleaning only removes whole paragraphs (and the title line), so each remaining
    paragraph is found verbatim in the original, in order; characters that cannot be
    placed map to None.
    """
    out: list[int | None] = [None] * (len(cleaned) + 1)
    cursor = 0
    position = 0
    for paragraph in re.split(r"(\n+)", cleaned):
        if paragraph and not paragraph.startswith("\n"):
            found = original.find(paragraph, cursor)
            if found == -1:
                found = original.find(paragraph)
            if found != -1:
                for i in range(len(paragraph) + 1):
                    out[position + i] = found + i
                cursor = found + len(paragraph)
            else:  # reading collapsed runs of white space (a no-break space, two spaces)
                loose = re.compile(r"\s+".join(re.escape(w) for w in paragraph.split(" ")))
                match = loose.search(original, cursor) or loose.search(original)
                if match is not None:
                    _align(paragraph, original, match.start(), position, out)
                    cursor = match.end()
        position += len(paragraph)
    return out


def _align(paragraph: str, original: str, start: int, position: int, out: list[int | None]) -> None:
    """Offsets of a paragraph found with its white space collapsed: each of its spaces
    stands for a run of white space in the original."""
    j = start
    for i, char in enumerate(paragraph):
        out[position + i] = j
        if char == " ":
            while j < len(original) and original[j].isspace():
                j += 1
        else:
            j += 1
    out[position + len(paragraph)] = j


def first_copies(article: Article, original: str) -> list[tuple[int, int, int]]:
    """Where the cleaner dropped a verbatim repeat of a paragraph (the corpus's text holds
    it twice): (start of the repeat, its end, start of the first copy), in the corpus's
    offsets. A name inside the repeat is the same name as in the first copy, which the
    report keeps; scoring it on the first copy does not count a dropped duplicate as a miss.
    """
    out = []
    for removal in article.removed:
        if removal.reason is not RemovalReason.REPEATED_PARAGRAPH or not removal.text:
            continue
        first = original.find(removal.text)
        repeat = original.find(removal.text, first + 1) if first != -1 else -1
        while repeat != -1:
            out.append((repeat, repeat + len(removal.text), first))
            repeat = original.find(removal.text, repeat + 1)
    return out


def on_first_copy(copies: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int]:
    """A corpus span moved into the first copy of the repeat it lies in, if it lies in one."""
    for repeat, repeat_end, first in copies:
        if repeat <= start and end <= repeat_end:
            return first + start - repeat, first + end - repeat
    return start, end


def mapped(offsets: list[int | None], start: int, end: int) -> tuple[int, int] | None:
    """A cleaned-text span in the corpus's offsets (None when it cannot be placed)."""
    a, b = offsets[start], offsets[end]
    if a is None or b is None or b < a:
        return None
    return a, b


def words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


def shared_share(a: str, b: str) -> float:
    """The share of the shorter text's words (with repeats) that the other one has."""
    wa, wb = Counter(words(a)), Counter(words(b))
    shorter = min(sum(wa.values()), sum(wb.values()))
    return sum((wa & wb).values()) / shorter if shorter else 0.0


def prf(true_positives: int, predicted: int, gold: int) -> dict[str, float]:
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def bcubed(predicted: dict[str, Any], gold: dict[str, Any]) -> dict[str, float]:
    """B-cubed precision, recall and F1 over the items of `gold` (Bagga & Baldwin 1998)."""
    pairs = Counter((predicted[a], gold[a]) for a in gold)
    by_predicted = Counter(predicted[a] for a in gold)
    by_gold = Counter(gold.values())
    precision = sum(n * n / by_predicted[p] for (p, _), n in pairs.items()) / len(gold)
    recall = sum(n * n / by_gold[g] for (_, g), n in pairs.items()) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
