"""The comparison as text: a table for people, JSON and CSV for tools; minutes everywhere in data."""

from __future__ import annotations

import csv
import io
import json

from sablier.simulate.summary import ModelResult

COLUMNS = (
    ("model", 22),
    ("cases", 6),
    ("answered", 9),
    ("median", 8),
    ("p90", 8),
    ("breach", 7),
    ("hand-offs", 10),
    ("approvals", 10),
    ("wrong fn", 9),
    ("cost", 10),
)


def duration(minutes: float | None) -> str:
    """42m, 5h07m, 3d04h; — when nothing was answered."""
    if minutes is None:
        return "—"
    whole = round(minutes)
    if whole < 60:
        return f"{whole}m"
    if whole < 48 * 60:
        return f"{whole // 60}h{whole % 60:02d}m"
    return f"{whole // 1440}d{whole % 1440 // 60:02d}h"


def _cells(r: ModelResult) -> list[str]:
    return [
        r.model,
        str(r.cases),
        str(r.answered),
        duration(r.median_first_response),
        duration(r.p90_first_response),
        f"{r.breach_rate:.1%}",
        f"{r.handoffs_per_case:.2f}",
        f"{r.approvals_per_case:.2f}",
        f"{r.wrong_function:.1%}",
        f"{r.cost:,.0f}",
    ]


def as_table(results: list[ModelResult]) -> str:
    def line(cells: list[str]) -> str:
        first, *rest = zip(cells, (w for _, w in COLUMNS), strict=True)
        return first[0].ljust(first[1]) + "".join(c.rjust(w) for c, w in rest)

    return "\n".join([line([name for name, _ in COLUMNS]), *(line(_cells(r)) for r in results)])


def as_json(results: list[ModelResult]) -> str:
    return json.dumps([r.to_json() for r in results], indent=2)


def as_csv(results: list[ModelResult]) -> str:
    out = io.StringIO()
    rows = [r.to_json() for r in results]
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["model"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().rstrip("\n")


FORMATS = {"table": as_table, "json": as_json, "csv": as_csv}
