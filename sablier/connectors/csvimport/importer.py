"""import_rows(): every row validated and ingested on its own, so one bad line loses nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError

from sablier.connectors.csvimport.formats import Row
from sablier.errors import ValidationFailed
from sablier.listen.actions import do_ingest_mention
from sablier.listen.mention_input import check_mention


@dataclass
class ImportReport:
    new: int = 0
    duplicate: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.new} new, {self.duplicate} duplicate, {len(self.rejected)} rejected"


def _reason(exc: ValidationFailed) -> str:
    return "; ".join(f"{e.field}: {e.message}" for e in exc.errors) or exc.message


def import_rows(
    rows: Iterable[Row], source: str, on_row: Callable[[], object] = lambda: None
) -> ImportReport:
    report = ImportReport()
    for row in rows:
        on_row()
        if row.data is None:
            report.rejected.append((row.line, row.error))
            continue
        try:
            result = do_ingest_mention(check_mention(row.data), source=source, raw=row.raw)
        except ValidationFailed as exc:
            report.rejected.append((row.line, _reason(exc)))
            continue
        except DatabaseError as exc:
            report.rejected.append((row.line, f"the database refused it: {exc}".strip()))
            continue
        if result.created:
            report.new += 1
        else:
            report.duplicate += 1
    return report
