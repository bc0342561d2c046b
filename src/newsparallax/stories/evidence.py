"""What an article offers as evidence of its event: its words, its names, its years, its day.

Two articles tell one story when they share the *specific* things an event has. What
we found on real copy (ECB+: 66 events in 33 pairs of same-kind events, two
earthquakes, two boxing title defences; and the Timeline17 pools as one stream):

- Words alone reach B-cubed F1 0.87 on ECB+, and no cut of their average-linkage tree
  does better (the best cut with the true number of events: 0.87): two title defences
  by one boxer share "heavyweight", "knockout" and the champion's name; what differs is
  the opponent, the city and the year. So names get their own vector, weighed beside
  the words, and a stated year separates: two articles that both state years and
  share none are less alike.
- Term weights counted only over the articles at hand are wrong for small batches and
  for the first articles of a stream (a word seen twice looks rare). Each term's
  inverse document frequency blends the batch's counts with a background of general
  English (`wordfreq`), as if `BACKGROUND_DOCUMENTS` news articles had been seen
  before: right from the first article, and the batch's own counts take over as it
  grows.
- What the names leave out, the numbers often say: two quakes of one region differ in
  magnitude and toll, two heists in the sum taken. Numbers of two digits or more join
  the names (years have their own rule), weighted by wordfreq's estimate of how common
  each is ("48" is everyday, "3200" rare).
- Even so, the two events of a pair are alike (mean similarity 0.17-0.33 on ECB+) where
  each event's own articles are more so (0.3-0.47): no threshold parts them without
  shattering stories. What parts them is relative (`stories/linkage.py`'s `Cohesion`).
- Common words ("said", "people") carry almost no weight, and are dropped outright when
  most articles would have them: they only make the pair search slow.
- Days the input gives (never a guessed one) scale similarity down with the gap
  (`TIME_STEPS`): two floods a year apart share every word but are two stories.

Why wordfreq: the maintained table of word frequencies across genres (news, web,
books, subtitles, Wikipedia), one wheel, no model, loaded once in a quarter second.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsparallax.extract.times import STATED_YEAR_RULES
from newsparallax.model import Annotated, MentionType
from newsparallax.similarity import Embedder

# As if this many general news articles had been counted before the batch's own.
BACKGROUND_DOCUMENTS = 3000.0
# A news article's length in words, turning a word's frequency in running text into the
# share of articles that use it.
ARTICLE_WORDS = 300
# Terms more than this share of articles would use weigh next to nothing and are dropped.
COMMON_SHARE = 0.5
# The share of a pair's similarity that is the similarity of their names.
NAME_WEIGHT = 0.4
# Two articles that both state years and share none are this much less alike.
OTHER_YEARS_FACTOR = 0.5
# Articles whose given days lie this far apart (days) are less alike: x0.5 beyond a week,
# x0.2 beyond a month, x0.05 beyond half a year; follow-ups within days are not held back.
TIME_STEPS = ((180, 0.05), (30, 0.2), (7, 0.5))
# With `group.embedder` set: the sentences of an article's lead embedded, and the cosine
# of two leads' meanings below which their similarity fades to nothing and above which
# it stays whole. On ECB+ leads of one event average 0.70, of two events of one kind
# 0.51, of two kinds 0.14; (0.2, 0.6) took B-cubed F1 from 0.924 to 0.938, (0.3, 0.7)
# to 0.930, (0.4, 0.8) to 0.908; blending the cosine in (0.2 of the score) to 0.935.
LEAD_SENTENCES = 5
# Words of an untitled article's first sentence that a story's title takes.
_TITLE_WORDS = 16
# What `article_evidence` holds, as a number: part of the key stored analyses are kept
# under (`analysis.AnnotationCache`), so that evidence kept in another form is made again
# rather than read as if it held what it lacks (2: the article's heading was added).
EVIDENCE_FORMAT = 2
MEANING_RANGE = (0.2, 0.6)
NO_DAY = -1  # in `Evidence.days`: the input gives no day

_NAME_TYPES = frozenset({MentionType.PERSON, MentionType.ORG, MentionType.PLACE, MentionType.EVENT})
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
# Numbers of two digits or more ("37", "6.1", "1,200"), and what reads as a year.
_NUMBER = re.compile(r"(?<![\w.,])\d[\d,.]*\d(?![\w])")
_YEAR = re.compile(r"(1[89]|20)\d\d")
# Words as written (lower-cased, not stemmed: join reasons show them to readers).
_WORD = re.compile(r"(?u)\b[^\W\d_][\w'-]+\b")


_RAREST = 1e-7


class Background:
    """How many news articles use a word: a table of general English word frequencies.

    Args:
        frequencies: word (lower case) -> its frequency in running text.
        number_frequency: a number as written ("48", "6.1") -> its frequency in running
            text; numbers are too many to list, so they are estimated one by one.
    """

    def __init__(
        self,
        frequencies: Mapping[str, float],
        number_frequency: Callable[[str], float] | None = None,
    ) -> None:
        self._frequencies = frequencies
        self._number_frequency = number_frequency
        self._floor = 1e-8

    def share(self, word: str) -> float:
        """The share of news articles expected to use `word` at least once."""
        if word[:1].isdigit() and self._number_frequency is not None:
            frequency = self._number_frequency(word)
        else:
            frequency = self._frequencies.get(word, self._floor)
        return min(1.0, max(frequency, self._floor) * ARTICLE_WORDS)


def load_background() -> Background:
    """English word frequencies from wordfreq (installed with Parallax).

    Words rarer than `_RAREST` (one in ten million words) are left out: for them the
    background adds a tenth of an article's worth of evidence or less, and the table
    shrinks from 320,000 words to 96,000. Numbers come from wordfreq's own estimate
    ("48" is about as common as "harbour", "3200" a thousand times rarer).
    """
    from wordfreq import get_frequency_dict, word_frequency

    table = get_frequency_dict("en", wordlist="best")
    return Background(
        {word: f for word, f in table.items() if f >= _RAREST},
        functools.partial(word_frequency, lang="en", wordlist="best"),
    )


def no_background() -> Background:
    """A background that knows no word: weights from the batch alone (tests, experiments)."""
    return Background({})


def given_day(doc: Annotated) -> date | None:
    """The day an article was published, when its input says so (never an inferred day)."""
    published = doc.article.published
    if published is None or doc.article.published_inferred:
        return None
    return published.date() if isinstance(published, datetime) else published


def time_factor(gap_days: int) -> float:
    for days, factor in TIME_STEPS:
        if gap_days > days:
            return factor
    return 1.0


def stated_years(doc: Annotated) -> frozenset[int]:
    """The years the text states in full ("in 2012", "July 7, 2012"), not ones inferred."""
    return frozenset(
        int(t.value[:4])
        for t in doc.times
        if t.value and t.rule in STATED_YEAR_RULES and t.value[:4].isdigit()
    )


def word_counts(doc: Annotated) -> Counter[str]:
    """Its title's and text's words, less English stop words."""
    words = _WORD.findall(f"{doc.article.title or ''}\n{doc.article.text}".lower())
    return Counter(w for w in words if w not in ENGLISH_STOP_WORDS)


def name_counts(doc: Annotated) -> Counter[str]:
    """The words of the names of people, organisations, places and events it mentions,
    and the specific numbers it states.

    Words, not whole names: "Klitschko" meets "Wladimir Klitschko". Numbers as an
    event's own facts (a magnitude of 6.1, 37 dead, a $2.6 million haul, a score of
    24-17): those of two digits or more, and not years (`stated_years` weighs those).
    """
    text = doc.article.text
    names = Counter(
        word.lower()
        for m in doc.mentions
        if m.type in _NAME_TYPES
        for word in _NAME_TOKEN.findall(m.span.of(text))
    )
    for number in _NUMBER.findall(text):
        number = number.replace(",", "")
        if not _YEAR.fullmatch(number):
            names[number] += 1
    return names


@dataclass(frozen=True)
class Evidence:
    """The batch's articles as rows: unit-length word and name vectors, years and days."""

    words: sparse.csr_matrix
    names: sparse.csr_matrix
    word_terms: tuple[str, ...]
    name_terms: tuple[str, ...]
    years: sparse.csr_matrix  # article x stated year, 1 where the text states it
    days: NDArray[np.int64]  # the given day's ordinal, NO_DAY where the input gives none
    named: NDArray[np.bool_]  # which articles name anyone or anywhere
    # unit-length sentence embeddings of each article's lead, when `group.embedder` is set
    meaning: NDArray[np.float32] | None = None

    def __len__(self) -> int:
        return int(self.words.shape[0])

    def rows(self, indices: NDArray[np.intp]) -> Evidence:
        """These articles' evidence, still weighted against the whole batch."""
        return Evidence(
            words=self.words[indices],
            names=self.names[indices],
            word_terms=self.word_terms,
            name_terms=self.name_terms,
            years=self.years[indices],
            days=self.days[indices],
            named=self.named[indices],
            meaning=None if self.meaning is None else self.meaning[indices],
        )


