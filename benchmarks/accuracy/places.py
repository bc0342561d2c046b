"""Places: GeoWebNews (Gritta, Pilehvar & Collier 2019), 200 web news articles.

Gold: every toponym of a type that names a place on the map (Literal, Mixed,
Literal_Modifier, Embedded_Literal, Coercion, Metonymic) that has coordinates. A gold
toponym is resolved when a toponym Parallax reports overlaps it and has coordinates;
its error is the great-circle distance. A toponym not found, or found without
coordinates, is a miss at the largest error (20,039 km, half the Earth's
circumference), as the standard metrics count it. A few articles hold a paragraph twice
(a scraping artefact the cleaner drops as a verbatim repeat): a toponym in the repeat is
scored on its first copy (`first_copies`). Metrics (Gritta et al. 2018): Acc@161
(share within 161 km), mean error over resolved toponyms, and AUC of the log-error
curve (0 best, 1 worst).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from accuracy.common import (
    Parallax,
    TaskOptions,
    TaskResult,
    analysed_in_batches,
    first_copies,
    haversine_km,
    mapped,
    offset_map,
    on_first_copy,
)

MAPPABLE = frozenset(
    {"Literal", "Mixed", "Literal_Modifier", "Embedded_Literal", "Coercion", "Metonymic"}
)
WORST_KM = 20_039.0


def read_geowebnews(root: Path) -> list[dict[str, Any]]:
    out = []
    for index, article in enumerate(ET.parse(root / "GWN.xml").getroot().iter("article")):
        gold = []
        for toponym in article.iter("toponym"):
            kind = toponym.findtext("type") or ""
            lat, lon = toponym.findtext("latitude"), toponym.findtext("longitude")
            if kind in MAPPABLE and lat and lon:
                start, end = int(toponym.findtext("start") or 0), int(toponym.findtext("end") or 0)
                gold.append((start, end, float(lat), float(lon), kind))
        out.append(
            {
                "name": f"article {article.get('file', index)}",
                "title": article.findtext("title") or "",
                "url": article.findtext("link") or "",
                "text": article.findtext("text") or "",
                "gold": gold,
            }
        )
    return out


def places_task(parallax: Parallax, root: Path, options: TaskOptions) -> TaskResult:
    articles = read_geowebnews(root)[: options.limit]
    errors_km: list[float] = []
    found = 0
    misses: list[str] = []
    problems: list[str] = []
    scored = 0

    def record(article: dict[str, Any]) -> dict[str, Any]:
        # the article's own address, as a user's record has it (its domain can say where
        # the outlet is); the corpus's name when it has none
        url = article["url"] or f"geowebnews:{article['name']}"
        return {"url": url, "title": article["title"], "text": article["text"]}

    for article, doc, _ in analysed_in_batches(
        parallax, articles, record, options, ("toponyms",), problems
    ):
        found += _score(doc, article, errors_km, misses)
        scored += 1
    total = len(errors_km)
    resolved = [e for e in errors_km if e < WORST_KM]
    metrics: dict[str, Any] = {
        "acc_161": round(sum(e <= 161 for e in errors_km) / total, 4) if total else 0.0,
        "recall": round(found / total, 4) if total else 0.0,
        "mean_error_km": round(sum(resolved) / len(resolved), 1) if resolved else 0.0,
        "auc": round(sum(math.log1p(e) for e in errors_km) / (total * math.log1p(WORST_KM)), 4)
        if total
        else 0.0,
        "gold": total,
        "resolved": len(resolved),
        "errors": len(problems),
    }
    result = TaskResult("places", "GeoWebNews (all articles)", metrics, scored)
    result.misses = misses[: options.show_errors]
    result.notes = problems[: options.show_errors]
    return result


def _score(doc: Any, article: dict[str, Any], errors_km: list[float], misses: list[str]) -> int:
    """Append one error per gold toponym; returns how many were found at all."""
    original: str = article["text"]
    offsets = offset_map(doc.article.text, original)
    ours = []
    for toponym in doc.toponyms:
        place = mapped(offsets, toponym.span.start, toponym.span.end)
        if place is not None:
            ours.append((place, toponym))
    copies = first_copies(doc.article, original)
    found = 0
    for start, end, lat, lon, kind in article["gold"]:
        name = original[start:end]
        start, end = on_first_copy(copies, start, end)
        hit = next((t for (s, e), t in ours if s < end and start < e), None)
        if hit is None:
            errors_km.append(WORST_KM)
            misses.append(f"{article['name']}: {name!r} ({kind}) not found")
            continue
        found += 1
        if hit.lat is None or hit.lon is None:
            errors_km.append(WORST_KM)
            misses.append(f"{article['name']}: {name!r} found, no coordinates")
            continue
        error = haversine_km(lat, lon, hit.lat, hit.lon)
        errors_km.append(error)
        if error > 161:
            misses.append(f"{article['name']}: {name!r} placed {error:.0f} km off ({hit.name})")
    return found
