"""The only outbound HTTP: short timeouts, no redirects, no proxies, and no private addresses.

The host is resolved once, every address is checked, and the request goes to the checked
address (Host header and TLS name unchanged), so DNS cannot swap in a private one afterwards.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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
    content: bytes = b""


class OutboundFailed(Exception):
    """The request did not succeed; `transient` says whether trying again later may help."""

    def __init__(
        self,
        message: str,
        transient: bool,
        status: int | None = None,
        retry_after: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: str = "",
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status
        self.retry_after = retry_after
        self.headers = dict(headers or {})  # the answer's, lower-case names (rate-limit headers…)
        self.body = body  # the answer's text, capped (a network's JSON error code…)


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


def _read_capped(response: httpx.Response, limit: int = MAX_ANSWER_BYTES) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def _check_status(status: int, headers: Mapping[str, str], text: str) -> None:
    if 200 <= status < 300:
        return
    transient = status >= 500 or status in TRANSIENT_4XX
    retry_after = headers.get("retry-after") if status in RETRY_AFTER_STATUSES else None
    raise OutboundFailed(
        f"HTTP {status}: {text[:200]}".strip(),
        transient,
        status,
        retry_after,
        {k.lower(): v for k, v in headers.items()},
        text,
    )


def post_json(url: str, body: bytes, headers: Mapping[str, str]) -> HttpResult:
    """POST `body` as is; raises OutboundFailed (or OutboundRefused) unless the answer is 2xx."""
    return send_json("POST", url, body, headers)


@contextmanager
def _exchange(
    method: str,
    url: str,
    headers: Mapping[str, str],
    timeout: httpx.Timeout = TIMEOUT,
    content: bytes | None = None,
) -> Iterator[httpx.Response]:
    """One guarded request, its answer streamed: the destination checked and pinned, no redirects,
    no proxies; a transport failure becomes a transient OutboundFailed."""
    parts = _split(url)
    hostname = parts.hostname or ""
    address = check_destination(hostname, parts.port or (443 if parts.scheme == "https" else 80))
    sent_headers = {**headers, "Host": parts.netloc.rpartition("@")[2]}
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client,
            client.stream(
                method,
                _pinned(parts, address),
                content=content,
                headers=sent_headers,
                extensions={"sni_hostname": hostname},
            ) as response,
        ):
            yield response
    except httpx.HTTPError as exc:
        raise OutboundFailed(f"{type(exc).__name__}: {exc or 'no detail'}", transient=True) from exc


def send_json(method: str, url: str, body: bytes, headers: Mapping[str, str]) -> HttpResult:
    """POST, PUT or PATCH `body` as is, with post_json's guards and failures."""
    with _exchange(method, url, {**headers, "Content-Type": "application/json"}, content=body) as response:
        text = _read_capped(response).decode("utf-8", errors="replace")
    _check_status(response.status_code, response.headers, text)
    return HttpResult(response.status_code, dict(response.headers), text)


def get(url: str, headers: Mapping[str, str], limit: int = MAX_ANSWER_BYTES) -> HttpResult:
    """GET with the same guards, reading at most `limit` bytes (kept in `content`). A 304 answers a
    conditional request (If-None-Match / If-Modified-Since) and is returned, not raised."""
    with _exchange("GET", url, headers) as response:
        content = _read_capped(response, limit)
    text = content.decode("utf-8", errors="replace")
    if 300 <= response.status_code < 400 and response.status_code != 304:
        moved = response.headers.get("location", "nowhere said")
        raise OutboundFailed(f"HTTP {response.status_code}: moved to {moved}", False, response.status_code)
    if response.status_code != 304:
        _check_status(response.status_code, response.headers, text)
    return HttpResult(response.status_code, dict(response.headers), text, content)


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


@contextmanager
def stream_lines(url: str, headers: Mapping[str, str], idle_seconds: float = 60.0) -> Iterator[Iterator[str]]:
    """A long-lived GET (server-sent events) with the same guards, read line by line as it comes.
    A non-2xx answer raises OutboundFailed at once; a dropped connection, or silence longer than
    `idle_seconds`, raises a transient OutboundFailed from the iteration."""
    timeout = httpx.Timeout(idle_seconds, connect=TIMEOUT.connect)
    with _exchange("GET", url, headers, timeout=timeout) as response:
        if not 200 <= response.status_code < 300:
            text = _read_capped(response).decode("utf-8", errors="replace")
            _check_status(response.status_code, response.headers, text)
        yield _lines(response)


def _lines(response: httpx.Response) -> Iterator[str]:
    try:
        yield from response.iter_lines()
    except httpx.HTTPError as exc:
        raise OutboundFailed(f"stream dropped: {type(exc).__name__}: {exc or 'no detail'}", True) from exc
