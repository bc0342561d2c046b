"""Claims: what a story's outlets say, each statement grouped with its retellings.

Sentences of different articles whose similarity (`newsparallax.similarity`: stemmed
content words, specifics that must agree) reaches `claims.paraphrase_threshold`
(calibrated on tests/data/paraphrases.jsonl) are one claim. With the `embed` extra
installed and `claims.embedder` set, sentence embeddings (all-MiniLM-L6-v2) join the
lexical score.

Each claim says who the outlet says asserts it when the sentence attributes it
("…, according to Moscow", "two US officials … say").
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsparallax.crosscheck.copies import originals, with_copies
from newsparallax.extract.segment import is_statement
from newsparallax.link.entities import PersonName
from newsparallax.model import Annotated, Claim, Passage, Span, Story
from newsparallax.similarity import PARAPHRASE_THRESHOLD, Embedder, similar_pairs

CLAIM_MIN_WORDS = 6
_ATTRIBUTION = (
    re.compile(r",\s*according to (?P<who>[^,.;]{2,80})[.”\"]*$", re.IGNORECASE),
    re.compile(r"^according to (?P<who>[^,]{2,80}),", re.IGNORECASE),
    re.compile(
        r",\s*(?P<who>[^,;“”\"]{3,80}?)\s+(?:said|says|say|told [\w ]+|added|warned)"
        r"(?:,? [^,.]{0,40})?[.”\"]*$"
    ),
    re.compile(r"^(?P<who>(?:[A-Z][\w’'.-]*\s+){1,5})(?:said|says|told|warned|claimed)\b"),
)
_NOT_SOURCES = frozenset("it this that he she they we i there which who".split())


@dataclass(frozen=True, slots=True)
class StorySentence:
    article_id: str
    span: Span
    text: str
    speaker: str | None = None  # whose words, when the sentence is mostly a quotation


def quoted_speaker(doc: Annotated, sentence: Span) -> str | None:
    """The speaker's surname when most of the sentence is one quotation with a speaker."""
    for quote in doc.quotes:
        overlap = min(quote.span.end, sentence.end) - max(quote.span.start, sentence.start)
        if overlap > len(sentence) / 2 and quote.speaker_text:
            name = PersonName.parse(quote.speaker_text)
            return name.surname if name is not None else None
    return None


def story_sentences(docs: Sequence[Annotated], story: Story) -> list[StorySentence]:
    """The story's sentences that state something whole, in article order (see `is_statement`)."""
    out = []
    for doc in originals(docs, story):  # a copy's sentences are its original's
        for sentence in doc.sentences:
            text = sentence.of(doc.article.text)
            if len(text.split()) >= CLAIM_MIN_WORDS and is_statement(doc, sentence):
                out.append(StorySentence(doc.id, sentence, text, quoted_speaker(doc, sentence)))
    return out


def find_claims(
    docs: Sequence[Annotated],
    story: Story,
    threshold: float = PARAPHRASE_THRESHOLD,
    embed: Embedder | None = None,
) -> Story:
    """Group the story's sentences into claims; each claim lists every article that states it.

    Claims stated by more outlets come first. See `_cluster` for how sentences join.
    """
    sentences = story_sentences(docs, story)
    if not sentences:
        return story
    owners = [s.article_id for s in sentences]
    pairs = [
        (i, j, score)
        for i, j, score in similar_pairs(
            [s.text for s in sentences], threshold, owners, embed=embed
        )
        # two people's words are two claims, however alike ("we will not back down")
        if not _different_speakers(sentences[i], sentences[j])
    ]
    groups = _cluster(pairs, owners, threshold)
    score = {(i, j): v for i, j, v in pairs}
    claims = []
    for members in groups:
        central = max(
            members,
            key=lambda i: (sum(score.get((min(i, j), max(i, j)), 0.0) for j in members), -i),
        )
        sources = with_copies({sentences[i].article_id for i in members}, story)
        who = Counter(w for i in members if (w := attribution(sentences[i].text)))
        claims.append(
            Claim(
                text=sentences[central].text,
                sources=sources,
                attributed_to=who.most_common(1)[0][0] if who else None,
                passages=tuple(
                    Passage(sentences[i].article_id, sentences[i].span)
                    for i in sorted(members, key=lambda i: (i != central, i))
                ),
            )
        )
    claims.sort(key=lambda c: (-len(c.sources), c.text))
    return dataclasses.replace(story, claims=tuple(claims))


def _different_speakers(a: StorySentence, b: StorySentence) -> bool:
    return a.speaker is not None and b.speaker is not None and a.speaker != b.speaker


def _cluster(
    pairs: Sequence[tuple[int, int, float]], owners: Sequence[str], threshold: float
) -> list[list[int]]:
    """Average-linkage clusters of sentences, at most one sentence per article in each.

    Pairs are taken from the most similar down; two clusters merge when their mean
    similarity reaches the threshold (pairs below it count as 0) and they hold no
    article in common (an article does not corroborate itself). Average linkage keeps
    one loose pair from chaining two different claims together.
    """
    score = {(i, j): v for i, j, v in pairs}
    clusters: dict[int, list[int]] = {i: [i] for i in range(len(owners))}
    where = list(range(len(owners)))
    for _, i, j in sorted(((v, i, j) for i, j, v in pairs), reverse=True):
        a, b = where[i], where[j]
        if a == b:
            continue
        left, right = clusters[a], clusters[b]
        if {owners[k] for k in left} & {owners[k] for k in right}:
            continue
        total = sum(score.get((min(x, y), max(x, y)), 0.0) for x in left for y in right)
        if total / (len(left) * len(right)) < threshold:
            continue
        clusters[a] = left + right
        for k in right:
            where[k] = a
        del clusters[b]
    return [sorted(members) for members in clusters.values()]


def attribution(sentence: str) -> str | None:
    """Who the sentence says asserts it ("according to Moscow" -> "Moscow"), if it says."""
    text = sentence.strip()
    for pattern in _ATTRIBUTION:
        match = pattern.search(text)
        if match:
            who = " ".join(match.group("who").split()).strip(" ,")
            if who and who.lower().split()[0] not in _NOT_SOURCES and len(who) > 2:
                return who
    return None


def claims_stage(
    docs: Sequence[Annotated],
    story: Story,
    *,
    threshold: float = PARAPHRASE_THRESHOLD,
    embed: Embedder | None = None,
) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's claims."""
    return docs, find_claims(docs, story, threshold=threshold, embed=embed)
