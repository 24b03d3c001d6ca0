"""Scheduling and sending posts and campaigns; marketing obeys the contact policy, service does not ask."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from sablier.answer.models import DELIVERED, FAILED, REFUSED, SCHEDULED, SENDING, SENT, OutgoingPost
from sablier.answer.publishers import NoPublisher, publish
from sablier.errors import FieldError, IllegalTransition, ValidationFailed
from sablier.organisation.models import Department
from sablier.people.contact_policy import contact_policy
from sablier.people.identifiers import Identifier
from sablier.people.identity import do_ensure_handle
from sablier.people.models import Handle
from sablier.people.policy import MARKETING, check_purpose


def _recipient_handle(identifier: Identifier, channel: str) -> Handle:
    if identifier.email and channel == "email":
        return do_ensure_handle("email", identifier.email)
    if identifier.network == channel and identifier.handle:
        return do_ensure_handle(channel, identifier.handle)
    if identifier.person_id:
        handle = Handle.objects.filter(person_id=identifier.person_id, network=channel).first()
        if handle is not None:
            return handle
    raise ValidationFailed(
        "a recipient cannot be reached on this channel",
        [FieldError("recipients", f"{identifier.to_json()} has no {channel} address")],
    )


def do_schedule_post(
    actor: User,
    purpose: str,
    channel: str,
    text: str,
    recipients: list[Identifier],
    scheduled_at: datetime,
    subject: str = "",
    topics: tuple[str, ...] = (),
    department: Department | None = None,
) -> OutgoingPost:
    check_purpose(purpose)
    with transaction.atomic():
        post = OutgoingPost.objects.create(
            purpose=purpose,
            channel=channel,
            subject=subject,
            text=text,
            topics=list(topics),
            department=department,
            created_by=actor,
            scheduled_at=scheduled_at,
        )
        for identifier in recipients:
            post.recipients.get_or_create(handle=_recipient_handle(identifier, channel))
    return post


def _as_identifier(handle: Handle) -> Identifier:
    """Asked about the channel itself, so an opt-out of another network does not block it."""
    if handle.network == "email":
        return Identifier(email=handle.handle)
    return Identifier(network=handle.network, handle=handle.handle)


def _deliver(post: OutgoingPost, now: datetime) -> None:
    recipients = list(post.recipients.select_related("handle").filter(state=""))
    answers = contact_policy([_as_identifier(r.handle) for r in recipients], post.purpose, now)
    for recipient, answer in zip(recipients, answers, strict=True):
        if post.purpose == MARKETING and not answer.may_contact:
            recipient.state, recipient.reason = REFUSED, "; ".join(answer.reasons)
        else:
            try:
                publish(post, recipient.handle)
                recipient.state, recipient.reason = DELIVERED, ""
            except (NoPublisher, OSError) as exc:
                recipient.state, recipient.reason = FAILED, str(exc)
        recipient.at = now
        recipient.save(update_fields=["state", "reason", "at"])


def do_send_post(post: OutgoingPost, now: datetime) -> OutgoingPost:
    """Send now, whatever the schedule; claimed by conditional update so it goes out once."""
    if not OutgoingPost.objects.filter(pk=post.pk, state=SCHEDULED).update(state=SENDING):
        post.refresh_from_db()
        raise IllegalTransition(f"post {post.pk} is {post.state}: only a scheduled post is sent")
    _deliver(post, now)
    OutgoingPost.objects.filter(pk=post.pk).update(state=SENT, sent_at=now)
    post.refresh_from_db()
    return post


def do_send_due_posts(now: datetime, limit: int = 50) -> int:
    due = OutgoingPost.objects.filter(state=SCHEDULED, scheduled_at__lte=now).order_by("scheduled_at")[:limit]
    sent = 0
    for post in list(due):
        try:
            do_send_post(post, now)
            sent += 1
        except IllegalTransition:
            continue  # another worker took it
    return sent
