"""An optional abstractive summary, written by a language model and checked against its sources.

The model sees numbered passages (the story's most corroborated claims) and must cite,
after every sentence, the passages it rests on: "… [1][3]". Nothing it writes is taken
on trust: a sentence without a citation, or whose numbers and content words are not in
the passages it cites, is dropped and reported. When nothing survives, the extractive
summary stays.

The model is reached through `Complete` (a prompt in, text out), so this module does no
I/O; `newsparallax.llm` provides one for any OpenAI-compatible endpoint (a local
llama.cpp or Ollama server, or a hosted one).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsparallax.model import Annotated, Claim, Story, SummarySentence

Complete = Callable[[str], str]

PASSAGES = 12
# Share of a sentence's content words that must appear in the passages it cites.
MIN_SUPPORTED_WORDS = 0.8
_CITATION = re.compile(r"\[(\d+)\]")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+(?:\s*\[\d+\])*)|[^.!?]+$")
_WORD = re.compile(r"[a-z][a-z'-]{3,}")
_NUMBER = re.compile(r"\d[\d,.]*")
_STOP = frozenset(
    """that this these those with from have were will would could should about after before
    their there which while where when what also into over than then them they been being
    more most some such only very just said says according""".split()
)


@dataclass(frozen=True, slots=True)
class Rejected:
    text: str
    reason: str


def prompt(story: Story, passages: Sequence[Claim]) -> str:
    lines = [
        "Summarise this news story in at most 5 short, neutral sentences.",
        "Use only facts stated in the numbered passages below. After every sentence, cite",
        "the passages it rests on as [n], for example: The dam failed on Monday [1][2].",
        "Do not add anything the passages do not say.",
        "",
        f"Story: {story.title}",
        "",
    ]
    lines += [f"[{n}] {claim.text}" for n, claim in enumerate(passages, start=1)]
    return "\n".join(lines)


def abstractive_stage(
    docs: Sequence[Annotated], story: Story, *, complete: Complete
) -> tuple[Sequence[Annotated], Story]:
    """The story stage: the story's summary rewritten by the model, rejections kept."""
    rewritten, rejected = abstractive_summary(story, complete)
    reasons = tuple(SummarySentence(f"{r.text} ({r.reason})", ()) for r in rejected)
    return docs, dataclasses.replace(rewritten, summary_rejected=reasons)


def abstractive_summary(
    story: Story, complete: Complete, passages: int = PASSAGES
) -> tuple[Story, list[Rejected]]:
    """The story with a checked abstractive summary (or its own, if none survives)."""
    chosen = list(story.claims[:passages])
    if not chosen:
        return story, []
    output = complete(prompt(story, chosen))
    kept: list[SummarySentence] = []
    rejected: list[Rejected] = []
    for raw in _SENTENCE.findall(output):
        sentence = raw.strip()
        if not sentence:
            continue
        cited = sorted({int(n) for n in _CITATION.findall(sentence)})
        text = _CITATION.sub("", sentence).strip()
        text = re.sub(r"\s+([.!?,;:])", r"\1", text)
        if not cited:
            rejected.append(Rejected(text, "cites no passage"))
            continue
        if any(n < 1 or n > len(chosen) for n in cited):
            rejected.append(Rejected(text, f"cites a passage that does not exist: {cited}"))
            continue
        evidence = " ".join(chosen[n - 1].text for n in cited)
        problem = unsupported(text, evidence)
        if problem:
            rejected.append(Rejected(text, problem))
            continue
        sources = sorted({a for n in cited for a in chosen[n - 1].sources})
        kept.append(SummarySentence(text, tuple(sources)))
    if not kept:
        return story, rejected
    return dataclasses.replace(story, summary=tuple(kept)), rejected


def unsupported(sentence: str, evidence: str) -> str | None:
    """Why the cited passages do not support the sentence; None when they do."""
    evidence_numbers = {n.strip(".,").replace(",", "") for n in _NUMBER.findall(evidence)}
    for number in _NUMBER.findall(sentence):
        if number.strip(".,").replace(",", "") not in evidence_numbers:
            return f"the number {number.strip('.,')} is not in the passages it cites"
    words = {w for w in _WORD.findall(sentence.lower()) if w not in _STOP}
    if not words:
        return None
    evidence_words = set(_WORD.findall(evidence.lower()))
    stems = {w[:5] for w in evidence_words}
    missing = sorted(w for w in words if w not in evidence_words and w[:5] not in stems)
    if len(missing) > (1 - MIN_SUPPORTED_WORDS) * len(words):
        return f"words not in the passages it cites: {', '.join(missing)}"
    return None
