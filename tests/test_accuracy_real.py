"""Accuracy on real, labelled news (../shared/corpora), gated in CI on the harness's fast
subset: each figure pinned at its measured level minus a small margin, so a change that
makes Parallax worse on real copy fails here. Skipped, saying so, where the corpora are
absent (a fresh clone). `python benchmarks/accuracy --fast` prints the same figures.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from newsparallax.config import Settings
from newsparallax.pipeline import Stage
from newsparallax.stories.evidence import Background

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy.common import CORPORA, Parallax  # noqa: E402
from accuracy.runner import TASKS, run_tasks  # noqa: E402

MARGIN = 0.02
# Measured with `python benchmarks/accuracy --fast` (see the README's table for the full
# corpora); each gate is that figure minus MARGIN. Raise them when accuracy improves.
FLOORS: dict[str, dict[str, float]] = {
    "stories": {"tfidf_f1": 0.9236, "incremental_f1": 0.8535},
    "stories_stream": {"tfidf_purity": 1.0},
    "quotes": {"f1": 0.9642, "speaker_accuracy": 0.9096},
    "quotes_train": {"f1": 0.9501, "speaker_accuracy": 0.8825},
    "dates": {"f1": 0.924, "value_accuracy": 0.8922},
    "places": {"acc_161": 0.7141, "recall": 0.8296},
    # one pool's key days (fast): 0.6 before stories grew at the event level (issue 10),
    # which made the stories of that pool larger and their key days other ones
    "timelines": {"mean_date_f1": 0.4828, "mean_date_f1_told": 0.5},
    "copies": {"precision": 1.0, "recall": 1.0},
    "claims": {"precision": 0.9554, "sentence_recall": 0.3026},
}
# Figures where lower is better.
CEILINGS: dict[str, dict[str, float]] = {"places": {"auc": 0.319}}


@pytest.fixture(scope="module")
def fast_results(default_stages: list[Stage], background: Background) -> dict[str, Any]:
    if not CORPORA.is_dir():
        pytest.skip(f"{CORPORA} is not present: real-data accuracy gates not run")
    return run_tasks(list(TASKS), CORPORA, fast=True, parallax=Parallax(default_stages, background))


@pytest.mark.slow
@pytest.mark.parametrize("task", sorted(FLOORS))
def test_accuracy_real_data_does_not_drop(task: str, fast_results: dict[str, Any]) -> None:
    result = fast_results[task]
    assert result.metrics.get("errors", 0) == 0, result.notes
    for key, floor in FLOORS[task].items():
        assert result.metrics[key] >= floor - MARGIN, (key, result.metrics)
    for key, ceiling in CEILINGS.get(task, {}).items():
        assert result.metrics[key] <= ceiling + MARGIN, (key, result.metrics)


def test_accuracy_default_grouping_is_the_better_one_on_real_data(
    fast_results: dict[str, Any],
) -> None:
    method = Settings.defaults().group.method
    other = "incremental" if method == "tfidf" else "tfidf"
    stories = fast_results["stories"].metrics
    assert stories[f"{method}_f1"] >= stories[f"{other}_f1"]
    assert fast_results["stories_stream"].metrics[f"{method}_mixed_stories"] == 0


def test_accuracy_grouping_threshold_sits_on_a_plateau(fast_results: dict[str, Any]) -> None:
    """Issue 10: over +-30 % around the default threshold, ECB+ F1 stays within 0.03 of
    its best there, and the Timeline17 stream mixes no topics anywhere in that range."""
    assert fast_results["stories"].metrics["f1_drop_within_30pct"] <= 0.03
    assert fast_results["stories_stream"].metrics["mixed_stories_within_30pct"] == 0


# -- no corpus text in the project --------------------------------------------------------

RUN = 12
_WORD = re.compile(r"\w+")
_PROJECT_SUFFIXES = {".py", ".md", ".json", ".jsonl", ".txt", ".toml", ".html", ".j2", ".rss", ""}


def _runs(text: str) -> set[int]:
    words = [w.casefold() for w in _WORD.findall(text)]
    return {hash(" ".join(words[i : i + RUN])) for i in range(len(words) - RUN + 1)}


def _project_runs() -> dict[int, Path]:
    out: dict[int, Path] = {}
    for folder in ("src", "tests", "benchmarks"):
        for path in (ROOT / folder).rglob("*"):
            if (
                path.is_file()
                and path.suffix in _PROJECT_SUFFIXES
                and "__pycache__" not in path.parts
            ):
                for run in _runs(path.read_text("utf-8", errors="ignore")):
                    out.setdefault(run, path)
    return out


def test_accuracy_no_corpus_text_in_the_project() -> None:
    """No run of 12 words of a shared corpus (or seed) appears under src/, tests/ or benchmarks/."""
    shared = ROOT.parent / "shared"
    if not (shared / "corpora").is_dir():
        pytest.skip(f"{shared / 'corpora'} is not present: nothing to compare with")
    ours = _project_runs()
    found = []
    for path in [*(shared / "corpora").rglob("*"), *(shared / "seeds").rglob("*")]:
        if not path.is_file() or path.suffix.lower() in {".gz", ".zip", ".pdf"}:
            continue
        if "LICENSE" in path.name.upper() or "COPYING" in path.name.upper():
            continue
        text = path.read_text("utf-8", errors="ignore")
        for match in _runs(text) & ours.keys():
            found.append(f"{ours[match].relative_to(ROOT)} repeats 12 words of {path.name}")
    assert not found, found[:10]


def test_accuracy_readme_table_is_the_results_file() -> None:
    """The README's table is written from benchmarks/results/accuracy.json, never by hand."""
    import json

    from accuracy.runner import README, RESULTS, markdown_table

    table = markdown_table(json.loads(RESULTS.read_text("utf-8")))
    assert table in README.read_text("utf-8")


