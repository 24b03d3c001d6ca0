"""The applied `crisis:` section: written by `sablier migrate`, read by every detection cycle."""

from __future__ import annotations

from typing import Any

from sablier.crisis.config import CrisisConfig, parse_crisis_config
from sablier.crisis.models import CrisisSettings


def do_apply_crisis_config(raw: Any) -> CrisisConfig:
    """Validate (ValidationFailed naming each key) and store the section; absent means the defaults."""
    config = parse_crisis_config(raw)
    CrisisSettings.objects.update_or_create(pk=1, defaults={"raw": raw or {}})
    return config


def current_crisis_config() -> CrisisConfig:
    row = CrisisSettings.objects.filter(pk=1).first()
    return parse_crisis_config(row.raw if row else None)
