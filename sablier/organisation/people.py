"""Creating the people of the organisation and placing them in departments."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from sablier.errors import FieldError, ValidationFailed
from sablier.organisation.models import Department, Membership


def do_create_user(name: str, departments: list[str], password: str | None = None, lead: bool = False) -> str:
    """Create a user in the given departments; returns the password (generated when not given)."""
    users = get_user_model()
    if users.objects.filter(username=name).exists():
        raise ValidationFailed(f"a user named {name!r} exists", [FieldError("name", "choose another name")])
    found = {d.slug: d for d in Department.objects.filter(slug__in=departments)}
    missing = [slug for slug in departments if slug not in found]
    if missing:
        known = ", ".join(Department.objects.values_list("slug", flat=True))
        raise ValidationFailed(
            f"unknown department {', '.join(missing)}", [FieldError("department", f"use one of {known}")]
        )
    secret = password or secrets.token_urlsafe(12)
    with transaction.atomic():
        user = users.objects.create_user(username=name, password=secret)
        for department in found.values():
            Membership.objects.create(
                user=user, department=department, role=Membership.LEAD if lead else Membership.MEMBER
            )
    return secret
