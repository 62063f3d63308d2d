"""The review tests' office (records pushed through the sync API by enrolled phones), plus
helpers to date a notification and to give the executor an order on a notified credit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fieldapp.assignments.models import Assignment
from fieldapp.extensions import db
from fieldapp.portfolio.models import Credit
from tests.review import conftest as review
from tests.sync.helpers import NOTIFICATION_FACTS

AFTER_DEADLINE = date(2026, 4, 20)
# The review tests' fixtures: the office whose phones push records, and its logged-in head.
desk = review.desk
head = review.head
other_desk = review.other_desk


def on_day(facts: Any, day: str) -> Any:
    """The same facts, happening on ``day`` (YYYY-MM-DD) instead of 2026-03-10."""
    if isinstance(facts, dict):
        return {k: on_day(v, day) for k, v in facts.items()}
    if isinstance(facts, list):
        return [on_day(v, day) for v in facts]
    return facts.replace("2026-03-10", day) if isinstance(facts, str) else facts


def notification_on(day: str, **changes: Any) -> dict[str, Any]:
    return {**on_day(NOTIFICATION_FACTS, day), **changes}


def credit_of(office, who: str = "notifier", sector: str = "centro") -> Credit:  # type: ignore[no-untyped-def]
    [credit] = office.workers[who].assignments[sector].document.credits
    return credit


@pytest.fixture
def order_for(desk, factory):  # type: ignore[no-untyped-def]  # noqa: F811
    """An execution order on the notifier's credit, assigned to the executor's phone under the
    sector name "orden" (the executor's requerimiento is pushed on it)."""
    def make() -> Assignment:
        credit = credit_of(desk)
        order = factory.document(credit.debtor, kind="execution_order", credits=[credit])
        assignment = factory.assignment(order, desk.workers["executor"].user)
        desk.workers["executor"].assignments["orden"] = assignment
        return db.session.get(Assignment, assignment.id)
    return make
