"""Every connector type, built-in or added, registered through the same door."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import sablier.connectors as package
from sablier.connectors.base import Config, ConnectorType
from sablier.errors import FieldError, ValidationFailed

REGISTRY: dict[str, ConnectorType] = {}


def register(connector: ConnectorType) -> ConnectorType:
    REGISTRY[connector.kind] = connector
    return connector


def connector_type(kind: str) -> ConnectorType:
    load_builtins()
    found = REGISTRY.get(kind)
    if found is None:
        raise ValidationFailed(
            f"unknown connector kind {kind!r}",
            [FieldError("kind", f"use one of {', '.join(sorted(REGISTRY))}")],
        )
    return found


def check_settings(connector: ConnectorType, config: Any) -> Config:
    """The configuration with defaults filled in; every problem named by its setting."""
    if not isinstance(config, dict):
        raise ValidationFailed(
            "the configuration must be a mapping", [FieldError("config", "key: value pairs")]
        )
    known = {s.name for s in connector.settings}
    errors = [
        FieldError(f"config.{k}", f"unknown setting; use {', '.join(sorted(known))}")
        for k in config
        if k not in known
    ]
    filled = {s.name: config.get(s.name, s.default) for s in connector.settings}
    errors += [
        FieldError(f"config.{s.name}", f"required: {s.help}")
        for s in connector.settings
        if s.required and filled[s.name] in (None, "")
    ]
    if not errors:
        errors += [FieldError(f"config.{e.field}", e.message) for e in connector.check_config(filled)]
    if errors:
        raise ValidationFailed(f"the {connector.kind} connector's settings are invalid", errors)
    return filled


def load_builtins() -> None:
    """Import the connector folders that ship with Sablier; each registers itself."""
    for module in pkgutil.iter_modules(package.__path__):
        if module.ispkg:
            importlib.import_module(f"sablier.connectors.{module.name}")
