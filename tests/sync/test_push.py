"""Pushing diligence records: accepted, duplicate, conflict, rejected, and what the server
learns and keeps on receipt (legal findings, flags, the hash chain, forward-only effects)."""

from __future__ import annotations

import copy
import gzip
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from fieldapp.assignments.services import assign
from fieldapp.audit.models import AuditEvent
from fieldapp.diligences.models import Diligence
from fieldapp.diligences.records import format_timestamp
from fieldapp.diligences.services import decide, stored_record_matches
from fieldapp.extensions import db
from fieldapp.portfolio.models import Credit, CreditStatusChange
from fieldapp.portfolio.services import advance_credit_status
from tests.scenarios import ApiPhone, assignment_of, evidence
from tests.sync.helpers import API, bearer, chain, make_record, seal


def count_diligences() -> int:
    return db.session.scalar(select(func.count(Diligence.id))) or 0


def only(answer: dict) -> dict:
    (result,) = answer["results"]
    return result


# Accepted, duplicate, conflict ------------------------------------------------------------------

def test_a_clean_record_is_accepted_and_stored_exactly_as_sent(phone, field):
    record = make_record(field.assignment.id, media=evidence())
    answer = phone.push_ok([record])
    result = only(answer)
    assert result["status"] == "accepted"
    assert result["missing_media"] == [m["sha256"] for m in record["media"]]
    assert answer["missing_media"] == result["missing_media"]
    assert result["complete"] is False and result["review_state"] == "received"
    stored = db.session.get(Diligence, record["id"])
    assert stored.content == {k: v for k, v in record.items() if k != "content_hash"}
    assert stored.content_hash == record["content_hash"]
    assert stored.findings == [] and not stored.has_block_findings
    assert stored.chain_status == "ok" and stored.device_id == phone.device_id
    assert stored.gps_accuracy_m == 8.5 and stored.version == 1 and stored.root_id == stored.id
    assert stored_record_matches(stored)
    assert field.assignment.status == "in_progress"  # a citatorio: the follow-up is still due


def test_an_identical_resend_is_a_harmless_duplicate(phone, field):
    record = make_record(field.assignment.id, media=evidence())
    phone.push_ok([record])
    result = only(phone.push_ok([record]))
    assert result["status"] == "duplicate"
    assert result["version"] == 1 and result["missing_media"] == [m["sha256"] for m in record["media"]]
    assert count_diligences() == 1


def test_same_id_with_other_content_is_a_conflict_and_the_first_record_is_intact(phone, field):
    first = make_record(field.assignment.id, media=evidence())
    phone.push_ok([first])
    altered = copy.deepcopy(first)
    altered["facts"]["attendee"]["name"] = "Otra Persona"
    result = only(phone.push_ok([seal(altered)]))
    assert result["status"] == "conflict"
    assert result["error"]["code"] == "id_conflict" and result["error"]["http_status"] == 409
    db.session.expire_all()
    stored = db.session.get(Diligence, first["id"])
    assert stored.content_hash == first["content_hash"]
    assert stored.facts["attendee"]["name"] == "Pedro Ruiz Soto"
    assert stored_record_matches(stored)
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "diligence_id_conflict")) == 1


def test_the_same_id_from_another_user_is_a_conflict(client, phone, field, factory):
    record = make_record(field.assignment.id, media=evidence())
    phone.push_ok([record])
    other_user = factory.user(field.office, "notifier")
    other_doc = factory.portfolio_item(field.office, other_user)
    other = ApiPhone.enroll(client, other_user)
    hijack = make_record(assignment_of(other_doc).id, record_id=record["id"], media=evidence())
    assert only(other.push_ok([hijack]))["status"] == "conflict"
    assert db.session.get(Diligence, record["id"]).user_id == field.notifier.id


# Rejected: each problem with its field and rule id ---------------------------------------------

