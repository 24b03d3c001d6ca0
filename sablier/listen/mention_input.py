"""check_mention(): the one validation of an incoming mention, for the API, imports and connectors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sablier.errors import ValidationFailed, field_errors
from sablier.limits import MAX_TEXT_LENGTH

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
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it everywhere so both databases agree.
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def _web_link(value: str, schemes: tuple[str, ...] = ("http://", "https://")) -> str:
    if value and not value.lower().startswith(schemes):
        raise ValueError(f"must start with {' or '.join(schemes)}")
    return value


class AuthorIn(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    handle: str = Field(min_length=1, max_length=300)
    display_name: str = Field(default="", max_length=300)
    profile_url: str = Field(default="", max_length=1000)

    @field_validator("handle", "display_name")
    @classmethod
    def _text(cls, value: str) -> str:
        return _no_nul(value)

    @field_validator("profile_url")
    @classmethod
    def _link(cls, value: str) -> str:
        return _web_link(_no_nul(value), ("http://", "https://", "mailto:"))


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

    @field_validator("external_id", "text", "in_reply_to")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return None if value is None else _no_nul(value)

    @field_validator("url")
    @classmethod
    def _link(cls, value: str | None) -> str | None:
        return None if value is None else _web_link(_no_nul(value))

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        try:
            moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError("is out of range") from exc
        if not EARLIEST <= moment < LATEST:
            raise ValueError(f"must be between {EARLIEST.year} and {LATEST.year}")
        return moment


def check_mention(data: Any) -> MentionIn:
    try:
        return MentionIn.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed("the mention is invalid", field_errors(list(exc.errors()))) from exc  # type: ignore[arg-type]
