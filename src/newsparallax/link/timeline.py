"""One timeline per story: dated events from every outlet, merged when they are one event.

Articles rarely say when they were published, so each one's anchor day is inferred
from its own dates (`extract/times.py`), and then checked against its story: an
article whose inferred day lies far from its story's (or that has none) is read again
in the story's year, or anchored on the story's day. Articles about one event are
written within days of each other; a text that only mentions "February 24, 2022" as
background is not from 2022.

An event is a sentence with a day- or month-precise date: what happened (the sentence
without its leading date, an opening "it" or "he" replaced by the name it stands for),
when it happened (not when it was reported), and who reports it. Two outlets' events are
one when they have the same date and speak of the same people or things (a shared
entity, the speaker of a quote among them, or enough shared words).

Every dated event stays on the timeline; those on the story's key days are marked, as a
journalist picks a few days for a timeline: the days enough of its articles refer to or
were published on (`key_days`). A day only one article names is most often background.
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections.abc import Iterable, Sequence
from datetime import date

from newsparallax.crosscheck.copies import originals, with_copies
from newsparallax.extract.publication import Anchor, date_article, dated_as_found
from newsparallax.extract.segment import StatementTest
from newsparallax.model import Annotated, Mention, MentionType, Span, Story, TimelineEvent

# An article's inferred day further than this from its story's is re-read in the story's year.
STORY_DAYS = 180
EVENT_MAX_WORDS = 30
# Without a shared person or organisation, two tellings are one event when they share
# this many content words and this share of all their content words.
SAME_EVENT_MIN_SHARED_WORDS = 2
SAME_EVENT_MIN_OVERLAP = 0.25
# What one article published on a day adds to the day's importance (a reference adds 1).
PUBLISHED_WEIGHT = 0.5
# What an article that refers to a day still ahead of it adds (a deadline, a hearing set):
# a plan, not yet an event; the articles that report it when it comes count in full.
AHEAD_WEIGHT = 0.5
_STOP = frozenset(
    """the and for that with from this have has had were was will would into over after
    before about their they them than then been also said says more most some such which
    when where while what there these those other being only just its his her our your""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}")
_LEADING = re.compile(r"^(?:on|in|by|since|until|early|late|earlier|later|from|as of)?\s*$", re.I)


def align_story_dates(docs: Sequence[Annotated], story: Story) -> tuple[Sequence[Annotated], Story]:
    """The story stage: re-date articles whose own dates place them far from their story."""
    by_id = {doc.id: doc for doc in docs}
    dated = {a: dated_as_found(by_id[a]) for a in story.article_ids if a in by_id}
    reference = _story_day(anchor for _, anchor in dated.values())
    for article_id, (doc, anchor) in dated.items():
        if reference is not None and not anchor.from_metadata and _far(anchor, reference):
            doc, anchor = date_article(by_id[article_id], reference.year, reference)
            if _far(anchor, reference):  # its own dates cannot place it near its story
                doc, anchor = date_article(by_id[article_id], reference.year, reference, force=True)
        if reference is not None and _only_a_lower_bound(anchor, reference):
            # "won the presidency on November 5" dates an event, not the article: it was
            # written on or after it, and its story says when
            doc, _ = date_article(by_id[article_id], reference.year, reference, force=True)
        by_id[article_id] = doc
    return [by_id[doc.id] for doc in docs], story


def _only_a_lower_bound(anchor: Anchor, reference: date) -> bool:
    """An inferred day before its story's, that the text allows to be the story's: the
    latest past date a text names bounds its day from below, it does not give it."""
    return (
        not anchor.from_metadata
        and anchor.day is not None
        and anchor.day < reference
        and (anchor.latest is None or reference <= anchor.latest)
    )


def _far(anchor: Anchor, reference: date) -> bool:
    return anchor.day is None or abs((anchor.day - reference).days) > STORY_DAYS


def _story_day(anchors: Iterable[Anchor]) -> date | None:
    """The median of the days the story's articles were surely written on, else of all."""
    known = [a for a in anchors if a.day is not None]
    sure = (
        [a.day for a in known if a.from_metadata]
        or [a.day for a in known if a.day_precise]
        or [a.day for a in known]
    )
    ordinals = sorted(d.toordinal() for d in sure if d is not None)
    return date.fromordinal(statistics.median_low(ordinals)) if ordinals else None


@dataclasses.dataclass(slots=True)
class _Event:
    date: str
    text: str
    words: set[str]
    entities: set[str]
    sources: set[str]
    evidence: list[str]
    scheduled: bool