def test_one_bad_record_never_blocks_the_others(phone, field):
    good1 = make_record(field.assignment.id, media=evidence(1))
    bad = make_record(field.assignment.id, media=evidence(2))
    bad["content_hash"] = "0" * 64
    good2 = make_record(field.assignment.id, media=evidence(3), kind="notification")
    answer = phone.push_ok([good1, bad, good2])
    assert [r["status"] for r in answer["results"]] == ["accepted", "rejected", "accepted"]
    assert answer["results"][1]["id"] == bad["id"]
    assert answer["results"][1]["errors"] == [{"field": "content_hash", "rule": "S-HASH",
                                               "message": answer["results"][1]["errors"][0]["message"]}]
    assert count_diligences() == 2


def test_rejections_name_the_field_and_the_rule(client, phone, field, factory):
    unknown_member = seal({**make_record(field.assignment.id), "colour": "red"})
    bad_facts = copy.deepcopy(make_record(field.assignment.id))
    bad_facts["facts"]["copy_delivered"] = "sí"
    bad_facts = seal(bad_facts)
    someone_else = factory.portfolio_item(field.office, factory.user(field.office, "notifier"))
    not_mine = make_record(assignment_of(someone_else).id)
    seizure = make_record(field.assignment.id, kind="seizure", facts={"kind": "seizure"})
    mismatch = seal({**make_record(field.assignment.id), "kind": "notification"})
    float_money = make_record(field.assignment.id, kind="notification",
                              facts={"kind": "notification", "schema": 1.5})
    answer = phone.push_ok([unknown_member, bad_facts, not_mine, seizure, mismatch, float_money])
    errors = [[(e["field"], e["rule"]) for e in r["errors"]] for r in answer["results"]]
    assert errors[0] == [("colour", "S-UNKNOWN")]
    assert errors[1] == [("facts.copy_delivered", "S-FACTS")]
    assert errors[2] == [("assignment_id", "S-ASSIGNMENT")]
    assert ("kind", "S-KIND") in errors[3]
    assert errors[4] == [("facts.kind", "S-KIND")]
    assert errors[5] == [("facts.schema", "S-FACTS")]
    assert all(r["status"] == "rejected" for r in answer["results"])
    assert count_diligences() == 0


def test_values_javascript_cannot_carry_are_rejected(phone, field):
    record = make_record(field.assignment.id)
    record["facts"]["entered_at"] = {}
    raw = json.dumps(batch_of(record)).replace('"entered_at": {}', '"entered_at": {"x": 9007199254740993}')
    response = phone.client.post(f"{API}/push", data=raw, content_type="application/json",
                                 headers=bearer(phone.token))
    result = only(response.get_json())
    assert result["status"] == "rejected" and result["errors"][0]["rule"] == "S-FORMAT"


def batch_of(*records: dict) -> dict:
    return {"device_time": format_timestamp(datetime.now(UTC)), "records": list(records)}


def test_the_envelope_is_checked_before_any_record(phone, field):
    headers = bearer(phone.token)
    post = phone.client.post
    assert post(f"{API}/push", data="{nope", content_type="application/json",
                headers=headers).get_json()["error"]["code"] == "invalid_json"
    assert post(f"{API}/push", data="x=1", headers=headers).status_code == 415
    response = post(f"{API}/push", json={"records": []}, headers=headers)
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "invalid_batch"
    too_many = batch_of(*[make_record(field.assignment.id) for _ in range(101)])
    assert post(f"{API}/push", json=too_many, headers=headers).status_code == 422
    assert post(f"{API}/push", data='{"device_time": NaN}', content_type="application/json",
                headers=headers).status_code == 400
    assert count_diligences() == 0


