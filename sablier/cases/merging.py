"""Joining conversations that turn out to be one: replies that arrived before their parent."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from sablier.cases.models import Case, CaseEvent, Comment, Draft, RouteCorrection
from sablier.cases.transitions import record_event
from sablier.events import CaseMoved
from sablier.listen.models import Mention
from sablier.organisation.models import Notice
from sablier.people.models import Hold
from sablier.understand.reading import URGENCIES


def do_merge_cases(target: Case, others: list[Case]) -> Case:
    """Move every message, comment, draft and audit row of `others` into `target`, then drop them."""
    others = [c for c in others if c.pk != target.pk]
    if not others:
        return target
    ids = [c.pk for c in others]
    with transaction.atomic():
        _append_drafts(target, ids)
        _keep_the_strongest_reading(target, others)
        for model in (Mention, Comment, CaseEvent, RouteCorrection, Notice):
            model.objects.filter(case_id__in=ids).update(case=target)
        _move_holds(target, ids)
        latest = max(c.last_message_at for c in [target, *others])
        Case.objects.filter(pk=target.pk).update(last_message_at=latest)
        target.last_message_at = latest
        Case.objects.filter(pk__in=ids).delete()
        record_event(target, None, "merged", CaseMoved, {"merged_cases": ids})
    return target


def _move_holds(target: Case, ids: list[int]) -> None:
    already_held = set(Hold.objects.filter(case=target).values_list("person_id", flat=True))
    Hold.objects.filter(case_id__in=ids, person_id__in=already_held).delete()
    Hold.objects.filter(case_id__in=ids).update(case=target)


def _keep_the_strongest_reading(target: Case, others: list[Case]) -> None:
    """Departments consulted on any merged case stay consulted; the case is as urgent as the most urgent."""
    for other in others:
        target.consulted.add(*other.consulted.all())
        if other.department_id and other.department_id != target.department_id:
            target.consulted.add(other.department_id)
    ranked = [c.urgency for c in [target, *others] if c.urgency in URGENCIES]
    if ranked:
        Case.objects.filter(pk=target.pk).update(urgency=max(ranked, key=URGENCIES.index))


def _append_drafts(target: Case, ids: list[int]) -> None:
    """The merged cases' drafts follow the target's, numbered on (versions are unique per case)."""
    last = target.drafts.aggregate(last=Max("version"))["last"] or 0
    moving = Draft.objects.filter(case_id__in=ids).order_by("created_at", "pk")
    for version, draft in enumerate(list(moving), start=last + 1):
        Draft.objects.filter(pk=draft.pk).update(case=target, version=version)
