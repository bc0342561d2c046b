"""Timelines: Timeline17 (Tran et al. 2013), article pools of long stories with the
timeline a journalist wrote for each.

Each pool (one outlet's coverage of the BP oil spill or of H1N1) is analysed as a user
would analyse it: its articles with their publication days and outlet, default
settings, nothing told about the gold timeline's length. The system's timeline for a
pool is every day its stories' timelines name (day-precise entries; the pool is one
topic, so the union of its stories is the user's timeline of it). Date-F1 (Martschat &
Markert 2018) compares that set of days with the gold timeline's days.

Told how many dates to give, as published systems are (`timeline.max_dates`): the same
days, the gold timeline's number of them picked by `day_importance` over the pool
(`pick_dates`, the rule the timeline stage applies per story) — `mean_date_f1_told`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accuracy.common import Parallax, TaskOptions, TaskResult, prf
from accuracy.stories import read_timeline_pools
from newsparallax.link.timeline import day_importance, pick_dates

FAST_POOLS = ("H1N1_guardian",)


def gold_days(pool: Path) -> set[str]:
    days: set[str] = set()
    for path in pool.glob("*.timeline.json"):
        days |= {entry["date"][:10] for entry in json.loads(path.read_text("utf-8"))}
    return days


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
    for name in names[: options.limit]:
        if options.budget.spent():
            notes.append(f"budget spent: {name} and later pools not scored")
            break
        pool_records = [r for r in records if r["pool"] == name]
        docs, stories, errors = parallax.run(parallax.read(pool_records), "timeline")
        notes += errors[: options.show_errors]
        ours = {e.date for s in stories for e in s.timeline if len(e.date) == 10}
        gold = gold_days(root / name)
        scores = prf(len(ours & gold), len(ours), len(gold))
        f1s.append(scores["f1"])
        told = pick_dates(ours, day_importance(docs), len(gold))
        told_f1s.append(prf(len(told & gold), len(told), len(gold))["f1"])
        metrics[f"{name}_date_f1_told"] = told_f1s[-1]
        metrics[f"{name}_date_f1"] = scores["f1"]
        metrics[f"{name}_days"] = len(ours)
        metrics[f"{name}_gold_days"] = len(gold)
        misses.append(
            f"{name}: {len(ours)} days named, {len(gold)} gold, {len(ours & gold)} shared "
            f"(P {scores['precision']}, R {scores['recall']})"
        )
        scored += len(docs)
    metrics["mean_date_f1"] = round(sum(f1s) / len(f1s), 4) if f1s else 0.0
    metrics["mean_date_f1_told"] = round(sum(told_f1s) / len(told_f1s), 4) if told_f1s else 0.0
    metrics["pools"] = len(f1s)
    result = TaskResult("timelines", "Timeline17 pools", metrics, scored)
    result.misses = misses[: options.show_errors] if options.show_errors else []
    result.notes = notes
    return result
