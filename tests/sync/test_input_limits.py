"""Issue 16: amounts, quantities and texts out of bounds (fieldapp/legal/limits.py) are refused
by the server with a field error naming their path, as the phone refuses them as they are typed."""

from __future__ import annotations

from typing import Any

from fieldapp.legal.limits import LONG_TEXT_MAX, TEXT_MAX, limit_problems
from tests.scenarios import ApiPhone, assignment_of
from tests.sync.helpers import FACTS_BY_KIND, make_record


def only(answer: dict[str, Any]) -> dict[str, Any]:
    (result,) = answer["results"]
    return result


def seizure_with(item: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "seizure", "seizure": {"designated_by": "attendee", "items": [
        {"category": "electronics", "description": "Computadora portátil", **item}]}}


def executor_phone(client, field, factory) -> tuple[ApiPhone, int]:
    executor = factory.user(field.office, "executor")
    document = factory.portfolio_item(field.office, executor)
    return ApiPhone.enroll(client, executor), assignment_of(document).id


def test_a_seized_good_valued_at_minus_500_is_refused_with_a_field_error(client, field, factory):
    phone, assignment_id = executor_phone(client, field, factory)
    result = only(phone.push_ok([make_record(assignment_id, kind="seizure",
                                             facts=seizure_with({"quantity": "1", "value": "-500.00"}))]))
    assert result["status"] == "rejected"
    assert result["errors"] == [{"field": "facts.seizure.items[0].value", "rule": "S-FACTS",
                                 "message": "El importe debe ser mayor que cero."}]


def test_zero_huge_amounts_and_bad_quantities_are_refused(client, field, factory):
    phone, assignment_id = executor_phone(client, field, factory)
    records = [make_record(assignment_id, kind="seizure", facts=seizure_with(item)) for item in (
        {"value": "0"}, {"value": "1000000000.00"}, {"quantity": "-2", "value": "10.00"},
        {"quantity": "dos", "value": "10.00"})]
    answer = phone.push_ok(records)
    assert [(r["status"], [e["field"] for e in r["errors"]]) for r in answer["results"]] == [
        ("rejected", ["facts.seizure.items[0].value"]), ("rejected", ["facts.seizure.items[0].value"]),
        ("rejected", ["facts.seizure.items[0].quantity"]), ("rejected", ["facts.seizure.items[0].quantity"])]
    fine = make_record(assignment_id, kind="seizure",
                       facts=seizure_with({"quantity": "2", "value": "999999999.99"}))
    assert only(phone.push_ok([fine]))["status"] == "accepted"


def test_texts_longer_than_their_limit_are_refused(phone, field):
    facts = FACTS_BY_KIND["notification"]
    long_name = {**facts, "attendee": {**facts["attendee"], "name": "A" * (TEXT_MAX + 1)}}
    result = only(phone.push_ok([make_record(field.assignment.id, kind="notification", facts=long_name)]))
    assert result["status"] == "rejected"
    assert result["errors"] == [{"field": "facts.attendee.name", "rule": "S-FACTS",
                                 "message": "El texto pasa de 200 caracteres."}]
    at_limit = {**facts, "attendee": {**facts["attendee"], "name": "A" * TEXT_MAX}}
    assert only(phone.push_ok([make_record(field.assignment.id, kind="notification", facts=at_limit)]))[
        "status"] == "accepted"


def test_long_texts_have_the_long_limit():
    assert limit_problems({"not_located": {"premises_state": "x" * LONG_TEXT_MAX}}) == []
    assert limit_problems({"not_located": {"statements": [{"text": "x" * (LONG_TEXT_MAX + 1)}]}}) == [
        ("facts.not_located.statements[0].text", "El texto pasa de 2,000 caracteres.")]
