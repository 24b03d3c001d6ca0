"""The hub's ASGI application: event streams on Django's ASGI handler, every other request on its
WSGI handler in a pool of threads (a2wsgi).

Django's ASGI handler runs a synchronous view on a thread of its own and hops between that thread
and the event loop for the signals and the middleware: 7-8 ms for a request whose view takes
0.3 ms on this machine (docs/decisions.md). Only the server-sent events stream needs the event
loop (it waits for events without holding a thread); the rest of the hub is synchronous.

A request's body is read whole on the event loop before a thread takes the request, as Django's
ASGI handler does: read from a pool thread, sixteen clients sending their bodies slowly would hold
every thread (and a chunked body, without Content-Length, would reach Django empty).
"""

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sablier.django_settings")

from a2wsgi import WSGIMiddleware
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.urls import reverse

from sablier.settings import REQUEST_THREADS

BODY_SECONDS = 30.0  # for a whole request body to arrive, however slowly it is sent

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]

_streams = get_asgi_application()
# The two libraries' type hints for WSGI and ASGI callables do not meet; the protocols do.
_requests: Any = WSGIMiddleware(cast(Any, get_wsgi_application()), workers=REQUEST_THREADS)
_STREAM_PATH = reverse("events")


def _path(scope: Scope) -> str:
    path, root = str(scope["path"]), str(scope.get("root_path", ""))
    return path[len(root) :] if root and path.startswith(root) else path


class _TooSlow(Exception):
    """The body did not arrive within BODY_SECONDS."""


async def _whole_body(receive: Receive) -> bytes | None:
    """The body, stopped one byte past Django's limit (Django then answers 413); None if the
    client left first."""
    body, limit = bytearray(), settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    deadline = asyncio.get_running_loop().time() + BODY_SECONDS
    while True:
        left = deadline - asyncio.get_running_loop().time()
        try:
            message = await asyncio.wait_for(receive(), max(left, 0.0))
        except TimeoutError as exc:
            raise _TooSlow from exc
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if not message.get("more_body") or (limit is not None and len(body) > limit):
            return bytes(body)


async def _on_a_thread(scope: Scope, receive: Receive, send: Send) -> None:
    try:
        body = await _whole_body(receive)
    except _TooSlow:
        await send({"type": "http.response.start", "status": 408, "headers": [(b"connection", b"close")]})
        await send({"type": "http.response.body", "body": b""})
        return
    if body is None:
        return
    # Header names with "_" are dropped, as Django's own servers do: HTTP_X_USER could otherwise
    # come from "X-User" or from "X_User".
    headers = [
        (name, value)
        for name, value in scope["headers"]
        if name.lower() not in (b"content-length", b"transfer-encoding") and b"_" not in name
    ]
    headers.append((b"content-length", str(len(body)).encode()))
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()  # the disconnect, when it comes
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    await _requests({**scope, "headers": headers}, replay, send)


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http" and _path(scope) != _STREAM_PATH:
        await _on_a_thread(scope, receive, send)
    else:
        await _streams(scope, receive, send)
