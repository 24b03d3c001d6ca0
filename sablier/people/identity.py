"""One person across networks: handles are created at ingest, merged and split with an audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from sablier.errors import FieldError, ValidationFailed
from sablier.people.audit import announce_policy_change, record_person_event
from sablier.people.identifiers import NETWORKS
from sablier.people.models import Handle, Hold, OptOut, Person


def handle_key(network: str, handle: str) -> str:
    """A handle as stored: e-mail addresses in lower case."""
    return handle.lower() if network == "email" else handle


def do_ensure_handle(network: str, handle: str, display_name: str = "", profile_url: str = "") -> Handle:
    """The handle behind a message, with a new person for a new handle; details refreshed when given."""
    handle = handle_key(network, handle)
    found = Handle.objects.filter(network=network, handle=handle).first()
    if found is None:
        try:
            with transaction.atomic():
                person = Person.objects.create(display_name=display_name or handle)
                return Handle.objects.create(
                    person=person,
                    network=network,
                    handle=handle,
                    display_name=display_name,
                    profile_url=profile_url,
                )
        except IntegrityError:
            # Another request stored the same new handle between our read and our insert.
            found = Handle.objects.get(network=network, handle=handle)
    _refresh_details(found, display_name, profile_url)
    return found


def _refresh_details(handle: Handle, display_name: str, profile_url: str) -> None:
    """Details given anew replace the stored ones; empty ones keep them."""
    fresh = {"display_name": display_name, "profile_url": profile_url}
    changed = {k: v for k, v in fresh.items() if v and getattr(handle, k) != v}
    if changed:
        Handle.objects.filter(pk=handle.pk).update(**changed)
        for k, v in changed.items():
            setattr(handle, k, v)


def do_ensure_handles(network: str, authors: Sequence[tuple[str, str, str]]) -> dict[str, Handle]:
    """do_ensure_handle for many (handle, display name, profile URL) of one network, with a few
    queries: the handles found at once, the new ones (and their people) inserted together. Keyed
    by the handle as stored (e-mail addresses lower-cased)."""
    wanted: dict[str, tuple[str, str]] = {}
    for handle, display_name, profile_url in authors:
        key = handle_key(network, handle)
        known = wanted.get(key, ("", ""))
        wanted[key] = (display_name or known[0], profile_url or known[1])
    found = {h.handle: h for h in Handle.objects.filter(network=network, handle__in=list(wanted))}
    missing = [key for key in wanted if key not in found]
    if missing:
        try:
            with transaction.atomic():
                people = Person.objects.bulk_create(
                    [Person(display_name=wanted[key][0] or key) for key in missing]
                )
                created = Handle.objects.bulk_create(
                    [
                        Handle(
                            person=person,
                            network=network,
                            handle=key,
                            display_name=wanted[key][0],
                            profile_url=wanted[key][1],
                        )
                        for key, person in zip(missing, people, strict=True)
                    ]
                )
            found.update((h.handle, h) for h in created)
        except IntegrityError:
            # Another ingest stored one of these handles meanwhile: one by one, as it would.
            found.update((key, do_ensure_handle(network, key, *wanted[key])) for key in missing)
    for key, stored in found.items():
        _refresh_details(stored, *wanted[key])
    return found


def check_distinct_people(keep: Person, absorb: Person) -> None:
    if keep.pk == absorb.pk:
        raise ValidationFailed(
            "a person cannot be merged with itself", [FieldError("absorb", "pick another")]
        )
    for person, field in ((keep, "keep"), (absorb, "absorb")):
        if person.merged_into_id is not None:
            raise ValidationFailed(
                f"person {person.pk} was merged into {person.merged_into_id}",
                [FieldError(field, f"use person {person.merged_into_id}")],
            )


def do_merge_people(keep: Person, absorb: Person, actor: User | None, reason: str, now: datetime) -> Person:
    """Move every handle, hold and opt-out of `absorb` to `keep`; `absorb` remains as a pointer."""
    check_distinct_people(keep, absorb)
    with transaction.atomic():
        moved = list(absorb.handles.values_list("pk", flat=True))
        absorb.handles.update(person=keep)
        kept_channels = set(keep.opt_outs.values_list("channel", flat=True))
        absorb.opt_outs.filter(channel__in=kept_channels).delete()
        absorb.opt_outs.update(person=keep)
        absorb.holds.update(person=keep)
        absorb.merged_into = keep
        absorb.save(update_fields=["merged_into"])
        identifiers = [f"{h.network}:{h.handle}" for h in keep.handles.all()]
        detail = {
            "kept": keep.pk,
            "absorbed": absorb.pk,
            "handles": moved,
            "identifiers": identifiers,
            "reason": reason,
        }
        record_person_event(keep, "merged", now, detail, actor)
        record_person_event(absorb, "merged_away", now, detail, actor)
        announce_policy_change(keep, "person.merged", now, detail)
    return keep


def do_split_person(
    person: Person, handle_ids: list[int], actor: User | None, reason: str, now: datetime
) -> Person:
    """Give some handles a person of their own; holds and opt-outs stay with both (least permissive)."""
    handles = list(person.handles.filter(pk__in=handle_ids))
    if not handles or len(handles) != len(set(handle_ids)):
        raise ValidationFailed(
            "unknown handle", [FieldError("handles", f"handles of person {person.pk} only")]
        )
    if len(handles) == person.handles.count():
        raise ValidationFailed("a split must leave a handle", [FieldError("handles", "keep at least one")])
    with transaction.atomic():
        fresh = Person.objects.create(display_name=handles[0].display_name or handles[0].handle)
        Handle.objects.filter(pk__in=[h.pk for h in handles]).update(person=fresh)
        for opt_out in person.opt_outs.all():
            OptOut.objects.create(
                person=fresh,
                channel=opt_out.channel,
                reason=opt_out.reason,
                source=f"split from person {person.pk}",
                at=now,
            )
        for hold in person.holds.filter(until__isnull=True) | person.holds.filter(until__gt=now):
            Hold.objects.create(
                person=fresh,
                case=hold.case,
                reason=hold.reason,
                department=hold.department,
                started_at=hold.started_at,
                until=hold.until,
            )
        detail = {"from": person.pk, "to": fresh.pk, "handles": handle_ids, "reason": reason}
        record_person_event(person, "split", now, detail, actor)
        record_person_event(fresh, "split_from", now, detail, actor)
    return fresh


HANDLE_KINDS = ("phone", "crm")  # identifiers beyond the networks a mention can come from


def do_add_handle(person: Person, network: str, handle: str, actor: User | None, now: datetime) -> Handle:
    """Attach an identifier to a person; one that belongs to someone else calls for a merge instead."""
    if network not in (*NETWORKS, *HANDLE_KINDS):
        known = ", ".join((*NETWORKS, *HANDLE_KINDS))
        raise ValidationFailed("unknown network", [FieldError("network", f"use one of {known}")])
    value = handle.strip().lower() if network == "email" else handle.strip()
    existing = Handle.objects.filter(network=network, handle=value).first()
    if existing is not None and existing.person_id != person.pk:
        raise ValidationFailed(
            f"{value} belongs to person {existing.person_id}",
            [FieldError("handle", f"merge person {existing.person_id} into {person.pk} instead")],
        )
    if existing is not None:
        return existing
    added = Handle.objects.create(person=person, network=network, handle=value)
    record_person_event(person, "handle_added", now, {"network": network, "handle": value}, actor)
    return added
