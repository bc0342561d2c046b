"""A dependency parse as plain data, so extractors never touch spaCy objects.

`nlp.py` turns spaCy's parse into these records; extractors read them, and tests
build them by hand. Offsets are relative to the text that was parsed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    tag: str  # Penn Treebank tag: NNP, PRP, VBD, …
    dep: str  # dependency label: nsubj, compound, appos, …
    head: int  # index of the head token in the same parse (itself for a root)


Parse = tuple[Token, ...]
# Given texts, their parses (one per text, whatever sentences it holds).
Parser = Callable[[Sequence[str]], list[Parse]]
# Given texts, the named entities in each: (start, end, spaCy label).
EntityRecogniser = Callable[[Sequence[str]], list[list[tuple[int, int, str]]]]


def children(parse: Parse, index: int) -> Iterator[int]:
    return (i for i, t in enumerate(parse) if t.head == index and i != index)


def subtree(parse: Parse, index: int) -> list[int]:
    """Indices of the token and everything below it, in order."""
    found = [index]
    stack = [index]
    while stack:
        for child in children(parse, stack.pop()):
            found.append(child)
            stack.append(child)
    return sorted(found)
