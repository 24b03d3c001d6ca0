"""The crisis freeze: while a crisis case is open on a topic, promotion on that topic waits."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from sablier.answer.models import PAUSED, SCHEDULED, OutgoingPost
from sablier.cases.models import Case
from sablier.cases.queries import first_inbound
from sablier.errors import IllegalTransition
from sablier.organisation.models import Department, Notice
from sablier.people.policy import MARKETING
from sablier.routing.text import find_phrases


def do_freeze_promotions(case: Case, now: datetime) -> list[OutgoingPost]:
    """Pause every scheduled marketing post whose topics the crisis mentions; tell its department why."""
    opening = first_inbound(case.pk)
    if opening is None:
        return []
    paused = []
    for post in OutgoingPost.objects.filter(purpose=MARKETING, state=SCHEDULED).select_related("department"):
        topics = find_phrases(opening.text, frozenset(post.topics))
        if not topics:
            continue
        reason = f"paused by crisis case #{case.pk} on {', '.join(repr(t) for t in topics)}"
        with transaction.atomic():
            if OutgoingPost.objects.filter(pk=post.pk, state=SCHEDULED).update(
                state=PAUSED, state_reason=reason
            ):
                _tell(post, reason, case, now)
                paused.append(post)
    return paused


def _tell(post: OutgoingPost, reason: str, case: Case, now: datetime) -> None:
    department = post.department or Department.objects.filter(slug="marketing").first()
    if department is not None:
        text = (
            f"Post #{post.pk} ({post.subject or post.text[:40]}) {reason}. Resume it once the crisis is over."
        )
        Notice.objects.create(department=department, text=text, case=case, created_at=now)


def do_resume_post(post: OutgoingPost, actor: User, now: datetime) -> OutgoingPost:
    if not OutgoingPost.objects.filter(pk=post.pk, state=PAUSED).update(
        state=SCHEDULED, state_reason=f"resumed by {actor.get_username()} at {now.isoformat()}"
    ):
        raise IllegalTransition(f"post {post.pk} is {post.state}: only a paused post is resumed")
    post.refresh_from_db()
    return post