def gather_evidence(
    docs: Sequence[Annotated], background: Background, embedder: Embedder | None = None
) -> Evidence:
    """Each article's evidence, weighted against the batch and the background; with an
    embedder, the meaning of each article's lead as well (`lead_meaning`)."""
    evidence = weigh_evidence(
        (word_counts(d) for d in docs),
        (name_counts(d) for d in docs),
        [stated_years(d) for d in docs],
        [given_day(d) for d in docs],
        background,
    )
    if embedder is None:
        return evidence
    return dataclasses.replace(evidence, meaning=lead_meaning(docs, embedder))


def lead_meaning(docs: Sequence[Annotated], embedder: Embedder) -> NDArray[np.float32]:
    """Per article, the mean of its first `LEAD_SENTENCES` sentences' embeddings (its
    title and lead say what happened), at unit length; one batch for all articles."""
    leads = []
    for doc in docs:
        text = doc.article.text
        sentences = [s.of(text) for s in doc.sentences[:LEAD_SENTENCES]] or [text[:500]]
        leads.append([doc.article.title, *sentences] if doc.article.title else sentences)
    vectors = embedder([s for lead in leads for s in lead])
    means = np.zeros((len(docs), vectors.shape[1] if len(vectors) else 0), dtype=np.float32)
    start = 0
    for row, lead in enumerate(leads):
        means[row] = vectors[start : start + len(lead)].mean(axis=0)
        start += len(lead)
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return (means / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def meaning_factor(cosine: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """How much two articles' similarity keeps, by how alike their leads mean: all of it
    from `MEANING_RANGE[1]` up, none at `MEANING_RANGE[0]` or below. It only lowers a
    score, so a pair the words never found is not made (the pair search stays exact)."""
    low, high = MEANING_RANGE
    return np.clip((np.asarray(cosine, dtype=np.float64) - low) / (high - low), 0.0, 1.0)


class Heading(NamedTuple):
    """What a story takes from an article to name itself: the article's id, headline
    (None when it has none) and first sentence cut to `_TITLE_WORDS` words. Kept with the
    rest of its evidence, so that stories are made without reading any analysis back."""

    id: str
    title: str | None
    lead: str


def heading(doc: Annotated) -> Heading:
    text = doc.article.text
    first = doc.sentences[0].of(text) if doc.sentences else text
    words = first.split(maxsplit=_TITLE_WORDS)
    lead = " ".join(words[:_TITLE_WORDS]) + (" …" if len(words) > _TITLE_WORDS else "")
    return Heading(doc.id, doc.article.title, lead)


def article_evidence(doc: Annotated) -> dict[str, Any]:
    """What grouping takes from one article's per-article analysis, as JSON: kept in the
    store beside its annotations, so that an ingest weighs every stored article without
    reading their annotations back (`weigh_evidence`)."""
    return {
        "title": doc.article.title,
        "lead": heading(doc).lead,
        "words": dict(word_counts(doc)),
        "names": dict(name_counts(doc)),
        "years": sorted(stated_years(doc)),
    }


def weigh_evidence(
    words: Iterable[Mapping[str, float]],
    names: Iterable[Mapping[str, float]],
    years: Sequence[Iterable[int]],
    days: Sequence[date | None],
    background: Background,
) -> Evidence:
    """Articles' counted words and names, stated years and given days (one per article,
    in one order) as evidence weighted against them all and the background."""
    n = len(days)
    word_rows, word_terms = _weighted(words, n, background)
    named: list[bool] = []
    name_rows, name_terms = _weighted(_noting_names(names, named), n, background)
    name_rows = sparse.diags(np.asarray(named, dtype=np.float32)) @ name_rows  # numbers alone
    name_rows.eliminate_zeros()
    return Evidence(
        words=word_rows,
        names=name_rows,
        word_terms=word_terms,
        name_terms=name_terms,
        years=_year_matrix([frozenset(y) for y in years]),
        days=np.asarray([d.toordinal() if d else NO_DAY for d in days], dtype=np.int64),
        named=np.asarray(named, dtype=bool),
    )


def _noting_names(
    names: Iterable[Mapping[str, float]], named: list[bool]
) -> Iterator[Mapping[str, float]]:
    """The rows as they are, noting in `named` whether each names anyone or anywhere
    (numbers alone do not: two texts that name no one are compared by their words)."""
    for row in names:
        named.append(any(not term[:1].isdigit() for term in row))
        yield row


def _year_matrix(years: Sequence[frozenset[int]]) -> sparse.csr_matrix:
    rows = [r for r, stated in enumerate(years) for _ in stated]
    cols = [year for stated in years for year in stated]
    width = max(cols, default=0) + 1
    return sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(years), width)
    )


