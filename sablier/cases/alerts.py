"""What the departments are told about a case, through the notifications of each person's choice."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User

from sablier.cases.models import Case
from sablier.notify.actions import do_notify, do_notify_department


def _urgency(case: Case) -> str:
    return case.urgency if case.urgency in ("low", "normal", "high", "critical") else "normal"


def alert_department(
    case: Case, slug: str, kind: str, text_en: str, text_fr: str, by: User | None = None
) -> None:
    do_notify_department(
        slug,
        kind,
        f"Case {case.pk}: {text_en}",
        f"Dossier {case.pk} : {text_fr}",
        case_id=case.pk,
        urgency=_urgency(case),
        exclude_user_id=by.pk if by else None,
    )


def alert_people(case: Case, users: Iterable[User], kind: str, text_en: str, text_fr: str) -> None:
    do_notify(
        list(users),
        kind,
        f"Case {case.pk}: {text_en}",
        f"Dossier {case.pk} : {text_fr}",
        case_id=case.pk,
        urgency=_urgency(case),
    )
