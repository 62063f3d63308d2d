"""Two offices, each with an admin, an office head and a field user; helpers to put a credit
in the state a test needs."""

from __future__ import annotations

from datetime import date

import pytest

from fieldapp.extensions import db
from fieldapp.legal.services import add_non_business_days

HOLY_THURSDAY, HOLY_FRIDAY = date(2026, 4, 2), date(2026, 4, 3)


@pytest.fixture
def world(factory):
    offices = {}
    for key in ("a", "b"):
        office = factory.office(name=f"Subdelegación {key.upper()}")
        offices[key] = dict(
            office=office,
            admin=factory.user(office, role="admin", username=f"admin-{key}"),
            supervisor=factory.user(office, role="supervisor", username=f"jefe-{key}"),
            notifier=factory.user(office, role="notifier", username=f"notificador-{key}"),
            executor=factory.user(office, role="executor", username=f"ejecutor-{key}"),
            debtor=factory.debtor(office),
        )
    return offices


@pytest.fixture
def holy_week(world):
    """2 and 3 April 2026 declared non-business for office A (R-CAL-2)."""
    a = world["a"]
    add_non_business_days(a["office"], HOLY_THURSDAY, HOLY_FRIDAY, "Semana Santa", actor=a["admin"])
    db.session.commit()
    return a
