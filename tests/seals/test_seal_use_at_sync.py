"""Seals used in embargo records pushed through the real sync endpoint (R-PAE-8): a seal is
used once; reuse by two phones offline is accepted and flagged on both records; a resend is
not a reuse; irregular codes are flagged too."""

from __future__ import annotations

from sqlalchemy import select

from fieldapp.diligences.models import FLAG_LABELS, Diligence
from fieldapp.extensions import db
from fieldapp.seals.models import Seal, SealUse
from tests.seals.embargo import seizure_record


def only(answer: dict) -> dict:
    (result,) = answer["results"]
    return result


def seal_named(code: str) -> Seal:
    return db.session.scalars(select(Seal).where(Seal.code == code)).one()


def test_a_seal_used_once_is_marked_used_without_flags(enforcement):
    code_a, code_b = enforcement.codes[:2]
    record = seizure_record(enforcement.assignments[0].id, code_a, code_b)
    result = only(enforcement.phones[0].push_ok([record]))
    assert result["status"] == "accepted", result
    assert result["findings"] == []
    assert "seal_conflict" not in result["flags"] and "seal_problems" not in result
    db.session.expire_all()
    seal = seal_named(code_a)
    assert seal.status == "used" and seal.used_by_diligence_id == record["id"]
    assert seal.used_item_index == 0 and seal_named(code_b).used_item_index == 1


def test_seal_reuse_across_two_devices_is_accepted_and_flagged_on_both(enforcement):
    """Two phones of the executor, offline, put the same label on two goods of two embargos."""
    code = enforcement.codes[0]
    phone_a, phone_b = enforcement.phones
    first = seizure_record(enforcement.assignments[0].id, code, enforcement.codes[1])
    second = seizure_record(enforcement.assignments[1].id, code, enforcement.codes[2])
    assert only(phone_a.push_ok([first]))["status"] == "accepted"
    result = only(phone_b.push_ok([second]))
    assert result["status"] == "accepted"  # evidence is never dropped
    assert "seal_conflict" in result["flags"]
    assert result["seal_problems"] == [{
        "item": 0, "code": code, "problem": "reused",
        "message": "El sello ya fue usado en otra diligencia", "other_diligence": first["id"]}]
    db.session.expire_all()
    earlier, later = db.session.get(Diligence, first["id"]), db.session.get(Diligence, second["id"])
    assert "seal_conflict" in earlier.flags and "seal_conflict" in later.flags
    assert earlier.server_notes["seals"][0]["other_diligence"] == second["id"]
    assert FLAG_LABELS["seal_conflict"] == "Sello usado en otra diligencia"
    assert seal_named(code).status == "conflict"
    assert seal_named(enforcement.codes[2]).status == "used"  # the other seal is fine
    uses = db.session.scalars(select(SealUse).where(SealUse.code == code)).all()
    assert {u.diligence_id for u in uses} == {first["id"], second["id"]}


def test_an_identical_resend_does_not_flag_itself(enforcement):
    record = seizure_record(enforcement.assignments[0].id, enforcement.codes[0])
    phone = enforcement.phones[0]
    phone.push_ok([record])
    again = only(phone.push_ok([record]))
    assert again["status"] == "duplicate"
    assert "seal_conflict" not in again["flags"] and "seal_problems" not in again
    # The same record resent from the other phone of the same executor is still a duplicate.
    assert only(enforcement.phones[1].push_ok([record]))["status"] == "duplicate"
    db.session.expire_all()
    assert seal_named(enforcement.codes[0]).status == "used"
    assert db.session.get(Diligence, record["id"]).server_notes.get("seals") is None


def test_a_correction_keeps_its_seals_without_conflict(enforcement, factory):
    phone = enforcement.phones[0]
    record = seizure_record(enforcement.assignments[0].id, enforcement.codes[0])
    phone.push_ok([record])
    from fieldapp.diligences.services import decide

    decide(db.session.get(Diligence, record["id"]), "returned", actor=enforcement.supervisor,
           observations="Precise la descripción del vehículo.")
    db.session.commit()
    correction = seizure_record(enforcement.assignments[0].id, enforcement.codes[0],
                                replaces=record["id"], previous_hash=record["content_hash"])
    result = only(phone.push_ok([correction]))
    assert result["status"] == "accepted" and result["version"] == 2
    assert "seal_conflict" not in result["flags"]


def test_the_same_seal_on_two_goods_of_one_record_is_a_conflict(enforcement):
    code = enforcement.codes[0]
    result = only(enforcement.phones[0].push_ok(
        [seizure_record(enforcement.assignments[0].id, code, f"  {code.lower()} ")]))
    assert result["status"] == "accepted"
    assert "seal_conflict" in result["flags"]
    assert [p["problem"] for p in result["seal_problems"]] == ["repeated"]


def test_irregular_seals_are_accepted_and_flagged(enforcement, factory, client):
    """Unknown code, wrong check character, another office's seal, a seal of another
    executor, a void seal: a warning flag (seal_irregular), never a rejection."""
    from fieldapp.seals.codes import seal_code
    from fieldapp.seals.services import issue_sheet, void_seal
    from tests.seals.embargo import enforcement_setup

    other = enforcement_setup(factory, client, seals=1)
    colleague = factory.user(enforcement.office, "executor")
    loose = issue_sheet(enforcement.office, 2, actor=enforcement.supervisor, executor=colleague)
    void_seal(enforcement.sheet.seals[5], actor=enforcement.supervisor, reason="Etiqueta rota")
    db.session.commit()
    office_code = enforcement.office.code
    codes = [
        seal_code(office_code, 999),  # well formed, never issued
        seal_code(office_code, 1)[:-1] + ("0" if seal_code(office_code, 1)[-1] != "0" else "1"),
        other.codes[0],  # another office's seal
        loose.seals[0].code,  # assigned to another executor
        enforcement.sheet.seals[5].code,  # void
    ]
    result = only(enforcement.phones[0].push_ok(
        [seizure_record(enforcement.assignments[0].id, *codes)]))
    assert result["status"] == "accepted"
    assert "seal_irregular" in result["flags"] and "seal_conflict" not in result["flags"]
    assert [p["problem"] for p in result["seal_problems"]] == [
        "unknown", "invalid", "other_office", "not_assigned", "void"]
    db.session.expire_all()
    assert seal_named(other.codes[0]).status == "assigned"  # another office's seal untouched
    assert seal_named(loose.seals[0].code).status == "used"
    assert seal_named(enforcement.sheet.seals[5].code).status == "void"


def test_pull_lists_the_executors_unused_seals(enforcement):
    phone = enforcement.phones[0]
    assert phone.pull()["seals"] == enforcement.codes
    phone.push_ok([seizure_record(enforcement.assignments[0].id, enforcement.codes[0])])
    answer = phone.pull()
    assert answer["seals"] == enforcement.codes[1:]
