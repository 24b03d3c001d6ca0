"""Declared state graphs, checked when they are built, so an illegal move is data, not an if."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sablier.errors import IllegalTransition


@dataclass(frozen=True)
class StateGraph:
    name: str
    initial: str
    transitions: Mapping[str, frozenset[str]]

    def __post_init__(self) -> None:
        states = set(self.transitions)
        if self.initial not in states:
            raise ValueError(f"{self.name}: initial state {self.initial!r} is not declared")
        for source, targets in self.transitions.items():
            undeclared = targets - states
            if undeclared:
                raise ValueError(f"{self.name}: {source} leads to undeclared {sorted(undeclared)}")
        unreachable = states - self.reachable()
        if unreachable:
            raise ValueError(f"{self.name}: unreachable states {sorted(unreachable)}")

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(self.transitions)

    def reachable(self) -> set[str]:
        seen, todo = {self.initial}, [self.initial]
        while todo:
            for target in self.transitions[todo.pop()]:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    def allows(self, source: str, target: str) -> bool:
        return target in self.transitions.get(source, frozenset())

    def check_transition(self, source: str, target: str) -> None:
        if target not in self.transitions:
            raise IllegalTransition(
                f"{target!r} is not a {self.name} state; use one of {', '.join(self.states)}"
            )
        if not self.allows(source, target):
            allowed = ", ".join(sorted(self.transitions[source])) or "nothing"
            raise IllegalTransition(
                f"A {self.name} cannot go from {source} to {target}; from {source} it may go to {allowed}"
            )