def test_a_gzip_body_is_accepted_and_a_gzip_bomb_refused(phone, field):
    headers = {**bearer(phone.token), "Content-Encoding": "gzip"}
    record = make_record(field.assignment.id, media=evidence())
    body = gzip.compress(json.dumps(batch_of(record)).encode())
    response = phone.client.post(f"{API}/push", data=body, content_type="application/json",
                                 headers=headers)
    assert only(response.get_json())["status"] == "accepted"
    bomb = gzip.compress(b'{"device_time": "' + b" " * (20 * 1024 * 1024) + b'"}')
    response = phone.client.post(f"{API}/push", data=bomb, content_type="application/json",
                                 headers=headers)
    assert response.status_code == 413


# Legal checks are stored with the record, never a reason to lose it --------------------------

def test_block_findings_are_stored_and_the_record_kept_without_effects(phone, field):
    late = copy.deepcopy(make_record(field.assignment.id, media=evidence()))
    for key in ("started_at", "arrived_at", "finished_at"):
        late["facts"][key] = late["facts"][key].replace("T12:", "T20:").replace("T11:", "T19:")
    late["facts"]["entered_at"] = {k: v.replace("T12:", "T20:")
                                   for k, v in late["facts"]["entered_at"].items()}
    result = only(phone.push_ok([seal(late)]))
    assert result["status"] == "accepted"
    assert "R-CAL-3" in {f["rule_id"] for f in result["findings"] if f["severity"] == "block"}
    assert "legal_block" in result["flags"]
    stored = db.session.get(Diligence, late["id"])
    assert stored.has_block_findings
    assert field.assignment.status == "pending"  # no effect from a record the law blocks


def test_a_warning_keeps_the_field_users_reason(phone, field):
    record = make_record(field.assignment.id, media=evidence())
    record["facts"]["address"] = {**record["facts"]["address"], "origin": "employer_registration"}
    record = seal({**record, "warning_reasons": {"R-NOT-2": "Es el único domicilio conocido."}})
    result = only(phone.push_ok([record]))
    (finding,) = result["findings"]
    assert finding["rule_id"] == "R-NOT-2" and finding["severity"] == "warn"
    assert finding["reason"] == "Es el único domicilio conocido."
    assert result["flags"] == ["incomplete", "legal_warn"]


# Forward-only effects and flags ------------------------------------------------------------------

def test_a_notification_notifies_the_credits_and_an_older_visit_never_moves_them_back(phone, field):
    credit = field.document.credits[0]
    notification = make_record(field.assignment.id, kind="notification", media=evidence(1))
    assert only(phone.push_ok([notification]))["status"] == "accepted"
    db.session.refresh(credit)
    assert credit.status == "notified" and credit.notified_on.isoformat() == "2026-03-10"
    assert credit.payment_deadline is not None
    assert field.assignment.status == "done"
    citatorio = make_record(field.assignment.id, media=evidence(2),
                            captured_at="2026-03-09T18:00:00.000Z")
    assert only(phone.push_ok([citatorio]))["status"] == "accepted"
    db.session.refresh(credit)
    db.session.refresh(field.assignment)
    assert credit.status == "notified" and field.assignment.status == "done"


def test_a_diligence_on_a_credit_paid_before_it_is_kept_and_flagged(phone, field):
    credit = field.document.credits[0]
    advance_credit_status(credit, "paid", source="test")
    db.session.commit()
    change = db.session.scalar(select(CreditStatusChange).where(CreditStatusChange.credit_id == credit.id))
    change.at = datetime(2026, 3, 1, tzinfo=UTC)  # paid days before the visit
    db.session.commit()
    result = only(phone.push_ok([make_record(field.assignment.id, kind="notification", media=evidence())]))
    assert result["status"] == "accepted" and "credit_closed" in result["flags"]
    stored = db.session.get(Diligence, result["id"])
    assert stored.server_notes["credit_closed"][0]["status"] == "paid"
    db.session.refresh(credit)
    assert credit.status == "paid" and credit.notified_on is None


