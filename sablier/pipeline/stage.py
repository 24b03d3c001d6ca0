"""A pipeline stage: which rows wait for it, and what it does to a claimed batch of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sablier.pipeline.claims import Pending


@dataclass(frozen=True)
class Moved:
    """What a stage finished, and the items it hands to later stages (stage name → ids)."""

    done: tuple[int, ...] = ()
    handed: dict[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Stage:
    name: str
    pending: Pending
    process: Callable[[Sequence[int]], Moved]
