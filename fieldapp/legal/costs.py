"""Gastos de ejecución (R-PAE-3; CFF 150, RCFF 94–95).

2 % of the credit per diligence (requerimiento, embargo, remate), at least the minimum and at
most the maximum in force on the diligence date. The brackets are config: the app builds them
from its database rows; the defaults below ship with the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
DEFAULT_RATE = Decimal("0.02")
CHARGEABLE_ACTS = frozenset({"payment_demand", "seizure", "auction"})
# Which of those acts a diligence kind carries (R-PAE-3: one charge per diligence; an
# ampliación is an embargo act, CFF 150 II). The phone's seizure.js charges the same way.
CHARGED_ACTS: dict[str, tuple[str, ...]] = {
    "payment_demand": ("payment_demand",),
    "seizure": ("payment_demand", "seizure"),
    "seizure_extension": ("seizure",),
}
NOTE_2026 = ("Importes 2026 calculados con el factor 1.1321 del Anexo 5 de la RMF 2026: "
             "la oficina debe confirmarlos con el área jurídica.")


@dataclass(frozen=True)
class CostBracket:
    """Minimum and maximum of enforcement costs in force from ``valid_from`` to ``valid_to``
    (both included; ``None``: until further notice)."""

    valid_from: date
    valid_to: date | None
    minimum: Decimal
    maximum: Decimal
    rate: Decimal = DEFAULT_RATE
    note: str = ""

    def __post_init__(self) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if not Decimal(0) <= self.minimum <= self.maximum:
            raise ValueError("minimum must be between 0 and maximum")

    def covers(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


DEFAULT_COST_TABLE: tuple[CostBracket, ...] = (
    CostBracket(date(2023, 1, 1), date(2025, 12, 31), Decimal("560.00"), Decimal("86460.00")),
    CostBracket(date(2026, 1, 1), None, Decimal("630.00"), Decimal("97880.00"), note=NOTE_2026),
)


class NoCostBracket(LookupError):
    """No bracket of the table is in force on the date asked."""


def bracket_on(on: date, table: Sequence[CostBracket] | None = None) -> CostBracket:
    """The bracket in force on ``on`` (the latest starting one if brackets overlap)."""
    in_force = [b for b in (DEFAULT_COST_TABLE if table is None else table) if b.covers(on)]
    if not in_force:
        raise NoCostBracket(f"no enforcement cost bracket in force on {on.isoformat()}")
    return max(in_force, key=lambda b: b.valid_from)


def enforcement_costs(base: Decimal, on: date,
                      table: Sequence[CostBracket] | None = None) -> Decimal:
    """R-PAE-3: ``rate`` × ``base``, rounded half up to cents, clamped to the bracket in force
    on the diligence date."""
    if base < 0:
        raise ValueError("base must not be negative")
    bracket = bracket_on(on, table)
    amount = (base * bracket.rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(max(amount, bracket.minimum), bracket.maximum)


def diligence_costs(credit_bases: Iterable[Decimal], on: date, acts: Iterable[str],
                    table: Sequence[CostBracket] | None = None) -> Decimal:
    """R-PAE-3: one charge per diligence, however many acts (requerimiento and embargo in the
    same diligence) and credits it covers: the rate applies once to the sum of the bases."""
    acts = set(acts)
    unknown = acts - CHARGEABLE_ACTS
    if unknown:
        raise ValueError(f"not a chargeable act: {sorted(unknown)}")
    if not acts:
        return Decimal("0.00")
    return enforcement_costs(sum(credit_bases, Decimal(0)), on, table)
