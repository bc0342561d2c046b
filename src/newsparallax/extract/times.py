"""Temporal expressions: found by rule (this module), resolved to the calendar against
an anchor (`timevalues.py`), the anchor being the publication day (`publication.py`).

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

import re
from bisect import bisect_right
from dataclasses import dataclass

from newsparallax.extract.segment import TITLE_ABBREVIATIONS
from newsparallax.model import Span

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

MONTH_PATTERN = (
    r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_FULL_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September"
    r"|October|November|December)"
)
DAY_PATTERN = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR_PATTERN = r"(?P<year>1[89]\d\d|2[01]\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_COUNT = r"(?P<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_FUTURE = re.compile(
    r"\b(?:will|shall|won['’]t|(?:set|due|going|poised|about) to|plans? to|planning to|"
    r"(?:this|the) coming|"
    r"(?:planned|scheduled)(?= (?:a|an|the|for|to|on)\b)|is to|are to|upcoming|next(?! to\b)|"
    r"expected|payable|"
    r"(?:postponed|delayed|put off) until|as (?:soon|early) as)\b|['’]ll\b",
    re.IGNORECASE,
)
_SINCE = re.compile(r"\bsince\s+(?:\S+\s+){0,3}$", re.IGNORECASE)
_FOR_DAY = re.compile(r"\bfor\s+(?:next\s+|this\s+)?$", re.IGNORECASE)
_MONTH_ALONE = re.compile(_FULL_MONTH)
# "invited … to talks on Sunday", "summoned to a hearing on Monday": the meeting one is
# asked to is ahead, whatever the tense of the asking ("went to talks on Sunday" is not).
_TO_MEETING = re.compile(
    r"\b(?:invit|summon|call|ask|urg)\w*\b[^.;:]*?"
    r"\bto\s+(?:(?:a|an|the|fresh|new|further|urgent|emergency|peace|crisis)\s+)*"
    r"(?:talks|meetings?|negotiations|summit|hearing|vote|conference|session|ceremony)"
    r"\s+(?:on|next|this)\s+$",
    re.IGNORECASE,
)
_AFTER_CLAUSE_END = re.compile(r"[,;:—–()]|\s(?:and|but|while|as)\s|[.!?](?:\s|$)")
_SENTENCE_END = re.compile(r"[.!?][”’\"']?\s+(?=[A-Z“\"])|\n")
# A period that ends a title, an initial or "a.m." ends no sentence: "at 4 a.m. EDT
# Thursday", "Daniel P. Davison Feb. 1" would otherwise lose the "will" before them.
_ABBREVIATION = re.compile(rf"(?:\b(?:[ap]\.m|{TITLE_ABBREVIATIONS})|(?<![\w.])[A-Z])\.$")
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|told|won|began|took|came|went|met|made|gave|fell|rose|"
    r"struck|held|led|saw|became|brought|fought|sent|spoke|wrote|bought|sold|paid|left|"
    r"lost|found|kept|built|spent|thought|sought|caught|taught|knew|grew|threw|drew|"
    r"flew|chose|broke|stood|ran|fled|"
    # a lower-case word in -ed, less the ones that are no past ("United", "Ahmed",
    # "three hundred", "will succeed")
    r"(?!(?:hundred|kindred|sacred|naked|wicked|beloved|rugged|succeed|proceed|exceed|"
    r"indeed|need|speed|breed|bleed|feed|embed|shed)\b)(?-i:[a-z]\w{2,}ed))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Pattern:
    """One rule's expression. `needs`: words its every match contains, as groups of
    which the text must hold one word each (`_DIGIT` for a digit), so that a text
    without them is not searched: most patterns match nothing in a given article, and
    searching for them was nine tenths of the stage's cost."""

    rule: str
    regex: re.Pattern[str]
    kind: str = "date"
    needs: tuple[frozenset[str], ...] = ()

    def may_match(self, words: frozenset[str]) -> bool:
        return all(not group.isdisjoint(words) for group in self.needs)


