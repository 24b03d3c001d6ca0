"""Server-sent events: case changes pushed to the browsers that may see them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from sablier.bus import get_bus
from sablier.cases.access import department_slugs, is_central

KEEPALIVE_SECONDS = 15.0


def _visible(
    event: dict[str, Any], central: bool, departments: list[str], user_id: int | None = None
) -> bool:
    """Events naming `users` are for those people only (not even the central team); case events
    name every department they concern; other events are for the central team."""
    if "users" in event:
        return user_id is not None and user_id in event["users"]
    return central or bool(set(event.get("departments", ())) & set(departments))


async def _events(
    queue: asyncio.Queue[dict[str, Any]], central: bool, departments: list[str], user_id: int
) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()

    def forward(event: dict[str, Any]) -> None:
        if _visible(event, central, departments, user_id):
            loop.call_soon_threadsafe(queue.put_nowait, event)

    unsubscribe = get_bus().subscribe(forward)
    try:
        yield "retry: 2000\n\n"
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            yield f"event: {event['name']}\ndata: {json.dumps(event)}\n\n"
    finally:
        unsubscribe()


def _release_connection() -> None:
    """The stream reads nothing more: its connection goes back now, not when the browser leaves
    (with PostgreSQL's pool, open streams would otherwise hold every pooled connection). Called
    through sync_to_async, so that `connection` is the request's thread's own."""
    connection.close()


async def event_stream(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    try:
        user = await request.auser()
        if not user.is_authenticated:
            return HttpResponse(status=401)
        central = await sync_to_async(is_central)(user)
        departments = await sync_to_async(department_slugs)(user)
    finally:
        await sync_to_async(_release_connection)()
    response = StreamingHttpResponse(
        _events(asyncio.Queue(), central, departments, user.pk), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