def _weighted(
    counts: Iterable[Mapping[str, float]], n: int, background: Background
) -> tuple[sparse.csr_matrix, tuple[str, ...]]:
    """Unit-length rows of (1 + log count) x blended inverse document frequency.

    Counts are taken one article at a time into compact arrays (a batch of 100,000
    articles must not hold 100,000 dictionaries).
    """
    vocabulary: dict[str, int] = {}
    column_buffer = array("i")
    count_buffer = array("f")
    indptr = array("q", [0])
    for row in counts:
        column_buffer.extend(vocabulary.setdefault(w, len(vocabulary)) for w in row)
        count_buffer.extend(row.values())
        indptr.append(len(column_buffer))
    terms = tuple(vocabulary)
    column = np.frombuffer(column_buffer, dtype=np.int32)
    data = np.frombuffer(count_buffer, dtype=np.float32).copy()
    frequency = np.bincount(column, minlength=len(terms))
    seen = n + BACKGROUND_DOCUMENTS
    background_share = np.fromiter((background.share(w) for w in terms), np.float64, len(terms))
    share = (frequency + BACKGROUND_DOCUMENTS * background_share) / seen
    idf = (np.log((seen + 1) / (share * seen + 1)) + 1.0).astype(np.float32)
    if n >= 2:
        idf[share > COMMON_SHARE] = 0.0
    np.log(data, out=data)
    data += 1.0
    data *= idf[column]
    offsets = np.frombuffer(indptr, dtype=np.int64)
    lengths: NDArray[np.int64] = offsets[1:] - offsets[:-1]
    squares = np.zeros(n, dtype=np.float64)
    filled = lengths > 0
    if len(data):
        starts = offsets[:-1][filled]
        squares[filled] = np.add.reduceat(data * data, starts)
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    data /= np.repeat(norms.astype(np.float32), lengths)
    matrix = sparse.csr_matrix((data, column, offsets), shape=(n, len(terms)))
    matrix.eliminate_zeros()
    return matrix, terms


