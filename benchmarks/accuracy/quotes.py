"""Quotes and speakers: PolNeAR (Newell, Margolin & Ruths 2018), US political news 2015-16.

Gold direct quotes are the Content spans that begin with a quotation mark. A found
quote matches a gold one when their spans overlap and they share at least half of the
shorter one's words (one to one, best share first). Speaker accuracy is over matched
quotes: right when the speaker Parallax names (its linked entity's names, or the words
it took as the speaker) contains the surname (the last capitalised word) of the gold
Source ("Secretary of State Ann Lee": Lee). The gold Source may be a pronoun: it then
means the nearest named Source before it in the article (PolNeAR has no coreference
links, so this stands in for them). A found quote inside an indirect attribution's
Content (a partial quote, "said the plan was 'dead'") is neither right nor wrong: it is
left out of precision and counted as `partial_in_indirect`. A Source that is a
description ("a source", "the campaign", "a longtime adviser to Ann Lee": the person it
serves is not the speaker) or a group ("Many Mexicans", "Hundreds of protesters") names
no one, and such quotes are counted apart (`speaker_unscored`), not guessed; nor does a
pronoun stand for one. A description with the name in apposition ("The state's
chairman, Ann Lee,") names that person. Speaker accuracy is also given apart for
Sources that are names and for those that are pronouns (the stand-in's own errors
fall on the second). A quote split around its cue ("A," she said. "B.") is one Content
in PolNeAR and two quotes in Parallax: the second piece inside a matched Content is
counted as `split_parts`, not as a false quote. A transcript's turn ("TAPPER: Do you
…"), which Parallax gives as a quote of its speaker, has no quote mark, so it is no
direct quote in PolNeAR's sense: such turns are counted apart (`transcript_turns`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accuracy.common import (
    Parallax,
    TaskOptions,
    TaskResult,
    analysed_in_batches,
    mapped,
    offset_map,
    prf,
    shared_share,
)
from newsparallax.model import Annotated, Story

_OPENING = ('"', "“", "''", "``")
PRONOUNS = frozenset("he she they him her them i we it his hers its their".split())
_CAPITAL = re.compile(r"[A-Z][\w’'.-]*")


@dataclass(frozen=True)
class GoldQuote:
    start: int
    end: int
    text: str
    source: str | None  # the Source's words
    source_start: int
    direct: bool = True


def read_polnear(root: Path, split: str) -> list[dict[str, Any]]:
    """Each article of a split: its text, metadata and gold direct quotes."""
    meta: dict[str, dict[str, str]] = {}
    with (root / "metadata.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            meta[row["filename"]] = row
    out = []
    folder = root / split
    for path in sorted((folder / "text").glob("*.txt")):
        annotations = sorted((folder / "attributions").glob(f"{path.stem}_*.ann"))
        text = path.read_text("utf-8")
        quotes = _gold_quotes(annotations[0].read_text("utf-8")) if annotations else []
        out.append(
            {"name": path.stem, "text": text, "meta": meta.get(path.stem, {}), "gold": quotes}
        )
    return out


def _gold_quotes(ann: str) -> list[GoldQuote]:
    spans: dict[str, tuple[str, int, int, str]] = {}
    relations: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, *positions = parts[1].replace(";", " ").split()
            numbers = [int(p) for p in positions]
            spans[parts[0]] = (kind, min(numbers), max(numbers), parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(item.split(":", 1) for item in parts[1].split() if ":" in item))
    out = []
    for relation in relations:
        content = spans.get(relation.get("Content", ""))
        if content is None:
            continue
        source = spans.get(relation.get("Source", ""))
        out.append(
            GoldQuote(
                content[1],
                content[2],
                content[3],
                source[3] if source else None,
                source[1] if source else -1,
                content[3].lstrip().startswith(_OPENING),
            )
        )
    return out


_SUFFIX = frozenset("jr jr. sr sr. ii iii iv".split())


# an office named with its department: "Secretary of State Ann Lee" is Lee, not "Secretary"
_OFFICE_OF = re.compile(r"^(?:\w+\s+)?(?:Secretary|Minister|Director|Chairman|Chairwoman)\s+of\s+")
# a number of people, not one: "Many Republicans", "some of them"
_GROUP = frozenset("many some most several other others both all few hundreds thousands".split())
# a description opens with one: its person is the one it serves, not the one it names
_DETERMINERS = frozenset("a an the one another".split())
# a name of two words or more, or one with a title ("Mr. Lee", "Gov. Ann Lee")
_APPOSED_NAME = re.compile(
    r"(?:(?:\w+\s+)?(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen)\.\s+)?"
    r"((?:[A-Z][\w’'.-]*\s+){1,3}[A-Z][\w’'-]*|(?<=\.\s)[A-Z][\w’'-]*)"
)


def surname(source: str) -> str | None:
    """The surname in a Source that names someone ("Ann Lee of Ohio, a writer" -> "lee");
    None for a description ("a source", "the campaign")."""
    source = _OFFICE_OF.sub("", re.sub(r"['’]s\b", "", source.strip()))
    if not source or source.split()[0].casefold() in _GROUP:  # "Hundreds of protesters"
        return None
    head = re.split(r",| of | who | from | at | in ", source)[0]
    if head.split()[:1] and head.split()[0].casefold() in _DETERMINERS:
        head = re.split(r" (?:to|for|with) ", head)[0]  # "a longtime adviser to Ann Lee"
    words = [w.strip(",.") for w in head.split() if w.strip(",.").casefold() not in _SUFFIX]
    if not words or not _CAPITAL.fullmatch(words[-1]):
        # a description with the name in apposition: "The state's chairman, Ann Lee,"
        parts = source.split(",")
        apposed = _APPOSED_NAME.fullmatch(parts[1].strip()) if len(parts) > 1 else None
        if apposed is None or not re.search(r"[a-z]$", parts[0]):
            return None
        words = apposed.group(1).split()
    return words[-1].casefold()


_FIRST_PERSON = frozenset("i we me us".split())


def resolve_gold_speaker(quote: GoldQuote, quotes: list[GoldQuote]) -> str | None:
    """The surname of the person a gold Source means (pronouns: the nearest named before;
    "I" and "we" are the writer, whom the text does not name: not scored)."""
    if quote.source is None or quote.source.strip().casefold() in _FIRST_PERSON:
        return None
    if quote.source.strip().casefold() in PRONOUNS:
        named = [  # "He said" opening a sentence is capitalised, and still no name
            (q.source_start, surname(q.source))
            for q in quotes
            if q.source
            and q.source_start < quote.source_start
            and q.source.strip().casefold() not in PRONOUNS
            and surname(q.source)
        ]
        return max(named)[1] if named else None
    return surname(quote.source)


def quotes_task(
    parallax: Parallax,
    root: Path,
    options: TaskOptions,
    *,
    split: str = "dev",
) -> TaskResult:
    articles = read_polnear(root, split)[: options.limit]
    counts = {"gold": 0, "found": 0, "matched": 0, "speaker_scored": 0, "speaker_right": 0}
    counts["speaker_unscored"] = counts["partial_in_indirect"] = counts["split_parts"] = 0
    counts["transcript_turns"] = 0
    counts["speaker_scored_pronoun"] = counts["speaker_right_pronoun"] = 0
    misses: list[str] = []
    errors: list[str] = []
    scored = 0
    outputs = ("entities", "quotes")
    for article, doc, stories in analysed_in_batches(
        parallax, articles, _record, options, outputs, errors, size=40
    ):
        _score_article(doc, stories, article, counts, misses)
        scored += 1
    metrics: dict[str, Any] = prf(counts["matched"], counts["found"], counts["gold"])
    metrics["speaker_accuracy"] = round(
        counts["speaker_right"] / counts["speaker_scored"] if counts["speaker_scored"] else 0.0, 4
    )
    # apart: a Source that is a pronoun is scored through the stand-in above, which is
    # itself wrong where the nearest named Source is not the one meant
    named = counts["speaker_scored"] - counts["speaker_scored_pronoun"]
    named_right = counts["speaker_right"] - counts["speaker_right_pronoun"]
    metrics["speaker_accuracy_named"] = round(named_right / named if named else 0.0, 4)
    metrics["speaker_accuracy_pronoun"] = round(
        counts["speaker_right_pronoun"] / counts["speaker_scored_pronoun"]
        if counts["speaker_scored_pronoun"]
        else 0.0,
        4,
    )
    metrics.update(counts)
    metrics["errors"] = len(errors)
    result = TaskResult("quotes", f"PolNeAR {split}", metrics, scored)
    result.misses = misses[: options.show_errors]
    result.notes = errors[: options.show_errors]
    return result


def _record(article: dict[str, Any]) -> dict[str, Any]:
    title, _, body = article["text"].partition("\n")
    meta = article["meta"]
    return {
        "url": f"polnear:{article['name']}",
        "title": title.strip(),
        "text": body,
        "outlet": meta.get("publisher"),
        "published": meta.get("publication_date"),
    }


def _speaker_names(doc: Annotated, stories: tuple[Story, ...], index: int) -> set[str]:
    """Every word of the names Parallax gives the speaker of its quote `index`."""
    quote = doc.quotes[index]
    names = [quote.speaker_text or ""]
    if quote.speaker is not None:
        entity = next((m.entity for m in doc.mentions if m.span == quote.speaker), None)
        for story in stories:
            for found in story.entities:
                if found.id == entity:
                    names += [found.name, *found.aliases]
    return {w.strip(",.").casefold() for n in names for w in re.sub(r"['’]s\b", "", n).split()}


def _score_article(
    doc: Annotated,
    stories: tuple[Story, ...],
    article: dict[str, Any],
    counts: dict[str, int],
    misses: list[str],
) -> None:
    original: str = article["text"]
    gold = [q for q in article["gold"] if q.direct]
    indirect = [q for q in article["gold"] if not q.direct]
    offsets = offset_map(doc.article.text, original)
    found = []
    for index, quote in enumerate(doc.quotes):
        place = mapped(offsets, quote.span.start, quote.span.end)
        if place is None:
            continue
        inside = any(q.start <= place[0] and place[1] <= q.end for q in indirect)
        if inside and not any(q.start < place[1] and place[0] < q.end for q in gold):
            counts["partial_in_indirect"] += 1
            continue
        if (
            not original[max(0, place[0] - 8) : place[0]]
            .rstrip(" \t")
            .endswith((*_OPENING, "‘", "'", "«"))
        ):
            counts["transcript_turns"] += 1  # "TAPPER: …", no mark: no direct quote here
            continue
        found.append((index, place))
    counts["gold"] += len(gold)
    counts["found"] += len(found)
    pairs = []
    for g, quote in enumerate(gold):
        for index, (start, end) in found:
            if start < quote.end and quote.start < end:
                share = shared_share(original[start:end], quote.text)
                if share >= 0.5:  # ties: the gold quote this one covers most of
                    cover = (min(end, quote.end) - max(start, quote.start)) / (
                        quote.end - quote.start
                    )
                    pairs.append((share, cover, g, index))
    used_gold: set[int] = set()
    used_found: set[int] = set()
    for _, _, g, index in sorted(pairs, reverse=True):
        if g in used_gold or index in used_found:
            continue
        used_gold.add(g)
        used_found.add(index)
        counts["matched"] += 1
        expected = resolve_gold_speaker(gold[g], article["gold"])
        if expected is None:
            counts["speaker_unscored"] += 1
            continue
        counts["speaker_scored"] += 1
        by_pronoun = (gold[g].source or "").strip().casefold() in PRONOUNS
        counts["speaker_scored_pronoun"] += by_pronoun
        names = _speaker_names(doc, stories, index)
        if expected in names:
            counts["speaker_right"] += 1
            counts["speaker_right_pronoun"] += by_pronoun
        else:
            said = doc.quotes[index].speaker_text
            misses.append(
                f"{article['name']} @{gold[g].start}: speaker {said!r}, gold {gold[g].source!r}"
            )
    # "A," she said. "B.": PolNeAR annotates one Content over both pieces, Parallax gives
    # each piece; a further piece inside a matched Content is part of it, not a false quote
    for index, (start, end) in found:
        if index not in used_found and any(
            gold[g].start <= start and end <= gold[g].end for g in used_gold
        ):
            counts["found"] -= 1
            counts["split_parts"] += 1
    for g, quote in enumerate(gold):
        if g not in used_gold:
            misses.append(
                f"{article['name']} @{quote.start}: quote not found ({len(quote.text)} chars)"
            )
