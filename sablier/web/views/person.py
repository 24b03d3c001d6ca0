"""The person page: one customer across networks, with the contact policy marketing must obey."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sablier.cases.access import is_central, person
from sablier.errors import SablierError
from sablier.people.identity import do_merge_people
from sablier.people.models import Person
from sablier.people.presenter import person_detail


def _person_or_none(request: HttpRequest, person_id: int) -> Person | None:
    if not is_central(request.user):
        return None
    return Person.objects.filter(pk=person_id).first()


@login_required
def person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    found = _person_or_none(request, person_id)
    if found is None:
        return render(request, "sablier/not_found.html", status=404)
    if found.merged_into_id:
        return redirect("person", person_id=found.merged_into_id)
    return render(request, "sablier/person.html", {"person": person_detail(found)})


@login_required
@require_POST
def merge_person(request: HttpRequest, person_id: int) -> HttpResponse:
    keep = _person_or_none(request, person_id)
    absorb = Person.objects.filter(pk=request.POST.get("absorb") or 0).first()
    if keep is None or absorb is None:
        return render(request, "sablier/not_found.html", status=404)
    try:
        do_merge_people(keep, absorb, person(request.user), request.POST.get("reason", ""), timezone.now())
    except SablierError as exc:
        messages.error(request, exc.message)
    return redirect("person", person_id=person_id)