_MONTH_OR_DAY = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def day_importance(docs: Sequence[Annotated]) -> dict[str, float]:
    """How much each day matters to these articles, the way an editor picks a timeline's
    dates: the number of articles that refer to the day (their own publication day
    aside; `AHEAD_WEIGHT` for one written before it), plus `PUBLISHED_WEIGHT` for each
    article published on it (coverage peaks on the days things happen).

    On Timeline17 (8 pools, told how many dates to pick) the top days by this score match
    the journalists' with mean Date-F1 0.5 (published baselines: 0.5-0.54).
    """
    score: dict[str, float] = {}
    for doc in docs:
        published = _published(doc) if doc.article.published else None
        days = {
            t.value
            for t in doc.times
            if t.kind == "date" and t.value and len(t.value) == len("YYYY-MM-DD")
        } - {published}
        for day in days:
            ahead = published is not None and day > published
            score[day] = score.get(day, 0.0) + (AHEAD_WEIGHT if ahead else 1.0)
        if published is not None:
            score[published] = score.get(published, 0.0) + PUBLISHED_WEIGHT
    return score


def pick_dates(days: Iterable[str], importance: dict[str, float], max_dates: int) -> set[str]:
    """The `max_dates` most important of `days` (ties: the earlier day), all when 0."""
    named = sorted(set(days))
    if max_dates <= 0 or len(named) <= max_dates:
        return set(named)
    return set(sorted(named, key=lambda d: (-importance.get(d, 0.0), d))[:max_dates])


def key_days(
    days: Iterable[str], importance: dict[str, float], key_evidence: float, max_dates: int = 0
) -> set[str]:
    """The days a journalist would put on the story's timeline: those at least
    `key_evidence` worth of its articles point to (`day_importance`: two articles that
    refer to the day, at the default), the `max_dates` most important of them when set.

    A day only one article mentions is most often background: the date of a past
    statement, a deadline, a meeting. On Timeline17's 8 pools the days that pass 2 match
    the journalists' with mean Date-F1 0.404 where every dated day gives 0.26; 1.5 and 2.5
    give 0.37 and 0.39, 1.0 and 3.0 give 0.29 and 0.40. A story's size moves this: the
    larger stories of the event-level grouping (issue 10) took it from 0.43, three pools
    up and five down; a share of the story's articles instead of a count did worse
    (0.39 at 5 %, 0.37 at 10 %).
    """
    strong = [d for d in set(days) if importance.get(d, 0.0) >= key_evidence]
    return pick_dates(strong, importance, max_dates)


def timeline_stage(
    docs: Sequence[Annotated],
    story: Story,
    *,
    max_dates: int = 0,
    key_evidence: float = 0.0,
) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's timeline, every dated event kept and those on its key
    days marked (`key_days`; at 0 evidence and no `max_dates`, every day is key)."""
    story = build_timeline(docs, story)
    return docs, mark_key_days(docs, story, key_evidence, max_dates)


def mark_key_days(
    docs: Sequence[Annotated], story: Story, key_evidence: float, max_dates: int = 0
) -> Story:
    """The story's timeline with each event marked `key` when it lies on one of the
    story's key days (`key_days`, weighed over its original articles)."""
    days = {e.date[:10] for e in story.timeline}
    chosen = key_days(days, day_importance(originals(docs, story)), key_evidence, max_dates)
    marked = tuple(dataclasses.replace(e, key=e.date[:10] in chosen) for e in story.timeline)
    return dataclasses.replace(story, timeline=marked)


def build_timeline(docs: Sequence[Annotated], story: Story) -> Story:
    """The story's events in date order, each with every article that reports it."""
    members = originals(docs, story)  # copies add their outlets, not events
    events: list[_Event] = []
    for doc in members:
        seen: set[tuple[int, str]] = set()
        statement = StatementTest(doc)
        for expression in doc.times:
            value = expression.value
            if not value or not _MONTH_OR_DAY.match(value) or expression.kind != "date":
                continue  # weeks, quarters, seasons and bare years are too coarse to place
            index = _sentence_index(doc, expression.span)
            if index is None or (index, value) in seen:
                continue
            seen.add((index, value))
            sentence = doc.sentences[index]
            if not statement(sentence):  # a caption, a subheading, a piece of a quote
                continue
            event = _event(doc, index, expression.span, value)
            _merge(events, event)
    events.sort(key=lambda e: (e.date, -len(e.sources), e.text))
    timeline = tuple(
        TimelineEvent(
            e.date,
            e.text,
            with_copies(e.sources, story),
            tuple(dict.fromkeys(e.evidence)),
            e.scheduled,
        )
        for e in events
    )
    return dataclasses.replace(story, timeline=timeline)


