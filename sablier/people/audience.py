"""Importing a marketing audience (CSV): e-mail addresses and the handles marketing knows for them.

A handle that already belongs to someone else is not moved: it gets the row's e-mail as evidence,
so the person page suggests the merge and a person decides."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from sablier.errors import FieldError, ValidationFailed
from sablier.people.identifiers import EMAIL, NETWORKS
from sablier.people.identity import do_ensure_handle
from sablier.people.models import Handle


@dataclass
class AudienceReport:
    people: int = 0
    linked: int = 0
    suggested: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.people} people, {self.linked} handles linked, {self.suggested} merges to review, "
            f"{len(self.rejected)} rejected"
        )


def _network_columns(header: list[str]) -> dict[str, str]:
    """`mastodon_handle`, `x_handle`… → network."""
    return {
        c: c.removesuffix("_handle")
        for c in header
        if c.endswith("_handle") and c.removesuffix("_handle") in NETWORKS
    }


def _import_row(row: dict[str, str], columns: dict[str, str], report: AudienceReport) -> None:
    email = (row.get("email") or "").strip().lower()
    name = " ".join(
        filter(None, [(row.get("first_name") or "").strip(), (row.get("last_name") or "").strip()])
    )
    anchor = do_ensure_handle("email", email, name)
    report.people += 1
    for column, network in columns.items():
        value = (row.get(column) or "").strip()
        if not value:
            continue
        existing = Handle.objects.filter(network=network, handle=value).first()
        if existing is None:
            Handle.objects.create(
                person=anchor.person, network=network, handle=value, display_name=name, verified_email=email
            )
            report.linked += 1
        elif existing.person_id != anchor.person_id:
            Handle.objects.filter(pk=existing.pk).update(verified_email=email)
            report.suggested += 1


def import_audience(path: Path) -> AudienceReport:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            f"{path.name} is not UTF-8; re-save it as UTF-8", [FieldError("file", "UTF-8")]
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    if "email" not in (reader.fieldnames or []):
        raise ValidationFailed(
            "the audience file needs an email column", [FieldError("email", "add the column")]
        )
    columns, report = _network_columns(list(reader.fieldnames or [])), AudienceReport()
    for row in reader:
        if not EMAIL.match((row.get("email") or "").strip()):
            report.rejected.append((reader.line_num, "email: not an e-mail address"))
            continue
        with transaction.atomic():
            _import_row(row, columns, report)
    return report
