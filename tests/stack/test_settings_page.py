"""The settings page switches the operating model; the same case then takes the path it prescribes."""

from __future__ import annotations

import pytest
from django.test import Client

from sablier.organisation.models import Organisation, OrganisationEvent
from sablier.organisation.people import do_create_user
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db
COMPLAINT = "My mortgage renewal letter came late and the rate is wrong. Still waiting for a call back."
OWNER = {
    "centralized": "central",
    "customer-service-led": "customer-service",
    "hub-and-spoke": "customer-service",
    "multiple-hub-and-spoke": "customer-service",
    "distributed": "customer-service",
    "solo": "central",
}


def _login(name: str, departments: list[str]) -> Client:
    do_create_user(name, departments, password=f"pw-{name}-123")
    client = Client()
    assert client.login(username=name, password=f"pw-{name}-123")
    return client


def test_it_walks_one_case_through_the_six_models_from_the_settings_page(api: ApiClient) -> None:
    central = _login("camille", ["central"])
    case_id = api.post("/api/mentions", mention_payload(text=COMPLAINT)).json()["case_id"]
    run_single_cycle()
    for model, owner in OWNER.items():
        assert central.post("/settings/", {"operating_model": model}).status_code == 302
        page = central.get(f"/cases/{case_id}/").content.decode()
        assert f'data-operating-model="{model}"' in page
        assert f'data-department="{owner}"' in page, model
    assert OrganisationEvent.objects.filter(verb="operating model switched").count() == len(OWNER)


def test_it_shows_the_models_in_french(api: ApiClient) -> None:
    central = _login("camille", ["central"])
    page = central.get("/settings/", headers={"accept-language": "fr"}).content.decode()
    assert "Une seule personne, toutes les files dans une vue" in page
    assert 'data-model="multiple-hub-and-spoke"' in page


def test_it_lets_only_the_central_team_switch(api: ApiClient) -> None:
    marketing = _login("noah", ["marketing"])
    response = marketing.post("/settings/", {"operating_model": "solo"}, follow=True)
    assert "Only the central social media team" in response.content.decode()
    assert Organisation.objects.get().operating_model == "hub-and-spoke"
    assert "data-switch-model" not in marketing.get("/settings/").content.decode()


def test_it_lists_a_persons_notifications_and_marks_them_read(api: ApiClient) -> None:
    service = _login("samir", ["customer-service"])
    api.post("/api/mentions", mention_payload(text=COMPLAINT))
    run_single_cycle()
    page = service.get("/notifications/", headers={"accept-language": "fr"}).content.decode()
    assert 'data-kind="case.routed"' in page and "pour customer-service" in page
    assert 'data-kind="case.assigned"' in page  # round-robin: the only member of customer service
    assert 'data-unread="2"' in service.get("/notifications/unread").content.decode()
    service.post("/notifications/")
    assert "data-unread" not in service.get("/notifications/unread").content.decode()
