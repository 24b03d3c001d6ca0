"""The organisation's guardrail settings, read from the `guardrails:` key of its file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sablier.answer.guardrails.phrases import NETWORK_LIMITS
from sablier.errors import FieldError, ValidationFailed

DEFAULT_BANNED = (
    "calm down", "it's your fault", "no comment",
    "calmez-vous", "c'est de votre faute", "c'est votre faute", "sans commentaire",
)  # fmt: skip
DEFAULTS: dict[str, Any] = {  # as written in the organisation file
    "banned_phrases": list(DEFAULT_BANNED),
    "allowed_contacts": [],
    "max_uppercase_share": 0.5,
    "max_exclamations": 2,
    "signature": None,
    "network_limits": {},
}


def _strings(value: Any, where: str, errors: list[FieldError]) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        errors.append(FieldError(where, "must be a list of strings"))
        return ()
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            errors.append(FieldError(f"{where}[{i}]", "must be a non-empty string"))
    return tuple(item for item in value if isinstance(item, str) and item.strip())


def _share(value: Any, where: str, errors: list[FieldError]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        errors.append(FieldError(where, "must be a share above 0 and at most 1, e.g. 0.5"))
        return 0.5
    return float(value)


def _count(value: Any, where: str, errors: list[FieldError]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.append(FieldError(where, "must be a whole number, 0 or more"))
        return 0
    return int(value)


def _signature(value: Any, where: str, errors: list[FieldError]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors.append(FieldError(where, "must be a regular expression, or null for no signature"))
        return None
    try:
        re.compile(value)
    except re.error as exc:
        errors.append(FieldError(where, f"is not a valid regular expression: {exc}"))
        return None
    return value


def _limits(value: Any, where: str, errors: list[FieldError]) -> dict[str, int]:
    """The shipped limits, with the organisation's own on top (instances differ, e.g. Mastodon)."""
    limits = dict(NETWORK_LIMITS)
    if not isinstance(value, Mapping):
        errors.append(FieldError(where, "must map a network name to a length, e.g. {mastodon: 500}"))
        return limits
    for name, limit in value.items():
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            errors.append(FieldError(f"{where}.{name}", "must be a whole number of characters, 1 or more"))
        else:
            limits[str(name).lower()] = limit
    return limits


@dataclass(frozen=True)
class GuardrailPolicy:
    banned_phrases: tuple[str, ...] = DEFAULT_BANNED
    allowed_contacts: tuple[str, ...] = ()  # the organisation's own public phone, e-mail, address
    max_uppercase_share: float = 0.5
    max_exclamations: int = 2
    signature: str | None = None  # a regular expression the reply must contain
    network_limits: Mapping[str, int] = field(default_factory=lambda: dict(NETWORK_LIMITS))

    @classmethod
    def from_mapping(cls, data: Any, where: str = "guardrails") -> GuardrailPolicy:
        """A policy from parsed YAML; missing keys keep their defaults, every bad key is named."""
        if not isinstance(data, Mapping):
            raise ValidationFailed(
                "the guardrails must be a mapping", [FieldError(where, "expected a mapping")]
            )
        known = ", ".join(DEFAULTS)
        errors = [FieldError(f"{where}.{k}", f"unknown key; use {known}") for k in data if k not in DEFAULTS]
        raw = {**DEFAULTS, **data}
        at = {key: f"{where}.{key}" for key in DEFAULTS}
        policy = cls(
            _strings(raw["banned_phrases"], at["banned_phrases"], errors),
            _strings(raw["allowed_contacts"], at["allowed_contacts"], errors),
            _share(raw["max_uppercase_share"], at["max_uppercase_share"], errors),
            _count(raw["max_exclamations"], at["max_exclamations"], errors),
            _signature(raw["signature"], at["signature"], errors),
            _limits(raw["network_limits"], at["network_limits"], errors),
        )
        if errors:
            raise ValidationFailed("the guardrails are invalid", errors)
        return policy
