"""Rules of the portfolio: a credit's status only moves forward (workflows.md)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert

from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.extensions import db
from fieldapp.portfolio.models import CREDIT_STATUSES, Credit, CreditStatusChange

# issued → to_notify → notified → (paid | in_clarification | challenged) → enforceable →
# demanded → seized → (paid | cancelled). Equal ranks are alternatives, not steps.
STATUS_RANK = {
    "issued": 0,
    "to_notify": 1,
    "notified": 2,
    "in_clarification": 3,
    "challenged": 3,
    "enforceable": 4,
    "demanded": 5,
    "seized": 6,
    "paid": 9,
    "cancelled": 9,
}
FINAL_STATUSES = ("paid", "cancelled")


class UnknownStatus(ValueError):
    pass


def is_forward(current: str, new: str) -> bool:
    if current in FINAL_STATUSES:
        return False
    return STATUS_RANK[new] > STATUS_RANK[current]


def advance_credit_status(
    credit: Credit,
    new_status: str,
    *,
    source: str,
    actor: User | None = None,
    reason: str | None = None,
) -> bool:
    """Moves the credit to `new_status` if that is forward; otherwise leaves it as it is and
    returns False. A late-arriving older diligence must never move a credit back."""
    if new_status not in CREDIT_STATUSES:
        raise UnknownStatus(new_status)
    if not is_forward(credit.status, new_status):
        return False
    change = CreditStatusChange(
        credit=credit,
        from_status=credit.status,
        to_status=new_status,
        source=source,
        actor_id=actor.id if actor is not None else None,
        reason=reason,
    )
    db.session.add(change)
    credit.status = new_status
    db.session.flush()
    record("credit_status_changed", actor=actor, obj=credit, from_status=change.from_status,
           to_status=new_status, source=source)
    return True


def advance_credit_statuses(
    credits: Sequence[Credit],
    new_status: str,
    *,
    source: str,
    actor: User | None = None,
    reason: str | None = None,
) -> list[Credit]:
    """`advance_credit_status` for many credits at once (an import moves thousands): the same
    forward-only rule and the same history rows, written in one flush, with one audit event
    for the batch instead of one per credit (one flush each costs ~1 ms a credit). Returns the
    credits that moved."""
    if new_status not in CREDIT_STATUSES:
        raise UnknownStatus(new_status)
    moved = [c for c in credits if is_forward(c.status, new_status)]
    if not moved:
        return []
    actor_id = actor.id if actor is not None else None
    db.session.execute(insert(CreditStatusChange), [
        {"credit_id": c.id, "from_status": c.status, "to_status": new_status, "source": source,
         "actor_id": actor_id, "reason": reason} for c in moved
    ])
    for credit in moved:
        credit.status = new_status
    db.session.flush()
    office_ids = {c.office_id for c in moved}
    record("credit_statuses_changed", actor=actor,
           office_id=office_ids.pop() if len(office_ids) == 1 else None,
           object_type="credits", to_status=new_status, source=source, count=len(moved))
    return moved


def stops_field_work(credit: Credit) -> bool:
    return credit.status in FINAL_STATUSES
