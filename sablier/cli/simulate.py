"""`sablier simulate`: the organisation's traffic through each operating model, side by side."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from sablier.cases.traffic import compare_models, organisation_shape, recorded_staffing
from sablier.errors import FieldError, ValidationFailed
from sablier.organisation.yaml_lines import with_lines
from sablier.routing.operating_models import MODEL_SLUGS
from sablier.simulate.staffing import Staffing, parse_staffing
from sablier.simulate.table import FORMATS
from sablier.sla.business_hours import Calendar
from sablier.sla.policy import current_policy


def load_staffing(path: Path, base: Staffing, central: str, calendars: dict[str, Calendar]) -> Staffing:
    """The staffing file over the base staffing; errors name the key, its line and the fix."""
    if not path.is_file():
        raise ValidationFailed(
            f"{path} is not a file; give a YAML staffing file, e.g. "
            "departments: {central: {people: 2, calendar: quebec, hourly_cost: 45}}"
        )
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"the staffing file is not valid YAML: {exc}") from exc
    try:
        return parse_staffing(data, base, central, calendars)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, with_lines(exc.errors, text)) from exc


def check_models(value: str) -> tuple[str, ...]:
    if value == "all":
        return MODEL_SLUGS
    wanted = tuple(m.strip() for m in value.split(",") if m.strip())
    unknown = [m for m in wanted if m not in MODEL_SLUGS]
    if unknown or not wanted:
        raise ValidationFailed(
            f"unknown operating model {', '.join(unknown) or value!r}",
            [FieldError("--models", f"use all, or a comma-separated list of {', '.join(MODEL_SLUGS)}")],
        )
    return wanted


def run(args: argparse.Namespace) -> int:
    models = check_models(args.models)
    if args.days is not None and args.days < 1:
        raise ValidationFailed(
            "--days must be 1 or more", [FieldError("--days", "a whole number of days, e.g. 7")]
        )
    shape = organisation_shape()
    staffing = recorded_staffing(shape)
    if args.staffing:
        calendars = current_policy().calendars
        staffing = load_staffing(Path(args.staffing), staffing, shape.structure.central, calendars)
    arrivals, results = compare_models(args.profile, args.days, args.seed, staffing, models)
    span = f"{arrivals[0].at:%Y-%m-%d} to {arrivals[-1].at:%Y-%m-%d}"
    print(f"{args.profile} traffic: {len(arrivals)} cases, {span}; seed {args.seed}", file=sys.stderr)
    print(FORMATS[args.format](results))
    return 0
