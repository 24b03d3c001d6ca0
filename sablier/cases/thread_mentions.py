"""@mentions in a case's internal thread: people and departments are told, and may then see it."""

from __future__ import annotations

import re

from django.contrib.auth.models import User

from sablier.cases.alerts import alert_department, alert_people
from sablier.cases.models import Case, Comment, ThreadMention
from sablier.organisation.models import Department, Membership

MENTION = re.compile(r"(?<![\w@.])@([\w][\w.-]*[\w]|[\w])")


def mentioned_names(text: str) -> list[str]:
    return sorted({m.group(1).lower() for m in MENTION.finditer(text)})


def _may_be_told(case: Case) -> tuple[set[int], set[str]] | None:
    """Who a private case (HR, legal) may be shown to: its department and the central team, by user id
    and by slug; None for a public case, where a mention is what lets someone in."""
    if case.department is None or not case.department.private:
        return None
    slugs = {case.department.slug, *Department.objects.filter(is_central=True).values_list("slug", flat=True)}
    members = set(Membership.objects.filter(department__slug__in=slugs).values_list("user_id", flat=True))
    return members, slugs


def do_record_thread_mentions(case: Case, comment: Comment) -> tuple[list[ThreadMention], list[str]]:
    """The mentions recorded (and told), and the names left out because the case is private to them."""
    names = mentioned_names(comment.text)
    if not names:
        return [], []
    users = [u for u in User.objects.filter(username__in=names, is_active=True) if u.pk != comment.author_id]
    departments = list(Department.objects.filter(slug__in=names))
    allowed = _may_be_told(case)
    left_out: list[str] = []
    if allowed is not None:
        left_out = sorted(
            {u.get_username() for u in users if u.pk not in allowed[0]}
            | {d.slug for d in departments if d.slug not in allowed[1]}
        )
        users = [u for u in users if u.pk in allowed[0]]
        departments = [d for d in departments if d.slug in allowed[1]]
    rows = [ThreadMention(case=case, comment=comment, user=u) for u in users]
    rows += [ThreadMention(case=case, comment=comment, department=d) for d in departments]
    ThreadMention.objects.bulk_create(rows)
    who = comment.author.get_username()
    excerpt = comment.text if len(comment.text) <= 200 else comment.text[:199] + "…"
    if users:
        alert_people(
            case, users, "mention", f"{who} mentioned you: {excerpt}", f"{who} vous a mentionné : {excerpt}"
        )
    for department in departments:
        if not (case.department and case.department.private) and department != case.department:
            case.consulted.add(department)
        alert_department(
            case,
            department.slug,
            "mention",
            f"{who} mentioned {department.slug}: {excerpt}",
            f"{who} a mentionné {department.slug} : {excerpt}",
            by=comment.author,
        )
    return rows, left_out
