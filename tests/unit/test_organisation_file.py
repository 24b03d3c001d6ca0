"""The organisation file: every error names the key and the line it sits on."""

from __future__ import annotations

from pathlib import Path

import pytest

from sablier.errors import ValidationFailed
from sablier.organisation.config import load_organisation

VALID = """\
name: Test bank
operating_model: hub-and-spoke
departments:
  - {slug: central, en: Central, fr: Centrale, central: true}
  - {slug: customer-service, en: Service, fr: Service, assignment: round-robin}
  - {slug: pr, en: PR, fr: RP}
  - {slug: hr, en: HR, fr: RH, private: true}
people:
  - {name: camille, departments: [central], role: lead, level: senior}
  - {name: noah, departments: [pr], level: enrolled}
business_units:
  - {slug: corporate, hub: pr, departments: [hr]}
approvals:
  - {name: press, when: {intent: press}, approvers: [pr]}
routing:
  default: central
  rules:
    - {name: job, when: {intent: job}, department: hr}
"""


def _errors(tmp_path: Path, old: str, new: str) -> dict[str, str]:
    assert old in VALID
    path = tmp_path / "organisation.yaml"
    path.write_text(VALID.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        load_organisation(path)
    return {e.field: e.message for e in failed.value.errors}


def test_it_loads_the_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "organisation.yaml"
    path.write_text(VALID, encoding="utf-8")
    organisation = load_organisation(path)
    assert organisation.operating_model == "hub-and-spoke"
    assert [p.level for p in organisation.people] == ["senior", "enrolled"]
    assert organisation.structure is not None and organisation.structure.private == frozenset({"hr"})


def test_it_names_a_bad_operating_model_and_its_line(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "operating_model: hub-and-spoke", "operating_model: anarchy")
    assert list(errors) == ["operating_model"]
    assert "(line 2)" in errors["operating_model"] and "multiple-hub-and-spoke" in errors["operating_model"]


def test_it_names_an_unknown_approver_department_and_its_line(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "approvers: [pr]", "approvers: [finance]")
    assert list(errors) == ["approvals[0].approvers"]
    assert "'finance'" in errors["approvals[0].approvers"] and "(line 14)" in errors["approvals[0].approvers"]


def test_it_names_an_unknown_approval_condition_and_its_line(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "when: {intent: press}", "when: {mood: press}")
    assert list(errors) == ["approvals[0].when.mood"] and "(line 14)" in errors["approvals[0].when.mood"]


def test_it_names_a_bad_training_level_of_the_second_person_and_its_line(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "level: enrolled", "level: guru")
    assert list(errors) == ["people[1].level"]
    assert (
        "trainee, enrolled, senior" in errors["people[1].level"] and "(line 10)" in errors["people[1].level"]
    )


def test_it_names_an_unknown_hub_of_a_business_unit_and_its_line(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "hub: pr", "hub: finance")
    assert list(errors) == ["business_units[0].hub"]
    assert "'finance'" in errors["business_units[0].hub"] and "(line 12)" in errors["business_units[0].hub"]


def test_it_names_a_bad_assignment_mode_and_its_line(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "assignment: round-robin", "assignment: lottery")
    assert list(errors) == ["departments[1].assignment"]
    assert (
        "least-loaded" in errors["departments[1].assignment"]
        and "(line 5)" in errors["departments[1].assignment"]
    )


def test_it_reports_every_error_of_the_file_at_once(tmp_path: Path) -> None:
    broken = VALID.replace("anarchy", "x").replace(
        "operating_model: hub-and-spoke", "operating_model: anarchy"
    )
    broken = broken.replace("level: enrolled", "level: guru").replace("hub: pr", "hub: finance")
    path = tmp_path / "organisation.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        load_organisation(path)
    assert {e.field for e in failed.value.errors} == {
        "operating_model",
        "people[1].level",
        "business_units[0].hub",
    }
    assert all("(line " in e.message for e in failed.value.errors)


def test_it_names_the_line_of_a_yaml_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "organisation.yaml"
    path.write_text(
        VALID.replace("  - {slug: pr, en: PR, fr: RP}", "  - {slug: pr, en: PR, fr: RP"), encoding="utf-8"
    )
    with pytest.raises(ValidationFailed) as failed:
        load_organisation(path)
    assert "not valid YAML" in failed.value.message and "line 6" in failed.value.message
