"""The `notify:` mapping of a department in the organisation file: every bad key named."""

from __future__ import annotations

import pytest

from sablier.notify.channels import check_department_channels

WHERE = "departments[3].notify"


def fields(raw: object) -> list[str]:
    return [e.field for e in check_department_channels(raw, WHERE)]


def test_it_accepts_room_ids_aliases_webhooks_and_mailboxes() -> None:
    assert fields({"matrix_room": "!abc:example.org", "slack_webhook": "https://hooks.slack.com/x",
                   "email": "legal@example.org", "language": "fr"}) == []  # fmt: skip
    assert fields({"matrix_room": "#legal:matrix.example.org:8448"}) == []
    assert fields(None) == []


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"matrix_room": "legal"}, f"{WHERE}.matrix_room"),
        ({"matrix_room": "@alice:example.org"}, f"{WHERE}.matrix_room"),
        ({"slack_webhook": "ftp://hooks.example.org"}, f"{WHERE}.slack_webhook"),
        ({"slack_webhook": "https://user:pw@hooks.example.org"}, f"{WHERE}.slack_webhook"),
        ({"email": "legal"}, f"{WHERE}.email"),
        ({"email": 42}, f"{WHERE}.email"),
        ({"language": "de"}, f"{WHERE}.language"),
        ({"teams": "x"}, f"{WHERE}.teams"),
        (["matrix_room"], WHERE),
    ],
)
def test_it_names_the_bad_key(raw: object, field: str) -> None:
    assert fields(raw) == [field]