def _sentence_index(doc: Annotated, span: Span) -> int | None:
    for index, sentence in enumerate(doc.sentences):
        if sentence.start <= span.start < sentence.end:
            return index
    return None


def _event(doc: Annotated, index: int, when: Span, value: str) -> _Event:
    text = doc.article.text
    sentence = doc.sentences[index]
    words = sentence.of(text)
    lead = text[sentence.start : when.start]
    rest = text[when.end : sentence.end].lstrip(" ,")
    if _LEADING.match(lead) and rest:  # "On Nov. 19, Ukraine fired …" -> "Ukraine fired …"
        words = rest[:1].upper() + rest[1:]
    actor = _actor(doc, index, words)
    if actor is not None:  # "It fired …" -> "Ukraine fired …"
        words = actor.span.of(text) + words[len(words.split(" ", 1)[0]) :]
    tokens = words.split()
    if len(tokens) > EVENT_MAX_WORDS:
        words = " ".join(tokens[:EVENT_MAX_WORDS]) + " …"
    entities = {
        m.entity
        for m in doc.mentions
        if m.entity
        and sentence.start <= m.span.start < sentence.end
        and m.type in {MentionType.PERSON, MentionType.ORG}
    }
    if actor is not None and actor.entity and actor.type in {MentionType.PERSON, MentionType.ORG}:
        entities.add(actor.entity)
    entities |= _speakers(doc, sentence)
    return _Event(
        date=value,
        text=words,
        words={w.lower() for w in _WORD.findall(words)} - _STOP,
        entities=entities,
        sources={doc.id},
        evidence=[when.of(text)],
        scheduled=value > _published(doc),  # after the article was written: expected
    )


# The mention types a sentence-opening pronoun can stand for.
_PRONOUN_TYPES = {
    "he": {MentionType.PERSON},
    "she": {MentionType.PERSON},
    "it": {MentionType.PLACE, MentionType.ORG},
}


def _actor(doc: Annotated, index: int, words: str) -> Mention | None:
    """Who "he", "she" or "it" opening an event is: the first name of the right kind in
    the sentence before (its subject, most often: "On Nov. 19, Ukraine fired six
    missiles. Two days later, it fired …"); none when that sentence names none, rather
    than a guess from further back."""
    first = words.split(" ", 1)[0].lower()
    if first not in _PRONOUN_TYPES or index == 0:
        return None
    before = doc.sentences[index - 1]
    return next(
        (
            m
            for m in sorted(doc.mentions, key=lambda m: m.span.start)
            if before.start <= m.span.start < before.end and m.type in _PRONOUN_TYPES[first]
        ),
        None,
    )


def _speakers(doc: Annotated, sentence: Span) -> set[str]:
    """The entities who speak the quotes in a sentence ("'…,' he said on Sunday": the
    person "he" stands for), so two outlets' tellings of one statement are one event."""
    spans = [
        q.speaker
        for q in doc.quotes
        if q.speaker is not None and q.span.start < sentence.end and sentence.start < q.span.end
    ]
    return {
        m.entity
        for m in doc.mentions
        if m.entity
        and m.type in {MentionType.PERSON, MentionType.ORG}
        and any(m.span.start < s.end and s.start < m.span.end for s in spans)
    }


def _published(doc: Annotated) -> str:
    """The publication day as text; "9999" when unknown, so nothing counts as expected."""
    published = doc.article.published
    return published.isoformat()[: len("YYYY-MM-DD")] if published else "9999"


def _merge(events: list[_Event], new: _Event) -> None:
    for event in events:
        if event.date != new.date or new.sources <= event.sources:
            continue
        shared = event.words & new.words
        union = event.words | new.words
        overlap = len(shared) / len(union) if union else 0.0
        alike = len(shared) >= SAME_EVENT_MIN_SHARED_WORDS and overlap >= SAME_EVENT_MIN_OVERLAP
        if event.entities & new.entities or alike:
            event.sources |= new.sources
            event.evidence += new.evidence
            event.entities |= new.entities
            event.words |= new.words
            event.scheduled = event.scheduled and new.scheduled
            if len(new.text) < len(event.text):
                event.text = new.text  # the plainest telling
            return
    events.append(new)