def _p(
    rule: str,
    pattern: str,
    kind: str = "date",
    flags: int = 0,
    needs: tuple[frozenset[str], ...] = (),
) -> Pattern:
    return Pattern(rule, re.compile(pattern, flags), kind, needs)


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_DIGIT = frozenset({"0"})  # `text_words` adds "0" for a text with a digit
_FULL_MONTH_WORDS = _words(
    "january february march april may june july august september october november december"
)
_MONTH_WORDS = _FULL_MONTH_WORDS | _words("jan feb mar apr jun jul aug sept sep oct nov dec")
_WEEKDAY_WORDS = _words("monday tuesday wednesday thursday friday saturday sunday")
_UNIT_WORDS = _words("day days week weeks month months year years")
_LETTERS = re.compile(r"[a-z]+")
_A_DIGIT = re.compile(r"\d")


def text_words(text: str) -> frozenset[str]:
    """The runs of letters of a text, lower-cased, and "0" when it has a digit: what
    `Pattern.needs` is checked against."""
    lowered = text.lower()
    words = set(_LETTERS.findall(lowered))
    if _A_DIGIT.search(text):
        words.add("0")
    return frozenset(words)


# Longest and most specific first: a span taken by one pattern is not read again.
PATTERNS: tuple[Pattern, ...] = (
    _p(
        "count",
        r"\b\d[\d,]*(?:st|nd|rd|th) (?:day|week|month|year|anniversary)\b",
        "count",
        needs=(_DIGIT, _words("day week month year anniversary")),
    ),
    _p(
        "month_day_year",
        rf"\b{MONTH_PATTERN} {DAY_PATTERN},? {YEAR_PATTERN}\b",
        needs=(_MONTH_WORDS, _DIGIT),
    ),
    _p(
        "day_month_year",
        rf"\b{DAY_PATTERN} {MONTH_PATTERN},? {YEAR_PATTERN}\b",
        needs=(_MONTH_WORDS, _DIGIT),
    ),
    _p("month_year", rf"\b{MONTH_PATTERN},? {YEAR_PATTERN}\b", needs=(_MONTH_WORDS, _DIGIT)),
    _p(
        # broadcast transcripts spell years out: "nineteen ninety-six", "January
        # nineteen ninety-seven", "the year two thousand"
        "spelled_year",
        rf"\b(?:{_FULL_MONTH} |the year )?(?P<spelled>nineteen(?: hundred)?"
        rf"(?: and)? (?:(?:{_TENS})(?:[- ](?:{_ONES}))?|{_TEENS}|oh[- ](?:{_ONES}))"
        rf"|two thousand(?: and (?:{_ONES}|{_TEENS}))?)\b",
        flags=re.IGNORECASE,
        needs=(_words("nineteen thousand"),),
    ),
    _p(
        # "June last year": that month of the year before
        "month_relative_year",
        rf"\b{_FULL_MONTH} (?P<which>last|next|this) year\b",
        needs=(_FULL_MONTH_WORDS, _words("year")),
    ),
    _p("month_day", rf"\b{MONTH_PATTERN} {DAY_PATTERN}\b(?!:\d)", needs=(_MONTH_WORDS, _DIGIT)),
    _p("day_month", rf"\b{DAY_PATTERN} {_FULL_MONTH}\b", needs=(_FULL_MONTH_WORDS, _DIGIT)),
    _p(
        "chained",
        rf"\b{_COUNT} (?P<unit>days?|weeks?|months?|years?) "
        r"(?P<direction>later|earlier|after|before|afterwards)\b",
        flags=re.IGNORECASE,
        needs=(_UNIT_WORDS, _words("later earlier after before afterwards")),
    ),
    _p(
        "ago",
        rf"\b{_COUNT} (?P<unit>days?|weeks?|months?|years?|decades?) ago\b",
        flags=re.IGNORECASE,
        needs=(_words("ago"),),
    ),
    _p(
        # "a few years ago": a time before the text's, recognised without a value
        "vague_ago",
        r"\b(?:a few|several|many) (?:days|weeks|months|years|decades) ago\b",
        flags=re.IGNORECASE,
        needs=(_words("ago"),),
    ),
    _p(
        # "the year-earlier period", "the year-ago third quarter", "year-earlier levels"
        "year_earlier",
        r"\b(?:the )?year[- ](?:earlier|ago)(?: (?:(?P<which>first|second|third|fourth) )?"
        r"(?:period|quarter))?\b",
        flags=re.IGNORECASE,
        needs=(_words("year"), _words("earlier ago")),
    ),
    _p(
        # "the 1988 third quarter", "the 1989 period" (a report's quarter, that year)
        "year_quarter",
        r"\bthe (?P<year>1[89]\d\d|20\d\d) (?:(?P<which>first|second|third|fourth) )?"
        r"(?:fiscal )?(?:quarter|period)\b",
        flags=re.IGNORECASE,
        needs=(_DIGIT, _words("quarter period")),
    ),
    _p(
        # a quarter and the year it is of: "the third quarter of 1984", "this year's third
        # quarter", "the first two quarters of 1990" (a half: YYYY-H1)
        "quarter_of_year",
        r"\b(?:the )?(?P<which>first|second|third|fourth|first two|last two)[- ](?:fiscal )?"
        r"quarters? of (?:fiscal )?(?:(?P<year>1[89]\d\d|20\d\d)\b|(?P<rel>this|last|next) year\b)"
        r"|\b(?P<rel2>this|last|next) year['’]s (?P<which2>first|second|third|fourth) quarter\b",
        flags=re.IGNORECASE,
        needs=(_words("quarter quarters"), _words("of year")),
    ),
    _p(
        # "the first half of 1990", "the second half of this year": TimeML's YYYY-H1/H2
        "half_year",
        r"\b(?:the )?(?P<half>first|second|last|latter) half of (?:(?P<year>1[89]\d\d|20\d\d)"
        r"|(?P<which>this|last|next) year|the year)\b",
        flags=re.IGNORECASE,
        needs=(_words("half"),),
    ),
    _p(
        # fixed and movable holidays of the US calendar (TimeML dates them: "found on
        # Thanksgiving Day" is 1999-11-25); not "Orthodox Christmas", not "Labour Day"
        "holiday",
        r"\b(?:(?P<which>[Ll]ast|[Nn]ext|[Tt]his) )?(?<!Orthodox )(?P<holiday>Thanksgiving"
        r"(?: Day)?|Christmas(?: Day| Eve)?|New Year['’]s (?:Day|Eve)|Halloween|Labor Day"
        r"|Memorial Day|Veterans Day|Election Day)(?!['’]s\b)",
        # no gate: with no word boundary after it, "Christmas" is found in "Christmastime"
    ),
    _p(
        # the end of the year or month the text speaks from: "by year-end", "by the end
        # of the month", "since year-end" (the last one past)
        "period_end",
        r"\b(?:(?P<since>since) )?(?:the end of (?:the |this )?(?P<unit>year|month)"
        r"|(?P<unit2>year|month)[- ]end)\b",
        flags=re.IGNORECASE,
        needs=(_words("year month"), _words("end")),
    ),
    _p(
        # the year a text speaks from, named without its number: "the current fiscal
        # year", "for the full year", "earlier in the year" ("for the year ended Sept.
        # 30" is a span of time); "the past year", "the latest fiscal year" the one before
        "this_year",
        r"\b(?:the )?(?P<which>current|full|present|past|latest)(?: fiscal)? year\b"
        r"|\bthe fiscal year\b(?! (?:19|20)\d\d| end)"
        r"|(?<=\b[Ff]or )the year\b(?![- ](?:ago|earlier|before|after|19|20|two|end))"
        r"|\b(?:earlier|later) in the year\b",
        flags=re.IGNORECASE,
        needs=(_words("year"),),
    ),
    _p(
        # a year given by the text before: "later that year", "the following year"
        "that_year",
        r"\b(?:(?:later|earlier) )?(?:that|the same) year\b|\bthe (?P<following>following) year\b",
        flags=re.IGNORECASE,
        needs=(_words("year"),),
    ),
    _p(
        "quarter",
        r"\b(?:the )?(?:(?P<which>first|second|third|fourth|1st|2nd|3rd|4th|latest|last|"
        r"current|this|next|same|fiscal (?:first|second|third|fourth))[- ])quarter\b"
        r"|\bthe (?P<bare>)quarter\b|\bthe latest period\b",
        flags=re.IGNORECASE,
        needs=(_words("quarter period"),),
    ),
    _p(
        "season",
        r"\b(?P<which>this past|this|last|next|early|late|[Ii]n the|[Tt]he) "
        r"(?P<season>spring|summer|fall|autumn|winter)\b(?! (?:of|\d))",
        flags=re.IGNORECASE,
        needs=(_words("spring summer fall autumn winter"),),
    ),
    _p(
        "decade",
        r"\b(?:the )?(?:(?:early|late|mid-?) ?)?(?P<decade>1[89]\d0|20\d0)['’]?s\b"
        r"|\bthe (?P<words>twenties|thirties|forties|fifties|sixties|seventies|eighties"
        r"|nineties)\b",
        flags=re.IGNORECASE,
        needs=(
            _DIGIT
            | _words("twenties thirties forties fifties sixties seventies eighties nineties"),
        ),
    ),
    _p(
        "century",
        r"\bthe (?P<ordinal>1\d|2[01])(?:st|nd|rd|th) century\b",
        flags=re.IGNORECASE,
        needs=(_words("century"),),
    ),
    _p(
        "vague_chained",
        r"\b(?:days|weeks|months) (?:after|before|later|earlier)\b",
        "vague",
        re.IGNORECASE,
        needs=(_words("days weeks months"),),
    ),
    _p(
        "duration",
        r"\b(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
        r"several|few|many)[- ](?:hours?|days?|weeks?|months?|years?|decades?)\b",
        "duration",
        re.IGNORECASE,
        needs=(_UNIT_WORDS | _words("hour hours decade decades"),),
    ),
    _p(
        "relative_week",
        r"\b(?P<which>earlier this|later this|this|last|next|past) (?P<unit>week|weekend)\b|"
        r"\bover the (?P<which2>)(?P<unit2>weekend)\b|"
        r"(?<=\b[Ff]or )the week\b(?! (?:of|before|after|ended|ending)\b)"
        r"|\bthe week(?=['’]s\b)",
        "date",
        re.IGNORECASE,
        needs=(_words("week weekend"),),
    ),
    _p(
        "relative_month",
        r"\b(?P<which>earlier this|later this|this|last|next) month\b",
        "date",
        re.IGNORECASE,
        needs=(_words("month"),),
    ),
    _p(
        "relative_year",
        r"\b(?P<which>earlier this|later this|this|last|next) year\b",
        "date",
        re.IGNORECASE,
        needs=(_words("year"),),
    ),
    _p(
        "relative_day",
        r"\b(?P<word>today|yesterday|tomorrow|tonight|last night)\b",
        "date",
        re.IGNORECASE,
        needs=(_words("today yesterday tomorrow tonight night"),),
    ),
    _p(
        "weekday",
        rf"\b(?:(?P<which>last|next|this) )?{_WEEKDAY}(?:['’]s)?"
        r"(?: (?:morning|afternoon|evening|night))?\b",
        needs=(_WEEKDAY_WORDS,),
    ),
    _p(
        "month",
        rf"\b(?:(?P<which>[Ll]ast|[Nn]ext|[Tt]his)|[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Dd]uring"
        rf"|[Tt]hroughout|[Ee]arly|[Ll]ate|[Mm]id-?|[Bb]efore|[Aa]fter) (?:early |late |mid-)?"
        rf"{_FULL_MONTH}\b(?! \d)",
        needs=(_FULL_MONTH_WORDS,),
    ),
    # a month named after "for", "of", "to" ("figures for January", "the end of
    # November"), before a noun ("a June agreement") or as an owner ("December's
    # figures"); never "May" (a verb, a name: "Theresa May's")
    _p(
        "month",
        r"(?:(?<=\b[Ff]or )|(?<=\b[Oo]f )|(?<=\b[Tt]o )|(?<=\b[Tt]hrough )"
        r"|(?<=\b[Aa] )|(?<=\b[Aa]n )|(?<=\b[Ii]ts )|(?<=\b[Tt]heir ))"
        rf"(?!May\b){_FULL_MONTH}\b(?! \d)(?! [A-Z])",
        needs=(_FULL_MONTH_WORDS,),
    ),
    _p("month", rf"\b(?!May\b){_FULL_MONTH}(?=['’]s\b)", needs=(_FULL_MONTH_WORDS,)),
    _p(
        "year",
        rf"(?:\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Oo]f|[Ff]or|[Dd]uring"
        rf"|[Tt]hroughout|[Ee]arly|[Ll]ate|[Bb]efore|[Aa]fter) |\()(?:early |late |mid-)?"
        rf"{YEAR_PATTERN}\b"
        r"(?!,\d|\d)",
        needs=(_DIGIT,),
    ),
    _p(
        "bare_year",
        r"(?<![\d,.$£€#-])\b(?P<year>19\d\d|20\d\d)\b(?![,.]\d|\d|%| percent|-\d)"
        r"(?! (?:people|persons|men|women|children|workers|troops|soldiers|jobs|units|times"
        r"|points|feet|miles|meters|metres|tons|tonnes|homes|houses|cars|votes|members"
        r"|employees|residents|students|[a-z]+s\b))",
        needs=(_DIGIT,),
    ),
    # Chosen on TempEval-3 training: kept where TimeML marks the word more often than
    # not ("now", "recently", "the future"); left out where it mostly does not
    # ("previously", "the past", "soon", "current" as an adjective).
    _p(
        "present_ref",
        r"\b(?:right now|for now|now|currently|at present|presently|nowadays|these days)\b",
        "date",
        re.IGNORECASE,
        needs=(_words("now currently present presently nowadays days"),),
    ),
    _p(
        "past_ref",
        r"\b(?:recently|(?:in )?recent (?:days|weeks|months|years))\b",
        "date",
        re.IGNORECASE,
        needs=(_words("recently recent"),),
    ),
    _p(
        "future_ref",
        r"\b(?:in the future|the future|in future|(?:the )?coming (?:days|weeks|months|years))\b",
        "date",
        re.IGNORECASE,
        needs=(_words("future coming"),),
    ),
)

