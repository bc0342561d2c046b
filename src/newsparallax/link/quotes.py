"""A story's quotes: each with its speaker entity, and the other articles that carry it.

Outlets quote the same words with small differences: trimmed ("stay dark until spring"
inside "The harbour lights will stay dark until spring"), respelled ("flooding"
and "flooding,"), with a different opening. Two quotes are the same when the shorter
one's words appear, nearly all and in order, in the longer one.

A speaker given as a description ("the spokesman", "Putin's spokesman") is linked
to a named person of the story when the description fits that person's role and no
nearer description in the article fits better; when a description could be several
people, a named speaker of the same quote in another outlet settles it.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from newsparallax.crosscheck.copies import originals, with_copies
from newsparallax.link.entities import fold
from newsparallax.model import Annotated, Entity, MentionType, Quotation, Quote, Story

# The default of `quotes.same_quote_min_overlap` (defaults.toml says why).
SAME_QUOTE_MIN_OVERLAP = 0.85
SAME_QUOTE_MIN_WORDS = 3
_WORD = re.compile(r"\w+")
_DETERMINERS = frozenset({"a", "an", "the", "his", "her", "its", "their", "our"})
_SYNONYMS = {"spokeswoman": "spokesman", "spokesperson": "spokesman", "advisor": "adviser"}


def quote_words(text: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(text)]


def same_quote(a: str, b: str, overlap: float = SAME_QUOTE_MIN_OVERLAP) -> bool:
    """Whether two quoted passages are the same words (one may be a trimmed part of the other)."""
    return _same_words(quote_words(a), quote_words(b), overlap)


def _same_words(a: Sequence[str], b: Sequence[str], overlap: float) -> bool:
    short, long = sorted((a, b), key=len)
    if len(short) < SAME_QUOTE_MIN_WORDS:
        return list(short) == list(long) and bool(short)
    matcher = difflib.SequenceMatcher(None, short, long, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / len(short) >= overlap


def echo_pairs(
    quotes: Sequence[tuple[str, str]], overlap: float = SAME_QUOTE_MIN_OVERLAP
) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, of quotes from different articles that are the same words.

    Args:
        quotes: (article id, quoted text) for every quote of a story.

    Only pairs that share one of a quote's rarest words are compared: when a share of
    at least `overlap` of the shorter quote's words must match, one of its
    rarest (1 - overlap) share + 1 words must be in the longer quote. This keeps a story
    of thousands of quotes from costing millions of comparisons.
    """
    words = [quote_words(text) for _, text in quotes]
    frequency: Counter[str] = Counter(w for ws in words for w in set(ws))
    holders: defaultdict[str, set[int]] = defaultdict(set)
    for index, ws in enumerate(words):
        for word in set(ws):
            holders[word].add(index)
    pairs: set[tuple[int, int]] = set()
    for index, ws in enumerate(words):
        if not ws:
            continue
        rarest = sorted(set(ws), key=lambda w: (frequency[w], w))
        keep = min(len(rarest), int(len(ws) * (1 - overlap)) + 1)
        candidates: set[int] = set().union(*(holders[w] for w in rarest[:keep]))
        for other in candidates:
            pair = (min(index, other), max(index, other))
            if other == index or pair in pairs or quotes[index][0] == quotes[other][0]:
                continue
            if len(words[other]) >= len(ws) and _same_words(ws, words[other], overlap):
                pairs.add(pair)
    return pairs


