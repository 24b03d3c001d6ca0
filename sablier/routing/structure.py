"""The shape of the organisation the operating models read: central team, service desk, business
units, crisis team, private departments and what each training level may answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sablier.errors import FieldError

LEVELS = ("trainee", "enrolled", "senior")
ALL_TOPICS = "all"


@dataclass(frozen=True)
class BusinessUnit:
    slug: str
    hub: str
    departments: frozenset[str]


@dataclass(frozen=True)
class Structure:
    central: str
    customer_service: str | None = None
    units: tuple[BusinessUnit, ...] = ()
    crisis_team: tuple[str, ...] = ()
    private: frozenset[str] = frozenset()
    # intents each training level may answer alone under the distributed model; None = every intent
    topics_by_level: dict[str, frozenset[str] | None] = field(default_factory=dict)

    def unit_of(self, department: str) -> BusinessUnit | None:
        return next((u for u in self.units if department in u.departments or department == u.hub), None)

    def hub_of(self, department: str) -> str:
        """The hub that approves and publishes for the department; the central team for a private
        department (HR, legal), since nobody else may see its cases."""
        unit = self.unit_of(department)
        return unit.hub if unit and department not in self.private else self.central

    def may_answer_topic(self, level: str, intent: str) -> bool:
        topics = self.topics_by_level.get(level, frozenset())
        return topics is None or intent in topics

    def to_json(self) -> dict[str, Any]:
        return {
            "central": self.central,
            "customer_service": self.customer_service,
            "units": [
                {"slug": u.slug, "hub": u.hub, "departments": sorted(u.departments)} for u in self.units
            ],
            "crisis_team": list(self.crisis_team),
            "private": sorted(self.private),
            "topics_by_level": {
                level: (ALL_TOPICS if topics is None else sorted(topics))
                for level, topics in self.topics_by_level.items()
            },
        }


def _slugs(value: Any, where: str, known: set[str], errors: list[FieldError]) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        errors.append(FieldError(where, "a department slug or a list of them"))
        return ()
    for item in items:
        if item not in known:
            errors.append(
                FieldError(where, f"unknown department {item!r}; known: {', '.join(sorted(known))}")
            )
    return tuple(i for i in items if i in known)


def _units(raw: Any, known: set[str], errors: list[FieldError]) -> tuple[BusinessUnit, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        errors.append(FieldError("business_units", "a list of {slug, hub, departments}"))
        return ()
    units = []
    for i, item in enumerate(raw):
        where = f"business_units[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("slug"), str):
            errors.append(FieldError(where, "each business unit needs a slug, a hub and departments"))
            continue
        hub = _slugs(item.get("hub"), f"{where}.hub", known, errors)
        members = _slugs(item.get("departments", []), f"{where}.departments", known, errors)
        if hub:
            units.append(BusinessUnit(item["slug"], hub[0], frozenset(members)))
    return tuple(units)


def _topics(raw: Any, errors: list[FieldError]) -> dict[str, frozenset[str] | None]:
    defaults: dict[str, Any] = {
        "trainee": ["praise", "question"],
        "enrolled": ALL_TOPICS,
        "senior": ALL_TOPICS,
    }
    merged = {**defaults, **(raw if isinstance(raw, dict) else {})}
    if raw is not None and not isinstance(raw, dict):
        errors.append(FieldError("distributed", "a mapping of training level to intents (or 'all')"))
    topics: dict[str, frozenset[str] | None] = {}
    for level, value in merged.items():
        if level not in LEVELS:
            errors.append(FieldError(f"distributed.{level}", f"unknown level; use {', '.join(LEVELS)}"))
        elif value == ALL_TOPICS:
            topics[level] = None
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            topics[level] = frozenset(value)
        else:
            errors.append(FieldError(f"distributed.{level}", "a list of intents, or 'all'"))
    return topics


def parse_structure(
    data: dict[str, Any], central: str, known: set[str], private: frozenset[str], errors: list[FieldError]
) -> Structure:
    service = data.get("customer_service", "customer-service" if "customer-service" in known else None)
    service_slugs = _slugs(service, "customer_service", known, errors) if service is not None else ()
    crisis = _slugs(data.get("crisis_team", []), "crisis_team", known, errors)
    return Structure(
        central=central,
        customer_service=service_slugs[0] if service_slugs else None,
        units=_units(data.get("business_units"), known, errors),
        crisis_team=crisis,
        private=private,
        topics_by_level=_topics(data.get("distributed"), errors),
    )


def structure_from_json(data: dict[str, Any]) -> Structure:
    """The inverse of Structure.to_json, for what the database keeps."""
    topics = {
        level: (None if value == ALL_TOPICS else frozenset(value))
        for level, value in (data.get("topics_by_level") or {}).items()
    }
    return Structure(
        central=str(data.get("central", "")),
        customer_service=data.get("customer_service"),
        units=tuple(
            BusinessUnit(u["slug"], u["hub"], frozenset(u["departments"])) for u in data.get("units", [])
        ),
        crisis_team=tuple(data.get("crisis_team", [])),
        private=frozenset(data.get("private", [])),
        topics_by_level=topics,
    )
