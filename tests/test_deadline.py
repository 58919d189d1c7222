"""Cooperative deadlines: what a checkpoint does inside and outside a budget."""

from __future__ import annotations

import time

import pytest

from graph.deadline import InlineBudgetSpent, budget, checkpoint, leave_inline
from graph.errors import QueryTimeout


def test_a_checkpoint_outside_any_budget_does_nothing() -> None:
    checkpoint()
    leave_inline()


def test_leaving_inline_moves_an_inline_query_at_once_and_no_other() -> None:
    with budget(time.monotonic() + 60, "too slow", inline_until=time.monotonic() + 60), \
            pytest.raises(InlineBudgetSpent):
        leave_inline()
    with budget(time.monotonic() + 60, "too slow"):  # already in a worker
        leave_inline()


def test_a_checkpoint_within_the_budget_lets_the_query_go_on() -> None:
    with budget(time.monotonic() + 60, "too slow", inline_until=time.monotonic() + 60):
        checkpoint()


def test_past_the_inline_time_a_checkpoint_asks_to_move_the_query() -> None:
    with budget(time.monotonic() + 60, "too slow", inline_until=time.monotonic() - 1), \
            pytest.raises(InlineBudgetSpent):
        checkpoint()


def test_past_the_deadline_a_checkpoint_stops_the_query_with_its_message() -> None:
    with budget(time.monotonic() - 1, "the paths query took too long",
                inline_until=time.monotonic() - 1), pytest.raises(QueryTimeout, match="paths"):
        checkpoint()
    checkpoint()  # the budget ends with its block
