"""Who reads which figures: the central team all of them, a department's lead their department's."""

from __future__ import annotations

from sablier.cases.access import Viewer, is_central
from sablier.errors import NotAllowed, NotFound
from sablier.organisation.actions import current_organisation
from sablier.organisation.models import Department, Membership

ORGANISATION = "organisation"  # the scope of management reports


def sees_everything(actor: Viewer) -> bool:
    return is_central(actor) or (actor.is_authenticated and current_organisation().operating_model == "solo")


def led_departments(actor: Viewer) -> list[str]:
    if not actor.is_authenticated:
        return []
    leads = Membership.objects.filter(user_id=actor.pk, role=Membership.LEAD)
    return list(leads.values_list("department__slug", flat=True))


def readable_departments(actor: Viewer) -> list[Department]:
    departments = Department.objects.all()
    return list(
        departments if sees_everything(actor) else departments.filter(slug__in=led_departments(actor))
    )


def access_department_figures(actor: Viewer, department: str | None) -> Department | None:
    """The department whose figures the actor may read and set (None: the whole organisation, central
    team only); a department that is not theirs is not found, like a case that is not theirs."""
    if department is None:
        if not sees_everything(actor):
            raise NotAllowed(
                "Only the central team reads the whole organisation's figures; add ?department=."
            )
        return None
    found = Department.objects.filter(slug=department).first()
    if found is None or not (sees_everything(actor) or department in led_departments(actor)):
        raise NotFound(f"No department {department}.")
    return found
