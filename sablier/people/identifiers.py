"""The identifiers marketing tools ask about, validated: a network handle, an e-mail, a person id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, get_args

from sablier.errors import FieldError, ValidationFailed
from sablier.listen.mention_input import Network

NETWORKS = get_args(Network)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Identifier:
    """Exactly one of: (network, handle), email, person_id."""

    network: str | None = None
    handle: str | None = None
    email: str | None = None
    person_id: int | None = None

    @property
    def channel(self) -> str | None:
        """The channel an opt-out must cover to block this contact; None asks about every channel."""
        return "email" if self.email else self.network

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def _problems(raw: dict[str, Any], where: str) -> list[FieldError]:
    given = [k for k in ("handle", "email", "person_id") if raw.get(k) not in (None, "")]
    if len(given) != 1:
        return [
            FieldError(where.rstrip(".") or "body", "give exactly one of network+handle, email or person_id")
        ]
    if given == ["handle"] and raw.get("network") not in NETWORKS:
        return [FieldError(f"{where}network", f"use one of {', '.join(NETWORKS)}")]
    if given == ["email"] and not (isinstance(raw["email"], str) and EMAIL.match(raw["email"].strip())):
        return [FieldError(f"{where}email", "is not an e-mail address")]
    person = raw.get("person_id")
    if given == ["person_id"] and not (str(person).isdigit() and int(str(person)) > 0):
        return [FieldError(f"{where}person_id", "must be a positive whole number")]
    return []


def check_identifier(raw: Any, where: str = "") -> Identifier:
    """`where` prefixes field names, e.g. "identifiers[3]." in a bulk request."""
    if not isinstance(raw, dict):
        raise ValidationFailed(
            "invalid identifier", [FieldError(where.rstrip(".") or "body", "expected an object")]
        )
    problems = _problems(raw, where)
    if problems:
        raise ValidationFailed("invalid identifier", problems)
    if raw.get("email"):
        return Identifier(email=str(raw["email"]).strip().lower())
    if raw.get("person_id") not in (None, ""):
        return Identifier(person_id=int(str(raw["person_id"])))
    return Identifier(network=str(raw["network"]), handle=str(raw["handle"]).strip())