def test_a_credit_paid_after_the_diligence_is_not_flagged(phone, field):
    credit = field.document.credits[0]
    advance_credit_status(credit, "paid", source="test")  # now, after the 10 March visit
    db.session.commit()
    result = only(phone.push_ok([make_record(field.assignment.id, media=evidence())]))
    assert "credit_closed" not in result["flags"]


def test_a_diligence_after_reassignment_is_kept_and_flagged(phone, field, factory):
    other = factory.user(field.office, "notifier")
    assign(field.document, other, field.assignment.due_on, actor=field.supervisor)
    field.assignment.updated_at = datetime(2026, 3, 9, tzinfo=UTC)  # withdrawn the day before
    db.session.commit()
    result = only(phone.push_ok([make_record(field.assignment.id, media=evidence())]))
    assert result["status"] == "accepted" and "assignment_withdrawn" in result["flags"]
    db.session.refresh(field.assignment)
    assert field.assignment.status == "withdrawn"


def test_a_diligence_made_before_the_reassignment_is_not_flagged(phone, field, factory):
    other = factory.user(field.office, "notifier")
    assign(field.document, other, field.assignment.due_on, actor=field.supervisor)
    db.session.commit()  # withdrawn now, after the 10 March visit
    result = only(phone.push_ok([make_record(field.assignment.id, media=evidence())]))
    assert "assignment_withdrawn" not in result["flags"]


def test_executor_kinds_move_credits_forward_only(client, field, factory):
    executor = factory.user(field.office, "executor")
    document = factory.portfolio_item(field.office, executor)
    credit = document.credits[0]
    advance_credit_status(credit, "enforceable", source="test")
    db.session.commit()
    executor_phone = ApiPhone.enroll(client, executor)
    assignment = assignment_of(document)
    empty_seizure = make_record(assignment.id, kind="seizure", facts={"kind": "seizure"})
    assert only(executor_phone.push_ok([empty_seizure]))["status"] == "accepted"
    db.session.refresh(credit)
    assert credit.status == "enforceable"  # an acta the law blocks moves nothing
    demand = make_record(assignment.id, kind="payment_demand", media=evidence(1),
                         captured_at="2026-03-12T16:41:00.000Z")
    assert only(executor_phone.push_ok([demand]))["findings"] == []
    db.session.refresh(credit)
    assert credit.status == "demanded"
    advance_credit_status(credit, "seized", source="test")
    db.session.commit()
    late_demand = make_record(assignment.id, kind="payment_demand", media=evidence(2))
    assert only(executor_phone.push_ok([late_demand]))["status"] == "accepted"
    db.session.refresh(credit)
    assert credit.status == "seized"


# The device hash chain ----------------------------------------------------------------------

def test_a_chained_stream_is_ok_even_when_records_arrive_out_of_order(phone, field):
    a, b, c = chain([make_record(field.assignment.id, media=evidence(i)) for i in range(3)])
    results = phone.push_ok([c, a])["results"]
    assert [r["chain_status"] for r in results] == ["pending", "ok"]
    assert only(phone.push_ok([b]))["chain_status"] == "ok"
    db.session.expire_all()
    assert {d.chain_status for d in db.session.scalars(select(Diligence))} == {"ok"}


def test_a_fork_or_a_second_start_breaks_the_chain(phone, field):
    a, b = chain([make_record(field.assignment.id, media=evidence(i)) for i in range(2)])
    fork = seal({**make_record(field.assignment.id, media=evidence(5)), "previous_hash": a["content_hash"]})
    restart = make_record(field.assignment.id, media=evidence(6), previous_hash=None)
    statuses = [r["chain_status"] for r in phone.push_ok([a, b])["results"]]
    assert statuses == ["ok", "ok"]
    statuses = [r["chain_status"] for r in phone.push_ok([fork, restart])["results"]]
    assert statuses == ["broken", "broken"]
    db.session.expire_all()
    assert db.session.get(Diligence, b["id"]).chain_status == "broken"  # both sides of the fork
    assert db.session.get(Diligence, a["id"]).chain_status == "broken"  # both starts