def test_accuracy_offsets_map_back_through_collapsed_white_space() -> None:
    """Reading collapses runs of white space (a no-break space, two spaces); a paragraph
    must still map back to the corpus's own offsets, or its quotes and dates are lost."""
    from accuracy.common import mapped, offset_map

    original = "Title\n\nThe mayor\u00a0said:  “We will rebuild.”\n\nThe end."
    cleaned = "The mayor said: “We will rebuild.”\n\nThe end."
    offsets = offset_map(cleaned, original)
    start = cleaned.index("We")
    place = mapped(offsets, start, start + len("We will rebuild."))
    assert place is not None and original[place[0] : place[1]] == "We will rebuild."
    assert mapped(offsets, cleaned.index("The end"), len(cleaned)) is not None


def test_accuracy_polnear_sources_name_the_person_or_no_one() -> None:
    """The speaker a gold Source names: an office's department is not the surname, a
    description's person is not the speaker, and a group of people is no one (nor may a
    "he" after it stand for the group)."""
    from accuracy.quotes import GoldQuote, resolve_gold_speaker, surname

    assert surname("Secretary of State Ann B. Lee") == "lee"
    assert surname("former Secretary of Defense Ann Lee, who …") == "lee"
    assert surname("Ann Lee of Tarrow, a writer") == "lee"
    assert surname("Many Tarrow residents") is None
    assert surname("Hundreds of dock workers") is None
    assert surname("a spokesman") is None
    # a description names the one it serves, not the speaker
    assert surname("a longtime adviser to Ann Lee") is None
    assert surname("the spokeswoman for Mayor Ann Lee") is None
    assert surname("Ben Ode, a spokesman for Ann Lee") == "ode"
    # a description with the name in apposition names that person; a place does not
    assert surname("The harbour board's chairman, Peter Okafor,") == "okafor"
    assert surname("The minister of the economy, Mr. Okafor,") == "okafor"
    assert surname("a woman in Tarrow, Vestland,") is None
    quotes = [
        GoldQuote(100, 120, "x", "Ann Lee", 90),
        GoldQuote(200, 220, "y", "Many Dockers", 190),
        GoldQuote(300, 320, "z", "he", 290),
    ]
    assert resolve_gold_speaker(quotes[2], quotes) == "lee"


def test_accuracy_polnear_transcript_turns_are_counted_apart() -> None:
    """A quote with no mark before it (a transcript's turn) cannot be one of PolNeAR's
    direct quotes: it is counted apart, not as a false quote; a marked one is scored."""
    from accuracy.quotes import _score_article
    from newsparallax.model import Annotated, Article, Quotation, Span

    text = "ODE: The quay stays shut.\n\nMARR: “Then we sail from Stenvik,” she said."
    turn = Span(5, text.index("\n"))
    marked = Span(text.index("Then"), text.index(",”") + 1)
    doc = Annotated(
        Article(id="t", source="polnear:t", text=text),
        quotes=(Quotation(turn, turn.of(text)), Quotation(marked, marked.of(text))),
    )
    counts = {"gold": 0, "found": 0, "matched": 0, "speaker_scored": 0, "speaker_right": 0}
    counts |= {"speaker_unscored": 0, "partial_in_indirect": 0, "split_parts": 0}
    counts |= {"transcript_turns": 0, "speaker_scored_pronoun": 0, "speaker_right_pronoun": 0}
    _score_article(doc, (), {"text": text, "gold": []}, counts, [])
    assert counts["transcript_turns"] == 1 and counts["found"] == 1


def test_accuracy_date_values_compare_at_the_gold_values_precision() -> None:
    """The strict comparison takes a value finer than the gold's; the second figure reads
    TimeML's unspecified tail as the coarser value it leaves, and nothing else."""
    from accuracy.dates import coarser_of_unspecified, same_value

    assert same_value("1998-01-15", "1998-01") and not same_value("1998", "1998-01")
    assert same_value("1998-W07", "1998-W7") and not same_value("1998-W08", "1998-W07")
    assert not same_value("1968", "1968-XX")
    assert [coarser_of_unspecified(v) for v in ("1968-XX", "1989-WXX", "1988-QX", "198X")] == [
        "1968",
        "1989",
        "1988",
        "198",
    ]
    assert coarser_of_unspecified("1999-04-XX") == "1999-04"
    assert coarser_of_unspecified("1990-XX-XX") == "1990"
    for kept in ("PAST_REF", "1998-Q4", "1998-SU", "P1W", "2000-04-05TNI"):
        assert coarser_of_unspecified(kept) == kept


def test_accuracy_a_name_in_a_dropped_repeat_is_scored_on_its_first_copy() -> None:
    from accuracy.common import first_copies, on_first_copy
    from newsparallax.model import Article, Removal, RemovalReason

    para = "Crowds gathered in Leeds."
    original = f"Intro.\n\n{para}\n\nMiddle.\n\n{para}\n\nEnd, said Ann."
    article = Article(
        id="a",
        source="s",
        text=f"Intro.\n\n{para}\n\nMiddle.\n\nEnd, said Ann.",
        removed=(
            Removal(para, RemovalReason.REPEATED_PARAGRAPH),
            Removal("Middle.", RemovalReason.SHARE_LINE),
        ),
    )
    copies = first_copies(article, original)
    second = original.rindex("Leeds")
    first = original.index("Leeds")
    assert on_first_copy(copies, second, second + 5) == (first, first + 5)
    # outside a repeat, and in a paragraph dropped for another reason, spans stay
    middle = original.index("Middle")
    assert on_first_copy(copies, middle, middle + 6) == (middle, middle + 6)
    assert on_first_copy(copies, first, first + 5) == (first, first + 5)
