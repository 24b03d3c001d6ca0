"""The guardrails stand between a draft and the public: shown on the case, enforced on the move."""

from __future__ import annotations

import pytest

from sablier.workers.cycle import run_single_cycle
from tests.conftest import ApiClient, mention_payload

pytestmark = pytest.mark.django_db


def routed_case(api: ApiClient) -> int:
    text = "Ma carte de crédit a été débitée deux fois, c'est inacceptable, je veux un remboursement"
    case_id = int(api.post("/api/mentions", mention_payload(text=text)).json()["case_id"])
    run_single_cycle()
    return case_id


def draft(api: ApiClient, case_id: int, text: str) -> None:
    assert api.post(f"/api/cases/{case_id}/drafts", {"text": text}).status_code == 201


def test_a_draft_with_a_card_number_cannot_ask_for_approval(api: ApiClient) -> None:
    case_id = routed_case(api)
    draft(
        api,
        case_id,
        "Bonjour, nous avons remboursé la carte 4970 1012 3456 7893. Écrivez-nous au 1 800 555-0199.",
    )
    shown = api.get(f"/api/cases/{case_id}").json()["guardrails"]
    assert shown["blocked"] and shown["findings"][0]["rule"].startswith("personal_data")
    response = api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == "draft" and "4970 **** **** 7893" in errors[0]["message"]
    assert "4970 1012 3456 7893" not in response.content.decode()
    assert api.get(f"/api/cases/{case_id}").json()["state"] == "drafted"


def test_a_banned_phrase_blocks_the_answer_and_a_clean_draft_passes(api: ApiClient) -> None:
    case_id = routed_case(api)
    draft(api, case_id, "Calmez-vous, nous regardons votre dossier.")
    assert api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"}).status_code == 422
    draft(
        api, case_id, "Bonjour, toutes nos excuses : le double débit est annulé. Appelez le 1 800 555-0199."
    )
    assert api.get(f"/api/cases/{case_id}").json()["guardrails"] == {"blocked": False, "findings": []}
    response = api.post(f"/api/cases/{case_id}/transition", {"state": "awaiting_approval"})
    assert response.status_code == 200 and response.json()["state"] == "awaiting_approval"


def test_the_organisation_file_names_a_bad_guardrail_key() -> None:
    from sablier.errors import ValidationFailed
    from sablier.organisation.config import parse_organisation

    data = {
        "departments": [{"slug": "central", "central": True}],
        "guardrails": {"banned_phrases": ["ok", 3], "max_exclamations": -1},
    }
    with pytest.raises(ValidationFailed) as raised:
        parse_organisation(data)
    fields = [e.field for e in raised.value.errors]
    assert "guardrails.banned_phrases[1]" in fields and "guardrails.max_exclamations" in fields