def pair_factors(
    evidence: Evidence, rows: NDArray[np.intp], cols: NDArray[np.intp]
) -> NDArray[np.float64]:
    """For pairs (rows[k], cols[k]): the product of the year and day factors."""
    factors = np.ones(len(rows))
    if len(rows) == 0:
        return factors
    starts = evidence.years.indptr
    both = np.flatnonzero(
        (starts[rows + 1] > starts[rows]) & (starts[cols + 1] > starts[cols])
    )  # pairs where both articles state a year
    if len(both):
        shared = evidence.years[rows[both]].multiply(evidence.years[cols[both]]).getnnz(axis=1)
        factors[both[shared == 0]] *= OTHER_YEARS_FACTOR
    a, b = evidence.days[rows], evidence.days[cols]
    gaps = np.where((a != NO_DAY) & (b != NO_DAY), np.abs(a - b), 0)
    by_gap = np.ones(len(rows))
    for days, factor in reversed(TIME_STEPS):  # wider gaps, smaller factors, set last
        by_gap[gaps > days] = factor
    return factors * by_gap


def mix(
    words: NDArray[np.float64], names: NDArray[np.float64], both_named: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Words and names weighed together; words alone where either article names nothing
    (a text without names is not less like another for it)."""
    return np.where(both_named, (1.0 - NAME_WEIGHT) * words + NAME_WEIGHT * names, words)
