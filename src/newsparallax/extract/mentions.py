"""Names in the text: spaCy's entities, mapped to our types and repaired for news copy.

spaCy's small English model is trained on a mix of genres; on news it makes a few
systematic mistakes that are cheap to repair by rule: possessives glued to a name
("Biden’s"), headline capitalisation pulled into a name ("Zelensky Said"), a leading
lowercase "the", an organisation's name cut in two ("Lockheed" and "Martin"). Re-typing
a surname tagged as an organisation needs the whole story and happens when entities are
linked (`link/entities.py`).

Each person mention also gets the role the text gives it right there: a title before
the name ("Kremlin spokesman Dmitry Peskov") or an apposition after it ("Andrei Klishas,
a senior member of the upper house, said").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from newsparallax.extract.parse import EntityRecogniser
from newsparallax.extract.segment import paragraph_spans
from newsparallax.model import Annotated, Mention, MentionType, Span

# spaCy (OntoNotes) labels -> contract types; numbers, dates and amounts are not names.
LABEL_TYPES: dict[str, MentionType] = {
    "PERSON": MentionType.PERSON,
    "ORG": MentionType.ORG,
    "GPE": MentionType.PLACE,
    "LOC": MentionType.PLACE,
    "FAC": MentionType.PLACE,
    "NORP": MentionType.GROUP,
    "PRODUCT": MentionType.PRODUCT,
    "EVENT": MentionType.EVENT,
    "WORK_OF_ART": MentionType.OTHER,
    "LAW": MentionType.OTHER,
    "LANGUAGE": MentionType.OTHER,
}

# Words a headline capitalises that are never the end of a name.
_HEADLINE_WORDS = frozenset(
    """said says say warns warned tells told calls called urges urged after before for
    of and or on in at to with as over under from by amid after against vows vowed""".split()
)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")

# Nouns that head a role ("spokesman", "minister") and the lowercase words that may
# modify one ("deputy national security adviser"). Capitalised words always may.
ROLE_NOUNS = frozenset(
    """president president-elect vice-president minister spokesman spokeswoman spokesperson
    adviser advisor leader director governor senator secretary chancellor ambassador mayor
    chief head chairman chairwoman chair commander general official officer member fellow
    analyst engineer curator founder executive ceo captain striker midfielder editor
    correspondent deputy envoy king queen pope judge prosecutor lawyer attorney economist
    professor researcher diplomat representative lawmaker coach manager owner astronomer
    baker teacher resident premier emir prince princess sheikh marshal colonel admiral""".split()
)
_ROLE_MODIFIERS = frozenset(
    """deputy national security foreign defence defense interior trade finance senior former
    first vice chief prime union port authority policy affairs state press communications
    non-resident elect general military top acting outgoing incoming retired fire police
    city regional local health economy energy justice education transport labour labor
    party opposition government campaign executive managing assistant associate
    junior principal lead special""".split()
)
_NOT_ROLE_START = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december yesterday today on in at but
    and when while after before as if then so the a an""".split()
)
_WORD_BEFORE = re.compile(r"([\w.’'-]+)(\s+|,\s+)$")
_APPOSITION = re.compile(
    r",\s+(?P<role>(?:(?:a|an|the)\s+)?[^,;:.“”\"]{2,120}?)(?:[,.]|\s+(?=said|says|told|wrote|added)\b)"
)
_MAX_ROLE_WORDS = 7


