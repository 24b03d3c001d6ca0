from sablier.web.views.stream import _visible

ROUTED = {"name": "case.routed", "case_id": 1, "state": "routed", "departments": ["legal", "pr"]}


def test_it_shows_everything_to_the_central_team() -> None:
    assert _visible(ROUTED, central=True, departments=[])


def test_it_shows_a_department_the_events_that_name_it() -> None:
    assert _visible(ROUTED, central=False, departments=["legal"])
    assert not _visible(ROUTED, central=False, departments=["hr"])


def test_it_keeps_new_mentions_for_the_central_team() -> None:
    assert not _visible({"name": "mention.received", "case_id": 1}, central=False, departments=["pr"])
