"""/api/inbound/NAME: where X, Meta and Google push to a webhook connector. No bearer token: each
request is authenticated by its network's signature (or, for Pub/Sub, the token in the push URL)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Router

from sablier.connectors.webhooks.actions import check_handshake, do_receive_delivery

router = Router(tags=["inbound"], auth=None)


@router.get("/{name}", include_in_schema=True)
def handshake(request: HttpRequest, name: str) -> HttpResponse:
    """X's CRC check (`?crc_token=`) or Meta's subscription (`?hub.mode=subscribe&hub.challenge=`)."""
    challenge = check_handshake(name, request.GET)
    if isinstance(challenge.body, str):
        return HttpResponse(challenge.body, content_type="text/plain")
    return JsonResponse(challenge.body)


@router.post("/{name}")
def deliver(request: HttpRequest, name: str) -> HttpResponse:
    headers = {key.lower(): value for key, value in request.headers.items()}
    receipt = do_receive_delivery(name, request.body, headers, request.GET, timezone.now())
    return JsonResponse(
        {
            "ok": True,
            "delivery": receipt.delivery,
            "stored": receipt.stored,
            "rejected": receipt.rejected,
            "replay": receipt.replay,
        }
    )
