"""A client for any OpenAI-compatible chat endpoint (llama.cpp, Ollama, vLLM, hosted ones).

Standard library only: one POST to `{base_url}/chat/completions`. The transport is a
function, so tests (and users with other needs) can replace it; the default one uses
urllib. Errors name the endpoint and say what to check.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from newsparallax.errors import ParallaxError

# (url, JSON body, headers, timeout) -> JSON response
Transport = Callable[[str, dict[str, Any], dict[str, str], float], dict[str, Any]]


class LLMError(ParallaxError):
    """The language-model endpoint could not be reached or answered nonsense."""


def urllib_transport(
    url: str, body: dict[str, Any], headers: dict[str, str], timeout: float
) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode("utf-8"), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer: dict[str, Any] = json.loads(response.read().decode("utf-8"))
            return answer
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        raise LLMError(
            f"{url}: no usable answer ({exc}); check abstractive.base_url and that the "
            "server is running"
        ) from exc


def chat_completer(
    base_url: str,
    model: str,
    *,
    api_key_env: str = "",
    timeout: float = 60.0,
    transport: Transport = urllib_transport,
) -> Callable[[str], str]:
    """A function sending one user prompt and returning the model's answer text."""
    url = base_url.rstrip("/") + "/chat/completions"
    headers = {"Content-Type": "application/json"}
    key = os.environ.get(api_key_env) if api_key_env else None
    if key:
        headers["Authorization"] = f"Bearer {key}"

    def complete(prompt: str) -> str:
        body = {"model": model, "temperature": 0, "messages": [{"role": "user", "content": prompt}]}
        answer = transport(url, body, headers, timeout)
        try:
            return str(answer["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"{url}: the answer has no choices[0].message.content") from exc

    return complete
