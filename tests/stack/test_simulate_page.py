"""The simulator page: the central team runs a small comparison and sees a bar chart per figure."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sablier.organisation.people import do_create_user
from sablier.routing.operating_models import MODEL_SLUGS

pytestmark = pytest.mark.django_db


def _login(name: str, departments: list[str]) -> Client:
    do_create_user(name, departments, password=f"pw-{name}-123")
    client = Client()
    assert client.login(username=name, password=f"pw-{name}-123")
    return client


def test_it_draws_a_bar_per_model_for_each_figure(organisation: None) -> None:
    page = _login("camille", ["central"]).get(
        "/simulator/", {"run": "1", "profile": "synthetic", "days": "1"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    for metric in ("median", "p90", "breach", "handoffs", "wrong", "cost"):
        chart = html.split(f'data-metric="{metric}"')[1].split("</figure>")[0]
        assert re.findall(r'<rect [^>]*data-model="([a-z-]+)"', chart) == list(MODEL_SLUGS)


def test_it_keeps_the_svg_numbers_unlocalised_in_french(organisation: None) -> None:
    client = _login("camille", ["central"])
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = client.get("/simulator/", {"run": "1", "profile": "synthetic", "days": "1"}).content.decode()
    assert "Simulateur" in html
    assert all(float(w) >= 0 for w in re.findall(r'<rect [^>]*width="([^"]+)"', html))


def test_it_runs_only_on_request(organisation: None) -> None:
    html = _login("camille", ["central"]).get("/simulator/").content.decode()
    assert "<svg" not in html and 'name="run"' in html


def test_it_says_when_there_is_no_recorded_traffic(organisation: None) -> None:
    html = _login("camille", ["central"]).get("/simulator/", {"run": "1"}).content.decode()
    assert "no recorded traffic yet" in html


def test_it_is_for_the_central_team_only(organisation: None) -> None:
    assert _login("samir", ["customer-service"]).get("/simulator/").status_code == 404
