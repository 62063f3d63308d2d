"""Every R-PAE rule of legal-rules.md judged on embargo records pushed through the real sync
endpoint and the one write path: the server's findings (fieldapp.legal.checks, not re-written
here), their severity, what the record then does to its credits, and that nothing is dropped.

A *block* finding keeps the record (evidence) but it has no effect; a *warn* finding keeps the
record with its effects and the field user's reason."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest

from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.legal.costs import diligence_costs, enforcement_costs
from fieldapp.legal.services import cost_table_for, enforcement_cost_base, parameters_for
from tests.seals.embargo import evidence, seizure_facts, seizure_record
from tests.sync.helpers import DEMAND_FACTS, make_record

DAY = date(2026, 3, 12)  # the embargo's date (tests.seals.embargo)


def push(enforcement, facts, kind="seizure", **kw):
    assignment = enforcement.assignments[kw.pop("assignment", 0)]
    if kind == "seizure":
        record = seizure_record(assignment.id, facts=facts, **kw)
    else:
        record = make_record(assignment.id, kind=kind, facts=facts, media=evidence(), **kw)
    (result,) = enforcement.phones[0].push_ok([record])["results"]
    assert result["status"] == "accepted", result  # legal findings never reject a record
    return result


def findings(result, rule_id):
    return [(f["severity"], f["field"]) for f in result["findings"] if f["rule_id"] == rule_id]


def credit_statuses(enforcement, n=0):
    db.session.expire_all()
    return {c.status for c in enforcement.assignments[n].document.credits}


def codes(enforcement, n=2):
    return enforcement.codes[:n]


# R-PAE-1 ---------------------------------------------------------------------------------------

def test_r_pae_1_an_embargo_after_proof_of_payment_is_blocked_and_has_no_effect(enforcement):
    facts = seizure_facts(*codes(enforcement), payment={
        "outcome": "proof_shown", "proof_document": "Recibo bancario 99812"})
    result = push(enforcement, facts)
    assert findings(result, "R-PAE-1") == [("block", "payment.outcome")]
    assert "legal_block" in result["flags"]
    assert "seized" not in credit_statuses(enforcement)


def test_r_pae_1_a_cheque_needs_its_data_and_receipt_number(enforcement):
    facts = copy.deepcopy(DEMAND_FACTS)
    facts["payment"] = {"outcome": "cheque", "cheque": {"number": "0012", "bank": "BBVA"}}
    result = push(enforcement, facts, kind="payment_demand")
    assert ("block", "payment.cheque") in findings(result, "R-PAE-1")
    assert ("block", "payment.receipt_number") in findings(result, "R-PAE-1")


def test_r_pae_1_not_paid_without_seizure_warns_to_seize_at_once(enforcement):
    facts = copy.deepcopy(DEMAND_FACTS)
    facts["payment"] = {"outcome": "not_paid"}
    result = push(enforcement, facts, kind="payment_demand",
                  warning_reasons={"R-PAE-1": "El patrón cerró el local"})
    assert findings(result, "R-PAE-1") == [("warn", "payment.no_seizure_reason")]
    (finding,) = [f for f in result["findings"] if f["rule_id"] == "R-PAE-1"]
    assert finding["reason"] == "El patrón cerró el local"
    assert credit_statuses(enforcement) == {"demanded"}  # a warning keeps the effect


def test_r_pae_1_a_clean_embargo_seizes_the_credits(enforcement):
    result = push(enforcement, seizure_facts(*codes(enforcement)))
    assert result["findings"] == [] and "legal_block" not in result["flags"]
    assert credit_statuses(enforcement) == {"seized"}


# R-PAE-2 ---------------------------------------------------------------------------------------

def test_r_pae_2_the_executors_credential_must_be_valid_and_complete(enforcement):
    facts = seizure_facts(*codes(enforcement))
    facts["field_user"] = {**facts["field_user"], "valid_until": "2026-03-01",
                           "legal_basis": None}
    result = push(enforcement, facts)
    assert ("block", "field_user.valid_until") in findings(result, "R-PAE-2")
    assert ("block", "field_user.legal_basis") in findings(result, "R-PAE-2")
    assert "seized" not in credit_statuses(enforcement)


def test_r_pae_2_a_copy_goes_to_the_attendee(enforcement):
    result = push(enforcement, seizure_facts(*codes(enforcement), copy_delivered=False))
    assert findings(result, "R-PAE-2") == [("block", "copy_delivered")]


def test_r_pae_2_citatorio_formalities_apply_to_embargos(enforcement):
    """R-PAE-2 asks the notification formalities: a first visit reaches only the debtor or its
    representative (R-NOT-3)."""
    facts = seizure_facts(*codes(enforcement))
    facts["attendee"] = {**facts["attendee"], "capacity": "employee", "power": None}
    result = push(enforcement, facts)
    assert ("block", "attendee.capacity") in findings(result, "R-NOT-3")


# R-PAE-3 ---------------------------------------------------------------------------------------

def test_r_pae_3_one_enforcement_charge_for_requerimiento_and_embargo(enforcement):
    """The amount secured carries one 2 % charge (clamped to the bracket in force on the
    diligence date, the office's cost table and base) when requerimiento and embargo are one
    diligence; goods worth exactly that cover it (R-PAE-7 silent), a cent less do not."""
    office = enforcement.office
    credit = enforcement.assignments[0].document.credits[0]
    params = parameters_for(office, DAY)
    base = enforcement_cost_base(credit, params)
    table = cost_table_for(office, DAY)
    costs = diligence_costs([base], DAY, {"payment_demand", "seizure"}, table)
    assert costs == enforcement_costs(base, DAY, table) == Decimal("630.00")  # 2026 minimum
    secured = credit.total + costs
    covered = seizure_facts(enforcement.codes[0], seizure={"amount_secured": str(secured)})
    covered["seizure"]["items"] = covered["seizure"]["items"][:1]
    covered["seizure"]["items"][0]["value"] = str(secured)
    assert findings(push(enforcement, covered), "R-PAE-7") == []
    short = copy.deepcopy(covered)
    short["seizure"]["items"][0].update(value=str(secured - Decimal("0.01")),
                                        seal=enforcement.codes[1])
    assert findings(push(enforcement, short, assignment=1), "R-PAE-7") == [
        ("warn", "seizure.items")]


# R-PAE-4 ---------------------------------------------------------------------------------------

def test_r_pae_4_the_attendee_designates_in_cff_155_order(enforcement):
    facts = seizure_facts(*codes(enforcement, 3))
    items = facts["seizure"]["items"]
    items[1]["category"] = "cash"  # fraction I after a vehicle (III)
    result = push(enforcement, facts)
    assert findings(result, "R-PAE-4") == [("block", "seizure.items")]
    assert "seized" not in credit_statuses(enforcement)


def test_r_pae_4_two_witnesses_who_sign_or_the_refusal_recorded(enforcement):
    facts = seizure_facts(*codes(enforcement), seizure={
        "witnesses": [{"name": "Ana Torres Vela", "signed": True}]})
    assert findings(push(enforcement, facts), "R-PAE-4") == [("block", "seizure.witnesses")]
    refused = seizure_facts(enforcement.codes[2], enforcement.codes[3], seizure={
        "witnesses": [], "witnesses_note": "refused_to_sign"})
    assert findings(push(enforcement, refused, assignment=1), "R-PAE-4") == []


def test_r_pae_4_real_estate_needs_the_sworn_statement(enforcement):
    facts = seizure_facts(*codes(enforcement, 1))
    facts["seizure"]["items"].append({"category": "real_estate", "value": "900000.00",
                                      "description": "Nave industrial, Av. Vallarta 3000"})
    result = push(enforcement, facts)
    assert findings(result, "R-PAE-4") == [("block", "seizure.real_estate_statement")]


# R-PAE-5 ---------------------------------------------------------------------------------------

def test_r_pae_5_the_executor_departs_from_the_order_only_with_a_cff_156_reason(enforcement):
    facts = seizure_facts(*codes(enforcement), seizure={"designated_by": "executor"})
    assert findings(push(enforcement, facts), "R-PAE-5") == [("block", "seizure.executor_reason")]
    reasoned = seizure_facts(enforcement.codes[2], enforcement.codes[3], seizure={
        "designated_by": "executor", "executor_reason": "not_designated"})
    result = push(enforcement, reasoned, assignment=1)
    assert result["findings"] == []


# R-PAE-6 ---------------------------------------------------------------------------------------

def test_r_pae_6_exempt_goods_are_never_seized(enforcement):
    facts = seizure_facts(*codes(enforcement))
    facts["seizure"]["items"][1]["category"] = "household_furniture"
    result = push(enforcement, facts)
    assert findings(result, "R-PAE-6") == [("block", "seizure.items[1].category")]
    assert "CFF 157 II" in result["findings"][0]["message"]


@pytest.mark.parametrize("whole_business, expected", [(False, [("block", "seizure.items[1].category")]),
                                                      (True, [])])
def test_r_pae_6_business_machinery_only_with_the_whole_business(enforcement, whole_business,
                                                                 expected):
    facts = seizure_facts(*codes(enforcement), seizure={"whole_business": whole_business})
    facts["seizure"]["items"][1]["category"] = "business_machinery"
    assert findings(push(enforcement, facts), "R-PAE-6") == expected


# R-PAE-7 ---------------------------------------------------------------------------------------

def test_r_pae_7_an_insufficient_embargo_warns_and_keeps_its_effect(enforcement):
    facts = seizure_facts(*codes(enforcement), seizure={"amount_secured": "500000.00"})
    result = push(enforcement, facts,
                  warning_reasons={"R-PAE-7": "No hay más bienes; se hará ampliación"})
    assert findings(result, "R-PAE-7") == [("warn", "seizure.items")]
    assert "legal_warn" in result["flags"] and "legal_block" not in result["flags"]
    stored = db.session.get(Diligence, result["id"])
    assert stored.findings[0]["reason"] == "No hay más bienes; se hará ampliación"
    assert credit_statuses(enforcement) == {"seized"}


def test_r_pae_7_an_extension_counts_what_was_seized_before(enforcement):
    facts = seizure_facts(enforcement.codes[0], kind="seizure_extension", seizure={
        "amount_secured": "500000.00", "previously_seized_value": "285000.00"})
    facts.pop("payment")
    facts["seizure"]["items"] = [{**facts["seizure"]["items"][0], "value": "215000.00"}]
    result = push(enforcement, facts, kind="seizure_extension")
    assert findings(result, "R-PAE-7") == [] and result["findings"] == []


def test_r_pae_7_bank_deposits_only_up_to_the_amount_secured(enforcement):
    facts = seizure_facts(seizure={"amount_secured": "100000.00"})
    facts["seizure"]["items"] = [{"category": "bank_deposit", "description": "Cuenta 0123",
                                  "value": "150000.00"}]
    assert findings(push(enforcement, facts), "R-PAE-7") == [("warn", "seizure.items")]


# R-PAE-8 ---------------------------------------------------------------------------------------

def test_r_pae_8_sealable_goods_need_a_seal_and_the_custodian_is_recorded(enforcement):
    facts = seizure_facts(enforcement.codes[0], None, seizure={
        "custodian": {"name": "María López Pérez", "appointed_by": "executor"}})
    result = push(enforcement, facts)
    assert findings(result, "R-PAE-8") == [("block", "seizure.custodian.location"),
                                           ("block", "seizure.items[1].seal")]
    assert "seized" not in credit_statuses(enforcement)
    # The seal that was placed is still recorded (it is on the good whatever the findings).
    from fieldapp.seals.models import Seal

    db.session.expire_all()
    assert db.session.query(Seal).filter_by(code=enforcement.codes[0]).one().status == "used"


def test_r_pae_8_bank_deposits_need_no_seal(enforcement):
    facts = seizure_facts(seizure={"amount_secured": "100000.00"})
    facts["seizure"]["items"] = [{"category": "bank_deposit", "description": "Cuenta 0123",
                                  "value": "100000.00"}]
    assert push(enforcement, facts)["findings"] == []


# R-PAE-9 ---------------------------------------------------------------------------------------

def test_r_pae_9_a_third_party_claim_needs_its_documents(enforcement):
    facts = seizure_facts(*codes(enforcement))
    facts["seizure"]["items"][1]["third_party_claim"] = {"claimant": "Arrendadora del Norte SA"}
    result = push(enforcement, facts)
    assert findings(result, "R-PAE-9") == [("block", "seizure.items[1].third_party_claim")]


def test_r_pae_9_a_documented_claim_releases_the_good_provisionally(enforcement):
    facts = seizure_facts(*codes(enforcement))
    facts["seizure"]["items"][1]["third_party_claim"] = {
        "claimant": "Arrendadora del Norte SA", "documents": "Factura 1234 a su nombre"}
    result = push(enforcement, facts)
    assert findings(result, "R-PAE-9") == [] and result["findings"] == []


# R-PAE-10 --------------------------------------------------------------------------------------

def test_r_pae_10_public_force_needs_its_reason(enforcement):
    facts = seizure_facts(*codes(enforcement), obstruction={"public_force_requested": True})
    assert findings(push(enforcement, facts), "R-PAE-10") == [
        ("block", "obstruction.public_force_reason")]


def test_r_pae_10_locks_broken_only_with_a_prior_order_and_two_witnesses(enforcement):
    facts = seizure_facts(*codes(enforcement), obstruction={
        "locks_broken": True, "lock_order_number": "OF-2026-114",
        "lock_order_date": "2026-03-13"})
    facts["seizure"]["witnesses_note"] = "none_designated"
    facts["seizure"]["witnesses"] = []
    result = push(enforcement, facts)
    assert findings(result, "R-PAE-10") == [("block", "obstruction.lock_order_date"),
                                            ("block", "seizure.witnesses")]
    lawful = seizure_facts(enforcement.codes[2], enforcement.codes[3], obstruction={
        "locks_broken": True, "lock_order_number": "OF-2026-114",
        "lock_order_date": "2026-03-11"})
    assert push(enforcement, lawful, assignment=1)["findings"] == []
