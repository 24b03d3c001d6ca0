"""Every API failure, whoever raised it, leaves as the one error body."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sablier.errors import FieldError, Overloaded, SablierError, error_body, field_errors

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "validation",
    429: "too_many_requests",
}


REQUEST_PARTS = ("body", "payload", "query", "path", "data")


def _respond(status: int, message: str, errors: list[FieldError] | None = None) -> JsonResponse:
    code = CODES.get(status, "server_error" if status >= 500 else "error")
    return JsonResponse(error_body(status, code, message, errors), status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(SablierError)
    def sablier_error(request: HttpRequest, exc: SablierError) -> HttpResponse:
        response = JsonResponse(exc.body(), status=exc.status)
        if isinstance(exc, Overloaded):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return _respond(422, "the request is invalid", field_errors(list(exc.errors), REQUEST_PARTS))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _respond(413, "the request body is too large", [FieldError("body", "send at most 2.5 MB")])

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _respond(401, "send a valid API token as 'Authorization: Bearer TOKEN' (sablier token create)")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return _respond(exc.status_code, str(exc))

    @api.exception_handler(Exception)
    def crashed(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API request failed: %s %s", request.method, request.path)
        return _respond(500, "internal error; nothing was half-stored, the request can be retried")


def api_error_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Gives Django's own API-path failures (404, 405, CSRF) the same JSON body."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        is_json = response.get("Content-Type", "").startswith("application/json")
        if request.path.startswith("/api/") and response.status_code >= 400 and not is_json:
            phrase = HTTPStatus(response.status_code).phrase
            fixed = _respond(response.status_code, f"{phrase}: {request.method} {request.path}")
            if response.has_header("Allow"):
                fixed["Allow"] = response["Allow"]
            return fixed
        return response

    return middleware
