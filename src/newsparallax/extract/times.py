"""Temporal expressions: found by rule, resolved to the calendar against an anchor.

Why rules and not dateparser's `search_dates`: on news copy it reads "may" and "we"
as dates, puts "on January 20" in the wrong year and "on Monday" in the wrong week
because it knows no tense, and costs about 60 ms an article. News uses a small set
of date forms, so a table of patterns, each with the rule that resolves it, is both
faster and right more often — and a wrong resolution can be traced to its rule.

Resolution needs an anchor (the publication day) and the tense of the clause around
the expression: a date without a year is put in the year that makes it nearest the
anchor in the direction the tense implies ("will begin on Jan. 20" looks forward,
"fired on Nov. 19" back). Chained expressions ("two days later") count from the last
day-precise date before them. Durations ("two months"), counts ("1,000th day") and
words like "may" are never dates.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from newsparallax.model import Annotated, Span, TimeExpr

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
# Years outside this range are not read as calendar years ("in 3000 homes").
MIN_YEAR, MAX_YEAR = 1800, 2200

_MONTH = (
    r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_FULL_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September"
    r"|October|November|December)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|2[01]\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_COUNT = r"(?P<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_FUTURE = re.compile(
    r"\b(?:will|shall|won['’]t|(?:set|due|expected|scheduled|going|poised|about) to|plans? to|"
    r"planned to|is to|are to|upcoming|next)\b|['’]ll\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:—–()]|\.\s")
_FOR_DAY = re.compile(r"\bfor\s+(?:next\s+|this\s+)?$", re.IGNORECASE)
_AFTER_CLAUSE_END = re.compile(r"[,;:—–()]|\s(?:and|but|while|as)\s|[.!?](?:\s|$)")
_SENTENCE_END = re.compile(r"[.!?][”’\"']?\s+(?=[A-Z“\"])|\n")
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|told|won|began|took|came|went|met|made|gave|fell|rose|"
    r"struck|held|led|saw|became|brought|fought|sent|spoke|wrote|\w{3,}ed)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Pattern:
    rule: str
    regex: re.Pattern[str]
    kind: str = "date"


def _p(rule: str, pattern: str, kind: str = "date", flags: int = 0) -> Pattern:
    return Pattern(rule, re.compile(pattern, flags), kind)


# Longest and most specific first: a span taken by one pattern is not read again.
PATTERNS: tuple[Pattern, ...] = (
    _p("count", r"\b\d[\d,]*(?:st|nd|rd|th) (?:day|week|month|year|anniversary)\b", "count"),
    _p("month_day_year", rf"\b{_MONTH} {_DAY},? {_YEAR}\b"),
    _p("day_month_year", rf"\b{_DAY} {_MONTH},? {_YEAR}\b"),
    _p("month_year", rf"\b{_MONTH},? {_YEAR}\b"),
    _p("month_day", rf"\b{_MONTH} {_DAY}\b(?!:\d)"),
    _p("day_month", rf"\b{_DAY} {_FULL_MONTH}\b"),
    _p(
        "chained",
        rf"\b{_COUNT} (?P<unit>days?|weeks?) "
        r"(?P<direction>later|earlier|after|before|afterwards)\b",
        flags=re.IGNORECASE,
    ),
    _p("ago", rf"\b{_COUNT} (?P<unit>days?|weeks?) ago\b", flags=re.IGNORECASE),
    _p(
        "vague_chained",
        r"\b(?:days|weeks|months) (?:after|before|later|earlier)\b",
        "vague",
        re.IGNORECASE,
    ),
    _p(
        "duration",
        r"\b(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
        r"several|few|many)[- ](?:hours?|days?|weeks?|months?|years?|decades?)\b",
        "duration",
        re.IGNORECASE,
    ),
    _p(
        "relative_week",
        r"\b(?P<which>earlier this|later this|this|last|next|past) (?P<unit>week|weekend)\b|"
        r"\bover the (?P<which2>)(?P<unit2>weekend)\b",
        "date",
        re.IGNORECASE,
    ),
    _p(
        "relative_month",
        r"\b(?P<which>earlier this|later this|this|last|next) month\b",
        "date",
        re.IGNORECASE,
    ),
    _p(
        "relative_year",
        r"\b(?P<which>earlier this|later this|this|last|next) year\b",
        "date",
        re.IGNORECASE,
    ),
    _p(
        "relative_day",
        r"\b(?P<word>today|yesterday|tomorrow|tonight|last night)\b",
        "date",
        re.IGNORECASE,
    ),
    _p(
        "weekday",
        rf"\b(?:(?P<which>last|next|this) )?{_WEEKDAY}(?:['’]s)?"
        r"(?: (?:morning|afternoon|evening|night))?\b",
    ),
    _p(
        "month",
        rf"\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Ll]ast|[Nn]ext|[Tt]his|[Dd]uring"
        rf"|[Tt]hroughout|[Ee]arly|[Ll]ate|[Mm]id-?|[Bb]efore|[Aa]fter) (?:early |late |mid-)?"
        rf"{_FULL_MONTH}\b(?! \d)",
    ),
    _p(
        "year",
        rf"(?:\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Oo]f|[Ff]or|[Dd]uring"
        rf"|[Tt]hroughout|[Ee]arly|[Ll]ate|[Bb]efore|[Aa]fter) |\()(?:early |late |mid-)?{_YEAR}\b"
        r"(?!,\d|\d)",
    ),
)


@dataclass(frozen=True, slots=True)
class Found:
    """A temporal expression before resolution."""

    span: Span
    rule: str
    kind: str
    groups: dict[str, str | None]
    tense: str | None  # "future", "past", or None when the clause does not say

    @property
    def future(self) -> bool:
        return self.tense == "future"


def find_time_expressions(text: str) -> list[Found]:
    """Every temporal expression, in text order, with the tense of its clause."""
    taken: list[Span] = []
    found: list[Found] = []
    for pattern in PATTERNS:
        for match in pattern.regex.finditer(text):
            span = _trim(text, Span(match.start(), match.end()), pattern.rule)
            if any(span.start < t.end and t.start < span.end for t in taken):
                continue
            taken.append(span)
            if pattern.kind == "count":
                continue  # "1,000th day": a count, not a date; the span is only blocked
            found.append(
                Found(span, pattern.rule, pattern.kind, match.groupdict(), tense_at(text, span))
            )
    return sorted(found, key=lambda f: f.span)


def _trim(text: str, span: Span, rule: str) -> Span:
    """Drop a leading preposition or bracket the pattern needed for context."""
    if rule in {"month", "year"}:
        piece = span.of(text)
        cut = re.match(
            r"^(?:\(|(?:in|since|until|by|from|of|for|during|throughout|before|after)"
            r"\s)",
            piece,
            re.IGNORECASE,
        )
        if cut:
            return Span(span.start + cut.end(), span.end)
    return span


def tense_at(text: str, span: Span) -> str | None:
    """The tense of what the sentence says about the span.

    The nearest marker before it in the sentence decides ("will", "is set to" against
    "fired", "was"); with none before, the first marker after it does ("On Nov. 19,
    Ukraine fired …"). None when the sentence has neither ("takes office on January 20").
    """
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, span.start)), default=0)
    before = text[sentence_start : span.start]
    if _FOR_DAY.search(before):
        return "future"  # "called talks for Sunday", "scheduled for March 20"
    future = [m.end() for m in _FUTURE.finditer(before)]
    past = [m.end() for m in _PAST.finditer(before)]
    if future and (not past or future[-1] > past[-1]):
        return "future"
    if past:
        return "past"
    # the clause after it: past a comma that closes a leading adverbial, up to the next break
    after = re.match(r"[\s,]*", text[span.end :])
    start = span.end + (after.end() if after else 0)
    end = _AFTER_CLAUSE_END.search(text, start)
    rest = text[start : end.start() if end else len(text)]
    first_future = _FUTURE.search(rest)
    first_past = _PAST.search(rest)
    if first_future and (not first_past or first_future.start() < first_past.start()):
        return "future"
    return "past" if first_past else None


def resolve(found: Sequence[Found], anchor: date | None, *, text: str = "") -> list[TimeExpr]:
    """Calendar values for the expressions of one text, against its anchor.

    Args:
        found: the expressions, in text order.
        anchor: the publication day (or the inferred one); None leaves relative
            expressions and years of yearless dates unresolved.
        text: the text, for expressions that stand in apposition to a date.
    """
    out: list[TimeExpr] = []
    last_day: tuple[date, Span] | None = None
    days: list[tuple[date, Span]] = []
    for item in found:
        event_day = _event_reference(item, days, text) if item.rule == "chained" else None
        value, rule = _resolve_one(item, anchor, event_day or last_day, text)
        if event_day is not None and value is not None:
            rule = "chained:event"
        out.append(TimeExpr(item.span, value, item.kind, rule))
        if value is not None and len(value) == 10:
            last_day = (date.fromisoformat(value), item.span)
            days.append(last_day)
    return out


def _event_reference(
    item: Found, days: Sequence[tuple[date, Span]], text: str
) -> tuple[date, Span] | None:
    """For "a day before Trump's interview was published": the date the text gave that event.

    The words after "before"/"after" are matched against the words around each earlier
    date; the date whose surroundings share the most (at least EVENT_MIN_SHARED_WORDS)
    content words with them is the event's.
    """
    if (item.groups.get("direction") or "").lower() not in {"before", "after"}:
        return None
    clause = _clause_words(text[item.span.end : item.span.end + 80])
    best: tuple[int, tuple[date, Span]] | None = None
    for day, span in days:
        around = _words(text[max(0, span.start - 100) : span.end + 20])
        shared = len(clause & around)
        if shared >= EVENT_MIN_SHARED_WORDS and (best is None or shared > best[0]):
            best = (shared, (day, Span(span.start, span.start)))  # not adjacent: no apposition
    return best[1] if best else None


def _clause_words(text: str) -> set[str]:
    return _words(re.split(r"[,;:.—–]", text, maxsplit=1)[0])


def _words(text: str) -> set[str]:
    return {w.lower().strip("’'") for w in re.findall(r"[A-Za-z’']{4,}", text)} - _COMMON


EVENT_MIN_SHARED_WORDS = 2
_COMMON = frozenset("that this with from have were when they their there which would".split())


def _resolve_one(
    item: Found, anchor: date | None, last_day: tuple[date, Span] | None, text: str
) -> tuple[str | None, str]:
    g = item.groups
    rule = item.rule
    if item.kind in {"duration", "vague"}:
        return None, rule
    if rule in {"month_day_year", "day_month_year"}:
        return _iso(int(g["year"] or 0), _month(g["month"]), int(g["day"] or 0)), rule
    if rule == "month_year":
        return _month_iso(int(g["year"] or 0), _month(g["month"])), rule
    if rule == "year":
        year = int(g["year"] or 0)
        return (f"{year:04d}" if MIN_YEAR <= year <= MAX_YEAR else None), rule
    if rule in {"month_day", "day_month"}:
        if anchor is None:
            return None, rule + ":no_anchor"
        return _nearest_day(_month(g["month"]), int(g["day"] or 0), anchor, item.tense), (
            f"{rule}:{item.tense or 'nearest'}"
        )
    if rule == "chained":
        if last_day is None:
            return None, rule + ":no_antecedent"
        day, span = last_day
        if item.span.start - span.end <= 3 and text[span.end : item.span.start].strip() in {
            ",",
            "",
        }:
            return day.isoformat(), rule + ":apposition"  # "On Dec. 11, a day before …"
        days = _count(g["count"]) * UNITS[(g["unit"] or "day").lower()]
        sign = 1 if (g["direction"] or "").lower() in {"later", "after", "afterwards"} else -1
        return (day + timedelta(days=sign * days)).isoformat(), rule
    if anchor is None:
        return None, rule + ":no_anchor"
    if rule == "ago":
        days = _count(g["count"]) * UNITS[(g["unit"] or "day").lower()]
        return (anchor - timedelta(days=days)).isoformat(), rule
    if rule == "relative_day":
        word = (g["word"] or "").lower()
        shift = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
        return (anchor + timedelta(days=shift)).isoformat(), rule
    if rule == "relative_week":
        return _relative_week(g, anchor, item.future), rule
    if rule == "relative_month":
        which = (g["which"] or "this").lower()
        shift = {"last": -1, "next": 1}.get(which, 0)
        month_index = anchor.year * 12 + anchor.month - 1 + shift
        return _month_iso(month_index // 12, month_index % 12 + 1), rule
    if rule == "relative_year":
        which = (g["which"] or "this").lower()
        return f"{anchor.year + {'last': -1, 'next': 1}.get(which, 0):04d}", rule
    if rule == "weekday":
        return _weekday(
            WEEKDAYS[(g["weekday"] or "").lower()], (g["which"] or "").lower(), anchor, item.future
        ).isoformat(), f"{rule}:{item.tense or 'past'}"
    if rule == "month":
        month = _month(g["month"])
        year = anchor.year
        if item.tense == "future" and month < anchor.month:
            year += 1
        elif item.tense == "past" and month > anchor.month:
            year -= 1
        elif item.tense is None and abs(month - anchor.month) > 6:
            year += 1 if month < anchor.month else -1  # the nearer of the two
        return _month_iso(year, month), f"{rule}:{item.tense or 'nearest'}"
    return None, rule


def _relative_week(g: dict[str, str | None], anchor: date, future: bool) -> str:
    """ISO week: "this week", "last week", "next week"; a weekend is the week of its
    Saturday, the one just past unless the clause looks ahead ("over the weekend")."""
    which = (g["which"] or "").lower()
    if (g["unit"] or g["unit2"] or "week").lower() == "weekend":
        if which == "next" or (future and which != "last"):
            day = anchor + timedelta(days=(5 - anchor.weekday()) % 7)
        else:
            day = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
            if which == "last" and anchor.weekday() >= 5:
                day -= timedelta(days=7)
    else:
        day = anchor + timedelta(weeks={"last": -1, "past": -1, "next": 1}.get(which, 0))
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def _month(name: str | None) -> int:
    return MONTHS[(name or "").rstrip(".").lower()]


def _count(word: str | None) -> int:
    word = (word or "1").lower()
    return int(word) if word.isdigit() else NUMBERS.get(word, 1)


def _iso(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD, or None for a day that does not exist ("February 30")."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_iso(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if MIN_YEAR <= year <= MAX_YEAR else None


def _nearest_day(month: int, day: int, anchor: date, tense: str | None) -> str | None:
    """The date with this month and day nearest the anchor, in the tense's direction
    when the text gives one ("will begin on Jan. 20" looks ahead, "fired on Nov. 19"
    back), else nearest either way ("takes office on January 20")."""
    candidates = []
    for year in range(anchor.year - 4, anchor.year + 5):  # four years span every February 29
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    if tense == "future":
        ahead = [c for c in candidates if c >= anchor]
        chosen = min(ahead) if ahead else max(candidates)
    elif tense == "past":
        # a past event can be reported a day "early" across time zones: allow one day
        behind = [c for c in candidates if c <= anchor + timedelta(days=1)]
        chosen = max(behind) if behind else min(candidates)
    else:
        chosen = min(candidates, key=lambda c: (abs((c - anchor).days), c > anchor))
    return chosen.isoformat()


def _weekday(weekday: int, which: str, anchor: date, future: bool) -> date:
    """ "On Monday" in an article of Tuesday is yesterday; with "will", next Monday."""
    if which == "next" or (future and which != "last"):
        delta = (weekday - anchor.weekday()) % 7 or (7 if which == "next" else 0)
        return anchor + timedelta(days=delta)
    delta = (anchor.weekday() - weekday) % 7
    if which == "last" and delta == 0:
        delta = 7
    return anchor - timedelta(days=delta)


# -- the publication day -----------------------------------------------------------------


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
            value = _iso(int(g["year"] or 0), _month(g["month"]), int(g["day"] or 0))
            exact = date.fromisoformat(value) if value else None
        elif item.rule == "month_year":
            value = _month_iso(int(g["year"] or 0), _month(g["month"]))
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
            value = _nearest_day(
                _month(item.groups["month"]), int(item.groups["day"] or 0), reference, "past"
            )
            if value is not None:
                day = date.fromisoformat(value)
                if (guess is None or day > guess) and (high is None or day <= high):
                    guess, precise = day, True
    if guess is None:
        return Anchor(None, low, high)
    return Anchor(guess, low, high, day_precise=precise)


# -- the stage ----------------------------------------------------------------------------

_POST_DATE = re.compile(rf"\(@\w+\)\s+{_MONTH} {_DAY},? {_YEAR}\s*$")


def post_dates(doc: Annotated) -> list[date]:
    """Dates of embedded posts removed by cleaning: the article is no older than they are."""
    out = []
    for removal in doc.article.removed:
        match = _POST_DATE.search(removal.text)
        if match:
            value = _iso(int(match["year"]), _month(match["month"]), int(match["day"]))
            if value:
                out.append(date.fromisoformat(value))
    return out


def metadata_day(doc: Annotated) -> date | None:
    published = doc.article.published
    if published is None or doc.article.published_inferred:
        return None
    return published.date() if isinstance(published, datetime) else published


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
    found = find_time_expressions(text)
    given = metadata_day(doc)
    anchor = (
        Anchor(given, from_metadata=True, day_precise=True)
        if given
        else infer_anchor(found, post_dates(doc), year)
    )
    if fallback is not None and (anchor.day is None or force):
        day = fallback
        if anchor.earliest is not None and day < anchor.earliest:
            day = anchor.earliest
        if anchor.latest is not None and day > anchor.latest:
            day = anchor.latest
        anchor = dataclasses.replace(anchor, day=day)
    times = tuple(resolve(found, anchor.day, text=text))
    article = doc.article
    if given is None:
        article = dataclasses.replace(
            article, published=anchor.day, published_inferred=anchor.day is not None
        )
    return dataclasses.replace(doc, article=article, times=times), anchor


def find_times(docs: Sequence[Annotated]) -> list[Annotated]:
    """The per-article stage: times and (inferred) publication days, article by article."""
    return [date_article(doc)[0] for doc in docs]