def find_mentions(docs: Sequence[Annotated], recognise: EntityRecogniser) -> list[Annotated]:
    """Assign `mentions` to a batch of articles, with one recogniser call for all paragraphs."""
    paragraphs = [doc.paragraphs or paragraph_spans(doc.article.text) for doc in docs]
    texts = [
        p.of(doc.article.text) for doc, spans in zip(docs, paragraphs, strict=True) for p in spans
    ]
    found = iter(recognise(texts))
    out = []
    for doc, spans in zip(docs, paragraphs, strict=True):
        text = doc.article.text
        mentions: list[Mention] = []
        for paragraph in spans:
            for start, end, label in next(found):
                kind = LABEL_TYPES.get(label)
                span = repair_span(text, Span(start, end).shifted(paragraph.start))
                if kind is None or span is None:
                    continue
                if kind is MentionType.GROUP:
                    span = _without_opening_word(text, span)
                if kind is MentionType.PERSON and _names_equipment(span.of(text)):
                    kind = MentionType.PRODUCT  # "Abrams Tanks" in a list of weapons
                role = find_role(text, span, paragraph) if kind is MentionType.PERSON else None
                mentions.append(Mention(span, kind, role=role))
        mentions = join_split_names(mentions, text)
        out.append(dataclasses.replace(doc, mentions=retype_known_people(mentions, text)))
    return out


# Words that make a name an organisation's ("Harbour Authority"); as its last word, one
# that may take "for"/"of" and more of the name ("Institute for the Study of Tides").
ORGANISATION_WORDS = frozenset(
    """academy agency association authority bank board bureau center centre church college
    commission committee company corporation council court department foundation fund group
    house institute institution league ministry museum office organisation organization party
    police school service society union university""".split()
)
_NAME_LINK = re.compile(r" (?:for|of)(?: the)? ")


# Plural nouns for machines and arms: a capitalised name ending in one ("Abrams Tanks",
# "Bradley Fighting Vehicles") is equipment, never a person (surnames that are plural
# nouns, "Banks", "Brooks", "Fields", are not on the list).
_EQUIPMENT_PLURALS = frozenset(
    """tanks vehicles missiles rockets jets planes aircraft drones helicopters howitzers
    launchers systems weapons guns rifles ships submarines frigates destroyers carriers
    trucks satellites""".split()
)


def _names_equipment(name: str) -> bool:
    words = name.split()
    return len(words) > 1 and words[-1].lower() in _EQUIPMENT_PLURALS


