"""A password from the settings, or from the file its `*_file` setting names (a mounted secret)."""

from __future__ import annotations

from pathlib import Path

from sablier.connectors.base import Config, ConnectorError


def password(config: Config, name: str) -> str:
    if config.get(name):
        return str(config[name])
    path = config.get(f"{name}_file")
    if not path:
        return ""
    try:
        return Path(str(path)).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConnectorError(f"{name}_file {path!r} cannot be read: {exc}", transient=False) from exc
