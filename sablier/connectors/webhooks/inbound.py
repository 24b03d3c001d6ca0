"""What a network that pushes to us adds to a connector: a handshake the network makes when the
URL is registered, a signature checked on every delivery, and a reader turning one delivery into
items. Each kind registers its inbound side here, beside its connector type in the registry."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sablier.connectors.base import Config, Fetched
from sablier.errors import FieldError, SablierError

Query = Mapping[str, str]
Headers = Mapping[str, str]  # lower-case names


class BadSignature(SablierError):
    """The delivery is not signed by the network with this account's secret: nothing is stored."""

    status = 401
    code = "unauthorized"


class MalformedDelivery(SablierError):
    """The delivery is signed but cannot be read as the network's documented format."""

    status = 400
    code = "bad_request"


class DeliveryDeferred(SablierError):
    """Signed and readable, but not storable now (paused, or the network's API is down): the
    network redelivers on a non-2xx answer, so nothing is lost."""

    status = 503
    code = "unavailable"


@dataclass(frozen=True)
class Challenge:
    """The answer to a network's handshake: a JSON object or plain text."""

    body: dict[str, Any] | str


class Inbound(Protocol):
    kind: str
    signature_header: str  # named in the 401 when a delivery's signature is wrong

    def handshake(self, config: Config, query: Query) -> Challenge: ...

    def check_signature(self, config: Config, body: bytes, headers: Headers, query: Query) -> None: ...

    def read_delivery(self, config: Config, body: bytes, now: datetime) -> list[Fetched]: ...


INBOUND: dict[str, Inbound] = {}


def register_inbound(inbound: Inbound) -> Inbound:
    INBOUND[inbound.kind] = inbound
    return inbound


def hmac_sha256(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def b64_signature(secret: str, message: bytes) -> str:
    """X's form: `sha256=` + base64 of the HMAC-SHA256 (its CRC answer and its delivery header)."""
    return "sha256=" + base64.b64encode(hmac_sha256(secret, message)).decode()


def hex_signature(secret: str, message: bytes) -> str:
    """Meta's form: `sha256=` + hex of the HMAC-SHA256 (X-Hub-Signature-256)."""
    return "sha256=" + hmac_sha256(secret, message).hex()


def require_signature(sent: str | None, expected: str, name: str, where: str = "header") -> None:
    """Refuses (401, naming `name`) a missing or different value, compared in constant time."""
    if not sent:
        raise BadSignature(f"the {name} {where} is missing", [FieldError(name, "required")])
    if not hmac.compare_digest(sent.strip().encode(), expected.encode()):
        raise BadSignature(
            f"the {name} {where} does not match this account's secret",
            [FieldError(name, "wrong value: check the secret configured on both sides")],
        )


def secret_errors(config: Config, names: tuple[str, ...], minimum: int = 8) -> list[FieldError]:
    return [
        FieldError(name, f"at least {minimum} characters")
        for name in names
        if not isinstance(config.get(name), str) or len(config[name].strip()) < minimum
    ]


def base_url_errors(config: Config, name: str) -> list[FieldError]:
    value = config.get(name)
    if not isinstance(value, str) or not value.lower().startswith(("http://", "https://")):
        return [FieldError(name, "an http(s):// address")]
    return []