def test_each_phone_has_its_own_chain(client, phone, field):
    second = ApiPhone.enroll(client, field.notifier, "Segundo teléfono")
    assert only(phone.push_ok([make_record(field.assignment.id, media=evidence(1))]))["chain_status"] == "ok"
    assert only(second.push_ok([make_record(field.assignment.id, media=evidence(2))]))["chain_status"] == "ok"


# Clocks ------------------------------------------------------------------------------------

def test_device_time_and_server_time_are_both_kept_and_a_large_drift_flagged(phone, field):
    now = datetime.now(UTC)
    slow = make_record(field.assignment.id, media=evidence(1))
    result = only(phone.push_ok([slow], device_time=format_timestamp(now - timedelta(minutes=42))))
    assert "clock_drift" in result["flags"]
    stored = db.session.get(Diligence, slow["id"])
    assert -2530 < stored.clock_offset_seconds < -2510
    assert stored.captured_at == datetime(2026, 3, 10, 18, 41, tzinfo=UTC)
    assert abs((stored.received_at - now).total_seconds()) < 60
    fine = make_record(field.assignment.id, media=evidence(2))
    assert "clock_drift" not in only(phone.push_ok([fine]))["flags"]
    future = make_record(field.assignment.id, media=evidence(3),
                         captured_at=format_timestamp(now + timedelta(hours=3)))
    assert "clock_drift" in only(phone.push_ok([future]))["flags"]


# Corrections are new versions ------------------------------------------------------------------

def test_a_returned_record_is_corrected_by_a_new_version_that_names_it(phone, field):
    original = make_record(field.assignment.id, media=evidence(1))
    phone.push_ok([original])
    stored = db.session.get(Diligence, original["id"])
    decide(stored, "returned", actor=field.supervisor, observations="Falta el número de la INE.")
    db.session.commit()
    assert field.assignment.status == "returned"
    corrected = copy.deepcopy(original)
    corrected["facts"]["attendee"]["id_number"] = "RUSP900211"
    correction = make_record(field.assignment.id, facts=corrected["facts"], media=evidence(1),
                             replaces=original["id"], previous_hash=original["content_hash"])
    result = only(phone.push_ok([correction]))
    assert result["status"] == "accepted" and result["version"] == 2
    assert result["replaces"] == original["id"]
    db.session.expire_all()
    old = db.session.get(Diligence, original["id"])
    new = db.session.get(Diligence, correction["id"])
    assert old.superseded_by_id == new.id and old.review_state == "returned"
    assert new.root_id == old.id and new.review_state == "received"
    assert old.content_hash == original["content_hash"]  # the old version is untouched
    assert new.assignment.status == "in_progress"
    again = make_record(field.assignment.id, media=evidence(1), replaces=original["id"])
    assert only(phone.push_ok([again]))["errors"][0]["rule"] == "S-REPLACES"


def test_an_approved_or_foreign_version_cannot_be_replaced(phone, field):
    original = make_record(field.assignment.id, media=evidence(1))
    phone.push_ok([original])
    decide(db.session.get(Diligence, original["id"]), "approved", actor=field.supervisor)
    db.session.commit()
    correction = make_record(field.assignment.id, media=evidence(1), replaces=original["id"])
    unknown = make_record(field.assignment.id, media=evidence(1),
                          replaces="00000000-0000-4000-8000-000000000000")
    results = phone.push_ok([correction, unknown])["results"]
    assert [r["errors"][0]["rule"] for r in results] == ["S-REPLACES", "S-REPLACES"]


def test_credit_rows_are_untouched_by_a_rejected_batch_member(phone, field):
    bad = make_record(field.assignment.id, kind="notification", media=evidence())
    bad["content_hash"] = "f" * 64
    phone.push_ok([bad])
    credit = db.session.get(Credit, field.document.credits[0].id)
    assert credit.status == "issued"
