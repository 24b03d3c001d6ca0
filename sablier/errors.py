"""One error class, one error body: {ok, status, code, error, errors: [{field, message}]}."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class SablierError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    def body(self) -> dict[str, Any]:
        return error_body(self.status, self.code, self.message, self.errors)


class ConfigurationError(SablierError):
    status = 500
    code = "configuration"


class ValidationFailed(SablierError):
    status = 422
    code = "validation"


class NotFound(SablierError):
    status = 404
    code = "not_found"


class IllegalTransition(SablierError):
    status = 409
    code = "illegal_transition"


class NotAllowed(SablierError):
    status = 403
    code = "forbidden"


class Conflict(SablierError):
    """Someone else changed what the request was based on: read it first, or force."""

    status = 409
    code = "conflict"


def field_errors(errors: list[dict[str, Any]], drop_prefix: tuple[str, ...] = ()) -> list[FieldError]:
    """Pydantic-style errors ({loc, msg}) as {field, message}, with dotted field names."""
    found = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        while loc and loc[0] in drop_prefix:
            loc.pop(0)
        found.append(FieldError(".".join(loc) or "body", str(error.get("msg", "invalid"))))
    return found


def error_body(
    status: int, code: str, message: str, errors: list[FieldError] | None = None
) -> dict[str, Any]:
    return {
        "ok": False,
        "status": status,
        "code": code,
        "error": message,
        "errors": [{"field": e.field, "message": e.message} for e in errors or []],
    }


class Overloaded(SablierError):
    """More is waiting than the hub may hold unprocessed: try again after `retry_after` seconds."""

    status = 429
    code = "overloaded"

    def __init__(self, message: str, retry_after: int, errors: list[FieldError] | None = None) -> None:
        super().__init__(message, errors)
        self.retry_after = retry_after
