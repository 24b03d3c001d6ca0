"""Signatures receivers can check, and the retry schedule; both pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sablier.webhooks.schedule import next_attempt
from sablier.webhooks.signing import sign, verify

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
TS = int(NOW.timestamp())
BODY = '{"data":{"person_id":7},"event":"hold.started"}'


def test_it_verifies_its_own_signature() -> None:
    signature = sign("s3cret-s3cret-s3cret", TS, BODY)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert verify("s3cret-s3cret-s3cret", TS, BODY, signature, NOW)


def test_it_rejects_a_wrong_secret_or_a_changed_body() -> None:
    signature = sign("s3cret-s3cret-s3cret", TS, BODY)
    assert not verify("another-secret-here", TS, BODY, signature, NOW)
    assert not verify("s3cret-s3cret-s3cret", TS, BODY.replace("7", "8"), signature, NOW)


def test_it_rejects_a_stale_timestamp() -> None:
    signature = sign("s3cret-s3cret-s3cret", TS, BODY)
    assert verify("s3cret-s3cret-s3cret", TS, BODY, signature, NOW + timedelta(seconds=300))
    assert not verify("s3cret-s3cret-s3cret", TS, BODY, signature, NOW + timedelta(seconds=301))


def test_it_backs_off_then_gives_up() -> None:
    waits = [next_attempt(n, NOW) for n in range(1, 8)]
    assert [w - NOW for w in waits[:6] if w] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
        timedelta(hours=12),
    ]
    assert waits[6] is None


def test_it_lets_a_longer_retry_after_win() -> None:
    assert next_attempt(1, NOW, timedelta(seconds=120)) == NOW + timedelta(seconds=120)
    assert next_attempt(2, NOW, timedelta(seconds=120)) == NOW + timedelta(minutes=5)
    assert next_attempt(1, NOW, timedelta(days=30)) == NOW + timedelta(days=1)
