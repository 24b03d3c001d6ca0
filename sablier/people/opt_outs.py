"""Opt-outs: permanent, per channel, audited, announced."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from sablier.people.audit import announce_policy_change, record_person_event
from sablier.people.models import OptOut, Person
from sablier.people.opt_out_requests import opt_out_request


def do_record_opt_out(person: Person, channel: str, reason: str, source: str, now: datetime) -> OptOut | None:
    """Record an opt-out once; returns None when the person had already opted out there."""
    with transaction.atomic():
        opt_out, created = OptOut.objects.get_or_create(
            person=person, channel=channel, defaults={"reason": reason, "source": source, "at": now}
        )
        if not created:
            return None
        detail = {"person_id": person.pk, "channel": channel, "reason": reason, "source": source}
        record_person_event(person, "opt_out.added", now, detail)
        announce_policy_change(person, "opt_out.added", now, detail)
    return opt_out


def do_honour_opt_out_request(person: Person, network: str, text: str, source: str, now: datetime) -> None:
    """A message asking to stop contact opts the person out of that channel (or all, for privacy laws)."""
    request = opt_out_request(text)
    if request is None:
        return
    channel = OptOut.ALL_CHANNELS if request.every_channel else network
    do_record_opt_out(person, channel, f"asked: '{request.matched}'", source, now)
