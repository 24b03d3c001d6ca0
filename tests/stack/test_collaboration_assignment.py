"""Department queues: round-robin and least-loaded assignment, claim, release and manual assignment."""

from __future__ import annotations

import pytest

from sablier.notify.models import Notification
from tests.conftest import ApiClient, client_of, triaged_case

pytestmark = pytest.mark.django_db

COMPLAINT = "My mortgage renewal letter came late and the rate is wrong. Still waiting for a call back."
APP_DOWN = "The mobile app crashes every time I log in, error 500 since the update."


def _assignee(api: ApiClient, case_id: int) -> str | None:
    assignee: str | None = api.get(f"/api/cases/{case_id}").json()["assignee"]
    return assignee


@pytest.fixture
def service(api: ApiClient) -> dict[str, ApiClient]:
    """customer-service (round-robin): samir the lead, then sara and sven, members."""
    return {
        "samir": client_of("samir", ["customer-service"], lead=True),
        "sara": client_of("sara", ["customer-service"]),
        "sven": client_of("sven", ["customer-service"]),
    }


def test_it_deals_customer_service_cases_round_robin(api: ApiClient, service: dict[str, ApiClient]) -> None:
    cases = [triaged_case(api) for _ in range(4)]
    assert api.get(f"/api/cases/{cases[0]}").json()["department"] == "customer-service"
    assert [_assignee(api, c) for c in cases] == ["samir", "sara", "sven", "samir"]
    events = [e["verb"] for e in api.get(f"/api/cases/{cases[1]}").json()["events"]]
    assert "assigned (round-robin)" in events
    assert Notification.objects.filter(user__username="sara", kind="case.assigned").count() == 1


def test_it_gives_a_tech_support_case_to_the_least_loaded_member(api: ApiClient) -> None:
    client_of("lea", ["tech-support"])
    client_of("theo", ["tech-support"])
    first, second = triaged_case(api, APP_DOWN), triaged_case(api, APP_DOWN)
    assert api.get(f"/api/cases/{first}").json()["department"] == "tech-support"
    assert (_assignee(api, first), _assignee(api, second)) == ("lea", "theo")
    assert api.post(f"/api/cases/{second}/transition", {"state": "closed"}).status_code == 200
    # lea holds one open case, theo none: least-loaded picks theo (round-robin would pick lea)
    assert _assignee(api, triaged_case(api, APP_DOWN)) == "theo"
    assert _assignee(api, triaged_case(api, APP_DOWN)) == "lea"  # one each: the tie goes to the first member


def test_it_refuses_a_claim_on_a_case_someone_holds_naming_them(
    api: ApiClient, service: dict[str, ApiClient]
) -> None:
    case_id = triaged_case(api)
    assert _assignee(api, case_id) == "samir"
    response = service["sara"].post(f"/api/cases/{case_id}/claim", {})
    assert response.status_code == 409
    assert "samir" in response.json()["error"]
    assert response.json()["errors"] == [{"field": "assignee", "message": "samir"}]
    assert _assignee(api, case_id) == "samir"


def test_it_lets_the_assignee_release_and_another_member_claim(
    api: ApiClient, service: dict[str, ApiClient]
) -> None:
    case_id = triaged_case(api)
    released = service["samir"].post(f"/api/cases/{case_id}/release", {})
    assert (released.status_code, released.json()["assignee"]) == (200, None)
    claimed = service["sara"].post(f"/api/cases/{case_id}/claim", {})
    assert (claimed.status_code, claimed.json()["assignee"]) == (200, "sara")
    verbs = [e["verb"] for e in claimed.json()["events"]]
    assert verbs[-2:] == ["released", "claimed"]


def test_it_lets_a_lead_release_a_members_case_but_not_another_member(
    api: ApiClient, service: dict[str, ApiClient]
) -> None:
    triaged_case(api)
    case_id = triaged_case(api)
    assert _assignee(api, case_id) == "sara"
    refused = service["sven"].post(f"/api/cases/{case_id}/release", {})
    assert refused.status_code == 403 and _assignee(api, case_id) == "sara"
    released = service["samir"].post(f"/api/cases/{case_id}/release", {})
    assert (released.status_code, released.json()["assignee"]) == (200, None)


def test_it_lets_a_lead_assign_but_not_a_member(api: ApiClient, service: dict[str, ApiClient]) -> None:
    case_id = triaged_case(api)
    refused = service["sara"].post(f"/api/cases/{case_id}/assign", {"user": "sara"})
    assert refused.status_code == 403 and _assignee(api, case_id) == "samir"
    assigned = service["samir"].post(f"/api/cases/{case_id}/assign", {"user": "sven"})
    assert (assigned.status_code, assigned.json()["assignee"]) == (200, "sven")
    assert Notification.objects.filter(user__username="sven", kind="case.assigned", case_id=case_id).exists()


def test_it_refuses_to_assign_someone_who_may_not_draft_naming_the_field(
    api: ApiClient, service: dict[str, ApiClient]
) -> None:
    client_of("noah", ["marketing"])
    case_id = triaged_case(api)
    response = api.post(f"/api/cases/{case_id}/assign", {"user": "noah"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "user"
    unknown = api.post(f"/api/cases/{case_id}/assign", {"user": "nobody"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "user"
    assert _assignee(api, case_id) == "samir"
