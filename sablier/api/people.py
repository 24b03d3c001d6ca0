"""/api/people: one profile across networks, merged and split by the central team."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from sablier.cases.access import check_central, person
from sablier.errors import FieldError, NotFound, ValidationFailed
from sablier.people.identity import do_add_handle, do_merge_people, do_split_person
from sablier.people.models import Person
from sablier.people.opt_outs import do_record_opt_out
from sablier.people.presenter import person_detail

router = Router(tags=["people"])


class MergeIn(Schema):
    absorb: int = Field(gt=0)
    reason: str = Field(default="", max_length=2000)


class SplitIn(Schema):
    handles: list[int] = Field(min_length=1)
    reason: str = Field(default="", max_length=2000)


class HandleIn(Schema):
    network: str = Field(min_length=1, max_length=30)
    handle: str = Field(min_length=1, max_length=300)


class OptOutIn(Schema):
    channel: str = Field(min_length=1, max_length=30)
    reason: str = Field(min_length=1, max_length=200)


def access_person(request: HttpRequest, person_id: int) -> Person:
    """People profiles span every department: the central team's."""
    check_central(request.user)
    found = Person.objects.filter(pk=person_id).first()
    if found is None:
        raise NotFound(f"No person {person_id}.")
    return found


@router.get("/{person_id}")
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return person_detail(access_person(request, person_id))


@router.post("/{person_id}/merge")
def merge_person(request: HttpRequest, person_id: int, payload: MergeIn) -> dict[str, Any]:
    keep = access_person(request, person_id)
    absorb = Person.objects.filter(pk=payload.absorb).first()
    if absorb is None:
        raise ValidationFailed("unknown person", [FieldError("absorb", f"no person {payload.absorb}")])
    return person_detail(do_merge_people(keep, absorb, person(request.user), payload.reason, timezone.now()))


@router.post("/{person_id}/split", response={201: dict[str, Any]})
def split_person(request: HttpRequest, person_id: int, payload: SplitIn) -> Status[dict[str, Any]]:
    whole = access_person(request, person_id)
    fresh = do_split_person(whole, payload.handles, person(request.user), payload.reason, timezone.now())
    return Status(201, person_detail(fresh))


@router.post("/{person_id}/handles", response={201: dict[str, Any]})
def add_handle(request: HttpRequest, person_id: int, payload: HandleIn) -> Status[dict[str, Any]]:
    owner = access_person(request, person_id)
    do_add_handle(owner, payload.network, payload.handle, person(request.user), timezone.now())
    return Status(201, person_detail(owner))


@router.post("/{person_id}/opt-outs", response={201: dict[str, Any]})
def add_opt_out(request: HttpRequest, person_id: int, payload: OptOutIn) -> Status[dict[str, Any]]:
    """Record an opt-out received elsewhere (phone, letter, a GDPR or Law 25 request: channel "*")."""
    owner = access_person(request, person_id)
    do_record_opt_out(
        owner, payload.channel, payload.reason, f"by {person(request.user).get_username()}", timezone.now()
    )
    return Status(201, person_detail(owner))
