"""Sane bounds of what a field user types in a diligence: every amount is positive and below a
ceiling no real good, cheque or credit reaches; a quantity is a positive number; every free
text has a length an acta can print. The phone enforces the same numbers as the user types
(they reach it in the capture context, ``as_dict``); the server refuses a pushed record that
breaks one with a field error naming its path (diligences.services), so a phone running old
code cannot store "Embargado -$500.00".

Not a legal rule (no R- id): a bound on input, like the length of a column.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

MONEY_MAX = Decimal("999999999.99")
QUANTITY_MAX = Decimal("100000")
TEXT_MAX = 200
LONG_TEXT_MAX = 2000
# Facts (by their last name in the path) that are amounts of money in pesos.
MONEY_FIELDS = frozenset({"value", "amount", "amount_secured", "previously_seized_value"})
QUANTITY_FIELDS = frozenset({"quantity"})
# Free texts that narrate (the acta prints them as paragraphs); every other text is a name,
# a number or a short phrase.
LONG_TEXT_FIELDS = frozenset({
    "text", "premises_state", "description", "condition", "absence_reason", "no_seizure_reason",
    "proof_document", "public_force_reason", "documents", "location", "liens", "prior_seizures",
    "co_ownership", "marital_property", "legal_basis",
})
# Facts that are not typed by the field user (times, ids, hashes) are not bounded here.
UNBOUNDED_FIELDS = frozenset({"entered_at", "media", "prefilled", "photos", "kind", "schema"})


def text_limit(name: str) -> int:
    return LONG_TEXT_MAX if name in LONG_TEXT_FIELDS else TEXT_MAX


def _leaves(value: Any, path: str, name: str) -> Iterator[tuple[str, str, Any]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key not in UNBOUNDED_FIELDS:
                yield from _leaves(inner, f"{path}.{key}", str(key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _leaves(inner, f"{path}[{i}]", name)
    else:
        yield path, name, value


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def limit_problems(facts: Mapping[str, Any], path: str = "facts") -> list[tuple[str, str]]:
    """(path, message) for every typed fact out of its bounds, in the facts' order."""
    problems: list[tuple[str, str]] = []
    for where, name, value in _leaves(facts, path, ""):
        if name in MONEY_FIELDS:
            amount = _number(value)
            if amount is not None and amount <= 0:
                problems.append((where, "El importe debe ser mayor que cero."))
            elif amount is not None and amount > MONEY_MAX:
                problems.append((where, "El importe no puede pasar de $999,999,999.99."))
        elif name in QUANTITY_FIELDS and isinstance(value, str) and value.strip():
            quantity = _number(value)
            if quantity is None or quantity <= 0 or quantity > QUANTITY_MAX:
                problems.append((where, "La cantidad debe ser un número mayor que cero y de hasta 100,000."))
        elif isinstance(value, str) and len(value) > text_limit(name):
            problems.append((where, f"El texto pasa de {text_limit(name):,} caracteres."))
    return problems


def as_dict() -> dict[str, Any]:
    """The same bounds for the phone (capture context)."""
    return {"money_max": str(MONEY_MAX), "quantity_max": str(QUANTITY_MAX), "text_max": TEXT_MAX,
            "long_text_max": LONG_TEXT_MAX, "money_fields": sorted(MONEY_FIELDS),
            "quantity_fields": sorted(QUANTITY_FIELDS), "long_text_fields": sorted(LONG_TEXT_FIELDS)}
