"""Who receives which live event: the central team everything, a department what names it."""

from __future__ import annotations

from sablier.web.views.stream import _visible

ROUTED = {"name": "case.routed", "case_id": 1, "state": "routed", "departments": ["legal", "pr"]}
RECEIVED = {"name": "mention.received", "case_id": 1, "mention_id": 7}


def test_it_shows_everything_to_the_central_team() -> None:
    assert _visible(ROUTED, central=True, departments=[])
    assert _visible(RECEIVED, central=True, departments=[])
    assert _visible({**ROUTED, "departments": []}, central=True, departments=["central"])


def test_it_shows_a_department_the_events_that_name_it() -> None:
    assert _visible(ROUTED, central=False, departments=["legal"])
    assert not _visible(ROUTED, central=False, departments=["hr"])


def test_it_shows_a_member_of_several_departments_an_event_naming_any_of_them() -> None:
    assert _visible(ROUTED, central=False, departments=["hr", "pr"])
    assert not _visible(ROUTED, central=False, departments=["hr", "marketing"])


def test_it_keeps_new_mentions_for_the_central_team() -> None:
    assert not _visible({"name": "mention.received", "case_id": 1}, central=False, departments=["pr"])
    assert not _visible(RECEIVED, central=False, departments=["pr", "legal", "hr"])


def test_it_shows_nothing_to_someone_in_no_department() -> None:
    assert not _visible(ROUTED, central=False, departments=[])
    assert not _visible({**ROUTED, "departments": []}, central=False, departments=["legal"])