def join_split_names(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """One name the recogniser cut in two, made whole again: an organisation followed,
    after one space, by a capitalised word it tagged apart ("Lockheed" + "Martin"), or an
    organisation's head word followed by "for"/"of" and the rest of its name ("Kiel
    Institute" + "for the" + "World Economy")."""
    out: list[Mention] = []
    for mention in mentions:
        previous = out[-1] if out else None
        if previous is not None and previous.type is MentionType.ORG:
            between = text[previous.span.end : mention.span.start]
            head = previous.span.of(text).split()[-1].lower()
            second = mention.span.of(text)
            if (
                between == " "
                and mention.type in {MentionType.PRODUCT, MentionType.ORG, MentionType.PERSON}
                and len(second.split()) == 1
                and second[:1].isupper()
            ) or (
                _NAME_LINK.fullmatch(between)
                and head in ORGANISATION_WORDS
                # not a place: "University of Oxford" keeps Oxford on the map
                and mention.type in {MentionType.ORG, MentionType.OTHER}
            ):
                out[-1] = dataclasses.replace(
                    previous, span=Span(previous.span.start, mention.span.end)
                )
                continue
        out.append(mention)
    return out


# Words a sentence's capital glues to a nationality or group ("Recent Russian attacks",
# "Many Democrats"): never part of its name.
_GROUP_OPENERS = frozenset(
    """recent many some most several few all both other former top senior young fellow
    leading prominent ordinary angry these those such""".split()
)


def _without_opening_word(text: str, span: Span) -> Span:
    first, _, rest = span.of(text).partition(" ")
    if rest and first.lower() in _GROUP_OPENERS:
        return Span(span.end - len(rest), span.end)
    return span


def retype_known_people(mentions: Sequence[Mention], text: str) -> tuple[Mention, ...]:
    """An "organisation" whose name is a person's name or surname in the same text is that person.

    The small model tags a bare surname as ORG most of the time ("Trump said"); once
    the article has named the person in full, the surname is theirs.
    """
    people = {m.span.of(text) for m in mentions if m.type is MentionType.PERSON}
    known = people | {name.split()[-1] for name in people if len(name.split()) > 1}
    return tuple(
        dataclasses.replace(m, type=MentionType.PERSON)
        if m.type is MentionType.ORG and m.span.of(text) in known
        else m
        for m in mentions
    )


def repair_span(text: str, span: Span) -> Span | None:
    """Trim what spaCy wrongly includes in a name; None when nothing name-like is left."""
    start, end = span.start, span.end
    piece = text[start:end]
    if piece.startswith("the "):
        start += 4
    words = text[start:end].split(" ")
    while len(words) > 1 and words[-1].lower().strip(".,") in _HEADLINE_WORDS:
        words.pop()
    end = start + len(" ".join(words))
    possessive = _POSSESSIVE.search(text[start:end])
    if possessive:
        end -= len(possessive.group())
    end = start + len(text[start:end].rstrip(" ,.;:"))
    if end <= start or not any(c.isalpha() for c in text[start:end]):
        return None
    return Span(start, end)


def find_role(text: str, name: Span, paragraph: Span) -> str | None:
    """The title before a name, else a role-bearing apposition right after it."""
    return _title_before(text, name, paragraph) or _apposition_after(text, name, paragraph)


def _title_before(text: str, name: Span, paragraph: Span) -> str | None:
    """Walk back from the name over capitalised words and role vocabulary."""
    cursor = name.start
    words: list[str] = []
    comma_seen = False
    while len(words) < _MAX_ROLE_WORDS:
        match = _word_before(text, paragraph.start, cursor)
        if not match:
            break
        word = match.group(1)
        if "," in match.group(2):
            # "The US deputy national security adviser, Jon Finer": one comma, right by the name
            if words or comma_seen:
                break
            comma_seen = True
        bare = _POSSESSIVE.sub("", word).lower()
        first_part = bare.split("-")[0]
        acceptable = (
            word[0].isupper()
            or bare in ROLE_NOUNS
            or bare in _ROLE_MODIFIERS
            or first_part in ROLE_NOUNS
        )
        if not acceptable or bare in _NOT_ROLE_START or word.endswith("."):
            break
        words.insert(0, word)
        cursor = match.start(1)
    while words and not _has_role_noun(words[-1:]):
        if comma_seen:
            return None
        words.pop()  # the words next to the name must end in a role noun
    if not words or not _has_role_noun(words):
        return None
    return " ".join(words)


_WORD_WINDOW = 64


def _word_before(text: str, start: int, cursor: int) -> re.Match[str] | None:
    """`_WORD_BEFORE` searched in text[start:cursor], looking back only as far as the word
    reaches: a search from `start` tries every position of a long paragraph, for every
    name in it (a paragraph of 24,000 words took 9 s). The window widens while the word
    may reach past its edge, so the match is the whole search's."""
    window = _WORD_WINDOW
    while True:
        begin = max(start, cursor - window)
        match = _WORD_BEFORE.search(text, begin, cursor)
        if begin == start or (match is not None and match.start() > begin):
            return match
        if match is None and text[begin:cursor].strip(" \t\n\r\f\v,"):
            return None  # no word ends before white space here: none ends further back
        window *= 2


def _apposition_after(text: str, name: Span, paragraph: Span) -> str | None:
    match = _APPOSITION.match(text, name.end, paragraph.end)
    if not match:
        return None
    role = match.group("role").strip()
    words = role.split()
    if words and words[0].lower() in {"a", "an", "the"}:
        words = words[1:]
    if not words or len(words) > 14 or not _has_role_noun(words):
        return None
    return " ".join(words)


def _has_role_noun(words: Sequence[str]) -> bool:
    for word in words:
        bare = _POSSESSIVE.sub("", word).lower().strip(",")
        if bare in ROLE_NOUNS or bare.split("-")[0] in ROLE_NOUNS:
            return True
    return False
