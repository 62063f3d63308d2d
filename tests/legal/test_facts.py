"""DiligenceFacts: the contract of the facts a phone pushes."""

from __future__ import annotations

import copy
import dataclasses
import typing
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fieldapp.legal.facts import DiligenceFacts, FactsError
from tests.legal.vectors import FACT_CASES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "legal-rules.md"


def facts_of(case_id: str) -> dict[str, Any]:
    return copy.deepcopy(next(c["facts"] for c in FACT_CASES if c["id"] == case_id))


@pytest.mark.parametrize("case", FACT_CASES[::7], ids=[c["id"] for c in FACT_CASES[::7]])
def test_round_trip(case: dict[str, Any]) -> None:
    facts = DiligenceFacts.from_dict(case["facts"])
    assert DiligenceFacts.from_dict(facts.to_dict()) == facts


def test_parses_types() -> None:
    facts = DiligenceFacts.from_dict(facts_of("pae4-seizure-clean"))
    assert isinstance(facts.started_at, datetime) and facts.started_at.tzinfo is not None
    assert facts.seizure is not None
    assert facts.seizure.amount_secured == Decimal("120000.00")
    assert facts.seizure.items[0].value == Decimal("250000.00")
    assert facts.media_roles == {"facade", "signature", "item"}


def test_blank_text_is_no_answer() -> None:
    data = facts_of("not3-citatorio-clean")
    data["absence_reason"] = "   "
    data["attendee"]["name"] = ""
    facts = DiligenceFacts.from_dict(data)
    assert facts.absence_reason is None
    assert facts.attendee is not None and facts.attendee.name is None


def test_null_and_missing_are_the_same() -> None:
    data = facts_of("not3-citatorio-clean")
    data["enablement"] = None
    assert DiligenceFacts.from_dict(data) == DiligenceFacts.from_dict(
        {k: v for k, v in data.items() if k != "enablement"})


@pytest.mark.parametrize(("change", "path"), [
    ({"colour": "red"}, "facts.colour"),
    ({"kind": "visit"}, "facts.kind"),
    ({"started_at": "2026-03-10T10:00:00"}, "facts.started_at"),
    ({"started_at": "2026-03-10 10:00:00-06:00"}, "facts.started_at"),
    ({"started_at": 1773158400}, "facts.started_at"),
    ({"addressee_asked": "yes"}, "facts.addressee_asked"),
    ({"address_verification": ["smell"]}, "facts.address_verification[0]"),
    ({"address_verification": "gps"}, "facts.address_verification"),
    ({"attendee": {"name": "X", "age": 30}}, "facts.attendee.age"),
    ({"enablement": {"issued_on": "13/03/2026"}}, "facts.enablement.issued_on"),
    ({"seizure": {"amount_secured": 1200.5}}, "facts.seizure.amount_secured"),
    ({"seizure": {"amount_secured": "1e5"}}, "facts.seizure.amount_secured"),
    ({"seizure": {"amount_secured": "1,200.00"}}, "facts.seizure.amount_secured"),
    ({"entered_at": {"attendee.name": "ayer"}}, "facts.entered_at.attendee.name"),
    ({"schema": 2}, "schema"),
])
def test_malformed_facts_are_refused_with_their_path(change: dict[str, Any], path: str) -> None:
    data = {**facts_of("not3-citatorio-clean"), **change}
    with pytest.raises(FactsError) as raised:
        DiligenceFacts.from_dict(data)
    assert raised.value.path == path


def test_kind_is_required() -> None:
    with pytest.raises(FactsError, match="obligatorio"):
        DiligenceFacts.from_dict({"started_at": "2026-03-10T10:00:00-06:00"})
    with pytest.raises(FactsError):
        DiligenceFacts.from_dict(["kind", "notification"])  # type: ignore[arg-type]


def _field_paths(cls: type, prefix: str = "") -> list[str]:
    paths = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        path = f"{prefix}{f.name}"
        hint = hints[f.name]
        args = typing.get_args(hint)
        inner = [a for a in (hint, *args) if isinstance(a, type) and dataclasses.is_dataclass(a)]
        if typing.get_origin(hint) is tuple and inner:
            path += "[]"  # a list of objects
        paths.append(path)
        for sub in inner:
            paths += _field_paths(sub, f"{path}.")
    return paths


def test_every_field_is_documented() -> None:
    """docs/legal-rules.md documents every field path of the facts contract."""
    doc = DOCS.read_text(encoding="utf-8")
    undocumented = [p for p in _field_paths(DiligenceFacts) if f"`{p}`" not in doc]
    assert undocumented == []
