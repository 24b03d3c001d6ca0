"""check_mention(): the one validation of an incoming mention, for the API, imports and connectors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sablier.errors import FieldError, ValidationFailed

MAX_TEXT_LENGTH = 10_000

Network = Literal[
    "mastodon",
    "bluesky",
    "x",
    "facebook",
    "instagram",
    "youtube",
    "linkedin",
    "reviews",
    "rss",
    "email",
    "webform",
    "webhook",
]


class AuthorIn(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    handle: str = Field(min_length=1, max_length=300)
    display_name: str = Field(default="", max_length=300)
    profile_url: str = Field(default="", max_length=1000)


class MentionIn(BaseModel):
    """A public message as a connector or a client hands it to the hub."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    network: Network
    external_id: str = Field(min_length=1, max_length=500)
    author: AuthorIn
    text: str = Field(min_length=1, max_length=MAX_TEXT_LENGTH)
    url: str | None = Field(default=None, max_length=1000)
    created_at: datetime
    in_reply_to: str | None = Field(default=None, max_length=500)
    direction: Literal["inbound", "outbound"] = "inbound"

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def field_errors(exc: ValidationError, drop_prefix: tuple[str, ...] = ()) -> list[FieldError]:
    """Pydantic's errors as {field, message}, with dotted field names."""
    found = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        while loc and loc[0] in drop_prefix:
            loc.pop(0)
        found.append(FieldError(".".join(loc) or "body", str(error["msg"])))
    return found


def check_mention(data: Any) -> MentionIn:
    try:
        return MentionIn.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed("the mention is invalid", field_errors(exc)) from exc
