"""`sablier report`: one period's report of a department or the organisation, as HTML or PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django.utils import timezone

from sablier.organisation.models import Department
from sablier.reports.document import build_report
from sablier.reports.periods import month_of, parse_period
from sablier.reports.render import render


def run(args: argparse.Namespace) -> int:
    now = timezone.now()
    try:
        period = parse_period(args.period) if args.period else month_of(now).previous()
    except ValueError as exc:
        print(f"sablier report: --period: {exc}", file=sys.stderr)
        return 2
    department = None
    if args.department:
        department = Department.objects.filter(slug=args.department).first()
        if department is None:
            known = ", ".join(Department.objects.values_list("slug", flat=True))
            print(f"sablier report: no department {args.department!r}; use one of {known}", file=sys.stderr)
            return 2
    report = build_report(period, department, args.lang, now)
    output = Path(args.output or report.filename(args.format))
    output.write_bytes(render(report, args.format))
    print(f"{report.title} {period.slug}: {report.kpis.volume} cases → {output}", file=sys.stderr)
    print(output)
    return 0
