"""`parallax serve`: pages, search and the JSON API over a store, in-process and in Chromium."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsparallax.cli import main
from newsparallax.render import load_schema
from newsparallax.web import create_app
from test_contract import schemas, validate
from test_render_html import browser  # noqa: F401  (the module's Chromium fixture)


@pytest.fixture(scope="module")
def demo_store(demo_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("web") / "demo.db"
    assert main(["ingest", str(demo_corpus), "--db", str(db)]) == 0
    return db


@pytest.fixture(scope="module")
def client(demo_store: Path) -> TestClient:
    return TestClient(create_app(demo_store))


def _stories(client: TestClient) -> list[dict[str, Any]]:
    return list(client.get("/api/stories").json())


def test_web_story_list_and_filters(client: TestClient) -> None:
    stories = _stories(client)
    page = client.get("/").text
    assert all(s["title"].replace("'", "&#39;") in page for s in stories)
    assert "2 of 2 stories" in page
    one = stories[0]
    person = next(e for e in one["entities"] if e["type"] == "PERSON")
    filtered = client.get("/", params={"person": person["name"]}).text
    assert one["title"].replace("'", "&#39;") in filtered and "of 2 stories" in filtered
    none = client.get("/", params={"place": "Atlantis"}).text
    assert "No story matches these filters." in none


def test_web_story_article_entity_and_outlet_pages(client: TestClient) -> None:
    story = _stories(client)[0]
    page = client.get(f"/stories/{story['id']}")
    assert page.status_code == 200 and 'href="/"' in page.text
    assert "Content-Security-Policy" in page.headers
    article = client.get(f"/articles/{story['article_ids'][0]}").text
    assert "<mark class=" in article and story["title"].replace("'", "&#39;") in article
    speaker = next(q["speaker_entity"] for q in story["quotes"] if q.get("speaker_entity"))
    entity = client.get(f"/entities/{speaker}").text
    assert "<blockquote>" in entity
    outlet = client.get("/api/articles/" + story["article_ids"][0]).json()["outlet"]
    assert client.get(f"/outlets/{outlet}").status_code == 200
    for missing in ("/stories/nope", "/articles/nope", "/entities/nope", "/outlets/nope"):
        assert client.get(missing).status_code == 404


def test_web_search_finds_a_quote_and_its_story(client: TestClient) -> None:
    story = _stories(client)[0]
    quote = story["quotes"][0]["text"]
    word = max(quote.split(), key=len).strip(".,;:!?“”\"'")
    page = client.get("/search", params={"q": word}).text
    assert f"<mark>{word}</mark>" in page or f"<mark>{word.lower()}</mark>" in page
    found = client.get("/api/search", params={"q": word}).json()
    hit_stories = [s["story_id"] for s in found["stories"]]
    assert story["id"] in hit_stories
    assert any(h["kind"] == "quote" for s in found["stories"] for h in s["hits"])
    assert client.get("/api/search", params={"q": "zzqxv"}).json()["stories"] == []


def test_web_api_returns_the_contracts_shapes(client: TestClient) -> None:
    schema = load_schema()
    story = _stories(client)[0]
    for shared in schemas():
        validate(client.get(f"/api/stories/{story['id']}").json(), shared)
    article = client.get(f"/api/articles/{story['article_ids'][0]}").json()
    wrapper = {**schema, "$ref": "#/$defs/article"}
    wrapper.pop("properties", None), wrapper.pop("required", None)
    validate(article, wrapper)
    openapi = client.get("/openapi.json").json()
    assert {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/search",
    } <= set(openapi["paths"])


def test_web_empty_store_says_so(tmp_path: Path) -> None:
    empty = TestClient(create_app(tmp_path / "none.db"))
    assert "Nothing to show yet" in empty.get("/").text
    assert empty.get("/api/stories").json() == []
    assert not (tmp_path / "none.db").exists()


def test_web_article_text_stays_text(tmp_path: Path) -> None:
    attack = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">'
    path = tmp_path / "hostile.jsonl"
    record = {
        "url": "javascript:alert(1)",
        "title": f"Harbour {attack}",
        "text": f"The harbour reopened on Tuesday. {attack} Ferries ran again, officials said.",
    }
    path.write_text(json.dumps(record), "utf-8")
    db = tmp_path / "h.db"
    assert main(["ingest", str(path), "--db", str(db)]) == 0
    app = TestClient(create_app(db))
    [story] = app.get("/api/stories").json()
    for url in ("/", f"/stories/{story['id']}", f"/articles/{story['article_ids'][0]}"):
        page = app.get(url).text
        assert "<script>window" not in page and "<img src=x" not in page, url
    assert 'href="javascript:' not in app.get(f"/articles/{story['article_ids'][0]}").text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(demo_store: Path) -> Any:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(demo_store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.mark.browser
def test_web_in_chromium(browser, served: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from selenium.webdriver.common.by import By

    def visit(path: str, width: int = 1280) -> list[str]:
        browser.get_log("browser")
        browser.get_log("performance")
        browser.set_window_size(width, 900)
        browser.get(served + path)
        console = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert console == [], (path, console)
        urls = []
        for entry in browser.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        assert all(u.startswith((served, "data:")) for u in urls), urls  # nothing leaves loopback
        return urls

    visit("/")
    links = browser.find_elements(By.CSS_SELECTOR, "ul.stories li > a")
    assert len(links) == 2
    links[0].click()
    sections = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.story h3")]
    assert len(sections) >= 4, sections
    browser.save_screenshot(str(tmp_path / "story.png"))
    # search for a quoted word from the page's own quote list
    quote = browser.find_element(By.CSS_SELECTOR, "section.story blockquote")
    quote = quote.get_attribute("textContent") or ""
    word = max(quote.split(), key=len).strip(".,;:!?“”\"'")
    visit("/search?q=" + word)
    assert browser.find_elements(By.CSS_SELECTOR, "section.result mark")
    # a person's page, and the list at phone width without horizontal scroll
    visit("/")
    person = browser.find_element(By.CSS_SELECTOR, "ul.stories a[href^='/entities/']")
    person.click()
    assert browser.find_element(By.TAG_NAME, "h1").text
    for path in ("/", browser.current_url.removeprefix(served)):
        visit(path, width=390)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, (path, overflow)
    browser.save_screenshot(str(tmp_path / "phone.png"))
    assert (tmp_path / "phone.png").stat().st_size > 5_000
