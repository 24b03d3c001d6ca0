"""Canned answers in the database: the organisation file's set, those saved by leads, and the
rendered choices for one case."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Q, QuerySet

from sablier.answer.canned import (
    CannedText,
    check_department,
    check_language,
    check_name,
    check_template,
    parse_canned_answers,
    pick_for,
    render,
)
from sablier.answer.models import CannedAnswer
from sablier.cases.access import department_slugs, is_central
from sablier.cases.models import Case
from sablier.cases.queries import first_inbound
from sablier.errors import FieldError, NotAllowed, NotFound, ValidationFailed
from sablier.organisation.models import Department, Membership, Organisation


@dataclass(frozen=True)
class RenderedCanned:
    id: int
    name: str
    language: str
    department: str | None
    text: str
    fallback: bool  # True when the case's language has no version of this answer

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def do_apply_canned_answers(raw: list[Any] | None) -> None:
    """Make the organisation file's `canned_answers:` the file's set: declared ones are created or
    overwritten, those the file no longer declares are deleted; answers saved by leads stay."""
    texts = parse_canned_answers(raw or [])
    departments = {d.slug: d for d in Department.objects.all()}
    errors = [
        e
        for t in texts
        for e in check_department(t.department, set(departments), "canned_answers.department")
    ]
    if errors:
        raise ValidationFailed("the canned answers name unknown departments", errors)
    with transaction.atomic():
        kept = []
        for t in texts:
            answer, _ = CannedAnswer.objects.update_or_create(
                department=departments.get(t.department or ""),
                language=t.language,
                name=t.name,
                defaults={"text": t.text, "from_file": True, "updated_by": None},
            )
            kept.append(answer.pk)
        CannedAnswer.objects.filter(from_file=True).exclude(pk__in=kept).delete()


def visible_canned(actor: User | AnonymousUser) -> QuerySet[CannedAnswer]:
    """The central team sees every answer; a department, its own and the organisation-wide ones."""
    answers = CannedAnswer.objects.select_related("department")
    if is_central(actor):
        return answers
    return answers.filter(Q(department__isnull=True) | Q(department__slug__in=department_slugs(actor)))


def check_may_edit(actor: User, department: Department | None) -> None:
    """Only the central team, or a lead of the answer's own department, writes canned answers."""
    if is_central(actor):
        return
    if department is None:
        raise NotAllowed("Only the central social media team may change answers for every department.")
    if not Membership.objects.filter(user=actor, department=department, role=Membership.LEAD).exists():
        raise NotAllowed(f"Only a lead of {department.slug} or the central team may change its answers.")


def _department(slug: str | None) -> Department | None:
    if not slug:
        return None
    department = Department.objects.filter(slug=slug).first()
    if department is None:
        slugs = set(Department.objects.values_list("slug", flat=True))
        raise ValidationFailed("unknown department", check_department(slug, slugs, "department"))
    return department


def do_save_canned_answer(
    actor: User, department: str | None, language: str, name: str, text: str
) -> tuple[CannedAnswer, bool]:
    """Create or replace the answer (department, language, name); True when it was created."""
    errors = check_language(language, "language") + check_name(name, "name") + check_template(text, "text")
    if errors:
        raise ValidationFailed("the canned answer is invalid", errors)
    owner = _department(department)
    check_may_edit(actor, owner)
    with transaction.atomic():
        answer = CannedAnswer.objects.select_for_update().filter(
            department=owner, language=language, name=name
        ).first() or CannedAnswer(department=owner, language=language, name=name)
        check_not_from_file(answer)
        created = answer.pk is None
        answer.text, answer.updated_by = text, actor
        answer.save()
    return answer, created


def check_not_from_file(answer: CannedAnswer) -> None:
    if answer.from_file:
        raise ValidationFailed(
            "this canned answer comes from the organisation file",
            [FieldError("name", f"change {answer.name!r} in the organisation file, or save another name")],
        )


def access_canned(actor: User, answer_id: int) -> CannedAnswer:
    answer = visible_canned(actor).filter(pk=answer_id).first()
    if answer is None:
        raise NotFound(f"No canned answer {answer_id}.")
    return answer


def do_delete_canned_answer(actor: User, answer: CannedAnswer) -> None:
    check_may_edit(actor, answer.department)
    check_not_from_file(answer)
    answer.delete()


def _variables(case: Case, actor: User) -> dict[str, str]:
    """The values every answer of this case shares; {department} depends on the answer."""
    opening = first_inbound(case.pk)
    author = opening.author if opening else None
    return {
        "name": (author.display_name or author.handle) if author else "",
        "handle": author.handle if author else "",
        "agent": actor.first_name or actor.get_username(),
        "case": str(case.pk),
        "network": opening.network if opening else "",
    }


def _department_name(answer: CannedAnswer, case: Case, language: str) -> str:
    owner = answer.department or case.department
    if owner is not None:
        return owner.name(language)
    organisation = Organisation.objects.order_by("pk").first()
    return organisation.name if organisation else ""


def canned_for_case(case: Case, actor: User) -> list[RenderedCanned]:
    """The answers a case may use (its department's and the organisation-wide ones), one per name,
    in the case's language or else the other one, rendered for this case and this agent."""
    rows = CannedAnswer.objects.select_related("department").filter(
        Q(department__isnull=True) | Q(department_id=case.department_id)
    )
    by_text = {
        CannedText(a.department.slug if a.department else None, a.name, a.language, a.text): a for a in rows
    }
    slug = case.department.slug if case.department else None
    shared = _variables(case, actor)
    chosen = []
    for text, fallback in pick_for(list(by_text), slug, case.language):
        values = shared | {"department": _department_name(by_text[text], case, text.language)}
        rendered = render(text.text, values)
        chosen.append(
            RenderedCanned(by_text[text].pk, text.name, text.language, text.department, rendered, fallback)
        )
    return chosen
