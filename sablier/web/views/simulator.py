"""The simulator page: the central team runs the comparison on request and reads it as bar charts."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format

from sablier.cases.access import is_central
from sablier.cases.traffic import compare_models
from sablier.errors import SablierError
from sablier.simulate.summary import ModelResult
from sablier.simulate.table import duration

PAGE_DAYS, MAX_DAYS = 2, 14  # small by default, so the page answers in a few seconds
LABEL, BAR, ROW = 175, 190, 22
METRICS: list[tuple[str, Callable[[ModelResult], float | None], Callable[[float], str]]] = [
    ("median", lambda r: r.median_first_response, duration),
    ("p90", lambda r: r.p90_first_response, duration),
    ("breach", lambda r: r.breach_rate, lambda v: f"{number_format(100 * v, 0)} %"),
    ("handoffs", lambda r: r.handoffs_per_case, lambda v: number_format(v, 2)),
    ("wrong", lambda r: r.wrong_function, lambda v: f"{number_format(100 * v, 0)} %"),
    ("cost", lambda r: r.cost, lambda v: number_format(v, 0, force_grouping=True)),
]


def chart(key: str, results: list[ModelResult]) -> dict[str, object]:
    """Horizontal bars, one per model, scaled to the largest value; geometry for an inline SVG."""
    _, value_of, label = next(m for m in METRICS if m[0] == key)
    values = [value_of(r) for r in results]
    top = max((v for v in values if v is not None), default=0.0) or 1.0
    rows = [
        {
            "model": r.model,
            "y": i * ROW,
            "text_y": i * ROW + 15,
            "width": round(BAR * (v or 0.0) / top, 1),
            "value_x": LABEL + round(BAR * (v or 0.0) / top, 1) + 6,
            "value": "—" if v is None else label(v),
        }
        for i, (r, v) in enumerate(zip(results, values, strict=True))
    ]
    return {"key": key, "rows": rows, "height": ROW * len(rows), "label": LABEL, "width": LABEL + BAR + 70}


def _number(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(raw or default), low), high)
    except ValueError:
        return default


@login_required
def simulator_page(request: HttpRequest) -> HttpResponse:
    if not is_central(request.user):
        return render(request, "sablier/not_found.html", status=404)
    profile = "synthetic" if request.GET.get("profile") == "synthetic" else "recorded"
    days = _number(request.GET.get("days"), PAGE_DAYS, 1, MAX_DAYS)
    seed = _number(request.GET.get("seed"), 1, 0, 2**31 - 1)
    context: dict[str, object] = {"profile": profile, "days": days, "seed": seed, "max_days": MAX_DAYS}
    if "run" in request.GET:
        try:
            arrivals, results = compare_models(profile, days, seed)
            context.update(
                cases=len(arrivals), results=results, charts=[chart(key, results) for key, _, _ in METRICS]
            )
        except SablierError as exc:
            context["error"] = exc.message
    return render(request, "sablier/simulator.html", context)
