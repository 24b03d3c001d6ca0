"""lib/http: private destinations are refused before any connection; Retry-After is understood."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sablier.lib import http

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "private_addresses_allowed", lambda: False)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "::1", "169.254.169.254", "::ffff:192.168.0.1"])
def test_it_refuses_private_addresses(strict: None, address: str) -> None:
    assert not http.is_public_address(address)
    with pytest.raises(http.OutboundRefused, match="non-public address"):
        http.check_destination(address, 443)


def test_it_allows_a_public_literal_without_connecting(strict: None) -> None:
    assert http.is_public_address("93.184.216.34")
    assert http.check_destination("93.184.216.34", 443) == "93.184.216.34"


def test_it_lets_the_setting_lift_the_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "private_addresses_allowed", lambda: True)
    assert http.check_destination("127.0.0.1", 80) == "127.0.0.1"


def test_it_refuses_a_url_that_is_not_http(strict: None) -> None:
    with pytest.raises(http.OutboundRefused, match="not an http"):
        http.post_json("file:///etc/passwd", b"{}", {})


def test_it_reads_retry_after_in_seconds_or_as_a_date() -> None:
    assert http.retry_delay("120", NOW) == timedelta(seconds=120)
    assert http.retry_delay("Fri, 20 Nov 2026 14:10:00 GMT", NOW) == timedelta(minutes=10)
    assert http.retry_delay("soon", NOW) is None
    assert http.retry_delay(None, NOW) is None


def test_it_never_reads_a_retry_after_date_in_the_past_as_negative() -> None:
    assert http.retry_delay("Fri, 20 Nov 2026 13:00:00 GMT", NOW) == timedelta(0)
