"""The hourglass layout holds: pure modules import no I/O, and every setting is documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE = ["understand", "routing", "simulate", "answer/guardrails", "workflow.py", "errors.py", "events.py"]
PURE += ["crisis/detector.py", "crisis/config.py", "crisis/topics.py"]
FORBIDDEN = (
    "django",
    "sablier.bus",
    "sablier.web",
    "sablier.api",
    "sablier.cases",
    "sablier.listen",
    "sablier.learning",
    "sablier.people",
    "psycopg",
    "uvicorn",
)


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("part", PURE)
def test_it_keeps_pure_modules_free_of_io(part: str) -> None:
    target = ROOT / "sablier" / part
    files = [target] if target.is_file() else sorted(target.rglob("*.py"))
    offending = {f"{f.name}: {m}" for f in files for m in imports_of(f) if m.startswith(FORBIDDEN)}
    assert sorted(offending) == []


def test_it_documents_every_setting_in_the_readme() -> None:
    source = (ROOT / "sablier" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'"(SABLIER_[A-Z_]+)"', source))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert names and sorted(n for n in names if f"`{n}`" not in readme) == []


def test_it_reads_the_environment_only_in_settings() -> None:
    readers = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "sablier").rglob("*.py")
        if "os.environ" in p.read_text(encoding="utf-8")
        and p.relative_to(ROOT).as_posix()
        not in ("sablier/settings.py", "sablier/cli/__init__.py", "sablier/asgi.py")
    ]
    assert readers == []
