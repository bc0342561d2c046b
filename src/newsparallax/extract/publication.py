"""The day an article speaks from: metadata when the input gives it, else inferred from
the text's own dates, with the bounds the text sets and how sure the guess is.

A past event's date is not the publication day: the guess is the latest date the text
places in the past, never before an explicit past date and never after a date it puts
ahead; yearless dates are read in the text's own latest year (or the story's, which the
timeline stage passes when the text's is far off).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from newsparallax.extract.times import (
    DAY_PATTERN,
    MAX_YEAR,
    MIN_YEAR,
    MONTH_PATTERN,
    WEEKDAYS,
    YEAR_PATTERN,
    Found,
    find_time_expressions,
)
from newsparallax.extract.timevalues import iso_day, iso_month, month_number, nearest_day, resolve
from newsparallax.model import Annotated


@dataclass(frozen=True, slots=True)
class Anchor:
    """The day an article speaks from, and how sure we are of it.

    `day` is the best guess; `earliest` and `latest` bound it where the text does
    ("as of October 2024" says not before October 2024, "will … on Jan. 20, 2025" says
    before that day). `from_metadata` is true when the input gave the date.
    """

    day: date | None
    earliest: date | None = None
    latest: date | None = None
    from_metadata: bool = False
    day_precise: bool = False  # placed by a day the text names, not only a month or year


def infer_anchor(
    found: Sequence[Found], extra: Sequence[date] = (), year: int | None = None
) -> Anchor:
    """The publication day as far as the text tells: its latest past date, bounded by its
    explicit dates. None when the text names no past day it can be placed after.

    Args:
        found: the text's expressions.
        extra: days known to lie before publication (dates of embedded posts).
        year: the year to read yearless dates in; None for the text's own latest year
            (the story stage passes the story's year when the text's own is far off).
    """
    earliest: list[date] = list(extra)
    latest: list[date] = []
    past_years: list[int] = [d.year for d in extra]
    for item in found:
        g = item.groups
        exact: date | None = None
        if item.rule in {"month_day_year", "day_month_year"}:
            value = iso_day(int(g["year"] or 0), month_number(g["month"]), int(g["day"] or 0))
            exact = date.fromisoformat(value) if value else None
        elif item.rule == "month_year":
            value = iso_month(int(g["year"] or 0), month_number(g["month"]))
            exact = date.fromisoformat(value + "-01") if value else None
        elif (
            item.rule == "year" and not item.future and MIN_YEAR <= int(g["year"] or 0) <= MAX_YEAR
        ):
            past_years.append(int(g["year"] or 0))
            continue
        if exact is None:
            continue
        if item.future:
            latest.append(exact)
        else:
            earliest.append(exact)
            past_years.append(exact.year)
    low = max(earliest) if earliest else None
    high = min(latest) if latest else None
    if year is None:
        year = max(past_years) if past_years else (high.year if high else None)
    if year is None:
        return Anchor(None, low, high)
    # yearless dates the text puts in the past, read in that year, push the guess forward
    guess = low
    precise = any(low == d for d in extra) or any(
        f.rule in {"month_day_year", "day_month_year"} and not f.future for f in found
    )
    reference = min(high, date(year, 12, 31)) if high else date(year, 12, 31)
    for item in found:
        if item.rule in {"month_day", "day_month"} and item.tense == "past":
            value = nearest_day(
                month_number(item.groups["month"]), int(item.groups["day"] or 0), reference, "past"
            )
            if value is not None:
                day = date.fromisoformat(value)
                if (guess is None or day > guess) and (high is None or day <= high):
                    guess, precise = day, True
    if guess is None:
        return Anchor(None, low, high)
    return Anchor(guess, low, high, day_precise=precise)


# -- the stage ----------------------------------------------------------------------------

_POST_DATE = re.compile(rf"\(@\w+\)\s+{MONTH_PATTERN} {DAY_PATTERN},? {YEAR_PATTERN}\s*$")


def post_dates(doc: Annotated) -> list[date]:
    """Dates of embedded posts removed by cleaning: the article is no older than they are."""
    out = []
    for removal in doc.article.removed:
        match = _POST_DATE.search(removal.text)
        if match:
            value = iso_day(int(match["year"]), month_number(match["month"]), int(match["day"]))
            if value:
                out.append(date.fromisoformat(value))
    return out


def metadata_day(doc: Annotated) -> date | None:
    published = doc.article.published
    if published is None or doc.article.published_inferred:
        return None
    return published.date() if isinstance(published, datetime) else published


# How far back a bare past weekday ("on Monday, he said") may lie from a guessed day
# before the guess moves forward to meet it: news names a weekday of the current week.
WEEKDAY_REACH = 3


def after_named_weekdays(found: Sequence[Found], anchor: Anchor) -> Anchor:
    """A guessed day moved forward, by up to six days, to the day that leaves the bare
    past weekdays the text names nearest behind it.

    The guess is its story's day, or a month the text names: an article written the day
    after says "on Monday" of that day, which read from the guess lands a week early (a
    Sunday guess puts "Monday" six days back). Never after a date the text puts ahead,
    and never moved for weekdays already within `WEEKDAY_REACH` days of the guess; a
    day the text names itself is not moved (`date_article`).
    """
    if anchor.day is None or anchor.from_metadata:
        return anchor
    weekdays = {
        WEEKDAYS[(f.groups["weekday"] or "").lower()]
        for f in found
        if f.rule == "weekday" and not f.groups.get("which") and f.tense == "past"
    }
    if not weekdays:
        return anchor

    def reach(day: date) -> int:
        return max((day.weekday() - weekday) % 7 for weekday in weekdays)

    if reach(anchor.day) <= WEEKDAY_REACH:
        return anchor
    candidates = [anchor.day + timedelta(days=shift) for shift in range(7)]
    allowed = [d for d in candidates if anchor.latest is None or d <= anchor.latest]
    best = min(allowed, key=lambda d: (reach(d), d))
    return dataclasses.replace(anchor, day=best)


def date_article(
    doc: Annotated, year: int | None = None, fallback: date | None = None, force: bool = False
) -> tuple[Annotated, Anchor]:
    """Find and resolve an article's times; infer its publication day when not given.

    Args:
        year: read yearless dates in this year (see `infer_anchor`).
        fallback: the day to anchor on when the text places itself nowhere (the
            story's); kept within the bounds the text does give.
        force: anchor on `fallback` even when the text suggests another day.
    """
    text = doc.article.text
    found = list(_time_expressions(text))
    given = metadata_day(doc)
    anchor = (
        Anchor(given, from_metadata=True, day_precise=True)
        if given
        else infer_anchor(found, post_dates(doc), year)
    )
    borrowed = fallback is not None and (anchor.day is None or force)
    if borrowed and fallback is not None:  # (the second test only tells the type checker)
        day = fallback
        if anchor.earliest is not None and day < anchor.earliest:
            day = anchor.earliest
        if anchor.latest is not None and day > anchor.latest:
            day = anchor.latest
        anchor = dataclasses.replace(anchor, day=day)
    if given is None and (borrowed or not anchor.day_precise):
        anchor = after_named_weekdays(found, anchor)
    times = tuple(resolve(found, anchor.day, text=text))
    article = doc.article
    if given is None:
        article = dataclasses.replace(
            article, published=anchor.day, published_inferred=anchor.day is not None
        )
    return dataclasses.replace(doc, article=article, times=times), anchor


def dated_as_found(doc: Annotated) -> tuple[Annotated, Anchor]:
    """`date_article(doc)` for an article the per-article stage dated: an article whose
    input gives its day is anchored there and its times stand as found (the common case
    in a story of thousands, at no cost); the others are dated again."""
    given = metadata_day(doc)
    if given is not None:
        return doc, Anchor(given, from_metadata=True, day_precise=True)
    return date_article(doc)


@functools.lru_cache(maxsize=1024)
def _time_expressions(text: str) -> tuple[Found, ...]:
    """An article's time expressions, found once: its story dates it again against the
    story's day (`link.timeline.align_story_dates`), from the same expressions."""
    return tuple(find_time_expressions(text))


def find_times(docs: Sequence[Annotated]) -> list[Annotated]:
    """The per-article stage: times and (inferred) publication days, article by article."""
    return [date_article(doc)[0] for doc in docs]
