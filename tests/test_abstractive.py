"""The optional abstractive summary, against a small OpenAI-compatible server the test runs."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsparallax.cli import main
from newsparallax.crosscheck.abstractive import abstractive_summary, unsupported
from newsparallax.llm import LLMError, chat_completer
from newsparallax.model import Claim, Story

ANSWER = (
    "The Kestrel Dam gave way on Monday and flooded Dunmere [1]. "
    "Twelve people died [2]. "
    "The minister resigned over the disaster [1]. "
    "Forty people died [2]. "
    "Nobody cites anything here."
)


@pytest.fixture
def server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A local chat-completions endpoint that answers ANSWER and records each request."""
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(
                {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
            )
            reply = json.dumps({"choices": [{"message": {"content": ANSWER}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            return

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/v1", seen
    httpd.shutdown()
    httpd.server_close()


STORY = Story(
    "s",
    "Dam bursts",
    ("a", "b"),
    claims=(
        Claim("The Kestrel Dam gave way on Monday, flooding the town of Dunmere.", ("a", "b")),
        Claim("At least twelve people died, 12 of them in Dunmere, the agency said.", ("a",)),
    ),
)


def test_abstractive_keeps_supported_sentences_and_reports_the_rest(
    server: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, seen = server
    monkeypatch.setenv("TEST_LLM_KEY", "secret")
    complete = chat_completer(url, "local-model", api_key_env="TEST_LLM_KEY", timeout=5)
    story, rejected = abstractive_summary(STORY, complete)
    assert [s.text for s in story.summary] == [
        "The Kestrel Dam gave way on Monday and flooded Dunmere.",
        "Twelve people died.",
    ]
    assert story.summary[0].sources == ("a", "b") and story.summary[1].sources == ("a",)
    reasons = {r.text: r.reason for r in rejected}
    assert "resigned" in reasons["The minister resigned over the disaster."]
    assert "Forty" in reasons["Forty people died."] or "forty" in reasons["Forty people died."]
    assert reasons["Nobody cites anything here."] == "cites no passage"
    [request] = seen
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer secret"
    assert "[1] The Kestrel Dam gave way" in request["body"]["messages"][0]["content"]


def test_abstractive_unsupported_numbers_are_caught() -> None:
    assert unsupported("Twelve people died.", "Twelve people died on Monday.") is None
    assert "14" in (unsupported("14 people died.", "12 people died.") or "")


def test_abstractive_unreachable_endpoint_is_a_clear_error() -> None:
    complete = chat_completer("http://127.0.0.1:9/v1", "m", timeout=2)
    with pytest.raises(LLMError, match=r"check abstractive\.base_url"):
        complete("hello")


def test_abstractive_end_to_end_through_the_cli(
    server: tuple[str, list[dict[str, Any]]], demo_corpus: Path, tmp_path: Path
) -> None:
    url, seen = server
    config = tmp_path / "c.toml"
    config.write_text(f'[abstractive]\nenabled = true\nbase_url = "{url}"\n')
    out = tmp_path / "r.json"
    assert main(["--config", str(config), "analyze", str(demo_corpus), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert len(seen) == len(report["stories"])  # one request per story
    for story in report["stories"]:  # our canned answer fits neither fictional story
        assert story["summary"] and story["summary_rejected"]
