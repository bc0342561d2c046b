"""One article and its stand-off annotations.

`Article` owns its cleaned `text`; everything found in it later is a `Span` into that
text plus what was found there, never a copy of the words. That keeps annotations
cheap, makes them checkable (a span must lie inside the text), and lets every claim
Parallax makes be traced back to the characters that support it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range `[start, end)` into `Article.text`."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        """The characters of `text` this span covers."""
        return text[self.start : self.end]

    def shifted(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset)

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


class RemovalReason(StrEnum):
    """Why a paragraph was taken out of an article's body text."""

    CAPTION = "caption"  # a photo caption or a bare credit line ("Photo: AAP")
    SOCIAL_EMBED = "social_embed"  # an embedded post: "… — Name (@handle) November 17, 2024"
    BARE_LINK = "bare_link"  # a paragraph that is only a (short) link
    SHARE_LINE = "share_line"  # share / subscribe / read-more furniture
    REPEATED_PARAGRAPH = "repeated_paragraph"  # a verbatim repeat inside the same article
    TITLE_REPEATED = "title_repeated"  # the headline repeated as the first paragraph
    # a paragraph one outlet puts in many of its articles (editor's notes, newsletter
    # pitches, author bios), learned from the articles at hand
    OUTLET_BOILERPLATE = "outlet_boilerplate"
    SUBHEADING = "subheading"  # a section heading in the body: structure, not a statement


@dataclass(frozen=True, slots=True)
class Removal:
    """A paragraph removed by cleaning, kept so the user can see what was dropped and why."""

    text: str
    reason: RemovalReason


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from one input, with boilerplate already removed.

    `id` derives from the content read (title and raw body), so the same article read
    twice, from any path, gets the same id and is stored once.
    """

    id: str
    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: date | datetime | None = None
    published_inferred: bool = False
    removed: tuple[Removal, ...] = ()


class MentionType(StrEnum):
    """Entity types of the contract; spaCy's labels are mapped onto these."""

    PERSON = "PERSON"
    ORG = "ORG"
    PLACE = "PLACE"
    GROUP = "GROUP"
    PRODUCT = "PRODUCT"
    EVENT = "EVENT"
    OTHER = "OTHER"


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in the text; `entity` is the id of the story entity it refers to, once linked.

    `role` is what the text calls the bearer right there ("Kremlin spokesman" in
    "Kremlin spokesman Dmitry Peskov"), when it says.
    """

    span: Span
    type: MentionType
    entity: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Quotation:
    """Words the article puts in someone's mouth, and who, as far as the text tells.

    `span` covers the quoted words inside the marks (for a quote running over several
    paragraphs, from the first opening to the last closing mark). `speaker` is where
    the speaker is named: for "he said" it is the earlier mention "he" stands for.
    `speaker_text` is that name or description as written; None when no one is named.
    """

    span: Span
    text: str
    speaker: Span | None = None
    speaker_text: str | None = None
    cue: Span | None = None


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A temporal expression and the calendar value it resolves to (None when it names none)."""

    span: Span
    value: str | None
    kind: str = "date"
    rule: str = ""  # the rule that resolved it, so a wrong value can be traced


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place name; `metonymy` is true when it stands for an actor ("Moscow said")."""

    span: Span
    lat: float | None
    lon: float | None
    geonameid: int | None = None
    metonymy: bool = False
    name: str | None = None  # the gazetteer's name ("Odesa" for "Odessa")
    country: str | None = None  # ISO 3166 alpha-2; for a metonymy, the country it stands for
    kind: str | None = None  # "continent", "country", "region", "county", "city", "landmark"
    reason: str | None = None  # the evidence that chose this place among its namesakes
    demonym: bool = False  # named by its adjective ("Turkish troops"): kept off the map
    # the first words of a longer name, an organisation's or a building's ("Winnipeg
    # Jets", "the Delft police station"): kept off the map
    embedded: bool = False


@dataclass(frozen=True, slots=True)
class Measure:
    """A number with what it counts or measures ("over 10,000 North Korean troops").

    `qualifier` keeps the text's hedge ("over", "up to", "thousands"); `si_value` and
    `si_unit` are the value in SI units when it has a physical unit; `converts` is the
    index (in the article's measures) of the value this one restates in another unit,
    as in "300km (186 miles)".
    """

    span: Span
    value: float
    unit: str
    si_value: float | None = None
    si_unit: str | None = None
    about: str | None = None
    qualifier: str | None = None
    converts: int | None = None


@dataclass(frozen=True, slots=True)
class Annotated:
    """An article with what the per-article stages found in it.

    Stages return a new `Annotated` (`dataclasses.replace`); nothing is mutated, so a
    failing stage cannot leave an article half-annotated.
    """

    article: Article
    paragraphs: tuple[Span, ...] = ()
    sentences: tuple[Span, ...] = ()
    mentions: tuple[Mention, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    toponyms: tuple[Toponym, ...] = ()
    quotes: tuple[Quotation, ...] = ()
    quantities: tuple[Measure, ...] = ()

    @property
    def id(self) -> str:
        return self.article.id

    def spans(self) -> list[Span]:
        """Every span this annotation holds, for invariant checks."""
        out = [*self.paragraphs, *self.sentences]
        out += [m.span for m in self.mentions]
        out += [t.span for t in self.times]
        out += [t.span for t in self.toponyms]
        out += [q.span for q in self.quotes]
        out += [q.speaker for q in self.quotes if q.speaker is not None]
        out += [m.span for m in self.quantities]
        return out
