"""The only outbound HTTP: short timeouts, no redirects, no proxies, and no private addresses.

The host is resolved once, every address is checked, and the request goes to the checked
address (Host header and TLS name unchanged), so DNS cannot swap in a private one afterwards.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import SplitResult, urlsplit

import httpx
from django.conf import settings

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_ANSWER_BYTES = 64 * 1024
RETRY_AFTER_STATUSES = (429, 503)
TRANSIENT_4XX = (408, 429)


@dataclass(frozen=True)
class HttpResult:
    status: int
    headers: Mapping[str, str]
    text: str


class OutboundFailed(Exception):
    """The request did not succeed; `transient` says whether trying again later may help."""

    def __init__(
        self, message: str, transient: bool, status: int | None = None, retry_after: str | None = None
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status
        self.retry_after = retry_after


class OutboundRefused(OutboundFailed):
    """We would not send it at all: a private address or a URL that is not http(s)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, transient=False)


def private_addresses_allowed() -> bool:
    """The seam for tests and for deployments that post to their own network."""
    return bool(settings.SABLIER.allow_private_outbound)


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    blocked = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
    return ip.is_global and not (blocked or ip.is_multicast or ip.is_unspecified)


def resolve(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OutboundFailed(f"cannot resolve {host}: {exc}", transient=True) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def check_destination(host: str, port: int) -> str:
    """The address to connect to; refuses a host with any non-public address unless allowed."""
    addresses = resolve(host, port)
    if not addresses:
        raise OutboundFailed(f"{host} has no address", transient=True)
    private = [a for a in addresses if not is_public_address(a)]
    if private and not private_addresses_allowed():
        raise OutboundRefused(
            f"refused: {host} resolves to the non-public address {private[0]} "
            "(set SABLIER_OUTBOUND_ALLOW_PRIVATE=1 to allow private networks)"
        )
    return addresses[0]


def _split(url: str) -> SplitResult:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundRefused(f"refused: {url!r} is not an http(s) URL with a host")
    return parts


def _pinned(parts: SplitResult, address: str) -> str:
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = f"[{address}]" if ":" in address else address
    return parts._replace(netloc=f"{host}:{port}").geturl()


def _read_capped(response: httpx.Response) -> str:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_ANSWER_BYTES:
            break
    return b"".join(chunks)[:MAX_ANSWER_BYTES].decode("utf-8", errors="replace")


def _check_status(status: int, headers: Mapping[str, str], text: str) -> None:
    if 200 <= status < 300:
        return
    transient = status >= 500 or status in TRANSIENT_4XX
    retry_after = headers.get("retry-after") if status in RETRY_AFTER_STATUSES else None
    raise OutboundFailed(f"HTTP {status}: {text[:200]}".strip(), transient, status, retry_after)


def post_json(url: str, body: bytes, headers: Mapping[str, str]) -> HttpResult:
    """POST `body` as is; raises OutboundFailed (or OutboundRefused) unless the answer is 2xx."""
    parts = _split(url)
    hostname = parts.hostname or ""
    address = check_destination(hostname, parts.port or (443 if parts.scheme == "https" else 80))
    sent_headers = {**headers, "Content-Type": "application/json", "Host": parts.netloc.rpartition("@")[2]}
    try:
        with (
            httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client,
            client.stream(
                "POST",
                _pinned(parts, address),
                content=body,
                headers=sent_headers,
                extensions={"sni_hostname": hostname},
            ) as response,
        ):
            text = _read_capped(response)
    except httpx.HTTPError as exc:
        raise OutboundFailed(f"{type(exc).__name__}: {exc or 'no detail'}", transient=True) from exc
    _check_status(response.status_code, response.headers, text)
    return HttpResult(response.status_code, dict(response.headers), text)


def retry_delay(retry_after: str | None, now: datetime) -> timedelta | None:
    """A Retry-After value (seconds or an HTTP date) as a delay from `now`; None if absent or bad."""
    value = (retry_after or "").strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(when - now, timedelta(0))
