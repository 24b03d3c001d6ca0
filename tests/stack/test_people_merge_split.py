"""Merges and splits never lose a handle nor put one in two persons (property-based)."""

from __future__ import annotations

import contextlib
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sablier.errors import ValidationFailed
from sablier.people.identity import do_ensure_handle, do_merge_people, do_split_person
from sablier.people.models import Handle, Person

pytestmark = pytest.mark.django_db
_runs = itertools.count()

step = st.one_of(
    st.tuples(st.just("merge"), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("split"), st.integers(0, 5), st.integers(0, 3)),
)


def _apply(kind: str, a: int, b: int, people: list[Person]) -> None:
    now = timezone.now()
    first = Person.objects.get(pk=people[a % len(people)].pk)
    if kind == "merge":
        second = Person.objects.get(pk=people[b % len(people)].pk)
        do_merge_people(first, second, None, "test", now)
    else:
        handles = list(first.handles.order_by("pk").values_list("pk", flat=True))
        people.append(do_split_person(first, handles[: b % max(len(handles), 1) + 1], None, "test", now))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=12))
def test_it_never_loses_or_duplicates_a_handle(organisation: None, steps: list[tuple[str, int, int]]) -> None:
    run = next(_runs)
    handles = [do_ensure_handle("x", f"@p{run}_{i}") for i in range(6)]
    people = [h.person for h in handles]
    for kind, a, b in steps:
        # Merging a person with itself, splitting away every handle: refused, nothing changed.
        with contextlib.suppress(ValidationFailed):
            _apply(kind, a, b, people)
    mine = Handle.objects.filter(pk__in=[h.pk for h in handles]).select_related("person")
    assert mine.count() == 6
    assert all(h.person.merged_into_id is None for h in mine)


def test_it_refuses_to_merge_a_person_with_itself(organisation: None) -> None:
    person = do_ensure_handle("x", "@solo").person
    with pytest.raises(ValidationFailed, match="itself"):
        do_merge_people(person, person, None, "", timezone.now())
