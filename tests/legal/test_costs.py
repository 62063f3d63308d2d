"""Enforcement costs (R-PAE-3; CFF 150)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fieldapp.legal.costs import (
    DEFAULT_COST_TABLE,
    CostBracket,
    NoCostBracket,
    bracket_on,
    diligence_costs,
    enforcement_costs,
)

D = Decimal


@pytest.mark.parametrize(("base", "on", "expected"), [
    ("1000.00", date(2025, 12, 31), "560.00"),
    ("1000.00", date(2026, 1, 1), "630.00"),
    ("5000000.00", date(2025, 12, 31), "86460.00"),
    ("5000000.00", date(2026, 1, 1), "97880.00"),
    ("4500000.00", date(2025, 12, 31), "86460.00"),
    ("4500000.00", date(2026, 1, 1), "90000.00"),
    ("100000.00", date(2023, 1, 1), "2000.00"),
])
def test_R_PAE_3_two_percent_clamped_to_the_bracket_of_the_day(base: str, on: date,
                                                                expected: str) -> None:
    """R-PAE-3: 2 %, at least the minimum and at most the maximum in force that day."""
    assert enforcement_costs(D(base), on) == D(expected)


def test_R_PAE_3_rounds_half_up_to_cents() -> None:
    assert enforcement_costs(D("28000.25"), date(2025, 6, 1)) == D("560.01")  # 560.005
    assert enforcement_costs(D("31500.24"), date(2025, 6, 1)) == D("630.00")  # 630.0048
    assert enforcement_costs(D("31500.25"), date(2025, 6, 1)) == D("630.01")  # 630.005
    assert str(enforcement_costs(D("50000"), date(2026, 3, 1))) == "1000.00"


def test_R_PAE_3_one_charge_when_demand_and_embargo_are_one_diligence() -> None:
    """R-PAE-3: one charge per diligence, however many credits and acts it covers."""
    on = date(2026, 3, 10)
    bases = [D("30000.00"), D("20000.00")]
    one = diligence_costs(bases, on, ["payment_demand", "seizure"])
    assert one == D("1000.00")
    separate = sum(enforcement_costs(b, on) for b in bases) * 2  # per credit and per act
    assert separate == D("2520.00")  # both credits under the minimum, twice
    assert diligence_costs(bases, on, []) == D("0.00")
    with pytest.raises(ValueError, match="chargeable"):
        diligence_costs(bases, on, ["visit"])


def test_R_PAE_3_2026_amounts_carry_a_visible_note() -> None:
    """R-PAE-3 is config: the 2026 bracket says the office must confirm its amounts."""
    bracket = bracket_on(date(2026, 1, 1))
    assert bracket.minimum == D("630.00") and bracket.maximum == D("97880.00")
    assert "confirmar" in bracket.note
    assert bracket_on(date(2025, 12, 31)).note == ""


def test_R_PAE_3_office_table_replaces_the_defaults() -> None:
    table = [CostBracket(date(2027, 1, 1), None, D("700.00"), D("100000.00")),
             CostBracket(date(2027, 7, 1), None, D("720.00"), D("100000.00"), D("0.03"))]
    assert enforcement_costs(D("1000"), date(2027, 3, 1), table) == D("700.00")
    assert enforcement_costs(D("100000"), date(2027, 8, 1), table) == D("3000.00")
    with pytest.raises(NoCostBracket):
        enforcement_costs(D("1000"), date(2026, 3, 1), table)
    with pytest.raises(NoCostBracket):
        enforcement_costs(D("1000"), date(2022, 12, 31))


def test_cost_brackets_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        CostBracket(date(2026, 1, 2), date(2026, 1, 1), D("1"), D("2"))
    with pytest.raises(ValueError):
        CostBracket(date(2026, 1, 1), None, D("3"), D("2"))
    with pytest.raises(ValueError):
        enforcement_costs(D("-1"), date(2026, 1, 1))
    assert [b.valid_from for b in DEFAULT_COST_TABLE] == [date(2023, 1, 1), date(2026, 1, 1)]


def test_R_PAE_3_every_act_a_diligence_kind_charges_is_chargeable():
    from fieldapp.legal.costs import CHARGEABLE_ACTS, CHARGED_ACTS

    assert all(set(acts) <= CHARGEABLE_ACTS for acts in CHARGED_ACTS.values())
