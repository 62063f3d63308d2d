"""A rejected or corrected notification undoes its effects (issue 12): the credit is recomputed
from its notifications still valid, or flagged when something was built on it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.credits.models import CreditFlag, CreditNotification
from fieldapp.credits.services import CreditFlagError, open_flags, resolve_flag
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from fieldapp.legal.services import make_enforceable, sweep_enforceable
from tests.credits.conftest import AFTER_DEADLINE, credit_of, notification_on
from tests.sync.helpers import DEMAND_FACTS


def test_rejecting_the_only_notification_leaves_the_credit_to_notify_and_the_sweep_skips_it(desk):
    credit = credit_of(desk)
    diligence = desk.push(kind="notification", facts=notification_on("2026-03-10"))
    assert (credit.status, credit.notified_on, credit.payment_deadline) == (
        "notified", date(2026, 3, 10), date(2026, 4, 2))
    decide(diligence, "rejected", actor=desk.supervisor, reason="El acta no identifica al notificador.")
    db.session.commit()
    assert (credit.status, credit.notified_on, credit.takes_effect_on, credit.payment_deadline) == (
        "to_notify", None, None, None)
    result = sweep_enforceable(desk.office, AFTER_DEADLINE)
    db.session.commit()
    assert result.made_enforceable == [] and credit.status == "to_notify"
    assert make_enforceable(credit, AFTER_DEADLINE, actor=None) != []
    back = credit.status_changes[-1]
    assert (back.from_status, back.to_status, back.source) == ("notified", "to_notify",
                                                               "notification_voided")
    assert "rechazada" in back.reason
    # Nothing deleted: the ledger row stays, void, with who and why.
    [row] = db.session.scalars(select(CreditNotification).where(
        CreditNotification.credit_id == credit.id)).all()
    assert row.voided_at is not None and row.voided_by_id == desk.supervisor.id
    assert row.diligence_id == diligence.id and "identifica" in row.void_reason
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "credits", AuditEvent.object_id == str(credit.id))))
    assert {"credit_notification_voided", "credit_notification_recomputed",
            "credit_status_reverted"} <= actions


@pytest.mark.parametrize(("rejected", "notified_on", "takes_effect", "deadline"), [
    ("earlier", date(2026, 3, 11), date(2026, 3, 12), date(2026, 4, 6)),
    ("later", date(2026, 3, 9), date(2026, 3, 10), date(2026, 4, 1)),
])
def test_rejecting_one_of_two_notifications_keeps_the_others_dates(desk, rejected, notified_on,
                                                                   takes_effect, deadline):
    credit = credit_of(desk)
    pushed = {"earlier": desk.push(kind="notification", facts=notification_on("2026-03-09")),
              "later": desk.push(kind="notification", facts=notification_on("2026-03-11"))}
    assert credit.notified_on == date(2026, 3, 11)  # forward only: the later dates stand
    decide(pushed[rejected], "rejected", actor=desk.supervisor, reason="Acta ilegible.")
    db.session.commit()
    # The other notification's own dates (R-NOT-11, R-DL-1), still notified.
    assert (credit.status, credit.notified_on, credit.takes_effect_on, credit.payment_deadline) == (
        "notified", notified_on, takes_effect, deadline)
    assert all(c.to_status != "to_notify" for c in credit.status_changes[1:])


def test_a_correction_replaces_the_notification_it_corrects(desk):
    credit = credit_of(desk)
    first = desk.push(kind="notification", facts=notification_on("2026-03-11"))
    decide(first, "returned", actor=desk.supervisor, observations="La fecha es la del día 9.")
    db.session.commit()
    desk.push(kind="notification", facts=notification_on("2026-03-09"), replaces=first.id)
    assert (credit.status, credit.notified_on, credit.payment_deadline) == (
        "notified", date(2026, 3, 9), date(2026, 4, 1))
    statuses = [(c.from_status, c.to_status) for c in credit.status_changes]
    assert ("notified", "to_notify") not in statuses  # never passed back through "por notificar"


def test_a_refused_correction_leaves_no_notification(desk):
    credit = credit_of(desk)
    first = desk.push(kind="notification", facts=notification_on("2026-03-10"))
    decide(first, "returned", actor=desk.supervisor, observations="La persona se negó a recibir.")
    db.session.commit()
    desk.push(kind="notification", replaces=first.id,
              facts=notification_on("2026-03-10", refused_to_receive=True, refused_to_sign=True))
    assert (credit.status, credit.notified_on) == ("to_notify", None)


def test_a_rejected_notification_under_a_requerimiento_is_flagged_not_changed(desk, order_for):
    credit = credit_of(desk)
    notification = desk.push(kind="notification", facts=notification_on("2026-03-10"))
    assert make_enforceable(credit, AFTER_DEADLINE, actor=desk.supervisor) == []
    db.session.commit()
    order_for()
    demand = desk.push("executor", sector="orden", kind="payment_demand", facts=DEMAND_FACTS)
    assert credit.status == "demanded"
    decide(notification, "rejected", actor=desk.supervisor, reason="Acta sin firma.")
    db.session.commit()
    assert (credit.status, credit.notified_on, credit.payment_deadline) == (
        "demanded", date(2026, 3, 10), date(2026, 4, 2))
    [flag] = open_flags(desk.office.id, credit)
    assert flag.kind == "voided_notification" and flag.diligence_id == notification.id
    assert flag.details["status"] == "demanded"
    assert flag.details["diligences"] == [{"id": demand.id, "kind": "payment_demand"}]
    assert "no queda otra notificación válida" in flag.message and "requerimiento" in flag.message
    # The office head cannot recompute it away while the requerimiento stands.
    with pytest.raises(CreditFlagError, match="requerimientos"):
        resolve_flag(flag, action="recompute", reason="Volver a notificar", actor=desk.supervisor)
    resolve_flag(flag, action="keep", reason="Se repone el procedimiento por separado.",
                 actor=desk.supervisor)
    db.session.commit()
    assert flag.resolved_at is not None and credit.status == "demanded"


def test_an_enforceable_credit_is_flagged_and_the_office_head_sends_it_back(desk):
    credit = credit_of(desk)
    notification = desk.push(kind="notification", facts=notification_on("2026-03-10"))
    make_enforceable(credit, AFTER_DEADLINE, actor=desk.supervisor)
    decide(notification, "rejected", actor=desk.supervisor, reason="Domicilio equivocado.")
    db.session.commit()
    assert credit.status == "enforceable"
    [flag] = db.session.scalars(select(CreditFlag).where(CreditFlag.credit_id == credit.id)).all()
    assert flag.details == {"status": "enforceable", "voided_notification_id": flag.details[
        "voided_notification_id"], "notified_on": "2026-03-10", "standing_notified_on": None}
    resolve_flag(flag, action="recompute", reason="Se notificará de nuevo.", actor=desk.supervisor)
    db.session.commit()
    assert (credit.status, credit.notified_on, credit.payment_deadline) == ("to_notify", None, None)
    assert open_flags(desk.office.id) == []