def gather_quotes(
    docs: Sequence[Annotated], story: Story, overlap: float = SAME_QUOTE_MIN_OVERLAP
) -> Story:
    """The story's quotes, in article order, with speakers linked and echoes listed."""
    members = originals(docs, story)  # each quote once: a copy's are its original's
    entities = {e.id: e for e in story.entities}
    found: list[tuple[Annotated, Quotation, str | None]] = []
    for doc in members:
        earlier: list[tuple[Quotation, str | None]] = []
        for quotation in doc.quotes:
            entity = _speaker_entity(doc, quotation, earlier, story.entities)
            earlier.append((quotation, entity))
            found.append((doc, quotation, entity))
    echoes: list[set[int]] = [set() for _ in found]
    for i, j in echo_pairs([(doc.id, quotation.text) for doc, quotation, _ in found], overlap):
        echoes[i].add(j)
        echoes[j].add(i)
    quotes = []
    for (doc, quotation, entity), echoed in zip(found, echoes, strict=True):
        also_in = sorted(
            set(with_copies({found[j][0].id for j in echoed} | {doc.id}, story)) - {doc.id}
        )
        if entity is None and quotation.speaker_text:
            named = {found[j][2] for j in echoed} - {None}
            entity = _settled_by_echo(quotation.speaker_text, named, entities)
        quotes.append(
            Quote(
                text=quotation.text,
                speaker=quotation.speaker_text,
                speaker_entity=entity,
                article_id=doc.id,
                span=quotation.span,
                also_in=tuple(also_in),
            )
        )
    return dataclasses.replace(story, quotes=tuple(quotes))


def _speaker_entity(
    doc: Annotated,
    quotation: Quotation,
    earlier: Sequence[tuple[Quotation, str | None]],
    entities: Sequence[Entity],
) -> str | None:
    if quotation.speaker is None:
        return None
    for mention in doc.mentions:
        if mention.span.contains(quotation.speaker):
            return mention.entity
    return _entity_for_description(doc, quotation, earlier, entities)


def _entity_for_description(
    doc: Annotated,
    quotation: Quotation,
    earlier: Sequence[tuple[Quotation, str | None]],
    entities: Sequence[Entity],
) -> str | None:
    """The person a description ("the spokesman") stands for, when the article says who.

    The nearest fitting reference before the quote wins: a person whose role fits, or
    an earlier speaker described the same way (then the two are the same, and as
    unnamed as each other). Only a single fitting person is taken without that.
    """
    assert quotation.speaker is not None
    for previous, entity in earlier:  # the same words in the same place: already resolved
        if previous.speaker == quotation.speaker:
            return entity
    description = quotation.speaker_text or ""
    fitting = {e.id: e for e in entities if _fits(description, e)}
    if not fitting:
        return None
    best: tuple[int, str | None] | None = None
    for mention in doc.mentions:
        before = mention.span.start < quotation.speaker.start
        if mention.entity in fitting and before and (best is None or mention.span.start > best[0]):
            best = (mention.span.start, mention.entity)
    for previous, entity in earlier:
        if (
            previous.speaker is not None
            and previous.speaker_text
            and _head(previous.speaker_text) == _head(description)
            and not any(m.span.contains(previous.speaker) for m in doc.mentions)
            and (best is None or previous.speaker.start > best[0])
        ):
            best = (previous.speaker.start, entity)  # described alike just before: the same
    if best is not None:
        return best[1]
    return next(iter(fitting)) if len(fitting) == 1 else None


def _head(description: str) -> str:
    words = [fold(w) for w in description.split()]
    return _SYNONYMS.get(words[-1], words[-1]) if words else ""


def _fits(description: str, entity: Entity) -> bool:
    """A description fits a person whose role has the same head noun and every proper
    modifier it names ("a U.S. State Department spokesperson" does not fit a Kremlin one).
    A possessor ("Putin's spokesman") says whose, not which office: it is not compared."""
    if entity.type is not MentionType.PERSON or not entity.role:
        return False
    if _head(description) != _head(entity.role):
        return False
    role = {fold(w) for w in entity.role.split()}
    for word in description.split()[:-1]:
        if word.lower() in _DETERMINERS or re.search(r"['’]s$", word):
            continue
        if word[:1].isupper() and fold(word) not in role:
            return False
    return True


def _settled_by_echo(
    description: str, named: set[str | None], entities: dict[str, Entity]
) -> str | None:
    """When other outlets name the speaker of the same quote, and it fits, take it."""
    fitting = [
        e for e in named if e is not None and e in entities and _fits(description, entities[e])
    ]
    return fitting[0] if len(fitting) == 1 else None


def gather_quotes_stage(
    docs: Sequence[Annotated],
    story: Story,
    *,
    overlap: float = SAME_QUOTE_MIN_OVERLAP,
) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's quotes."""
    return docs, gather_quotes(docs, story, overlap)
