"""The organisation's shape read straight from an organisation-file mapping, for runs and tests that
have no database (the CLI and the web page read the applied organisation instead)."""

from __future__ import annotations

from typing import Any

from sablier.errors import FieldError, ValidationFailed
from sablier.routing.approval_rules import parse_approval_rules
from sablier.routing.rules import parse_rules
from sablier.routing.structure import parse_structure
from sablier.simulate.arrivals import OrgShape
from sablier.sla.config import parse_slas


def shape_from_mapping(data: dict[str, Any]) -> OrgShape:
    departments = [d for d in data.get("departments") or [] if isinstance(d, dict) and "slug" in d]
    slugs = tuple(str(d["slug"]) for d in departments)
    central = next((str(d["slug"]) for d in departments if d.get("central")), slugs[0] if slugs else "")
    private = frozenset(str(d["slug"]) for d in departments if d.get("private"))
    errors: list[FieldError] = []
    structure = parse_structure(data, central, set(slugs), private, errors)
    targets = parse_slas(data.get("slas"), set(slugs), errors)
    if errors:
        raise ValidationFailed("the organisation file is invalid", errors)
    routing = data.get("routing") or {"rules": [], "default": central}
    return OrgShape(
        slugs,
        structure,
        parse_approval_rules(data.get("approvals"), set(slugs)),
        parse_rules(routing, set(slugs)),
        targets,
    )
