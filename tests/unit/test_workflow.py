import itertools

import pytest

from sablier.cases.states import CASE_STATES
from sablier.errors import IllegalTransition
from sablier.workflow import StateGraph


def test_it_allows_the_declared_path_to_an_answer() -> None:
    path = ["new", "triaged", "routed", "in_department", "drafted", "awaiting_approval", "answered", "closed"]
    assert all(CASE_STATES.allows(a, b) for a, b in itertools.pairwise(path))


def test_it_refuses_an_illegal_transition_with_what_is_allowed() -> None:
    with pytest.raises(IllegalTransition) as refused:
        CASE_STATES.check_transition("new", "answered")
    assert "from new it may go to triaged" in refused.value.message


def test_it_refuses_an_unknown_state() -> None:
    with pytest.raises(IllegalTransition, match="not a case state"):
        CASE_STATES.check_transition("routed", "teleported")


def test_it_rejects_a_graph_with_an_undeclared_target() -> None:
    with pytest.raises(ValueError, match="undeclared"):
        StateGraph("broken", "a", {"a": frozenset({"b"})})


def test_it_rejects_a_graph_with_unreachable_states() -> None:
    with pytest.raises(ValueError, match="unreachable"):
        StateGraph("broken", "a", {"a": frozenset(), "b": frozenset({"a"})})
