"""The web pages: login first, another department's case looks missing, consulted departments comment."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client

from sablier.cases.models import Case, Comment, Draft
from sablier.organisation.people import do_create_user
from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db
FIRE = "There is smoke and fire in your branch on Rue Sainte-Catherine, people are evacuating"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _login(name: str, departments: list[str]) -> Client:
    do_create_user(name, departments, password=f"pw-{name}-123")
    client = Client()
    assert client.login(username=name, password=f"pw-{name}-123")
    return client


def _case(api: ApiClient, text: str) -> Case:
    case_id = api.post("/api/mentions", mention_payload(text=text)).json()["case_id"]
    run_single_cycle()
    return Case.objects.select_related("department").get(pk=case_id)


def _page(content: bytes, case_id: int) -> str:
    """The page without what must differ: the CSRF token and the path it was asked for."""
    return CSRF.sub("", content.decode()).replace(f"/cases/{case_id}/", "/cases/N/")


@pytest.fixture
def crisis(api: ApiClient) -> Case:
    case = _case(api, FIRE)
    assert case.department is not None and case.department.slug == "pr"
    assert "legal" in case.consulted.values_list("slug", flat=True)
    return case


@pytest.mark.parametrize("path", ["/", "/cases/1/", "/departments/legal/", "/inbox/columns"])
def test_it_sends_a_stranger_to_the_login_page(organisation: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_it_refuses_a_form_post_from_a_stranger(api: ApiClient) -> None:
    case = _case(api, mention_payload()["text"])
    response = Client().post(f"/cases/{case.pk}/comment", {"text": "hello"})
    assert (response.status_code, response["Location"].startswith("/login/")) == (302, True)
    assert not Comment.objects.exists()


def test_it_shows_another_departments_case_as_missing(api: ApiClient) -> None:
    complaint = _case(api, mention_payload()["text"])
    assert complaint.department is not None and complaint.department.slug == "customer-service"
    client = _login("noah", ["marketing"])
    hidden, missing = client.get(f"/cases/{complaint.pk}/"), client.get("/cases/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert _page(hidden.content, complaint.pk) == _page(missing.content, 999999)


def test_it_refuses_a_form_post_on_another_departments_case_as_missing(api: ApiClient) -> None:
    complaint = _case(api, mention_payload()["text"])
    client = _login("noah", ["marketing"])
    assert client.post(f"/cases/{complaint.pk}/comment", {"text": "psst"}).status_code == 404
    assert not Comment.objects.exists()


def test_it_lets_a_consulted_department_open_and_comment(crisis: Case) -> None:
    client = _login("marc", ["legal"])
    assert client.get(f"/cases/{crisis.pk}/").status_code == 200
    response = client.post(f"/cases/{crisis.pk}/comment", {"text": "Do not admit liability."})
    assert (response.status_code, response["Location"]) == (302, f"/cases/{crisis.pk}/")
    assert list(crisis.comments.values_list("text", flat=True)) == ["Do not admit liability."]
    assert "Do not admit liability." in client.get(f"/cases/{crisis.pk}/").content.decode()


def test_it_tells_a_consulted_department_it_may_not_draft(crisis: Case) -> None:
    client = _login("marc", ["legal"])
    response = client.post(f"/cases/{crisis.pk}/draft", {"text": "We are on it."}, follow=True)
    assert response.status_code == 200
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors and "the answer is drafted by pr" in errors[0]
    assert "the answer is drafted by pr" in response.content.decode()
    assert not Draft.objects.exists()


def test_it_keeps_a_consulted_case_in_the_owners_hands(crisis: Case) -> None:
    client = _login("marc", ["legal"])
    client.post(f"/cases/{crisis.pk}/transition", {"state": "closed"})
    assert Case.objects.get(pk=crisis.pk).state == crisis.state


def test_it_renders_the_department_page_of_a_consulted_department(crisis: Case) -> None:
    client = _login("marc", ["legal"])
    response = client.get("/departments/legal/")
    assert response.status_code == 200
    assert 'data-column="legal"' in response.content.decode()


def test_it_hides_another_departments_page(crisis: Case) -> None:
    client = _login("marc", ["legal"])
    assert client.get("/departments/pr/").status_code == 404


def test_it_answers_404_for_an_unknown_department(admin: object) -> None:
    client = Client()
    client.login(username="boss", password="pw-boss-123")
    response = client.get("/departments/unknown/")
    assert response.status_code == 404
    assert "sablier/not_found.html" in [t.name for t in response.templates]


def test_it_shows_the_waist_to_the_central_team(api: ApiClient) -> None:
    _case(api, mention_payload()["text"])
    client = Client()
    client.login(username="boss", password="pw-boss-123")
    page = client.get("/").content.decode()
    assert 'data-column="incoming"' in page and 'data-column="customer-service"' in page


def test_it_keeps_the_waist_from_a_department_member(organisation: None) -> None:
    page = _login("noah", ["marketing"]).get("/").content.decode()
    assert 'data-column="incoming"' not in page and 'data-column="marketing"' in page


def test_it_speaks_french_when_asked(admin: object) -> None:
    client = Client()
    client.login(username="boss", password="pw-boss-123")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/").content.decode()
    assert "Boîte de réception" in page and '<html lang="fr">' in page


def test_the_central_team_corrects_a_reading_in_one_click(api: ApiClient) -> None:
    case = _case(api, "Bonjour, quelles sont vos heures d'ouverture samedi?")
    central = _login("claire", ["central"])
    page = central.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/label"' in page and 'name="dimension" value="intent"' in page
    central.post(f"/cases/{case.pk}/label", {"dimension": "intent", "value": "complaint"})
    case.refresh_from_db()
    assert case.intent == "complaint" and case.events.filter(verb="relabelled").exists()
    assert case.department is not None
    owner = _login("noemie", [case.department.slug])
    response = owner.get(f"/cases/{case.pk}/")
    assert response.status_code == 200 and 'class="relabel"' not in response.content.decode()
