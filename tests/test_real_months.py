"""Nothing lost on real copy: each month of PolNeAR (train and dev, 7 US outlets, with
titles, days and outlets) analyses with an empty `errors` list, entities in every
story, and summaries made of whole sentences that are not boilerplate.

Reads ../shared/corpora/polnear; skipped, saying so, where it is absent.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from newsparallax.analysis import analyze_articles
from newsparallax.config import Settings
from newsparallax.model import RemovalReason, Report
from newsparallax.pipeline import Stage
from newsparallax.stories.evidence import Background

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy.common import CORPORA, Parallax  # noqa: E402
from accuracy.quotes import _record, read_polnear  # noqa: E402

POLNEAR = CORPORA / "polnear"
_OPENERS = "“‘«"
_CLOSERS = "”’»"


def months() -> dict[str, list[dict[str, Any]]]:
    by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for split in ("train", "dev"):
        for article in read_polnear(POLNEAR, split):
            record = _record(article)
            by_month[(record["published"] or "undated")[:7]].append(record)
    return dict(sorted(by_month.items()))


@pytest.fixture(scope="module")
def reports(default_stages: list[Stage], background: Background) -> dict[str, Report]:
    if not POLNEAR.is_dir():
        pytest.skip(f"{POLNEAR} is not present: the real-months check is not run")
    settings = Settings.defaults()
    reader = Parallax(default_stages, background)
    return {
        month: analyze_articles(reader.read(records), settings, stages=default_stages)
        for month, records in months().items()
    }


def is_fragment(sentence: str) -> str | None:
    """Why a summary sentence is not a whole sentence, or None."""
    text = sentence.strip()
    if len(text.split()) < 5:
        return "too short"
    if not re.search(r"[.!?…][”’\"')\]»]*$", text):
        return "no closing punctuation"
    if re.search(r"[“‘«(\[]\s*$", text):
        return "ends on an opening mark"
    if not (text[0].isupper() or text[0].isdigit() or text[0] in _OPENERS + "\"'"):
        return "starts mid-sentence"
    if text.count("”") > text.count("“") + text.count('"'):
        return "starts inside a quote"
    return None


@pytest.mark.slow
def test_real_months_analyse_without_errors(reports: dict[str, Report]) -> None:
    assert len(reports) >= 10
    problems = {month: report.errors for month, report in reports.items() if report.errors}
    assert not problems


@pytest.mark.slow
def test_real_months_every_story_has_entities(reports: dict[str, Report]) -> None:
    empty = [
        (month, story.title)
        for month, report in reports.items()
        for story in report.stories
        if not story.entities
    ]
    assert not empty


@pytest.mark.slow
def test_real_months_summaries_are_whole_sentences_not_boilerplate(
    reports: dict[str, Report],
) -> None:
    bad = []
    for month, report in reports.items():
        boilerplate = {
            " ".join(r.text.split())
            for doc in report.articles
            for r in doc.article.removed
            if r.reason is RemovalReason.OUTLET_BOILERPLATE
        }
        for story in report.stories:
            for sentence in story.summary:
                why = is_fragment(sentence.text)
                if " ".join(sentence.text.split()) in boilerplate:
                    why = "boilerplate"
                if why:
                    bad.append((month, why, sentence.text[:80]))
    assert not bad, bad[:10]
