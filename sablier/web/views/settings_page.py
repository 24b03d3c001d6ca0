"""The settings page: the operating model, shown to everyone, switched by the central team."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from sablier.cases.access import is_central, person
from sablier.cases.model_switch import do_switch_operating_model
from sablier.errors import SablierError
from sablier.organisation.actions import current_organisation, current_structure
from sablier.organisation.models import OrganisationEvent
from sablier.routing.operating_models import MODELS


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            moved = do_switch_operating_model(person(request.user), request.POST.get("operating_model", ""))
            messages.success(
                request,
                gettext("Operating model switched; %(count)d waiting cases changed owner.")
                % {"count": moved},
            )
        except SablierError as exc:
            messages.error(request, exc.message)
        return redirect("settings")
    organisation = current_organisation()
    context = {
        "organisation": organisation,
        "models": MODELS,
        "current": organisation.operating_model,
        "structure": current_structure(organisation).to_json(),
        "central": is_central(request.user),
        "history": OrganisationEvent.objects.select_related("actor")[:20],
    }
    return render(request, "sablier/settings.html", context)
