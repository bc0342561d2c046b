"""Claims: what a story's outlets say, each statement grouped with its retellings.

Sentences of different articles whose similarity (`newsparallax.similarity`: stemmed
content words, specifics that must agree) reaches `claims.paraphrase_threshold` are one
claim, provided that they agree on what a reader checks first:

- the same names, counted as the story's entities ("Russia" is "Russian Federation",
  and a name that opens a sentence is still a name);
- the same speaker: two quotations of two people are two claims, and a quotation
  groups only with a sentence that names its speaker ("'We will not back down,' she
  said" is not "The union vowed not to back down");
- no denial on one side only ("have not confirmed" is not "have confirmed").

The threshold was chosen on real pairs: ECB+ sentence pairs its annotators link to one
action (`benchmarks/accuracy/claims.py`), the lowest value at which 0.9 of the pairs
Parallax groups are right. With the `embed` extra installed and `claims.embedder` set,
sentence embeddings (all-MiniLM-L6-v2) join the lexical score.

Each claim says who the outlet says asserts it when the sentence attributes it
("…, according to Moscow", "two US officials … say").
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsparallax.crosscheck.copies import originals, with_copies
from newsparallax.extract.segment import StatementTest
from newsparallax.link.entities import PersonName, fold
from newsparallax.model import Annotated, Claim, MentionType, Passage, Quote, Span, Story
from newsparallax.similarity import PARAPHRASE_THRESHOLD, Embedder, negated, similar_pairs

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
_WORDS = re.compile(r"[\w’'-]+")
_NOT_SOURCES = frozenset("it this that he she they we i there which who".split())


@dataclass(frozen=True, slots=True)
class StorySentence:
    article_id: str
    span: Span
    text: str
    speaker: str | None = None  # whose words, when the sentence quotes someone
    names: frozenset[str] = frozenset()  # the story entities it mentions (ids)
    surnames: frozenset[str] = frozenset()  # the people it names, by surname (folded)


def quoted_speaker(quotes: Sequence[Quote], sentence: Span) -> str | None:
    """Whose words the sentence reports, when it quotes someone (wholly, or a few words
    of theirs: "Marrow called the closure 'a grave escalation'"), from the story's
    quotes (`link/quotes.py` links each speaker, descriptions included, to an entity):
    that entity, else the surname of the name that ends the speaker's words ("union
    leader Tomas Brell"); "" when the speaker is unknown or a description the story
    does not resolve ("the mayor's spokesman" is not the mayor); None when the sentence
    quotes no one."""
    overlapping = [q for q in quotes if q.span.overlaps(sentence)]
    if not overlapping:
        return None
    quote = max(overlapping, key=lambda q: _overlap(q.span, sentence))
    if quote.speaker_entity:
        return quote.speaker_entity
    words = (quote.speaker or "").split()
    name_words = list(itertools.takewhile(lambda w: w[:1].isupper(), reversed(words)))[::-1]
    name = PersonName.parse(" ".join(name_words)) if name_words else None
    return name.surname if name is not None else ""


def _overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def story_sentences(docs: Sequence[Annotated], story: Story) -> list[StorySentence]:
    """The story's sentences that state something whole, in article order (see `is_statement`)."""
    out = []
    quotes_of: dict[str, list[Quote]] = {}
    for quote in story.quotes:
        quotes_of.setdefault(quote.article_id, []).append(quote)
    for doc in originals(docs, story):  # a copy's sentences are its original's
        mentions = sorted(doc.mentions, key=lambda m: m.span.start)
        starts = [m.span.start for m in mentions]
        statement = StatementTest(doc)
        for sentence in doc.sentences:
            text = sentence.of(doc.article.text)
            if len(text.split()) >= CLAIM_MIN_WORDS and statement(sentence):
                first, past = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
                inside = [m for m in mentions[first:past] if sentence.contains(m.span)]
                names = frozenset(m.entity or m.span.of(doc.article.text).lower() for m in inside)
                surnames = frozenset(
                    name.surname
                    for m in inside
                    if m.type is MentionType.PERSON
                    and (name := PersonName.parse(m.span.of(doc.article.text))) is not None
                )
                out.append(
                    StorySentence(
                        doc.id,
                        sentence,
                        text,
                        quoted_speaker(quotes_of.get(doc.id, ()), sentence),
                        names,
                        surnames,
                    )
                )
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
            [s.text for s in sentences],
            threshold,
            owners,
            embed=embed,
            names=[s.names for s in sentences],
        )
        # two people's words are two claims, however alike ("we will not back down"),
        # and so are a denial and the assertion it denies ("has not confirmed")
        if not _different_speakers(sentences[i], sentences[j])
        and negated(sentences[i].text) == negated(sentences[j].text)
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
    """Whether the two cannot be one person's claim: two quotations of two speakers, or a
    quotation and a sentence that does not name its speaker ("'We will not back down,'
    she said" is not "The union vowed not to back down")."""
    if not a.speaker and not b.speaker:
        return False  # no one's words, or a speaker we cannot name: cannot tell
    if a.speaker and b.speaker:
        return a.speaker != b.speaker
    quoted, other = (a, b) if a.speaker else (b, a)
    if other.speaker == "":
        return False
    named = (
        quoted.speaker in other.names
        or quoted.speaker in other.surnames
        # a surname no NER found
        or quoted.speaker in {fold(w) for w in _WORDS.findall(other.text)}
    )
    return not named


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
