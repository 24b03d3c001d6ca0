"""Networks we cannot reach from here push to us instead: signed webhooks from X (Account Activity
API), Meta (Facebook Pages, Instagram) and Google Business Profile reviews (Pub/Sub push), received
at `/api/inbound/NAME` (sablier/api/inbound.py) and stored as one page per delivery; answers go
back through each network's HTTP API, behind lib/http. `fetch` has nothing to poll."""

from __future__ import annotations

from sablier.connectors.registry import register
from sablier.connectors.webhooks.facebook import FacebookWebhooks
from sablier.connectors.webhooks.google import GoogleReviews
from sablier.connectors.webhooks.inbound import register_inbound
from sablier.connectors.webhooks.instagram import InstagramWebhooks
from sablier.connectors.webhooks.x import XWebhooks

for connector in (XWebhooks(), FacebookWebhooks(), InstagramWebhooks(), GoogleReviews()):
    register(connector)
    register_inbound(connector)
