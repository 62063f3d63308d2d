"""Legal parameters as effective-dated versions (R-CAL-3, R-CAL-6, R-NOT-5, R-PAE-3): a change
is a new version, never an overwrite, and applies from its date on."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db
from fieldapp.legal.costs import DEFAULT_COST_TABLE, CostBracket, enforcement_costs
from fieldapp.legal.models import LegalParameterSet
from fieldapp.legal.pack import calendar_from_pack, cost_table_from_pack
from fieldapp.legal.services import (
    DEFAULT_PARAMETERS,
    LegalConfigError,
    add_non_business_days,
    calendar_for,
    cost_table_for,
    enforcement_cost_base,
    field_pack_for,
    parameters_for,
    save_parameter_version,
    set_photo_long_edge,
)
from tests.legal_db.conftest import HOLY_THURSDAY

BRACKETS_2027 = (
    CostBracket(date(2023, 1, 1), date(2025, 12, 31), Decimal("560.00"), Decimal("86460.00")),
    CostBracket(date(2026, 1, 1), date(2026, 12, 31), Decimal("630.00"), Decimal("97880.00")),
    CostBracket(date(2027, 1, 1), None, Decimal("660.00"), Decimal("102000.00"),
                note="Anexo 5 RMF 2027"),
)


def _version(office, actor, valid_from, today=None, **kw):
    values = dict(friday_rule=True, follow_up_tolerance_minutes=15, business_hours_start=time(7, 30),
                  business_hours_end=time(18, 0), cost_base="total", cost_table=DEFAULT_COST_TABLE,
                  note="Oficio de prueba")
    values.update(kw)
    return save_parameter_version(office, valid_from=valid_from, today=today or valid_from,
                                  actor=actor, **values)


def test_code_defaults_apply_until_a_version_is_saved(world):
    """R-PAE-3 defaults of legal-rules.md: 2023-2025 $560/$86,460; 2026 on $630/$97,880 with the
    note that the office must confirm them."""
    params = parameters_for(world["a"]["office"], date(2026, 5, 1))
    assert params == DEFAULT_PARAMETERS and params.is_code_default
    assert params.friday_rule is True and params.follow_up_tolerance_minutes == 15
    assert (params.business_hours_start, params.business_hours_end) == (time(7, 30), time(18, 0))
    table = cost_table_for(world["a"]["office"], date(2026, 5, 1))
    assert [(b.minimum, b.maximum) for b in table] == [
        (Decimal("560.00"), Decimal("86460.00")), (Decimal("630.00"), Decimal("97880.00"))]
    assert "confirmar" in table[1].note


def test_parameter_versions_apply_by_effective_date(world):
    a = world["a"]
    _version(a["office"], a["admin"], date(2026, 6, 1), friday_rule=False)
    _version(a["office"], a["admin"], date(2026, 9, 1), friday_rule=False,
             follow_up_tolerance_minutes=10)
    db.session.commit()
    assert parameters_for(a["office"], date(2026, 5, 31)).is_code_default
    assert parameters_for(a["office"], date(2026, 6, 1)).friday_rule is False
    assert parameters_for(a["office"], date(2026, 6, 1)).follow_up_tolerance_minutes == 15
    assert parameters_for(a["office"], date(2026, 9, 1)).follow_up_tolerance_minutes == 10
    # Office B is untouched by office A's versions.
    assert parameters_for(world["b"]["office"], date(2026, 9, 1)).is_code_default


def test_a_change_is_a_new_version_naming_the_one_it_replaces(world):
    a = world["a"]
    first = _version(a["office"], a["admin"], date(2026, 6, 1), follow_up_tolerance_minutes=20)
    second = _version(a["office"], a["admin"], date(2026, 6, 1), follow_up_tolerance_minutes=25)
    db.session.commit()
    assert second.replaces_id == first.id and first.replaces_id is None
    assert db.session.get(LegalParameterSet, first.id).follow_up_tolerance_minutes == 20
    # A correction on the same date wins; the earlier stays in history.
    assert parameters_for(a["office"], date(2026, 6, 2)).version_id == second.id
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "legal_parameters_versioned").order_by(AuditEvent.id.desc())).first()
    assert event.details["changes"] == {"follow_up_tolerance_minutes": [20, 25]}
    assert event.actor_id == a["admin"].id and event.office_id == a["office"].id


def test_versions_are_append_only_in_the_database(world):
    version = _version(world["a"]["office"], world["a"]["admin"], date(2026, 6, 1), friday_rule=False)
    db.session.commit()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text("UPDATE legal_parameter_sets SET friday_rule = true WHERE id = :id"),
                           {"id": version.id})
    db.session.rollback()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text("DELETE FROM cost_bracket_rows"))
    db.session.rollback()


def test_an_office_version_wins_over_the_institute_default_of_the_same_date(world):
    a = world["a"]
    _version(None, None, date(2026, 6, 1), follow_up_tolerance_minutes=30)
    _version(a["office"], a["admin"], date(2026, 6, 1), follow_up_tolerance_minutes=5)
    db.session.commit()
    assert parameters_for(a["office"], date(2026, 7, 1)).follow_up_tolerance_minutes == 5
    assert parameters_for(world["b"]["office"], date(2026, 7, 1)).follow_up_tolerance_minutes == 30
    # A later institute-wide version takes effect for everyone from its date.
    _version(None, None, date(2026, 8, 1), follow_up_tolerance_minutes=12)
    assert parameters_for(a["office"], date(2026, 8, 1)).follow_up_tolerance_minutes == 12


@pytest.mark.parametrize(("change", "message"), [
    (dict(valid_from=date(2026, 5, 31)), "anterior a hoy"),
    (dict(business_hours_start=time(18, 0), business_hours_end=time(7, 30)), "horario"),
    (dict(follow_up_tolerance_minutes=500), "tolerancia"),
    (dict(cost_base="otro"), "base"),
    (dict(note=" "), "motivo"),
    (dict(cost_table=()), "al menos un periodo"),
    (dict(cost_table=(CostBracket(date(2023, 1, 1), None, Decimal("1.00"), Decimal("2.00")),
                      CostBracket(date(2026, 1, 1), None, Decimal("1.00"), Decimal("2.00")))),
     "traslapan"),
    (dict(cost_table=(CostBracket(date(2023, 1, 1), None, Decimal("1.001"), Decimal("2.00")),)),
     "centavos"),
    (dict(), "iguales"),  # nothing changes
])
def test_invalid_versions_are_refused(world, change, message):
    a = world["a"]
    values = dict(valid_from=date(2026, 6, 1), today=date(2026, 6, 1))
    values.update(change)
    with pytest.raises(LegalConfigError, match=message):
        _version(a["office"], a["admin"], **values)


def test_R_PAE_3_the_cost_table_of_the_office_is_used_for_costs(world):
    a = world["a"]
    _version(a["office"], a["admin"], date(2026, 12, 1), cost_table=BRACKETS_2027, cost_base="principal")
    db.session.commit()
    table = cost_table_for(a["office"], date(2026, 12, 1))
    assert enforcement_costs(Decimal("100.00"), date(2027, 3, 1), table) == Decimal("660.00")
    assert enforcement_costs(Decimal("100.00"), date(2026, 3, 1), table) == Decimal("630.00")
    assert enforcement_costs(Decimal("100.00"), date(2025, 3, 1), table) == Decimal("560.00")
    assert table[2].note == "Anexo 5 RMF 2027"


def test_R_PAE_3_cost_base_setting(world, factory):
    a = world["a"]
    credit = factory.credit(a["debtor"], principal=Decimal("1000.00"),
                            inflation_adjustment=Decimal("10.00"), surcharges=Decimal("5.00"))
    assert enforcement_cost_base(credit, parameters_for(a["office"], date(2026, 5, 1))) == Decimal("1015.00")
    _version(a["office"], a["admin"], date(2026, 6, 1), cost_base="principal")
    assert enforcement_cost_base(credit, parameters_for(a["office"], date(2026, 6, 1))) == Decimal("1000.00")


def test_R_PAE_3_the_phone_gets_the_cost_base_in_force(world):
    """The phone computes the amount secured of an embargo itself: it needs the office's base."""
    a = world["a"]
    assert field_pack_for(a["office"], date(2026, 5, 29))["cost_base"] == "total"
    _version(a["office"], a["admin"], date(2026, 6, 1), cost_base="principal")
    db.session.commit()
    assert field_pack_for(a["office"], date(2026, 5, 29))["cost_base"] == "total"
    assert field_pack_for(a["office"], date(2026, 6, 1))["cost_base"] == "principal"


