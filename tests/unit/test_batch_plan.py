"""plan_batch: which mentions of a batch open a case, join one, or wait for the one-by-one path."""

from __future__ import annotations

from typing import Any

from sablier.listen.batch_plan import StoredParent, plan_batch
from sablier.listen.mention_input import MentionIn


def _mention(external_id: str, in_reply_to: str | None = None, **more: Any) -> MentionIn:
    return MentionIn.model_validate(
        {
            "network": "mastodon",
            "external_id": external_id,
            "author": {"handle": "@a@example.social"},
            "text": "hello",
            "created_at": "2026-11-20T10:00:00Z",
            "in_reply_to": in_reply_to,
            **more,
        }
    )


def test_posts_open_cases_and_their_replies_in_the_batch_join_them() -> None:
    plan = plan_batch([_mention("1"), _mention("2"), _mention("3", "1"), _mention("4", "3")], {}, set(), {})
    assert plan.new_cases == [[0, 2, 3], [1]]
    assert (plan.joins, plan.one_by_one, plan.placed) == ({}, [], 4)


def test_a_reply_to_a_stored_post_joins_its_case_and_so_do_the_replies_to_it() -> None:
    stored = {("mastodon", "old"): StoredParent(case_id=7, reopens=False)}
    plan = plan_batch([_mention("r1", "old"), _mention("r2", "r1")], stored, set(), {})
    assert (plan.new_cases, plan.joins) == ([], {7: [0, 1]})


def test_what_only_the_one_by_one_path_does_right_is_left_to_it_in_order() -> None:
    stored = {("mastodon", "answered"): StoredParent(case_id=9, reopens=True)}
    plan = plan_batch(
        [
            _mention("early", "later"),  # its parent comes after it
            _mention("later"),
            _mention("awaited"),  # a stored reply waits for it: cases to merge
            _mention("again", "answered"),  # an inbound reply reopens an answered case
            _mention("child", "again"),  # its parent is left to the one-by-one path
            _mention("ours", "answered", direction="outbound"),  # it would come before the reopening
        ],
        stored,
        {("mastodon", "awaited")},
        {},
    )
    assert plan.one_by_one == [0, 2, 3, 4, 5]
    assert (plan.new_cases, plan.joins) == ([[1]], {})


def test_every_message_for_an_answered_case_is_left_to_the_one_by_one_path() -> None:
    """An outbound message placed first would move the case's last message past an inbound one
    that must reopen it."""
    stored = {("mastodon", "answered"): StoredParent(case_id=9, reopens=True)}
    plan = plan_batch(
        [_mention("back", "answered"), _mention("ours", "answered", direction="outbound")], stored, set(), {}
    )
    assert (plan.joins, plan.one_by_one) == ({}, [0, 1])


def test_replies_to_a_post_that_never_came_share_a_case_with_the_stored_ones() -> None:
    siblings = {("mastodon", "gone"): [StoredParent(case_id=4, reopens=False)]}
    plan = plan_batch(
        [_mention("a", "gone"), _mention("b", "gone"), _mention("c", "lost"), _mention("d", "lost")],
        {},
        set(),
        siblings,
    )
    assert (plan.joins, plan.new_cases, plan.one_by_one) == ({4: [0, 1]}, [[2, 3]], [])


def test_replies_whose_siblings_sit_in_several_cases_are_left_to_merge_them() -> None:
    siblings = {("mastodon", "gone"): [StoredParent(4, False), StoredParent(5, False)]}
    assert plan_batch([_mention("a", "gone")], {}, set(), siblings).one_by_one == [0]
