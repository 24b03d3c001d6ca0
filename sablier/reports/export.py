"""The KPIs as JSON and as CSV rows (metric, key, value): the same numbers, flattened."""

from __future__ import annotations

import csv
import io
from typing import Any

from sablier.reports.kpi import Kpis
from sablier.reports.objectives import Attainment


def kpis_json(kpis: Kpis, period: str | None, attainments: list[Attainment]) -> dict[str, Any]:
    return {"period": period, **kpis.to_json(), "objectives": [a.to_json() for a in attainments]}


def flatten(data: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(metric, key, value) for every figure: nested mappings give their keys, lists are left out."""
    rows: list[tuple[str, str, Any]] = []
    for metric, value in data.items():
        if isinstance(value, dict):
            rows += [(metric, str(key), inner) for key, inner in value.items()]
        elif not isinstance(value, list):
            rows.append((metric, "", value))
    return rows


def kpis_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("metric", "key", "value"))
    writer.writerows((m, k, "" if v is None else v) for m, k, v in flatten(data))
    return out.getvalue()
