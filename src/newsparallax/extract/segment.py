"""Paragraphs and sentences, as character spans into the cleaned text.

Sentences never cross a paragraph boundary: a paragraph break in news copy always
ends a sentence, and splitting paragraphs first keeps one missing period from
gluing two paragraphs together.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from newsparallax.model import Annotated, Span

# Given texts, the (start, end) offsets of each text's sentences.
SentenceSplitter = Callable[[Sequence[str]], list[list[tuple[int, int]]]]

PARAGRAPH_SEPARATOR = "\n\n"


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
            for start, end in next(boundaries):
                piece = text[start:end]
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece) - len(piece.rstrip())
                if piece.strip():
                    sentences.append(Span(start + lead, end - trail).shifted(paragraph.start))
        out.append(
            dataclasses.replace(
                doc, paragraphs=spans, sentences=tuple(sentences), done=doc.done | {"segment"}
            )
        )
    return out
