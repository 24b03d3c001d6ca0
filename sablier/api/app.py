"""The REST API: typed, bearer-authenticated, OpenAPI at /api/openapi.json."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import NinjaAPI

from sablier import __version__
from sablier.api import (
    canned,
    cases,
    collaboration,
    connectors,
    contact_policy,
    inbound,
    mentions,
    notifications,
    people,
    pipeline,
    posts,
    reports,
)
from sablier.api.auth import BearerToken
from sablier.api.errors import install_error_handlers
from sablier.api.schemas import Health
from sablier.crisis import api as crisis_api
from sablier.webhooks import api as webhooks_api

api = NinjaAPI(
    title="Sablier",
    version=__version__,
    description="The social media hourglass: ingest, understand, route, answer.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/mentions", mentions.router)
api.add_router("/connectors", connectors.router)
api.add_router("/cases", cases.router)
api.add_router("/cases", collaboration.router)
api.add_router("/organisation", collaboration.organisation_router)
api.add_router("/contact-policy", contact_policy.router)
api.add_router("/people", people.router)
api.add_router("/posts", posts.router)
api.add_router("/webhooks", webhooks_api.router)
api.add_router("/canned", canned.router)
api.add_router("/cases", canned.case_router)
api.add_router("/notifications", notifications.router)
api.add_router("/reports", reports.router)
api.add_router("/crisis", crisis_api.router)
api.add_router("/inbound", inbound.router)
api.add_router("/pipeline", pipeline.router)


@api.get("/health", auth=None, response=Health, tags=["health"])
def health(request: HttpRequest) -> Health:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return Health(ok=True, database=connection.vendor, version=__version__)
