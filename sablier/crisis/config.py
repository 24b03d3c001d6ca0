"""The `crisis:` section of the organisation file — pure; every key has a default.

crisis:
  bucket_minutes: 5          # counts per bucket
  baseline_buckets: 288      # the rolling baseline: 288 buckets of 5 min = 24 h
  min_count: 10              # never a spike below this many mentions in a bucket
  ratio: 3                   # and at least this many times the baseline rate
  p_value: 1.0e-6            # and at most this likely under Poisson(baseline rate)
  negative_share: 0.5        # a negative spike also needs this share of negative mentions
  calm_minutes: 30           # quiet this long before the same topic may alert again
  gather_minutes: 60         # a new crisis room gathers the topic's cases of the last hour
  burst: {cases: 3, minutes: 30}        # crisis-intent cases within minutes
  watch: [{fr: fuite de données, en: data breach}, rappel]   # any mention is an alert
  topics: [{fr: panne, en: outage}]     # tracked for spikes, besides routing keywords and intents
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sablier.crisis.detector import Thresholds
from sablier.errors import FieldError, ValidationFailed

LANGUAGES = ("fr", "en")
MAX_PHRASE = 100
# key: (lowest, highest, whole number?)
NUMBERS: dict[str, tuple[float, float, bool]] = {
    "bucket_minutes": (1, 60, True),
    "baseline_buckets": (12, 4032, True),
    "min_count": (1, 100_000, True),
    "ratio": (1, 1000, False),
    "p_value": (1e-300, 0.5, False),
    "negative_share": (0, 1, False),
    "calm_minutes": (1, 1440, True),
    "gather_minutes": (1, 1440, True),
}
BURST = {"cases": (1, 10_000, True), "minutes": (1, 1440, True)}
KEYS = {*NUMBERS, "burst", "watch", "topics"}


@dataclass(frozen=True)
class Phrases:
    """One topic in its languages, e.g. name "panne / outage" for {fr: panne, en: outage}."""

    name: str
    phrases: frozenset[str]


@dataclass(frozen=True)
class CrisisConfig:
    limits: Thresholds = field(default_factory=Thresholds)
    gather_minutes: int = 60
    burst_cases: int = 3
    burst_minutes: int = 30
    watch: tuple[Phrases, ...] = ()
    topics: tuple[Phrases, ...] = ()


def _number(raw: Any, where: str, bounds: tuple[float, float, bool], errors: list[FieldError]) -> bool:
    low, high, whole = bounds
    kind = int if whole else (int, float)
    if isinstance(raw, bool) or not isinstance(raw, kind) or not low <= raw <= high:
        shown = f"{low:g}" if low >= 1e-6 else "0"
        noun = "a whole number" if whole else "a number"
        errors.append(FieldError(where, f"{noun} from {shown} to {high:g}"))
        return False
    return True


def _order(language: str) -> int:
    return LANGUAGES.index(language) if language in LANGUAGES else -1


def _phrases(raw: Any, where: str, errors: list[FieldError]) -> Phrases | None:
    words = raw if isinstance(raw, dict) else {"": raw}
    if isinstance(raw, dict) and (not raw or set(raw) - set(LANGUAGES)):
        errors.append(FieldError(where, f"a phrase, or a phrase per language ({', '.join(LANGUAGES)})"))
        return None
    found: list[str] = []
    # In the order of LANGUAGES, not of the mapping: PostgreSQL's jsonb does not keep key order.
    for language, value in sorted(words.items(), key=lambda kv: _order(kv[0])):
        items = value if isinstance(value, list) else [value]
        at = f"{where}.{language}" if language else where
        if not items or not all(isinstance(i, str) and i.strip() and len(i) <= MAX_PHRASE for i in items):
            errors.append(FieldError(at, f"a phrase of 1 to {MAX_PHRASE} characters, or a list of them"))
            return None
        found += [i.strip() for i in items]
    return Phrases(" / ".join(dict.fromkeys(found)), frozenset(found))


def _list(raw: Any, where: str, errors: list[FieldError]) -> tuple[Phrases, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        errors.append(FieldError(where, "a list of phrases, e.g. [rappel, {fr: panne, en: outage}]"))
        return ()
    found = [_phrases(item, f"{where}[{i}]", errors) for i, item in enumerate(raw)]
    return tuple(p for p in found if p is not None)


def _parse(raw: Any, errors: list[FieldError]) -> CrisisConfig:
    if raw is None:
        return CrisisConfig()
    if not isinstance(raw, dict):
        errors.append(FieldError("crisis", "a mapping: bucket_minutes, min_count, watch, topics…"))
        return CrisisConfig()
    for key in sorted(set(raw) - KEYS, key=str):
        errors.append(FieldError(f"crisis.{key}", f"unknown key; use {', '.join(sorted(KEYS))}"))
    numbers = {
        key: raw[key]
        for key, bounds in NUMBERS.items()
        if key in raw and _number(raw[key], f"crisis.{key}", bounds, errors)
    }
    burst = raw.get("burst") or {}
    if not isinstance(burst, dict) or set(burst) - set(BURST):
        errors.append(FieldError("crisis.burst", "a mapping {cases: N, minutes: M}"))
        burst = {}
    burst = {k: v for k, v in burst.items() if _number(v, f"crisis.burst.{k}", BURST[k], errors)}
    gather = numbers.pop("gather_minutes", 60)
    return CrisisConfig(
        limits=Thresholds(**numbers),
        gather_minutes=gather,
        burst_cases=burst.get("cases", 3),
        burst_minutes=burst.get("minutes", 30),
        watch=_list(raw.get("watch"), "crisis.watch", errors),
        topics=_list(raw.get("topics"), "crisis.topics", errors),
    )


def check_crisis_config(raw: Any) -> list[FieldError]:
    """Every problem of the section, each naming its key (`crisis.watch[2]`); [] when absent."""
    errors: list[FieldError] = []
    _parse(raw, errors)
    return errors


def parse_crisis_config(raw: Any) -> CrisisConfig:
    errors: list[FieldError] = []
    config = _parse(raw, errors)
    if errors:
        raise ValidationFailed("the crisis section is invalid", errors)
    return config
