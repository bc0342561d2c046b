"""Real-like news at any size: the labelled corpora under ../shared/corpora, retold.

    python benchmarks/reallike.py 10000 out.jsonl   # write 10,000 records as JSON Lines

Generation 0 is every real article as it is: ECB+ (772 documents, no dates), Timeline17
(1,866 dated articles of five outlets) and PolNeAR (924 dated articles of US outlets),
about 700 words on average. Each further generation retells all of them as other events
of the same kinds, so that a corpus of any size keeps real copy's sentences, lengths and
mix while its stories stay apart:
- every name (a capitalised word inside a sentence, or one opening a sentence that the
  corpora never write in lower case; months and weekdays aside) becomes an invented one,
  the same all through the generation, so that a story's articles still share their
  names while two generations share none;
- the publication day and every year written in the text move on by the generation's
  number of years;
- one word in about ten (a plain lower-case word) is left out, so that no generation is a
  copy or rewrite of another.
Records come out generation by generation, each in the corpora's own order.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
NEEDED = ("ecbplus", "timeline17", "polnear")

_SYLLABLES = [
    "ba", "del", "kor", "ma", "ven", "tri", "lo", "sar", "qui", "ne",
    "dor", "fa", "ru", "mel", "tan", "os", "gri", "var", "li", "zen",
]  # fmt: skip
_KEEP = {
    "I", "Mr", "Mrs", "Ms", "Dr", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
}  # fmt: skip
_WORD = re.compile(r"(?<![\w'’])([A-Z][a-z]+|[A-Z]{2,})(?!\w|['’]\w\w)")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:][\"'”’)]*\s+|\n\s*)$")
_PLAIN = re.compile(r"[a-z]{3,}")


def present() -> bool:
    return all((CORPORA / name).is_dir() for name in NEEDED)


def originals() -> list[dict[str, Any]]:
    """Generation 0: every article of the three corpora as a record."""
    from accuracy.quotes import read_polnear
    from accuracy.stories import read_ecbplus, read_timeline_pools

    records: list[dict[str, Any]] = [
        {"url": f"ecbplus:{name}", "text": text}
        for name, text, _ in read_ecbplus(CORPORA / "ecbplus")
    ]
    for item in read_timeline_pools(CORPORA / "timeline17"):
        records.append({k: item[k] for k in ("url", "text", "published", "outlet")})
    for split in ("dev", "train"):
        for item in read_polnear(CORPORA / "polnear", split):
            meta = item["meta"]
            record = {"url": f"polnear:{item['name']}", "text": item["text"]}
            if meta.get("publication_date"):
                record["published"] = meta["publication_date"]
            if meta.get("publisher"):
                record["outlet"] = meta["publisher"]
            records.append(record)
    return [r for r in records if r["text"].strip()]


def invented(name: str, generation: int) -> str:
    """The name `name` is given in `generation`: two or three syllables from its hash."""
    digest = hashlib.blake2b(f"{generation}:{name}".encode(), digest_size=4).digest()
    parts = [_SYLLABLES[b % len(_SYLLABLES)] for b in digest[: 2 + digest[3] % 2]]
    word = "".join(parts)
    return word.upper() if name.isupper() else word.capitalize()


def lower_words(records: list[dict[str, Any]]) -> frozenset[str]:
    """Every word the corpora write in lower case: a capitalised word opening a sentence
    is a name only when it is not one of these."""
    return frozenset(w for r in records for w in _PLAIN.findall(r["text"]))


def retold(text: str, generation: int, rnd: random.Random, common: frozenset[str]) -> str:
    """`text` as generation `generation` tells it (see the module docstring)."""
    if generation == 0:
        return text

    def name(match: re.Match[str]) -> str:
        word = match.group(1)
        if word in _KEEP:
            return word
        opening = _SENTENCE_START.search(text[max(0, match.start() - 6) : match.start()])
        if opening and word.lower() in common:
            return word
        return invented(word, generation)

    text = _WORD.sub(name, text)
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + generation), text)
    words = text.split(" ")
    kept = [w for w in words if not (_PLAIN.fullmatch(w) and rnd.random() < 0.1)]
    return " ".join(kept)


def _moved(day: str, years: int) -> str:
    parsed = date.fromisoformat(day[:10])
    try:
        return parsed.replace(year=parsed.year + years).isoformat()
    except ValueError:  # 29 February
        return parsed.replace(year=parsed.year + years, day=28).isoformat()


def real_like(size: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """`size` records: generation 0, then as many further generations as it takes."""
    base = originals()
    common = lower_words(base)
    for index in range(size):
        generation, position = divmod(index, len(base))
        source = base[position]
        rnd = random.Random(f"{seed}:{generation}:{position}")
        record = dict(source, text=retold(source["text"], generation, rnd, common))
        if generation:
            record["url"] = f"{source['url']}#retold-{generation}"
            if "published" in source:
                record["published"] = _moved(source["published"], generation)
        yield record


def write_jsonl(path: Path, records: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
            count += 1
    return count


if __name__ == "__main__":
    if not present():
        raise SystemExit(f"{CORPORA} lacks one of {NEEDED}: nothing written")
    print(write_jsonl(Path(sys.argv[2]), real_like(int(sys.argv[1]))), "records")
