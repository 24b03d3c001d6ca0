"""Matrix through matrix-nio: the hub's bot logs in once per process, joins the rooms it is
invited to, opens a direct room once per person, and sends m.room.message (m.text, with HTML)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from aiohttp import ClientError
from django.conf import settings
from nio import AsyncClient, AsyncClientConfig, ErrorResponse, JoinResponse, LoginResponse, RoomCreateResponse

from sablier.notify.messages import Message
from sablier.notify.models import MatrixDirectRoom
from sablier.notify.transports import Outgoing, SendFailed
from sablier.settings import MatrixAccount

REQUEST_SECONDS = 15
PERMANENT = ("M_FORBIDDEN", "M_NOT_FOUND", "M_INVALID_PARAM", "M_BAD_JSON", "M_UNKNOWN", "M_TOO_LARGE")
_tokens: dict[tuple[str, str], str] = {}  # (homeserver, bot) -> access token: one login a process
_rooms: dict[str, str] = {}  # room address or alias -> joined room id


def failure(answer: ErrorResponse) -> SendFailed:
    """What the homeserver's error means for the outbox: wait and retry, or give up."""
    code = answer.status_code or ""
    wait = timedelta(milliseconds=answer.retry_after_ms) if answer.retry_after_ms else None
    status = getattr(answer.transport_response, "status", 0) or 0
    transient = code not in PERMANENT or status >= 500
    return SendFailed(f"Matrix {code or status}: {answer.message}"[:1000], transient, wait)


async def _log_in(client: AsyncClient, account: MatrixAccount) -> None:
    key = (account.homeserver, account.user)
    token = account.token or _tokens.get(key)
    if not token:
        answer = await client.login(account.password, device_name="Sablier")
        if not isinstance(answer, LoginResponse):
            raise failure(answer)
        token = _tokens[key] = answer.access_token
    client.user_id, client.access_token = account.user, token


async def _room_id(client: AsyncClient, address: str, direct: dict[str, str]) -> str:
    """A room we are in: joined once (which accepts an invitation), or our direct room with a person."""
    if address.startswith("@"):
        if address not in direct:
            answer = await client.room_create(is_direct=True, invite=[address])
            if not isinstance(answer, RoomCreateResponse):
                raise failure(answer)
            direct[address] = answer.room_id
        return direct[address]
    if address not in _rooms:
        joined = await client.join(address)
        if not isinstance(joined, JoinResponse):
            raise failure(joined)
        _rooms[address] = joined.room_id
    return _rooms[address]


async def _send_one(client: AsyncClient, address: str, message: Message, direct: dict[str, str]) -> None:
    room_id = await _room_id(client, address, direct)
    content = {
        "msgtype": "m.text",
        "body": message.text,
        "format": "org.matrix.custom.html",
        "formatted_body": message.html,
    }
    answer = await client.room_send(room_id, "m.room.message", content)
    if isinstance(answer, ErrorResponse):
        _rooms.pop(address, None)  # kicked, or the room is gone: join again next time
        raise failure(answer)


async def _send_all(
    account: MatrixAccount, batch: Sequence[Outgoing], direct: dict[str, str]
) -> list[SendFailed | None]:
    config = AsyncClientConfig(max_limit_exceeded=0, max_timeouts=0, request_timeout=REQUEST_SECONDS)
    client = AsyncClient(account.homeserver, account.user, config=config)
    results: list[SendFailed | None] = []
    try:
        await _log_in(client, account)
        for address, message in batch:
            try:
                await _send_one(client, address, message, direct)
                results.append(None)
            except SendFailed as exc:
                results.append(exc)
                if "M_UNKNOWN_TOKEN" in str(exc):
                    _tokens.pop((account.homeserver, account.user), None)
    except SendFailed as exc:
        results += [exc] * (len(batch) - len(results))
    except (ClientError, TimeoutError) as exc:
        problem = SendFailed(f"Matrix homeserver unreachable: {type(exc).__name__}: {exc}", transient=True)
        results += [problem] * (len(batch) - len(results))
    finally:
        await client.close()
    return results


def send_batch(batch: Sequence[Outgoing]) -> list[SendFailed | None]:
    account = settings.SABLIER.matrix
    if account is None:
        return [SendFailed("Matrix is not configured: set SABLIER_MATRIX_HOMESERVER", transient=True)] * len(
            batch
        )
    people = [address for address, _ in batch if address.startswith("@")]
    direct = dict(
        MatrixDirectRoom.objects.filter(matrix_user__in=people).values_list("matrix_user", "room_id")
    )
    known = set(direct)
    results = asyncio.run(_send_all(account, batch, direct))
    for matrix_user in set(direct) - known:
        MatrixDirectRoom.objects.get_or_create(
            matrix_user=matrix_user, defaults={"room_id": direct[matrix_user]}
        )
    return results
