"""Places: the labelled gate, metonymy, disambiguation, and names the NER missed."""

from __future__ import annotations

import math
from typing import Any

import pytest

from newsparallax.extract.places import is_metonymy
from newsparallax.geo import Gazetteer, GeoName, fold_place
from newsparallax.link.places import choose, spot_places
from newsparallax.model import Annotated, Article, Span
from newsparallax.nlp import LanguageModels, SentenceSplitter
from place_eval import evaluate

TOPONYM_FLOOR = 0.90


def test_places_gate_on_our_labelled_set(
    splitter: SentenceSplitter, models: LanguageModels, gazetteer: Gazetteer
) -> None:
    scores = evaluate(splitter, models, gazetteer)
    assert scores.checks >= 30
    assert scores.accuracy >= TOPONYM_FLOOR, scores.misses


@pytest.mark.parametrize(
    ("text", "name", "metonymy"),
    [
        ("Moscow said the strike was a provocation.", "Moscow", True),
        ("Washington’s decision surprised allies.", "Washington", True),
        ("Kyiv's use of the missiles was approved.", "Kyiv", True),
        ("Moscow and Pyongyang have said nothing about it.", "Pyongyang", True),
        ("according to Moscow, six missiles were fired.", "Moscow", True),
        ("Russia’s western Bryansk region was hit.", "Russia", False),
        ("Ukraine fired missiles into Russia on Tuesday.", "Russia", False),
        ("Explosions shook Kyiv overnight.", "Kyiv", False),
        ("Kiev was quiet on Sunday.", "Kiev", False),
        ("Officials in Paris, Texas, said so.", "Paris", False),
    ],
)
def test_places_metonymy(text: str, name: str, metonymy: bool) -> None:
    start = text.index(name)
    assert is_metonymy(text, Span(start, start + len(name))) is metonymy


ODESA_UA = GeoName("Odesa", 46.48, 30.72, "UA", "city", 1_010_000)
ODESSA_US = GeoName("Odessa", 31.85, -102.37, "US", "city", 114_000)
KURSK_CITY = GeoName("Kursk", 51.73, 36.19, "RU", "city", 450_000)
KURSK_REGION = GeoName("Kursk", 51.7, 36.2, "RU", "region", 32)


def test_places_choose_by_story_country_then_size() -> None:
    assert choose([ODESSA_US, ODESA_UA], set(), False) == ODESA_UA  # the larger
    assert choose([ODESA_UA, ODESSA_US], {"US"}, False) == ODESSA_US  # the story says Texas
    assert choose([KURSK_CITY, KURSK_REGION], set(), True) == KURSK_REGION  # "Kursk region"
    assert choose([KURSK_CITY, KURSK_REGION], set(), False) == KURSK_CITY
    assert choose([], {"RU"}, False) is None


def test_places_spotting_what_the_ner_missed() -> None:
    gazetteer = Gazetteer(
        [
            ("Calais", GeoName("Calais", 50.95, 1.86, "FR", "city", 72_000)),
            ("Reading", GeoName("Reading", 51.45, -0.97, "GB", "city", 318_000)),
            ("Western", GeoName("Western", 0, 0, "GH", "region", 8)),
        ]
    )
    text = "Reading the report, ferries sailed to Calais with Western help."
    doc = spot_places(Annotated(Article(id="a", source="t", text=text)), gazetteer.__getitem__)
    assert [m.span.of(text) for m in doc.mentions] == ["Calais"]


def test_places_gazetteer_folds_spellings(gazetteer: Gazetteer) -> None:
    assert fold_place("Odessa") == fold_place("Odesa")
    assert {g.name for g in gazetteer["Kiev"]} >= {"Kyiv"}
    assert any(g.kind == "country" and g.country == "US" for g in gazetteer["U.S."])


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371 * 2 * math.asin(math.sqrt(h))


# Where these places are (public facts), to check the map within 100 km.
WHERE = {
    "Kursk": (51.73, 36.19),
    "Bryansk": (53.25, 34.37),
    "Rostov": (47.23, 39.72),
    "Dnipro": (48.45, 34.98),
    "Odesa": (46.48, 30.72),
}


def test_places_on_the_seeds(seeds_report: dict[str, Any]) -> None:
    [story] = seeds_report["stories"]
    places = {p["name"]: p for p in story["places"]}
    for name, where in WHERE.items():
        assert name in places, name
        assert distance_km((places[name]["lat"], places[name]["lon"]), where) <= 100, name
    metonymies = [
        t for a in seeds_report["articles"] for t in a["annotations"]["toponyms"] if t["metonymy"]
    ]
    assert any(t["name"] == "Moscow" and t["country"] == "RU" for t in metonymies)
    assert "Moscow" not in places  # the actor is not put on the map
