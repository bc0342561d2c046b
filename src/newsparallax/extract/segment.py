"""Paragraphs and sentences, as character spans into the cleaned text.

Sentences never cross a paragraph boundary: a paragraph break in news copy always
ends a sentence, and splitting paragraphs first keeps one missing period from
gluing two paragraphs together.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from newsparallax.model import Annotated, Span

# Given texts, the (start, end) offsets of each text's sentences.
SentenceSplitter = Callable[[Sequence[str]], list[list[tuple[int, int]]]]

PARAGRAPH_SEPARATOR = "\n\n"
# Titles written with a full stop before a name ("Mr.", "Sen. Lee"): the stop ends no
# sentence. A pattern's alternatives, for the patterns that read sentence ends by rule.
TITLE_ABBREVIATIONS = "Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Col|Lt|Capt|Sgt|Prof|Rev|St|Mt|Ft|Jr|Sr"

_OPENERS = "“‘«([{"
_TRAILING_OPENER = re.compile(r"\s+([“‘«(\[{\"]+)$")


def paragraph_spans(text: str) -> tuple[Span, ...]:
    """The spans of the paragraphs of a cleaned text (joined by blank lines)."""
    spans = []
    start = 0
    for paragraph in text.split(PARAGRAPH_SEPARATOR):
        end = start + len(paragraph)
        lead = len(paragraph) - len(paragraph.lstrip())
        trail = len(paragraph) - len(paragraph.rstrip())
        if paragraph.strip():
            spans.append(Span(start + lead, end - trail))
        start = end + len(PARAGRAPH_SEPARATOR)
    return tuple(spans)


def segment(docs: Sequence[Annotated], split_sentences: SentenceSplitter) -> list[Annotated]:
    """Assign `paragraphs` and `sentences` to a batch of articles in one splitter call."""
    paragraphs = [paragraph_spans(doc.article.text) for doc in docs]
    texts = [
        span.of(doc.article.text)
        for doc, spans in zip(docs, paragraphs, strict=True)
        for span in spans
    ]
    boundaries = iter(split_sentences(texts))
    out = []
    for doc, spans in zip(docs, paragraphs, strict=True):
        sentences: list[Span] = []
        for paragraph in spans:
            text = paragraph.of(doc.article.text)
            for start, end in repair_sentence_bounds(text, next(boundaries)):
                piece = text[start:end]
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece) - len(piece.rstrip())
                if piece.strip():
                    sentences.append(Span(start + lead, end - trail).shifted(paragraph.start))
        out.append(dataclasses.replace(doc, paragraphs=spans, sentences=tuple(sentences)))
    return out


def repair_sentence_bounds(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Fix the two ways rule-based splitting breaks quoted speech.

    A punctuation sentencizer keeps every punctuation mark after a period with the
    sentence it closes, so an *opening* quote of the next sentence ends up at the end
    of this one ('… he said. “' + 'It is …'); the quote is moved forward. And a
    question or exclamation inside a quote ('“Why?” he asked.') is split from its
    cue; a piece that starts in lower case is joined back to the sentence before.
    """
    fixed: list[list[int]] = []
    carry = 0  # how many characters of an opening quote to move into the next sentence
    for start, end in bounds:
        start -= carry
        carry = 0
        piece = text[start:end]
        match = _TRAILING_OPENER.search(piece)
        if match and _is_opening(piece, match.group(1)) and match.start() > 0:
            carry = len(match.group(1))
            end -= carry
        head = text[start:end].lstrip()
        if fixed and head[:1].islower():
            fixed[-1][1] = end
        else:
            fixed.append([start, end])
    if carry and fixed:  # an opening mark at the very end: give it back
        fixed[-1][1] += carry
    return [(s, e) for s, e in fixed]


def _is_opening(piece: str, marks: str) -> bool:
    """Curly and angle openers always open; a straight quote opens if it is unpaired."""
    if any(m in _OPENERS for m in marks):
        return True
    return piece.count('"') % 2 == 1


_ENDS_STATEMENT = re.compile(r"[.!?…][”’\"')\]»]*$")
_ENDS_ON_OPENER = re.compile(r"[“‘«(\[]\s*$|\s[\"']\s*$")
_STATEMENT_MIN_WORDS = 5
# A sentence this much inside quotation marks is someone's words: it stands alone in a
# summary only if it names who said them.
_QUOTED_SHARE = 0.7


