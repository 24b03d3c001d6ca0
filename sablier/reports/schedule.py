"""Scheduled reports: last week's and last month's, of each department and of the organisation,
e-mailed once per period to the department's mailbox and its leads, in each one's language."""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q

from sablier.notify.models import EMAIL, DepartmentChannel, Preference
from sablier.notify.transports import SendFailed
from sablier.notify.transports.email import _connection, failure
from sablier.organisation.models import Department, Membership
from sablier.reports.access import ORGANISATION
from sablier.reports.document import build_report
from sablier.reports.models import ReportDispatch
from sablier.reports.pdf import render_pdf
from sablier.reports.periods import Period, month_of, week_of
from sablier.reports.render import render_html

log = logging.getLogger(__name__)
CHECK_EVERY = timedelta(minutes=10)
RETRY_AFTER = timedelta(hours=1)
MAX_ATTEMPTS = 5
_last_check: dict[str, datetime] = {}


def due_periods(now: datetime) -> list[Period]:
    """The last complete week and month."""
    return [week_of(now).previous(), month_of(now).previous()]


def recipients(department: Department) -> dict[str, set[str]]:
    """Addresses by language: the department's mailbox and its leads' (chosen e-mail, else the account's)."""
    found: dict[str, set[str]] = defaultdict(set)
    for address, language in DepartmentChannel.objects.filter(
        department=department, channel=EMAIL
    ).values_list("address", "language"):
        found[language].add(address)
    leads = Membership.objects.filter(department=department, role=Membership.LEAD).select_related("user")
    for membership in leads:
        user = membership.user
        preference = Preference.objects.filter(user=user).first()
        address = preference.email_address if preference and preference.email_on else user.email
        if address:
            found[preference.language if preference else "en"].add(address)
    return found


def _scope_department(scope: str) -> tuple[Department | None, Department | None]:
    """(the department reported on, the one receiving it): management reports go to the central team."""
    if scope == ORGANISATION:
        return None, Department.objects.filter(is_central=True).first()
    department = Department.objects.filter(slug=scope).first()
    return department, department


def _send(dispatch: ReportDispatch, period: Period, now: datetime) -> int:
    subject_of, reported = _scope_department(dispatch.scope)
    sent = 0
    for language, addresses in sorted(recipients(reported).items() if reported else []):
        report = build_report(period, subject_of, language, now)
        figures = "\n".join(f"{row.cells[0]}: {row.cells[1]}" for row in report.figures)
        mail = EmailMessage(
            f"{report.title} — {report.scope} — {period.slug}",
            figures,
            settings.SABLIER.mail_from,
            sorted(addresses),
            connection=_connection(),
        )
        mail.attach(report.filename("pdf"), render_pdf(report), "application/pdf")
        mail.attach(report.filename("html"), render_html(report), "text/html")
        mail.send()
        sent += len(addresses)
    return sent


def send_due_reports(now: datetime) -> int:
    """Claim each due (scope, period) by conditional UPDATE, so it leaves once; a failure is retried
    after an hour, at most five times. Nothing without SABLIER_SMTP_URL."""
    if settings.SABLIER.smtp is None:
        return 0
    periods = {period.slug: period for period in due_periods(now)}
    scopes = [ORGANISATION, *Department.objects.values_list("slug", flat=True)]
    ReportDispatch.objects.bulk_create(
        [ReportDispatch(scope=s, period=p) for p in periods for s in scopes], ignore_conflicts=True
    )
    pending = ReportDispatch.objects.filter(
        period__in=list(periods), sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS
    )
    pending = pending.filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - RETRY_AFTER))
    done = 0
    for dispatch in pending:
        mine = ReportDispatch.objects.filter(
            pk=dispatch.pk, sent_at__isnull=True, claimed_at=dispatch.claimed_at
        )
        if not mine.update(claimed_at=now, attempts=F("attempts") + 1):
            continue  # another worker has it
        try:
            count = _send(dispatch, periods[dispatch.period], now)
        except (OSError, smtplib.SMTPException, SendFailed) as exc:
            error = exc if isinstance(exc, SendFailed) else failure(exc)
            log.warning("report %s %s not sent: %s", dispatch.scope, dispatch.period, error)
            ReportDispatch.objects.filter(pk=dispatch.pk).update(last_error=str(error)[:1000])
            continue
        ReportDispatch.objects.filter(pk=dispatch.pk).update(sent_at=now, recipients=count, last_error="")
        done += 1
    return done


def send_reports_when_due(now: datetime) -> int:
    """The worker's step: at most every CHECK_EVERY per process."""
    last = _last_check.get("at")
    if last is not None and now - last < CHECK_EVERY:
        return 0
    _last_check["at"] = now
    return send_due_reports(now)
