"""Where each key of a YAML file sits, so that an error can name the key and its line."""

from __future__ import annotations

import yaml

from sablier.errors import FieldError


def key_lines(text: str) -> dict[str, int]:
    """{"departments[2].slug": 7, ...}: the 1-based line of every key and list item."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        lines.setdefault(path or "(root)", node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = f"{path}.{key.value}" if path else str(key.value)
                lines[child] = key.start_mark.line + 1
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")

    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, "")
    return lines


def line_of(field: str, lines: dict[str, int]) -> int | None:
    """The line of the field, or of its nearest enclosing key that the file has."""
    path = field
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def with_lines(errors: list[FieldError], text: str) -> list[FieldError]:
    lines = key_lines(text)
    located = []
    for error in errors:
        line = line_of(error.field, lines)
        located.append(FieldError(error.field, f"{error.message} (line {line})" if line else error.message))
    return located
