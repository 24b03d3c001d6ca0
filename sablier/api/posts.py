"""/api/posts: posts and campaigns the organisation sends; marketing ones obey the contact policy."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from sablier.answer.crisis_freeze import do_resume_post
from sablier.answer.models import OutgoingPost
from sablier.answer.posts import do_schedule_post, do_send_post
from sablier.cases.access import department_slugs, is_central, person
from sablier.errors import FieldError, NotFound, ValidationFailed
from sablier.limits import MAX_TEXT_LENGTH
from sablier.organisation.models import Department
from sablier.people.identifiers import check_identifier

router = Router(tags=["posts"])


class PostIn(Schema):
    purpose: str = Field(pattern="^(marketing|service)$")
    channel: str = Field(min_length=1, max_length=30)
    text: str = Field(min_length=1, max_length=MAX_TEXT_LENGTH)
    subject: str = Field(default="", max_length=300)
    topics: list[str] = Field(default_factory=list, max_length=50)
    recipients: list[dict[str, Any]] = Field(min_length=1, max_length=10_000)
    scheduled_at: datetime | None = None
    department: str = "marketing"


def post_json(post: OutgoingPost) -> dict[str, Any]:
    return {
        "id": post.pk,
        "purpose": post.purpose,
        "channel": post.channel,
        "subject": post.subject,
        "text": post.text,
        "topics": post.topics,
        "state": post.state,
        "state_reason": post.state_reason,
        "scheduled_at": post.scheduled_at,
        "sent_at": post.sent_at,
        "department": post.department.slug if post.department else None,
        "recipients": [
            {
                "network": r.handle.network,
                "handle": r.handle.handle,
                "person_id": r.handle.person_id,
                "state": r.state,
                "reason": r.reason,
            }
            for r in post.recipients.select_related("handle")
        ],
    }


def access_post(request: HttpRequest, post_id: int) -> OutgoingPost:
    post = OutgoingPost.objects.select_related("department").filter(pk=post_id).first()
    mine = post is not None and (
        is_central(request.user)
        or (post.department is not None and post.department.slug in department_slugs(request.user))
    )
    if post is None or not mine:
        raise NotFound(f"No post {post_id}.")
    return post


@router.post("", response={201: dict[str, Any]})
def create_post(request: HttpRequest, payload: PostIn) -> Status[dict[str, Any]]:
    department = Department.objects.filter(slug=payload.department).first()
    if department is None or not (
        is_central(request.user) or department.slug in department_slugs(request.user)
    ):
        raise ValidationFailed(
            "not your department", [FieldError("department", "post for your own department")]
        )
    recipients = [check_identifier(raw, f"recipients[{n}].") for n, raw in enumerate(payload.recipients)]
    post = do_schedule_post(
        person(request.user),
        payload.purpose,
        payload.channel,
        payload.text,
        recipients,
        payload.scheduled_at or timezone.now(),
        payload.subject,
        tuple(payload.topics),
        department,
    )
    return Status(201, post_json(post))


@router.get("/{post_id}")
def get_post(request: HttpRequest, post_id: int) -> dict[str, Any]:
    return post_json(access_post(request, post_id))


@router.post("/{post_id}/send")
def send_post(request: HttpRequest, post_id: int) -> dict[str, Any]:
    return post_json(do_send_post(access_post(request, post_id), timezone.now()))


@router.post("/{post_id}/resume")
def resume_post(request: HttpRequest, post_id: int) -> dict[str, Any]:
    return post_json(do_resume_post(access_post(request, post_id), person(request.user), timezone.now()))
