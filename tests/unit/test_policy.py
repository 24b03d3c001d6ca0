from datetime import UTC, datetime, timedelta

from sablier.people.policy import HoldFact, OptOutFact, decide

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
OPEN = HoldFact(7, "open complaint case #7", "customer-service", None)


def test_it_allows_an_unknown_person() -> None:
    assert decide(None, [], [], "email", "marketing", NOW).may_contact is True


def test_it_holds_while_the_case_is_open_and_names_the_owner() -> None:
    answer = decide(1, [OPEN], [], "email", "marketing", NOW)
    assert (answer.may_contact, answer.hold_until) == (False, None)
    assert "customer-service" in answer.reasons[0] and "+ 14 days" in answer.reasons[0]


def test_it_holds_through_the_cool_off_and_releases_after() -> None:
    cooling = HoldFact(7, "open complaint case #7", "customer-service", NOW + timedelta(days=3))
    assert decide(1, [cooling], [], "email", "marketing", NOW).hold_until == NOW + timedelta(days=3)
    assert decide(1, [cooling], [], "email", "marketing", NOW + timedelta(days=4)).may_contact is True


def test_it_applies_an_opt_out_to_its_channel_only() -> None:
    opt_out = [OptOutFact("x", "asked: 'stop'")]
    assert decide(1, [], opt_out, "x", "marketing", NOW).may_contact is False
    assert decide(1, [], opt_out, "email", "marketing", NOW).may_contact is True


def test_it_applies_a_privacy_request_everywhere() -> None:
    assert decide(1, [], [OptOutFact("*", "asked: 'loi 25'")], "email", "marketing", NOW).may_contact is False


def test_it_always_allows_service_messages() -> None:
    assert decide(1, [OPEN], [OptOutFact("*", "gdpr")], "email", "service", NOW).may_contact is True
