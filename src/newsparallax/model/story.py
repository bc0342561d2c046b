"""What Parallax says across articles: stories and the findings inside them.

Every finding names the articles it rests on (`sources`, `article_ids`, or an
`article_id` with a `Span`), so anything the report states can be traced to text.
Field names follow the JSON contract (`render/report.schema.json`) one to one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from newsparallax.model.article import Annotated, MentionType, Span


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JoinReason:
    """Why an article is in its story: its mean similarity to the other articles (the
    average-linkage score) and the words and names it shares with them most."""

    article_id: str
    score: float
    terms: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KeptApart:
    """A story this one was alike enough to join but was kept apart from, named by its
    most central article (story ids change as stories grow; articles stay): the mean
    similarity between their articles, and within each, the looser of which was more
    than that mean allows (`group.merge_ratio`)."""

    article_id: str
    similarity: float
    within: float
    other_within: float


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: MentionType
    aliases: tuple[str, ...]
    article_ids: tuple[str, ...]
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str | None
    speaker_entity: str | None
    article_id: str
    span: Span
    also_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD: as precise as the text allows
    text: str
    sources: tuple[str, ...]
    evidence: tuple[str, ...] = ()
    scheduled: bool = False  # expected, not yet happened ("will begin his term on Jan. 20")
    key: bool = True  # on one of the story's key days (`link/timeline.py`, `timeline_stage`)


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    lat: float
    lon: float
    article_ids: tuple[str, ...]
    country: str | None = None
    kind: str | None = None  # "country", "region", "county", "city" or "landmark"


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    value: float
    unit: str
    article_id: str
    si_value: float | None = None
    si_unit: str | None = None
    about: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    sources: tuple[str, ...]
    attributed_to: str | None = None
    # where each original states it (a copy states it where its original does)
    passages: tuple[Passage, ...] = ()


@dataclass(frozen=True, slots=True)
class DiscrepancyValue:
    text: str
    sources: tuple[str, ...]
    value: float | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Discrepancy:
    about: str
    values: tuple[DiscrepancyValue, ...]
    note: str | None = None


class DuplicateKind(StrEnum):
    EXACT = "exact"
    NEAR = "near"
    PARAPHRASE = "paraphrase"
    DERIVED_ARTICLE = "derived_article"


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of one article, by reference: the codec reads its text from the article."""

    article_id: str
    span: Span


@dataclass(frozen=True, slots=True)
class Duplicate:
    kind: DuplicateKind
    a: Passage
    b: Passage
    score: float


@dataclass(frozen=True, slots=True)
class Copy:
    """One republication of an original: `kind` is exact, near or derived_article;
    `score` the share of the copy's word 3-grams found in the original (for a rewrite,
    the share of its sentences that echo the original in order)."""

    article_id: str
    kind: DuplicateKind
    score: float


@dataclass(frozen=True, slots=True)
class CopyGroup:
    """One text and its republications: the original (the earliest), and each copy.

    A group counts as one source wherever Parallax counts independent sources, and the
    story's claims, quotes, timeline and summary are read from its original alone, with
    the copies added to their sources: thousands of syndicated copies cost little more
    than one.
    """

    original: str
    copies: tuple[Copy, ...]


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one event, and everything found across them."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    summary: tuple[SummarySentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    places: tuple[Place, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    claims: tuple[Claim, ...] = ()
    discrepancies: tuple[Discrepancy, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    # Sentences a language model wrote that its cited passages did not support.
    summary_rejected: tuple[SummarySentence, ...] = ()
    # Articles whose arrival merged two stories into this one (incremental clustering).
    bridged_by: tuple[str, ...] = ()
    copy_groups: tuple[CopyGroup, ...] = ()
    # Per article, why it joined (stories of two or more articles).
    join_reasons: tuple[JoinReason, ...] = ()
    # Stories it was kept apart from, though alike (two events of one kind).
    kept_apart: tuple[KeptApart, ...] = ()


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that could not be processed; the rest of the batch was."""

    source: str
    error: str


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """One change to a story in one run of a store: "created", or "changed" with the
    articles that joined or left it and the earlier stories merged into it."""

    story_id: str
    event: str
    detail: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Report:
    """The result of one analysis: what `parallax analyze` writes."""

    generated_at: datetime
    articles: tuple[Annotated, ...]
    stories: tuple[Story, ...]
    errors: tuple[InputFailure, ...] = ()

    def article(self, article_id: str) -> Annotated:
        for doc in self.articles:
            if doc.id == article_id:
                return doc
        raise KeyError(article_id)

    def of_story(self, story: Story) -> Report:
        """This report cut down to one story and its articles (the run's errors left out)."""
        members = set(story.article_ids)
        docs = tuple(d for d in self.articles if d.id in members)
        return Report(self.generated_at, docs, (story,))