def is_statement(doc: Annotated, sentence: Span) -> bool:
    """Whether a sentence can stand alone in a summary or a timeline, as a reader would quote it.

    Refuses what the sentence splitter leaves that is not a whole statement: a piece
    that starts inside a quotation (the second sentence of a quote, without its
    speaker), one that ends on an opening quote mark, lines with no closing
    punctuation (subheadings, bylines, captions, "Name, title" lines), very short
    pieces, and a sentence that is mostly a quotation but does not say who spoke it.
    For many sentences of one article, `StatementTest` asks the same at less cost.
    """
    return StatementTest(doc)(sentence)


class SpanIndex:
    """Spans, which may overlap, asked which of them reach a position or a stretch of text
    in log time: sorted by start, with the furthest end among the spans so far (asking
    every span, for every sentence or every name, cost the square of a long article's
    length)."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.spans = sorted(spans)
        self._starts = [s.start for s in self.spans]
        self._reach: list[int] = []
        for span in self.spans:
            self._reach.append(max(span.end, self._reach[-1] if self._reach else span.end))

    def holds(self, position: int) -> bool:
        """Whether a span holds the position (start <= position < end)."""
        index = bisect_right(self._starts, position) - 1
        return index >= 0 and self._reach[index] > position

    def reaching(self, stretch: Span) -> list[int]:
        """The indices (in `spans`) of the spans that begin before the stretch ends and
        end after it begins."""
        out = []
        index = bisect_left(self._starts, stretch.end) - 1
        while index >= 0 and self._reach[index] > stretch.start:
            if self.spans[index].end > stretch.start:
                out.append(index)
            index -= 1
        return out


class StatementTest:
    """`is_statement` for the sentences of one article, each asked in time that follows
    the sentence, not the article: the quotes that reach into a sentence (`SpanIndex`) and
    the marks before it in its paragraph are found by bisection (looking at every quote
    and the whole paragraph before every sentence cost the square of a long article's
    length)."""

    def __init__(self, doc: Annotated) -> None:
        self._doc = doc
        text = doc.article.text
        self._quotes = sorted(doc.quotes, key=lambda q: q.span)  # as `SpanIndex` sorts
        self._quote_index = SpanIndex([q.span for q in self._quotes])
        self._paragraphs = sorted(doc.paragraphs)
        self._paragraph_starts = [p.start for p in self._paragraphs]
        self._opening = [i for i, c in enumerate(text) if c == "“"]
        self._closing = [i for i, c in enumerate(text) if c == "”"]

    def __call__(self, sentence: Span) -> bool:
        words = sentence.of(self._doc.article.text)
        stripped = words.strip()
        if len(stripped.split()) < _STATEMENT_MIN_WORDS:
            return False
        if not _ENDS_STATEMENT.search(stripped) or _ENDS_ON_OPENER.search(stripped):
            return False
        if not (stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "“\"‘'«"):
            return False
        if self._inside_marks(sentence, stripped):
            return False
        quoted = 0
        speaker_named = False
        for quote in (self._quotes[i] for i in self._quote_index.reaching(sentence)):
            if quote.span.start < sentence.start < quote.span.end - 1:
                return False  # begins inside someone's words
            overlap = min(quote.span.end, sentence.end) - max(quote.span.start, sentence.start)
            if overlap > 0:
                quoted += overlap
                # "…," the minister said. / "…," he said: the attribution is in the sentence
                for where in (quote.speaker, quote.cue):
                    if where is not None and sentence.start <= where.start < sentence.end:
                        speaker_named = True
        return speaker_named or quoted < _QUOTED_SHARE * len(sentence)

    def _inside_marks(self, sentence: Span, words: str) -> bool:
        """Whether the sentence begins inside curly quotation marks the quote finder left
        unpaired: more closing than opening marks in it, or an unclosed opening mark
        earlier in its paragraph."""
        if words.count("”") > words.count("“") + words.count('"'):
            return True
        index = bisect_right(self._paragraph_starts, sentence.start) - 1
        if index < 0 or not sentence.start < self._paragraphs[index].end:
            return False
        start = self._paragraphs[index].start
        opened = bisect_left(self._opening, sentence.start) - bisect_left(self._opening, start)
        closed = bisect_left(self._closing, sentence.start) - bisect_left(self._closing, start)
        return opened > closed
