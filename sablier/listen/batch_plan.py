"""Where each mention of a batch goes, decided before anything is written. Pure: no database here.

A mention opens a new case, or joins the case of a parent placed earlier in the batch or already
stored; a reply whose parent never came joins the other replies to that parent. What only
do_ingest_mention can do right is left to it, one by one and in order: a post that stored replies
were waiting for and replies whose siblings sit in several cases (cases merge), a reply whose
parent comes later in the batch, every message for an answered or closed case (it may reopen it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sablier.listen.mention_input import MentionIn

Key = tuple[str, str]  # (network, external id)


@dataclass(frozen=True)
class StoredParent:
    case_id: int
    reopens: bool  # its case is answered or closed: an inbound reply reopens it


@dataclass
class BatchPlan:
    new_cases: list[list[int]] = field(default_factory=list)  # the batch positions in each new case
    joins: dict[int, list[int]] = field(default_factory=dict)  # stored case id -> batch positions
    one_by_one: list[int] = field(default_factory=list)  # in the order given

    @property
    def placed(self) -> int:
        return sum(map(len, self.new_cases)) + sum(map(len, self.joins.values()))


class _OneByOne(Exception):
    pass


def plan_batch(
    items: Sequence[MentionIn],
    stored_parents: Mapping[Key, StoredParent],
    awaited: set[Key],
    siblings: Mapping[Key, Sequence[StoredParent]],
) -> BatchPlan:
    """`items` distinct and not stored yet; `stored_parents` the stored posts they reply to;
    `awaited` the keys that stored messages reply to; `siblings` the cases of stored replies to
    each post the items reply to (a reply whose parent never came joins its siblings' case)."""
    plan = BatchPlan()
    in_batch = {(item.network, item.external_id) for item in items}
    new_case_of: dict[Key, int] = {}  # a post placed, or the parent an orphan names -> new case
    joined: dict[Key, StoredParent] = {}  # placed in a stored case: its replies go there too

    def target(key: Key, parent: Key | None) -> int | StoredParent | None:
        """Where the mention goes: a new case, a stored one, or None for a case of its own."""
        if key in awaited:
            raise _OneByOne  # stored replies wait for it: their cases merge into its
        if parent is None or parent in new_case_of:
            return new_case_of.get(parent) if parent else None
        if parent in joined or parent in stored_parents:
            return joined.get(parent) or stored_parents[parent]
        if parent in in_batch:
            raise _OneByOne  # its parent comes later, or goes one by one itself
        cases = {c.case_id: c for c in siblings.get(parent, ())}
        if len(cases) > 1:
            raise _OneByOne  # the other replies to its parent are in several cases: they merge
        return next(iter(cases.values()), None)

    for position, item in enumerate(items):
        key = (item.network, item.external_id)
        parent = (item.network, item.in_reply_to) if item.in_reply_to else None
        try:
            found = target(key, parent)
        except _OneByOne:
            plan.one_by_one.append(position)
            continue
        if found is None:
            found = len(plan.new_cases)
            plan.new_cases.append([])
            if parent is not None:
                new_case_of[parent] = found  # the next orphan naming the same parent comes here
        if isinstance(found, int):
            new_case_of[key] = found
            plan.new_cases[found].append(position)
        elif found.reopens:
            # An answered case: what reopens it is left to do_ingest_mention, and so is every other
            # message for it, whose time would otherwise come first and hide the reopening.
            plan.one_by_one.append(position)
        else:
            joined[key] = found
            plan.joins.setdefault(found.case_id, []).append(position)
    return plan
