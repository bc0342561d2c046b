"""Timelines: Timeline17 (Tran et al. 2013), article pools of long stories with the
timeline a journalist wrote for each.

Each pool (one outlet's coverage of the BP oil spill or of H1N1) is analysed as a user
would analyse it: its articles with their publication days and outlet, default
settings, nothing told about the gold timeline's length. The system's timeline for a
pool is every key day its stories' timelines name (day-precise entries marked `key`;
the pool is one topic, so the union of its stories is the user's timeline of it).
Date-F1 (Martschat & Markert 2018) compares that set of days with the gold timeline's
days; `<pool>_all_days` counts every dated day, key or not, and
`mean_date_f1_key_evidence_<x>` is the mean at other `timeline.key_evidence` values.

Told how many dates to give, as published systems are (`timeline.max_dates`): from
every dated day, the gold timeline's number of them picked by `day_importance` over the
pool (`pick_dates`, the rule the timeline stage applies per story) — `mean_date_f1_told`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from accuracy.common import Parallax, TaskOptions, TaskResult, prf
from accuracy.stories import read_timeline_pools
from newsparallax.link.timeline import day_importance, mark_key_days, pick_dates
from newsparallax.model import Annotated, Story

FAST_POOLS = ("H1N1_guardian",)
# `timeline.key_evidence` values the F1 curve is drawn at (the default is 2.0).
EVIDENCE_CURVE = (1.0, 1.5, 2.0, 2.5, 3.0)


def gold_days(pool: Path) -> set[str]:
    days: set[str] = set()
    for path in pool.glob("*.timeline.json"):
        days |= {entry["date"][:10] for entry in json.loads(path.read_text("utf-8"))}
    return days


def key_days_at(docs: Sequence[Annotated], stories: Sequence[Story], evidence: float) -> set[str]:
    """The day-precise key days the stories' timelines would mark at `evidence`."""
    return {
        e.date
        for story in stories
        for e in mark_key_days(docs, story, evidence).timeline
        if len(e.date) == 10 and e.key
    }


def timelines_task(
    parallax: Parallax,
    root: Path,
    options: TaskOptions,
    *,
    pools: tuple[str, ...] | None = None,
) -> TaskResult:
    records = read_timeline_pools(root)
    names = sorted({r["pool"] for r in records} if pools is None else set(pools))
    metrics: dict[str, Any] = {}
    notes: list[str] = []
    misses: list[str] = []
    scored = 0
    f1s = []
    told_f1s = []
    curve: dict[float, list[float]] = {evidence: [] for evidence in EVIDENCE_CURVE}
    for name in names[: options.limit]:
        if options.budget.spent():
            notes.append(f"budget spent: {name} and later pools not scored")
            break
        pool_records = [r for r in records if r["pool"] == name]
        docs, stories, errors = parallax.run(parallax.read(pool_records), "timeline")
        notes += errors[: options.show_errors]
        every = {e.date for s in stories for e in s.timeline if len(e.date) == 10}
        ours = {e.date for s in stories for e in s.timeline if len(e.date) == 10 and e.key}
        gold = gold_days(root / name)
        scores = prf(len(ours & gold), len(ours), len(gold))
        f1s.append(scores["f1"])
        told = pick_dates(every, day_importance(docs), len(gold))
        told_f1s.append(prf(len(told & gold), len(told), len(gold))["f1"])
        for evidence in EVIDENCE_CURVE:  # the key days at other settings, same stories
            days = key_days_at(docs, stories, evidence)
            curve[evidence].append(prf(len(days & gold), len(days), len(gold))["f1"])
        metrics[f"{name}_date_f1_told"] = told_f1s[-1]
        metrics[f"{name}_date_f1"] = scores["f1"]
        metrics[f"{name}_days"] = len(ours)
        metrics[f"{name}_all_days"] = len(every)
        metrics[f"{name}_gold_days"] = len(gold)
        misses.append(
            f"{name}: {len(ours)} days named, {len(gold)} gold, {len(ours & gold)} shared "
            f"(P {scores['precision']}, R {scores['recall']})"
        )
        scored += len(docs)
    metrics["mean_date_f1"] = round(sum(f1s) / len(f1s), 4) if f1s else 0.0
    metrics["mean_date_f1_told"] = round(sum(told_f1s) / len(told_f1s), 4) if told_f1s else 0.0
    for evidence, scores_at in curve.items():
        metrics[f"mean_date_f1_key_evidence_{evidence}"] = (
            round(sum(scores_at) / len(scores_at), 4) if scores_at else 0.0
        )
    metrics["pools"] = len(f1s)
    result = TaskResult("timelines", "Timeline17 pools", metrics, scored)
    result.misses = misses[: options.show_errors] if options.show_errors else []
    result.notes = notes
    return result
