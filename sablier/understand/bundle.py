"""The trained models the reader uses: one featurizer, one head per dimension, shipped as small files."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from sablier.understand.exemplars import Exemplars, load_exemplars
from sablier.understand.features import Featurizer
from sablier.understand.head import Head

TRAINED = Path(__file__).with_name("trained")
EXEMPLARS = "intent_examples.jsonl"
HEADS = ("language", "sentiment", "intent", "urgency", "complaint", "hostile", "irony")


@dataclass(frozen=True)
class Bundle:
    """`heads` holds the shipped dimensions; `label_sets` the organisation's own, by name."""

    featurizer: Featurizer
    heads: dict[str, Head]
    label_sets: dict[str, Head] = field(default_factory=dict)
    exemplars: Exemplars | None = None

    def with_heads(self, heads: dict[str, Head]) -> Bundle:
        """The organisation's retrained heads replace the shipped ones of the same name."""
        shipped = {n: h for n, h in heads.items() if n in HEADS}
        own = {n: h for n, h in heads.items() if n not in HEADS}
        return replace(self, heads={**self.heads, **shipped}, label_sets={**self.label_sets, **own})


@lru_cache(maxsize=1)
def shipped_bundle() -> Bundle:
    """Loaded once per process from `understand/trained/` (rebuilt by `make models`)."""
    missing = [name for name in ("idf", *HEADS) if not (TRAINED / f"{name}.npz").exists()]
    if missing:
        raise FileNotFoundError(
            f"trained models missing in {TRAINED}: {', '.join(missing)}; run `make models`"
        )
    with np.load(TRAINED / "idf.npz", allow_pickle=False) as stored:
        featurizer = Featurizer(stored["idf"].astype(np.float32))
    heads = {name: Head.from_bytes((TRAINED / f"{name}.npz").read_bytes()) for name in HEADS}
    return Bundle(featurizer, heads, exemplars=load_exemplars(TRAINED / EXEMPLARS, featurizer))


def save_idf(idf: np.ndarray, folder: Path = TRAINED) -> None:
    np.savez_compressed(folder / "idf.npz", idf=idf.astype(np.float16))