def test_R_CAL_3_business_hours_of_the_office_reach_its_calendar(world):
    a = world["a"]
    _version(a["office"], a["admin"], date(2026, 6, 1), business_hours_start=time(8, 0),
             business_hours_end=time(17, 0))
    cal = calendar_for(a["office"], date(2026, 6, 2))
    assert (cal.hours_start, cal.hours_end) == (time(8, 0), time(17, 0))
    assert calendar_for(a["office"], date(2026, 5, 2)).hours_start == time(7, 30)


def test_the_field_pack_carries_the_office_configuration(world):
    """R-CAL-2, R-CAL-3, R-CAL-6, R-NOT-5, R-PAE-3 reach the phone through the pack."""
    a = world["a"]
    add_non_business_days(a["office"], HOLY_THURSDAY, None, "Jueves Santo", actor=a["admin"])
    _version(a["office"], a["admin"], date(2026, 3, 1), friday_rule=False, follow_up_tolerance_minutes=10,
             cost_table=BRACKETS_2027)
    set_photo_long_edge(a["office"], 1024, actor=a["admin"])
    db.session.commit()
    pack = field_pack_for(a["office"], date(2026, 3, 20))
    assert pack["tz"] == a["office"].timezone
    assert pack["friday_rule"] is False and pack["follow_up_tolerance_minutes"] == 10
    assert pack["photo_long_edge"] == 1024
    assert not calendar_from_pack(pack).is_business_day(HOLY_THURSDAY)
    assert any(d["date"] == "2026-04-02" and "Jueves Santo" in d["reason"]
               for d in pack["non_business_days"])
    assert cost_table_from_pack(pack) == BRACKETS_2027
    # Office B's pack knows nothing of office A's day.
    assert all(d["date"] != "2026-04-02" for d in field_pack_for(world["b"]["office"],
                                                                 date(2026, 3, 20))["non_business_days"])


def test_photo_size_is_one_of_the_offered_sizes_and_audited(world):
    a = world["a"]
    with pytest.raises(LegalConfigError):
        set_photo_long_edge(a["office"], 999, actor=a["admin"])
    set_photo_long_edge(a["office"], 2048, actor=a["admin"])
    db.session.commit()
    assert a["office"].photo_long_edge == 2048
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "office_photo_long_edge_changed")).one()
    assert event.details["changes"] == {"photo_long_edge": [1600, 2048]}
