"""The person's in-app notifications, and the unread badge that the live stream refreshes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sablier.cases.access import person
from sablier.notify.inbox import do_mark_all_read, my_notifications
from sablier.notify.models import Notification


@login_required
def notifications_page(request: HttpRequest) -> HttpResponse:
    actor = person(request.user)
    if request.method == "POST":
        do_mark_all_read(actor, timezone.now())
        return redirect("notifications")
    return render(request, "sablier/notifications.html", {"items": my_notifications(actor, 100)})


@login_required
def unread_badge(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.filter(user=person(request.user), read_at__isnull=True).count()
    return render(request, "sablier/_unread.html", {"unread": count})
