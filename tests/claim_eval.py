"""Scoring of the paraphrase decision against our labelled pairs (tests/data/paraphrases.jsonl).

    python tests/claim_eval.py

Similarity is computed over all the set's sentences at once, as a story's would be
(IDF weights come from the sentences compared).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from newsparallax.similarity import (
    PARAPHRASE_THRESHOLD,
    Embedder,
    lexical_similarity,
    similar_pairs,
)

CASES = Path(__file__).parent / "data" / "paraphrases.jsonl"


def evaluate(
    threshold: float = PARAPHRASE_THRESHOLD, embed: Embedder | None = None
) -> tuple[float, int, list[str]]:
    pairs = [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line.strip()]
    sentences: list[str] = []
    for pair in pairs:
        for s in (pair["a"], pair["b"]):
            if s not in sentences:
                sentences.append(s)
    matrix = (
        lexical_similarity(sentences)
        if embed is None
        else _dense(similar_pairs(sentences, 0.0, top_k=None, embed=embed), len(sentences))
    )
    tp = fp = fn = 0
    misses = []
    for pair in pairs:
        score = matrix[sentences.index(pair["a"]), sentences.index(pair["b"])]
        said = score >= threshold
        if said and pair["paraphrase"]:
            tp += 1
        elif said:
            fp += 1
            misses.append(f"false paraphrase ({score:.2f}): {pair['a']!r} / {pair['b']!r}")
        elif pair["paraphrase"]:
            fn += 1
            misses.append(f"missed paraphrase ({score:.2f}): {pair['a']!r} / {pair['b']!r}")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1, len(pairs), misses


def _dense(pairs: list[tuple[int, int, float]], size: int) -> NDArray[np.float64]:
    matrix = np.zeros((size, size))
    for i, j, score in pairs:
        matrix[i, j] = matrix[j, i] = score
    return matrix


if __name__ == "__main__":
    f1, count, misses = evaluate()
    print(f"paraphrase F1 {f1:.3f} on {count} pairs")
    print("\n".join(misses))
