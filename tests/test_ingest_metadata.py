"""Metadata for inputs that cannot say it: sidecars, front matter, the run's defaults."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsparallax.cli import main
from newsparallax.config import Settings
from test_ingest_formats import read

BODY = (
    "Harbour Lane\n\nThe ferry from Port Alder to Merrin ran aground on Tuesday, and all "
    "112 passengers were taken off by lifeboat, the coastguard said.\n"
)


def test_metadata_sidecar_gives_a_text_file_its_outlet_date_and_address(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(BODY, "utf-8")
    sidecar = {
        "outlet": "The Harbour Times",
        "published": "2025-03-04",
        "url": "https://harbour-times.example/ferry",
    }
    (tmp_path / "ferry.meta.json").write_text(json.dumps(sidecar), "utf-8")
    [article], errors = read(Settings.defaults(), tmp_path)  # the sidecar is no article
    assert errors == []
    assert (article.outlet, article.published) == ("The Harbour Times", date(2025, 3, 4))
    assert article.source == "https://harbour-times.example/ferry"
    assert article.title == "Harbour Lane"  # what the file says itself is kept


def test_metadata_front_matter_in_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text('+++\noutlet = "Merrin Weekly"\npublished = 2025-03-05\n+++\n' + BODY, "utf-8")
    [article], _ = read(Settings.defaults(), path)
    assert (article.outlet, article.published) == ("Merrin Weekly", date(2025, 3, 5))
    assert "+++" not in article.text and "outlet" not in article.text


def test_metadata_bad_sidecar_is_an_error_naming_it_and_the_article_is_still_read(
    tmp_path: Path,
) -> None:
    (tmp_path / "ferry.txt").write_text(BODY, "utf-8")
    (tmp_path / "ferry.meta.json").write_text('{"outlet": "X", "date": "today"}', "utf-8")
    (tmp_path / "other.txt").write_text(BODY.replace("Tuesday", "Monday"), "utf-8")
    (tmp_path / "other.meta.json").write_text('{"published": "last week"}', "utf-8")
    articles, errors = read(Settings.defaults(), tmp_path)
    assert len(articles) == 2 and all(a.outlet is None for a in articles)
    assert [Path(e.source).name for e in errors] == ["ferry.meta.json", "other.meta.json"]
    assert "unknown metadata key(s) date" in errors[0].problem
    assert "not an ISO 8601 date" in errors[1].problem


def test_metadata_the_runs_defaults_fill_only_what_inputs_leave_open(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, "utf-8")
    (tmp_path / "b.txt").write_text('+++\noutlet = "Merrin Weekly"\n+++\n' + BODY, "utf-8")
    settings = Settings.defaults()
    settings = dataclasses.replace(
        settings,
        ingest=dataclasses.replace(settings.ingest, outlet="Desk copy", published="2025-03-06"),
    )
    articles, _ = read(settings, tmp_path)
    assert sorted(a.outlet or "" for a in articles) == ["Desk copy", "Merrin Weekly"]
    assert {a.published for a in articles} == {date(2025, 3, 6)}


def test_metadata_a_web_address_without_an_outlet_names_its_domain(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    records = [
        {"url": "https://www.harbour-times.example/a", "text": BODY},
        {"url": "https://merrin.example/b", "text": BODY, "outlet": "Merrin Weekly"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records), "utf-8")
    articles, _ = read(Settings.defaults(), path)
    assert [a.outlet for a in articles] == ["harbour-times.example", "Merrin Weekly"]


def test_cli_outlet_and_published_and_early_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(BODY, "utf-8")
    out = tmp_path / "r.json"
    argv = ["analyze", str(tmp_path / "a.txt"), "--json", str(out), "--outlet", "Desk copy"]
    assert main([*argv, "--published", "2025-03-06"]) == 0
    [article] = json.loads(out.read_text("utf-8"))["articles"]
    assert (article["outlet"], article["published"][:10]) == ("Desk copy", "2025-03-06")
    capsys.readouterr()
    assert main([*argv, "--published", "last Tuesday"]) == 2
    assert "--published 'last Tuesday' is not an ISO 8601 date" in capsys.readouterr().err
    # a report that cannot be written is said before the analysis, not after
    bad = ["analyze", str(tmp_path / "a.txt"), "--html", str(tmp_path / "no" / "r.html")]
    assert main(bad) == 2
    assert "does not exist" in capsys.readouterr().err


def test_metadata_seeds_with_sidecars_show_five_outlets(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copies = tmp_path / "seeds"
    copies.mkdir()
    for n, path in enumerate(sorted(seeds.glob("*.txt")), start=1):
        shutil.copy(path, copies / path.name)
        meta: dict[str, Any] = {"outlet": f"Seed outlet {n}", "published": "2024-11-18"}
        (copies / path.name).with_suffix(".meta.json").write_text(json.dumps(meta), "utf-8")
    out = tmp_path / "seeds.html"
    assert main(["analyze", str(copies), "--html", str(out)]) == 0
    page = out.read_text("utf-8")
    assert "5 articles from 5 outlets" in page
    assert all(f"Seed outlet {n}" in page for n in range(1, 6))
    assert "000_" not in page.split('<ul class="outlets">')[1].split("</ul>")[0]
