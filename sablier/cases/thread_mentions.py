"""@mentions in a case's internal thread: people and departments are told, and may then see it."""

from __future__ import annotations

import re

from django.contrib.auth.models import User

from sablier.cases.alerts import alert_department, alert_people
from sablier.cases.models import Case, Comment, ThreadMention
from sablier.organisation.models import Department

MENTION = re.compile(r"(?<![\w@.])@([\w][\w.-]*[\w]|[\w])")


def mentioned_names(text: str) -> list[str]:
    return sorted({m.group(1).lower() for m in MENTION.finditer(text)})


def do_record_thread_mentions(case: Case, comment: Comment) -> list[ThreadMention]:
    names = mentioned_names(comment.text)
    if not names:
        return []
    users = [u for u in User.objects.filter(username__in=names, is_active=True) if u.pk != comment.author_id]
    departments = list(Department.objects.filter(slug__in=names))
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
    return rows
