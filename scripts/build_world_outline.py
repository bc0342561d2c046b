"""Build the world outline the HTML report draws its map on, from Natural Earth data.

    pip download --no-deps geopandas==0.14.4 pyshp   # geopandas 0.14 ships the data
    unzip -o geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/naturalearth_lowres/*'
    pip install pyshp
    python scripts/build_world_outline.py geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Natural Earth's 1:110m countries are in the public domain. The output is SVG path data
in an equirectangular projection (x = longitude + 180, y = 90 - latitude, in tenths of
a degree), one path per country keyed by ISO 3166 alpha-3, small enough to inline in
every report.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import shapefile  # pyshp

OUT = Path(__file__).resolve().parents[1] / "src" / "newsparallax" / "render" / "world-110m.json"


def ring_path(points: list[tuple[float, float]]) -> str:
    coords = []
    last = None
    for lon, lat in points:
        point = (round((lon + 180) * 10), round((90 - lat) * 10))
        if point != last:
            coords.append(f"{point[0]} {point[1]}")
            last = point
    return "M" + "L".join(coords) + "Z" if len(coords) > 2 else ""


def main(shp: str) -> None:
    reader = shapefile.Reader(shp)
    fields = [f[0] for f in reader.fields[1:]]
    countries: dict[str, str] = {}
    for record, shape in zip(reader.records(), reader.shapes(), strict=True):
        attributes = dict(zip(fields, record, strict=True))
        code = attributes.get("iso_a3") or attributes.get("ISO_A3") or attributes.get("name")
        if code in (None, "-99"):
            code = attributes.get("name")
        parts = list(shape.parts) + [len(shape.points)]
        paths = [ring_path(shape.points[a:b]) for a, b in zip(parts, parts[1:], strict=False)]
        countries[str(code)] = countries.get(str(code), "") + "".join(p for p in paths if p)
    document = {
        "source": "Natural Earth 1:110m Admin 0 countries (public domain), via geopandas 0.14",
        "projection": "equirectangular; x = (lon + 180) * 10, y = (90 - lat) * 10",
        "width": 3600,
        "height": 1800,
        "countries": dict(sorted(countries.items())),
    }
    OUT.write_text(json.dumps(document, separators=(",", ":")) + "\n")
    print(f"{OUT}: {len(countries)} countries, {OUT.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main(sys.argv[1])
