"""Calendar values for found time expressions, against the day the text speaks from.

Values are TimeML's at the precision the text gives: a day, a month, a year, an ISO week
(a weekend "-WE"), a quarter ("YYYY-Qn"), a half-year ("YYYY-H1"), a season ("YYYY-SU"),
a decade ("199") or a century ("19"). Present, past and future references ("now",
"recently", "the future") name no calendar date: their value is None and their rule
says which they are.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date, timedelta

from newsparallax.extract.times import (
    MAX_YEAR,
    MIN_YEAR,
    MONTHS,
    NUMBERS,
    REFERENCE_RULES,
    STATED_YEAR_RULES,
    UNITS,
    WEEKDAYS,
    Found,
    happened_on,
)
from newsparallax.model import Span, TimeExpr

# A month or day the past tense would put this many months or more back is read ahead
# instead ("said ... in January", told in December, is next month; TempEval-3 training).
_FAR_PAST_MONTHS = 10
_MONTH_DAYS = 30
_NEAR_AHEAD_DAYS = (12 - _FAR_PAST_MONTHS) * _MONTH_DAYS
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# The first month of each season (winter: December, counted in the year it starts).
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_QUARTERS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip


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
    quarter: str | None = None  # the quarter the text last spoke of ("the third quarter")
    year: int | None = None  # the year the text last stated ("in June 1998")
    for item in found:
        event_day = _event_reference(item, days, text) if item.rule == "chained" else None
        if item.rule == "that_year":
            value, rule = _that_year(item, year)
        elif item.rule == "year_quarter":
            value, rule = _year_quarter(item, quarter)
        else:
            value, rule = _resolve_one(item, anchor, event_day or last_day, text)
        if value is not None and item.rule in _YEAR_GIVING_RULES:
            year = int(value[:4])
        if event_day is not None and value is not None:
            rule = "chained:event"
        if value is not None and _a_year_back(item, text):
            if quarter is not None:  # the focus stays on the quarter reported on
                value, rule = f"{int(quarter[:4]) - 1:04d}{quarter[4:]}", f"{item.rule}:quarter"
        elif value is not None and _QUARTER_VALUE.match(value) and item.rule != "year_quarter":
            quarter = value  # "the 1988 period" compares with the quarter, it is not it
        out.append(TimeExpr(item.span, value, item.kind, rule))
        if value is not None and len(value) == 10:
            last_day = (date.fromisoformat(value), item.span)
            days.append(last_day)
    return _weekdays_with_their_dates(out, found, text)


_DATED_RULES = ("month_day", "day_month")


def _weekdays_with_their_dates(
    out: list[TimeExpr], found: Sequence[Found], text: str
) -> list[TimeExpr]:
    """ "Saturday, April 25": the weekday is the day its date names, and a yearless date
    is read in the year nearest its own in which that day is that weekday."""
    for i in range(len(out) - 1):
        weekday, dated = out[i], out[i + 1]
        if not (weekday.rule.startswith("weekday") and dated.rule.startswith(_DATED_RULES)):
            continue
        if text[weekday.span.end : dated.span.start].strip(" ,") or dated.value is None:
            continue
        day = date.fromisoformat(dated.value)
        named = WEEKDAYS[(found[i].groups["weekday"] or "").lower()]
        if day.weekday() != named and not found[i + 1].groups.get("year"):
            shifted = [iso_day(day.year + k, day.month, day.day) for k in (-1, 1)]
            matching = [d for d in shifted if d and date.fromisoformat(d).weekday() == named]
            if matching:
                day = date.fromisoformat(matching[0])
                out[i + 1] = dataclasses.replace(
                    dated, value=day.isoformat(), rule=dated.rule + ":weekday"
                )
        out[i] = dataclasses.replace(weekday, value=day.isoformat(), rule="weekday:apposition")
    return out


_QUARTER_VALUE = re.compile(r"^\d{4}-Q[1-4]$")
# Rules whose value gives "that year" its year.
_YEAR_GIVING_RULES = STATED_YEAR_RULES | {"bare_year"}


_COMPARISON = re.compile(
    r"\b(?:compared (?:with|to)|from|than|over|versus|vs\.|against|period)\b[^.;:]{0,60}$",
    re.IGNORECASE,
)


def _compares(span: Span, text: str) -> bool:
    """Whether "last year" is what a figure is compared with ("up from $2 last year",
    "last year's quarter"), not when something happened."""
    after = text[span.end : span.end + 2]
    before = text[max(0, span.start - 80) : span.start]
    return after in {"'s", "’s"} or bool(_COMPARISON.search(before))


def _a_year_back(item: Found, text: str) -> bool:
    """ "A year ago", "a year earlier", "the year-earlier period", and "last year" as what
    a figure is compared with: in a report on a quarter (earnings, output) these name
    that quarter a year before, as TimeML annotates them ("up from $2 a year ago" after
    "in the third quarter" is last year's third quarter)."""
    g = item.groups
    if item.rule == "year_earlier":
        return not g.get("which")
    if item.rule == "relative_year":  # "compared with $3 million last year"
        return (g.get("which") or "").lower() == "last" and _compares(item.span, text)
    if item.rule not in {"ago", "chained"} or not (g.get("unit") or "").lower().startswith("year"):
        return False
    if item.rule == "chained" and (g.get("direction") or "").lower() not in {"earlier", "before"}:
        return False
    return (g.get("count") or "").lower() in {"a", "one", "1"}


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


_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen""".split()
    )
} | {
    word: 10 * (i + 2)
    for i, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}


def spelled_year(words: str) -> int:
    """ "nineteen ninety-six" -> 1996, "nineteen oh five" -> 1905, "two thousand and one"
    -> 2001 (the forms `times.py` recognises)."""
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w not in {"and", "hundred", "oh"}]
    if parts[:2] == ["two", "thousand"]:
        return 2000 + sum(_NUMBER_WORDS[w] for w in parts[2:])
    return 1900 + sum(_NUMBER_WORDS[w] for w in parts[1:])


def _resolve_one(
    item: Found, anchor: date | None, last_day: tuple[date, Span] | None, text: str
) -> tuple[str | None, str]:
    g = item.groups
    rule = item.rule
    if item.kind in {"duration", "vague"}:
        return None, rule
    if rule in {"month_day_year", "day_month_year"}:
        return iso_day(int(g["year"] or 0), month_number(g["month"]), int(g["day"] or 0)), rule
    if rule == "month_year":
        return iso_month(int(g["year"] or 0), month_number(g["month"])), rule
    if rule in {"year", "bare_year"}:
        year = int(g["year"] or 0)
        return (f"{year:04d}" if MIN_YEAR <= year <= MAX_YEAR else None), rule
    if rule == "spelled_year":
        year = spelled_year(g["spelled"] or "")
        if g.get("month"):
            return iso_month(year, month_number(g["month"])), rule
        return f"{year:04d}", rule
    if rule == "month_relative_year":
        if anchor is None:
            return None, rule + ":no_anchor"
        shift = {"last": -1, "next": 1}.get((g["which"] or "").lower(), 0)
        return iso_month(anchor.year + shift, month_number(g["month"])), rule
    if rule in REFERENCE_RULES:
        return None, rule
    if rule == "decade":
        if g.get("decade"):
            return (g["decade"] or "")[:3], rule
        return f"19{_DECADE_WORDS[(g['words'] or '').lower()]}", rule
    if rule == "century":
        return f"{int(g['ordinal'] or 0) - 1:02d}", rule
    if rule in {"month_day", "day_month"}:
        if anchor is None:
            return None, rule + ":no_anchor"
        told = not happened_on(text, item.span)
        month, number = month_number(g["month"]), int(g["day"] or 0)
        return nearest_day(month, number, anchor, item.tense, told), (
            f"{rule}:{item.tense or 'nearest'}"
        )
    if rule == "chained" and (g["unit"] or "").lower().startswith(("month", "year")):
        # "a year earlier": from the last day the text gave, else from the anchor; "two
        # months before he leaves office" relates two events and names no date of its own
        if (g["direction"] or "").lower() in {"before", "after"}:
            return None, rule + ":relation"
        base = last_day[0] if last_day is not None else anchor
        if base is None:
            return None, rule + ":no_anchor"
        return _shifted(base, g["unit"] or "", _signed_count(g)), rule + ":coarse"
    if rule == "chained":
        if last_day is None:
            return None, rule + ":no_antecedent"
        day, span = last_day
        if item.span.start - span.end <= 3 and text[span.end : item.span.start].strip() in {
            ",",
            "",
        }:
            return day.isoformat(), rule + ":apposition"  # "On Dec. 11, a day before …"
        days = _signed_count(g) * UNITS[(g["unit"] or "day").lower()]
        return (day + timedelta(days=days)).isoformat(), rule
    if anchor is None:
        return None, rule + ":no_anchor"
    if rule == "vague_ago":
        return None, rule
    if rule == "ago":
        unit = (g["unit"] or "day").lower()
        if unit.startswith("decade"):  # "a decade ago" is a year, as "ten years ago" is
            return _shifted(anchor, "year", -10 * _count(g["count"])), rule
        if unit.startswith(("month", "year")):
            return _shifted(anchor, unit, -_count(g["count"])), rule
        if unit.startswith("week"):
            return _iso_week(anchor - timedelta(weeks=_count(g["count"]))), rule
        days = _count(g["count"]) * UNITS[unit]
        return (anchor - timedelta(days=days)).isoformat(), rule
    if rule == "quarter":
        return _quarter(g, anchor, item.tense), rule
    if rule == "year_earlier":  # last year's quarter where a quarter is in focus (`resolve`)
        if g.get("which"):
            return f"{anchor.year - 1:04d}-Q{_QUARTERS[(g['which'] or '').lower()]}", rule
        return f"{anchor.year - 1:04d}", rule
    if rule == "season":
        return _season(g, anchor, item.tense), rule
    if rule == "quarter_of_year":  # "the third quarter of 1984" -> 1984-Q3
        return _quarter_of_year(g, anchor), rule
    if rule == "half_year":  # "the first half of 1990" -> 1990-H1
        year = _year_named(g.get("year"), g.get("which"), anchor)
        half = 1 if (g["half"] or "").lower() == "first" else 2
        return f"{year:04d}-H{half}", rule
    if rule == "holiday":
        how = (g.get("which") or item.tense or "nearest").lower()
        return _holiday(g, anchor, item.tense), f"{rule}:{how}"
    if rule == "this_year":  # "the past year", "the latest fiscal year": the one before
        before = 1 if (g.get("which") or "").lower() in {"past", "latest"} else 0
        return f"{anchor.year - before:04d}", rule
    if rule == "period_end":  # the year's last day, or the month; "since": the last one past
        since = bool(g.get("since"))
        if (g.get("unit") or g.get("unit2") or "").lower() == "month":
            return _shifted(anchor, "month", -1 if since else 0), rule
        return iso_day(anchor.year - (1 if since and anchor.month < 12 else 0), 12, 31), rule
    if rule == "relative_day":
        word = (g["word"] or "").lower()
        shift = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
        return (anchor + timedelta(days=shift)).isoformat(), rule
    if rule == "relative_week":
        return _relative_week(g, anchor, item.future), rule
    if rule in {"relative_month", "relative_year"}:  # "last month", "next year"
        shift = {"last": -1, "next": 1}.get((g["which"] or "this").lower(), 0)
        return _shifted(anchor, rule.removeprefix("relative_"), shift), rule
    if rule == "weekday":
        return _weekday(
            WEEKDAYS[(g["weekday"] or "").lower()], (g["which"] or "").lower(), anchor, item.future
        ).isoformat(), f"{rule}:{item.tense or 'past'}"
    if rule == "month":
        month = month_number(g["month"])
        which = (g.get("which") or "").lower()
        if which:  # "this May" in the anchor's year; "last May", "next May" the nearest
            year = anchor.year + {"last": -1, "next": 1}.get(which, 0)
            # in October, "last April" is this year's; in March, "last February" is a
            # year back, since the month just gone is "last month" (TempEval-3: 6 of 6)
            if (which == "next" and month > anchor.month) or (
                which == "last" and month < anchor.month - 1
            ):
                year = anchor.year
            return iso_month(year, month), f"{rule}:{which}"
        year = anchor.year
        if item.tense == "future" and month < anchor.month:
            year += 1
        elif item.tense == "past" and month > anchor.month:
            year -= 1
        elif item.tense is None and abs(month - anchor.month) > 6:
            year += 1 if month < anchor.month else -1  # the nearer of the two
        back = (anchor.year - year) * 12 + anchor.month - month
        told = not happened_on(text, item.span)
        if item.tense == "past" and back >= _FAR_PAST_MONTHS and told:
            year += 1  # "in January", told in December, is next month, not eleven back
        return iso_month(year, month), f"{rule}:{item.tense or 'nearest'}"
    return None, rule


def _year_quarter(item: Found, focus: str | None) -> tuple[str | None, str]:
    """ "The 1988 third quarter" is 1988-Q3; "the 1988 period" the quarter the report is
    about (the one in focus), that year; with none in focus, the year."""
    year = int(item.groups["year"] or 0)
    which = (item.groups.get("which") or "").lower()
    if which:
        return f"{year:04d}-Q{_QUARTERS[which]}", item.rule
    if focus is not None:
        return f"{year:04d}{focus[4:]}", item.rule + ":focus"
    return f"{year:04d}", item.rule


def _that_year(item: Found, year: int | None) -> tuple[str | None, str]:
    """ "Later that year", "the same year", "the following year": the year the text last
    stated, or the one after it; none when it stated none."""
    if year is None:
        return None, item.rule + ":no_antecedent"
    following = 1 if item.groups.get("following") else 0
    return f"{year + following:04d}", item.rule


def holiday_day(name: str, year: int) -> date:
    """The day a holiday of the US calendar falls on in `year`."""
    name = name.lower().replace("’", "'").removesuffix(" day")
    fixed = {
        "christmas": (12, 25), "christmas eve": (12, 24), "new year's": (1, 1),
        "new year's eve": (12, 31), "halloween": (10, 31), "veterans": (11, 11),
    }  # fmt: skip
    if name in fixed:
        return date(year, *fixed[name])
    if name == "memorial":  # the last Monday of May
        last = date(year, 5, 31)
        return last - timedelta(days=last.weekday())
    month, weekday, nth = {
        "thanksgiving": (11, 3, 4),  # the fourth Thursday of November
        "labor": (9, 0, 1),  # the first Monday of September
        "election": (11, 0, 1),  # the Tuesday after the first Monday of November
    }[name]
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day + timedelta(days=1) if name == "election" else day


def _holiday(g: dict[str, str | None], anchor: date, tense: str | None) -> str:
    """The holiday's day: "this" in the anchor's year, "last" the one past, "next" the one
    to come; otherwise the clause's tense decides, and with none the nearer one."""
    name = g["holiday"] or ""
    which = (g.get("which") or "").lower()
    days = [holiday_day(name, year) for year in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if which == "this":
        chosen = days[1]
    elif which == "last" or (not which and tense == "past"):
        chosen = max(d for d in days if d < anchor or (d == anchor and which != "last"))
    elif which == "next" or tense == "future":
        chosen = min(d for d in days if d > anchor or (d == anchor and which != "next"))
    else:
        chosen = min(days, key=lambda d: (abs((d - anchor).days), d > anchor))
    return chosen.isoformat()


def _shifted(base: date, unit: str, amount: int) -> str | None:
    """A month ("YYYY-MM") or year ("YYYY") `amount` units from `base`."""
    unit = unit.lower()
    if unit.startswith("month"):
        index = base.year * 12 + base.month - 1 + amount
        return iso_month(index // 12, index % 12 + 1)
    year = base.year + amount
    return f"{year:04d}" if MIN_YEAR <= year <= MAX_YEAR else None


def _year_named(number: str | None, which: str | None, anchor: date) -> int:
    """The year a text names by its number ("1990") or by "this", "last" or "next"."""
    if number:
        return int(number)
    return anchor.year + {"last": -1, "next": 1}.get((which or "").lower(), 0)


def _quarter_of_year(g: dict[str, str | None], anchor: date) -> str:
    """ "YYYY-Qn" of the year named; "the first two quarters" are its first half."""
    year = _year_named(g.get("year"), g.get("rel") or g.get("rel2"), anchor)
    quarter = (g.get("which") or g.get("which2") or "").lower()
    if quarter.endswith(" two"):
        return f"{year:04d}-H{1 if quarter.startswith('first') else 2}"
    return f"{year:04d}-Q{_QUARTERS[quarter]}"


def _quarter(g: dict[str, str | None], anchor: date, tense: str | None) -> str:
    """ "YYYY-Qn": an ordinal quarter in the anchor's year if it has begun; "the quarter",
    "the latest quarter", "last quarter" the one before the anchor's (the one just
    reported); "this"/"current" the anchor's; "next" the one after."""
    current = (anchor.month - 1) // 3 + 1
    which = (g["which"] or "").lower().replace("fiscal ", "")
    index = anchor.year * 4 + current - 1
    if which in _QUARTERS:  # a quarter not begun is last year's unless the clause looks ahead
        number = _QUARTERS[which]
        year = anchor.year - (1 if number > current and tense != "future" else 0)
        return f"{year:04d}-Q{number}"
    index += {"this": 0, "current": 0, "same": 0, "next": 1}.get(which, -1)
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def _season(g: dict[str, str | None], anchor: date, tense: str | None) -> str:
    """ "YYYY-SU" (TimeML): "this summer" is the anchor's year; "last summer" the latest
    one over before the anchor's month; "next summer" the first to begin after it; with
    neither, the clause's tense picks the latest begun or the first to come."""
    code = SEASONS[(g["season"] or "").lower()]
    which = (g["which"] or "").lower()
    start = _SEASON_START[code]
    now = anchor.year * 12 + anchor.month - 1

    def first_month(year: int) -> int:
        return year * 12 + start - 1

    years = range(anchor.year - 2, anchor.year + 3)
    if which == "this" or (which not in {"last", "this past", "next"} and tense is None):
        return f"{anchor.year:04d}-{code}"
    if which in {"last", "this past"}:
        year = max(y for y in years if first_month(y) + 2 < now)
    elif which == "next" or tense == "future":
        year = min(y for y in years if first_month(y) > now)
    else:
        year = max(y for y in years if first_month(y) <= now)
    return f"{year:04d}-{code}"


def _relative_week(g: dict[str, str | None], anchor: date, future: bool) -> str:
    """ISO week: "this week", "last week", "next week"; a weekend is the week of its
    Saturday, the one just past unless the clause looks ahead ("over the weekend")."""
    which = (g["which"] or "").lower()
    if (g["unit"] or g.get("unit2") or "week").lower() == "weekend":
        if which == "next" or (future and which != "last"):
            day = anchor + timedelta(days=(5 - anchor.weekday()) % 7)
        else:
            day = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
            if which == "last" and anchor.weekday() >= 5:
                day -= timedelta(days=7)
        return _iso_week(day) + "-WE"
    return _iso_week(anchor + timedelta(weeks={"last": -1, "past": -1, "next": 1}.get(which, 0)))


def _iso_week(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def month_number(name: str | None) -> int:
    return MONTHS[(name or "").rstrip(".").lower()]


def _signed_count(g: dict[str, str | None]) -> int:
    """ "two days later" +2, "a year earlier" -1."""
    later = (g["direction"] or "").lower() in {"later", "after", "afterwards"}
    return _count(g["count"]) * (1 if later else -1)


def _count(word: str | None) -> int:
    word = (word or "1").lower()
    return int(word) if word.isdigit() else NUMBERS.get(word, 1)


def iso_day(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD, or None for a day that does not exist ("February 30")."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if MIN_YEAR <= year <= MAX_YEAR else None


def nearest_day(
    month: int, day: int, anchor: date, tense: str | None, told: bool = True
) -> str | None:
    """The date with this month and day nearest the anchor, in the tense's direction
    when the text gives one ("will begin on Jan. 20" looks ahead, "fired on Nov. 19"
    back), else nearest either way ("takes office on January 20"). A past so far back
    that the day is weeks ahead is the telling's ("extended the offer to Nov. 20", told
    in November a year on), unless `told` is False: a past verb governs the day itself
    ("the strike began on Dec. 11")."""
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
        ahead = [c for c in candidates if c > anchor]
        far_back = (anchor - chosen).days > _FAR_PAST_MONTHS * _MONTH_DAYS
        near_ahead = bool(ahead) and (min(ahead) - anchor).days < _NEAR_AHEAD_DAYS
        if far_back and near_ahead and told:
            chosen = min(ahead)  # the clause's past is the telling's, not the day's
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
