"""The HTML report: self-contained, escaped, and rendered by a real browser."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsparallax.analysis import analyze
from newsparallax.config import Settings
from newsparallax.model import (
    Annotated,
    Article,
    InputFailure,
    JoinReason,
    KeptApart,
    Removal,
    RemovalReason,
    Report,
    Story,
)
from newsparallax.render import render_html
from newsparallax.store import SQLiteStore
from test_contract import full_report

ATTACK = '<script>window.__pwned = 1</script><img src="https://evil.example/x.png" onerror="window.__pwned = 2">'
OPTIONS = Settings.defaults().report


def hostile_report() -> Report:
    text = f"Body before. {ATTACK} Body after."
    article = Article(
        id="a1",
        source=f"https://x.example/{ATTACK}",
        text=text,
        title=f"Title {ATTACK}",
        outlet=f"Outlet {ATTACK}",
        removed=(Removal(f"Photo: {ATTACK}", RemovalReason.CAPTION),),
    )
    story = Story(
        id="s1",
        title=f"Story {ATTACK}",
        article_ids=("a1",),
        join_reasons=(JoinReason("a1", 0.5, (f"word{ATTACK}",), (f"name{ATTACK}",)),),
    )
    return Report(
        datetime(2026, 1, 1, tzinfo=UTC),
        (Annotated(article),),
        (story,),
        (InputFailure(f"bad{ATTACK}.txt", f"error {ATTACK}"),),
    )


def test_render_html_escapes_article_text_everywhere() -> None:
    html = render_html(hostile_report(), OPTIONS)
    assert "<script" not in html and "<img" not in html
    assert html.count("&lt;script&gt;window.__pwned = 1&lt;/script&gt;") >= 9
    assert "Why it is in this story" in html  # the join reasons, escaped like the rest


def test_render_html_loads_nothing_from_the_network() -> None:
    html = render_html(full_report(), OPTIONS)
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in html
    assert not re.search(r"<(script|link|iframe|object|embed)\b", html)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html


def test_render_html_shows_findings_with_their_sources() -> None:
    html = render_html(full_report(), OPTIONS)
    for text in (
        "Ten dead",
        "Ten people died.",
        "Sikorski",
        "2024-11-18",
        "compatible",
        "attributed to Kyiv",
        "bad.txt",
        "file is empty",
    ):
        assert text in html, text


def test_render_html_folds_the_events_off_the_key_days() -> None:
    """The key days' events are the timeline; the rest wait behind a fold, and a story
    with no key day shows its dated events unfolded."""
    html = render_html(full_report(), OPTIONS)
    key, rest = html.split('<details class="timeline-rest">', 1)
    assert "Ten people died." in key and "A warning was issued." not in key
    assert "1 more dated events" in rest and "A warning was issued." in rest.split("</details>")[0]
    report = full_report()
    story = report.stories[0]
    unkeyed = tuple(dataclasses.replace(e, key=False) for e in story.timeline)
    report = dataclasses.replace(report, stories=(dataclasses.replace(story, timeline=unkeyed),))
    assert '<details class="timeline-rest" open>' in render_html(report, OPTIONS)


def test_render_html_tells_which_alike_story_a_story_was_kept_apart_from() -> None:
    """Two stories of one kind: each says which other it was kept apart from (linked by
    the story that holds the named article, its title escaped) and by what figures."""
    report = hostile_report()
    [first] = report.stories
    second_article = Article(id="a2", source="https://x.example/2", text="Another arrest.")
    second = Story(
        id="s2",
        title=f"Second arrest {ATTACK}",
        article_ids=("a2",),
        kept_apart=(KeptApart("a1", 0.21, 0.3, 0.45),),
    )
    first = dataclasses.replace(first, kept_apart=(KeptApart("a2", 0.21, 0.45, 0.3),))
    report = dataclasses.replace(
        report, articles=(*report.articles, Annotated(second_article)), stories=(first, second)
    )
    html = render_html(report, OPTIONS)
    assert html.count("Kept apart from 1 alike story") == 2
    assert '<a href="#s2">Second arrest &lt;script&gt;' in html
    assert "alike at 0.21 on average, but this story's own at 0.45 and that one's at 0.30" in html
    assert "<script" not in html
    alone = dataclasses.replace(report, stories=(first,))
    assert "the story of article a2" in render_html(alone, OPTIONS)


def test_render_html_empty_report() -> None:
    html = render_html(Report(datetime(2026, 1, 1, tzinfo=UTC), (), ()), OPTIONS)
    assert "No stories: no article could be read." in html


# -- in a real browser -----------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not (CHROMIUM and CHROMEDRIVER):
        missing = "Debian's chromium and chromium-driver are not installed"
        if os.environ.get("PARALLAX_REQUIRE_BROWSER"):
            pytest.fail(missing + ", and PARALLAX_REQUIRE_BROWSER is set (as in CI)")
        pytest.skip(missing)
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def open_report(driver, path: Path, width: int, height: int) -> tuple[list, list]:  # type: ignore[no-untyped-def,type-arg]
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get_log("performance")
    driver.set_window_size(width, height)
    driver.get(path.as_uri())
    console = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return console, [u for u in requests if u != path.as_uri()]


@pytest.mark.browser
def test_render_html_in_chromium(browser, demo_corpus: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    with SQLiteStore(":memory:") as store:
        report = analyze([demo_corpus], store, Settings.defaults())
    path = tmp_path / "report.html"
    path.write_text(render_html(report, OPTIONS), "utf-8")
    for name, (width, height) in {"desktop": (1280, 900), "phone": (390, 844)}.items():
        console, requests = open_report(browser, path, width, height)
        assert console == [], console
        assert requests == [], requests
        titles = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.story > h2")]
        assert titles == [s.title for s in report.stories]
        # readable on a phone: nothing wider than the screen
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{name}: page is {overflow}px wider than the window"
        browser.save_screenshot(str(tmp_path / f"report-{name}.png"))
        assert (tmp_path / f"report-{name}.png").stat().st_size > 10_000
    # clicking an outlet under a summary sentence shows the passage that supports it
    source = browser.find_element(By.CSS_SELECTOR, "ul.summary details.source")
    passage = source.find_element(By.TAG_NAME, "blockquote")
    assert not passage.is_displayed()
    source.find_element(By.TAG_NAME, "summary").click()
    assert passage.is_displayed() and len(passage.text) > 20


@pytest.mark.browser
def test_render_html_map_and_timeline_in_chromium(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    path = tmp_path / "full.html"
    path.write_text(render_html(full_report(), OPTIONS), "utf-8")
    console, requests = open_report(browser, path, 390, 844)
    assert console == [] and requests == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.map circle")) == 1
    box = browser.find_element(By.CSS_SELECTOR, "svg.map").rect
    assert 200 < box["width"] <= 390 and box["height"] > 100  # drawn, and fits a phone
    assert browser.find_element(By.CSS_SELECTOR, "ol.timeline time").text == "2024-11-18"
    folded = browser.find_element(By.CSS_SELECTOR, "details.timeline-rest li")
    assert not folded.is_displayed()
    browser.find_element(By.CSS_SELECTOR, "details.timeline-rest summary").click()
    assert folded.is_displayed() and "2024-11-02" in folded.text
    browser.save_screenshot(str(tmp_path / "full-phone.png"))


# A small-town story of our own: two local reports of one flood in Cambridge, Maryland.
# The name is also a city in England, in Massachusetts and in Ontario; the map must put
# the marker on Maryland's Eastern Shore.
SMALL_TOWN_STORY = [
    {
        "url": "https://eastern-shore-herald.example/flood-1",
        "outlet": "Eastern Shore Herald",
        "title": "Flood waters close the Cambridge waterfront",
        "text": "CAMBRIDGE, Md. — Flood waters from the Choptank River closed streets along "
        "the Cambridge waterfront on Tuesday, and Dorchester County crews opened two "
        "shelters for residents of low-lying blocks. The mayor said pumps ran all night.",
    },
    {
        "url": "https://bay-country-news.example/cambridge-flood",
        "outlet": "Bay Country News",
        "title": "Cambridge, Md., pumps run through the night after the river floods",
        "text": "Pumps ran through the night in Cambridge, Md., after the Choptank River "
        "overflowed its banks on Tuesday. Dorchester County opened two shelters and the "
        "mayor asked residents of the low-lying waterfront blocks to stay away.",
    },
]


@pytest.mark.browser
def test_render_html_small_town_story_maps_the_town_not_its_namesake(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    corpus = tmp_path / "flood.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in SMALL_TOWN_STORY), "utf-8")
    with SQLiteStore(":memory:") as store:
        report = analyze([corpus], store, Settings.defaults())
    path = tmp_path / "flood.html"
    path.write_text(render_html(report, OPTIONS), "utf-8")
    console, requests = open_report(browser, path, 1280, 900)
    assert console == [] and requests == []
    markers = {
        c.find_element(By.TAG_NAME, "title").get_attribute("textContent").split(" (")[0]: c
        for c in browser.find_elements(By.CSS_SELECTOR, "svg.map circle")
    }
    assert "Cambridge" in markers, list(markers)
    lon = float(markers["Cambridge"].get_attribute("cx")) / 10 - 180
    lat = 90 - float(markers["Cambridge"].get_attribute("cy")) / 10
    assert abs(lat - 38.56) < 1.0 and abs(lon + 76.08) < 1.0, (lat, lon)  # not England


@pytest.mark.browser
def test_render_html_hostile_text_stays_text_in_chromium(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    path = tmp_path / "hostile.html"
    path.write_text(render_html(hostile_report(), OPTIONS), "utf-8")
    console, requests = open_report(browser, path, 1280, 900)
    assert requests == [] and console == []
    assert browser.execute_script("return window.__pwned === undefined")
    heading = browser.find_element(By.CSS_SELECTOR, "section.story > h2").text
    assert heading == f"Story {ATTACK}"


def test_render_html_uses_paragraph_spans_when_present(make_doc) -> None:  # type: ignore[no-untyped-def]
    doc = make_doc("One.\n\nTwo.")
    report = Report(datetime(2026, 1, 1, tzinfo=UTC), (doc,), (Story("s", "t", (doc.id,)),))
    assert "<p>One.</p>" in render_html(report, OPTIONS)
    assert dataclasses.replace(doc).paragraphs == ()


def test_render_html_a_story_that_cannot_be_drawn_costs_only_that_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsparallax.render import html as html_module

    report = full_report()
    good = report.stories[0]
    broken = dataclasses.replace(good, id="s2", title="Unlucky story")
    real_map_view = html_module.map_view

    def map_view(places):  # type: ignore[no-untyped-def]
        if places is broken.places and places is not good.places:
            raise ValueError("no map for you")
        return real_map_view(places)

    broken = dataclasses.replace(broken, places=tuple(reversed((*good.places, *good.places))))
    monkeypatch.setattr(html_module, "map_view", map_view)
    page = render_html(dataclasses.replace(report, stories=(good, broken)), OPTIONS)
    assert "Ten dead" in page
    assert "html writer, story s2 (&#39;Unlucky story&#39;)" in page
    assert "ValueError: no map for you" in page