# Rules whose value states its year in full ("in 2012", "May 2012", "July 7, 2012"). A
# bare "2012" is left out: it may be a count ("2012 delegates") as well as a year.
STATED_YEAR_RULES = frozenset(
    {"year", "month_year", "month_day_year", "day_month_year", "spelled_year"}
)
# Rules whose expression names a time relative to the present without a calendar value
# (TimeML's PRESENT_REF, PAST_REF, FUTURE_REF): recognised, value None.
REFERENCE_RULES = frozenset({"present_ref", "past_ref", "future_ref"})


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
    words = text_words(text)
    starts = SentenceStarts(text)
    for pattern in PATTERNS:
        if not pattern.may_match(words):
            continue
        for match in pattern.regex.finditer(text):
            span = _trim(text, Span(match.start(), match.end()), pattern.rule)
            if any(span.start < t.end and t.start < span.end for t in taken):
                continue
            taken.append(span)
            if pattern.kind == "count":
                continue  # "1,000th day": a count, not a date; the span is only blocked
            found.append(
                Found(
                    span,
                    pattern.rule,
                    pattern.kind,
                    match.groupdict(),
                    tense_at(text, span, starts),
                )
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


_PAST_ON = re.compile(rf"(?:{_PAST.pattern})\s+(?:on|in)\s+$", re.IGNORECASE)


def happened_on(text: str, span: Span) -> bool:
    """Whether a past verb governs the date directly ("the strike began on Dec. 11",
    "fired in March"): the past is the event's own, never a telling's."""
    return bool(_PAST_ON.search(text, max(0, span.start - 40), span.start))


class SentenceStarts:
    """Where the sentence that holds a position starts, as `_SENTENCE_END` searched from
    the text's start up to that position finds it, from one search of the whole text:
    searching again for each date cost the square of a long text's length (15,000 words:
    1.4 s for the whole stage, 0.2 s now).

    A search stopped at the position cannot see the capital after a sentence end that
    reaches it ("… said. Monday"), so that end is not one there; the line breaks inside
    it are, as that search finds them.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._found = [
            (m.start(), m.end())
            for m in _SENTENCE_END.finditer(text)
            if not _ABBREVIATION.search(text, max(0, m.start() - 5), m.start() + 1)
        ]
        self._ends = [end for _, end in self._found]

    def at(self, position: int) -> int:
        index = bisect_right(self._ends, position) - 1
        if index + 1 < len(self._found) and self._found[index + 1][0] < position:
            # a sentence end that runs past the position: only its line breaks before it
            newline = self._text.rfind("\n", self._found[index + 1][0], position)
            if newline >= 0:
                return newline + 1
        while index >= 0:
            start, end = self._found[index]
            if end < position or self._text[start] == "\n":
                return end
            newline = self._text.rfind("\n", start, end)
            if newline >= 0:
                return newline + 1
            index -= 1
        return 0


def tense_at(text: str, span: Span, starts: SentenceStarts | None = None) -> str | None:
    """The tense of what the sentence says about the span.

    The nearest marker before it in the sentence decides ("will", "is set to" against
    "fired", "was"); with none before, the first marker after it does ("On Nov. 19,
    Ukraine fired …"). None when the sentence has neither ("takes office on January 20").
    `starts`: the text's sentence starts, where many spans of one text are asked about.
    """
    sentence_start = (starts or SentenceStarts(text)).at(span.start)
    before = text[sentence_start : span.start]
    if _SINCE.search(before):  # "on patrol since March": the start of what goes on
        return "past"
    for_day = _FOR_DAY.search(before) and not _MONTH_ALONE.fullmatch(span.of(text))
    if for_day or _TO_MEETING.search(before):
        # "called talks for Sunday", "invited them to talks on Sunday"; but the figures
        # "for October" are a month's, reported after it
        return "future"
    future = [m.end() for m in _FUTURE.finditer(before)]
    past = [m.end() for m in _past_markers(before) if m.end() not in future]
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
    first_past = next(
        (m for m in _past_markers(rest) if not first_future or m.end() != first_future.end()),
        None,
    )
    if first_future and (not first_past or first_future.start() < first_past.start()):
        return "future"
    return "past" if first_past else None


# A participle after a modal's "be"/"have" is not the past: "will be named", "is to be
# held", "would have gone".
_MODAL_BEFORE = re.compile(
    r"\b(?:will|shall|would|could|should|may|might|must|can|to)\s+(?:be|have(?:\s+been)?)\s+$",
    re.IGNORECASE,
)


_MODAL_REACH = len("should have been ")  # the longest a modal's "be" runs


def _past_markers(text: str) -> list[re.Match[str]]:
    """The past-tense markers of `text`, less participles a modal makes future."""
    return [
        m
        for m in _PAST.finditer(text)
        if not _MODAL_BEFORE.search(text, max(0, m.start() - _MODAL_REACH), m.start())
    ]
