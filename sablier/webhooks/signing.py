"""X-Sablier-Signature: sha256=HEX(HMAC-SHA256(secret, f"{timestamp}.{body}")); pure."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

PREFIX = "sha256="


def sign(secret: str, timestamp: int, body: str) -> str:
    message = f"{timestamp}.{body}".encode()
    return PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str, timestamp: int, body: str, signature: str, now: datetime, tolerance: int = 300
) -> bool:
    """True when `signature` is ours for this exact body and the timestamp is fresh (replays fail)."""
    if abs(now.timestamp() - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
