"""Suggested merges, each with its evidence; a person decides, nothing is merged silently."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sablier.people.models import Handle, Person
from sablier.understand.text import fold


@dataclass(frozen=True)
class Suggestion:
    person_id: int
    evidence: tuple[str, ...]


def _same_email(mine: list[Handle]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    emails = {h.handle for h in mine if h.network == "email"} | {
        h.verified_email for h in mine if h.verified_email
    }
    for other in Handle.objects.filter(network="email", handle__in=emails) | Handle.objects.filter(
        verified_email__in=emails
    ):
        address = other.handle if other.network == "email" else other.verified_email
        found[other.person_id].append(f"same verified e-mail {address} ({other.network} {other.handle})")
    return found


def _same_link(mine: list[Handle]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    links = {h.profile_url for h in mine if h.profile_url}
    for other in Handle.objects.filter(profile_url__in=links):
        found[other.person_id].append(f"same profile link {other.profile_url}")
    return found


def _same_name_and_avatar(mine: list[Handle]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for handle in (h for h in mine if h.avatar_url and h.display_name):
        others = Handle.objects.filter(avatar_url=handle.avatar_url).exclude(network=handle.network)
        for other in others:
            if fold(other.display_name) == fold(handle.display_name):
                found[other.person_id].append(f"same name and avatar as {handle.handle} on {other.network}")
    return found


def merge_suggestions(person: Person) -> list[Suggestion]:
    mine = list(person.handles.all())
    evidence: dict[int, list[str]] = defaultdict(list)
    for finder in (_same_email, _same_link, _same_name_and_avatar):
        for other, reasons in finder(mine).items():
            evidence[other].extend(reasons)
    evidence.pop(person.pk, None)
    return [Suggestion(pid, tuple(dict.fromkeys(reasons))) for pid, reasons in sorted(evidence.items())]
