"""assess(reading): walk the response assessment tree and say what to do with a posting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sablier.errors import ConfigurationError
from sablier.understand.assessment_rules import PREDICATES, Predicate
from sablier.understand.assessment_tree import START, TREE, Label, Node, Outcome, Question
from sablier.understand.considerations import CONSIDERATIONS, Consideration
from sablier.understand.reading import Reading


@dataclass(frozen=True)
class Assessment:
    """Where the tree led: a category, an outcome, the answers on the way and the checklist."""

    category: str
    outcome: str
    notify_central: bool
    path: tuple[str, ...]
    considerations: tuple[Consideration, ...] = ()
    response_kind: str | None = None
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "outcome": self.outcome,
            "notify_central": self.notify_central,
            "path": list(self.path),
            "considerations": [c.to_json() for c in self.considerations],
            "response_kind": self.response_kind,
            "reasons": list(self.reasons),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Assessment:
        kind = data.get("response_kind")
        return cls(
            category=str(data["category"]),
            outcome=str(data["outcome"]),
            notify_central=bool(data["notify_central"]),
            path=tuple(data["path"]),
            considerations=tuple(map(Consideration.from_json, data.get("considerations", ()))),
            response_kind=None if kind is None else str(kind),
            reasons=tuple(data.get("reasons", ())),
        )


def check_tree(tree: dict[str, Node], start: str, predicates: dict[str, Predicate]) -> None:
    """Raise unless every target exists, every predicate is known, and every path from
    `start` meets exactly one label, then ends at an outcome without looping."""
    for node_id, node in tree.items():
        if node.id != node_id:
            raise ConfigurationError(f"node {node.id!r} is filed under {node_id!r}")
        targets = [node.yes, node.no] if isinstance(node, Question) else []
        targets += [node.next] if isinstance(node, Label) else []
        missing = [t for t in targets if t not in tree]
        if missing:
            raise ConfigurationError(f"node {node_id!r} points to unknown node {missing[0]!r}")
        if isinstance(node, Question) and node.predicate not in predicates:
            raise ConfigurationError(f"node {node_id!r} names unknown predicate {node.predicate!r}")
    unreached = set(tree) - explore(tree, start, (), 0)
    if unreached:
        raise ConfigurationError(f"nodes unreachable from {start!r}: {sorted(unreached)}")


def explore(tree: dict[str, Node], node_id: str, trail: tuple[str, ...], labels: int) -> set[str]:
    """Every node reachable from `node_id`, raising on a loop or a path without one label."""
    if node_id in trail:
        raise ConfigurationError(f"tree loops: {' -> '.join((*trail, node_id))}")
    node, trail = tree[node_id], (*trail, node_id)
    if isinstance(node, Outcome):
        if labels != 1:
            raise ConfigurationError(f"path {' -> '.join(trail)} meets {labels} labels, not 1")
        return {node_id}
    if isinstance(node, Label):
        return {node_id} | explore(tree, node.next, trail, labels + 1)
    below = explore(tree, node.yes, trail, labels) | explore(tree, node.no, trail, labels)
    return {node_id} | below


def walk(reading: Reading) -> tuple[Outcome, str, tuple[str, ...], tuple[str, ...]]:
    """The outcome reached from START, the label met, the answers given and why."""
    node, category, path, reasons = TREE[START], "", [], []
    while not isinstance(node, Outcome):
        if isinstance(node, Label):
            category, node = node.category, TREE[node.next]
            continue
        answer, why = PREDICATES[node.predicate](reading)
        path.append(f"{node.id}:{'yes' if answer else 'no'}")
        reasons.append(f"{node.id} {node.label}: {why}")
        node = TREE[node.yes if answer else node.no]
    return node, category, tuple(path), tuple(reasons)


def assess(reading: Reading) -> Assessment:
    """Walk the tree with the reading's answers; deterministic."""
    outcome, category, path, reasons = walk(reading)
    return Assessment(
        category=category,
        outcome=outcome.outcome,
        notify_central=outcome.notify_central,
        path=path,
        considerations=CONSIDERATIONS if outcome.response_kind else (),
        response_kind=outcome.response_kind,
        reasons=reasons,
    )


check_tree(TREE, START, PREDICATES)
