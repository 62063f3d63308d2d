"""check_diligence: one named test per field rule (the vectors hold many more cases)."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from fieldapp.legal import checks
from fieldapp.legal.calendar import BusinessCalendar
from fieldapp.legal.checks import (
    CHECKS_BY_KIND,
    CheckParams,
    Finding,
    check_diligence,
    notified_personally,
    rules_checked,
)
from fieldapp.legal.facts import DiligenceFacts
from fieldapp.legal.messages import LABELS, MESSAGES
from tests.legal.vectors import FACT_CASES

ROOT = Path(__file__).resolve().parents[2]
PARAMS = CheckParams(BusinessCalendar([datetime(2026, 4, 2).date()]))


def facts_of(case_id: str, **changes: Any) -> dict[str, Any]:
    facts = copy.deepcopy(next(c["facts"] for c in FACT_CASES if c["id"] == case_id))
    facts.update(copy.deepcopy(changes))
    return facts


def judged(facts: dict[str, Any], params: CheckParams = PARAMS) -> list[tuple[str, str, Any]]:
    return [(f.rule_id, f.severity, f.field) for f in check_diligence(facts, params)]


def test_clean_records_of_every_kind() -> None:
    for case_id in ("cal3-clean-personal-notification", "not3-citatorio-clean",
                    "not4-posting-clean", "not5-follow-up-clean", "not10-clean",
                    "pae1-proof-shown", "pae4-seizure-clean", "pae7-extension-covers",
                    "not10-localization-found"):
        assert judged(facts_of(case_id)) == [], case_id
    assert set(CHECKS_BY_KIND) == {"citatorio", "posting_record", "notification", "not_located",
                                   "payment_demand", "seizure", "seizure_extension",
                                   "localization"}


def test_R_GPS_1_a_fix_far_from_the_address_asks_why_in_es_MX_units() -> None:
    """R-GPS-1: "a 460.2 km", never meters by the hundred thousand; the threshold is config."""
    [finding] = check_diligence(facts_of("gps1-far-from-address"), PARAMS)
    assert (finding.rule_id, finding.severity, finding.field) == ("R-GPS-1", "warn", "gps")
    assert re.search(r"La posición GPS está a \d{3}\.\d km del domicilio registrado \(más de "
                     r"1\.0 km\)", finding.message), finding.message
    assert judged(facts_of("gps1-far-from-address"),
                  replace(PARAMS, gps_warn_distance_m=500_000)) == []


def test_R_GPS_2_no_fix_or_a_poor_one_blocks_and_says_what_to_do() -> None:
    """R-GPS-2: the message tells the field user to wait for signal or go outside."""
    [missing] = check_diligence(facts_of("gps2-no-fix"), PARAMS)
    assert (missing.rule_id, missing.severity) == ("R-GPS-2", "block")
    assert "Espere la señal o salga a un lugar abierto" in missing.message
    [poor] = check_diligence(facts_of("gps2-poor-fix"), PARAMS)
    assert "precisión de ±250 m, peor que el límite de 100 m" in poor.message
    assert judged(facts_of("gps2-poor-fix"), replace(PARAMS, gps_max_accuracy_m=300)) == []


def test_R_CAL_3_outside_hours_blocks_with_the_local_time() -> None:
    """R-CAL-3: the message shows the local time and the configured hours."""
    facts = facts_of("cal3-clean-personal-notification", started_at="2026-03-10T19:00:00-06:00",
                     finished_at="2026-03-10T19:30:00-06:00")
    [finding] = check_diligence(facts, PARAMS)
    assert (finding.rule_id, finding.severity, finding.field) == ("R-CAL-3", "block",
                                                                  "started_at")
    assert "19:00" in finding.message and "07:30 a 18:00" in finding.message
    late_office = CheckParams(BusinessCalendar(hours_end=datetime(2026, 1, 1, 20).time()))
    assert judged(facts, late_office) == []


def test_R_CAL_4_finishing_late_warns_except_an_embargo() -> None:
    """R-CAL-4: a notification begun in hours may end late (warn); an embargo may run on."""
    late = {"started_at": "2026-03-12T17:30:00-06:00", "finished_at": "2026-03-12T19:00:00-06:00"}
    assert judged(facts_of("cal3-clean-personal-notification", **late)) == [
        ("R-CAL-4", "warn", "finished_at")]
    assert judged(facts_of("pae4-seizure-clean", **late)) == []


def test_R_CAL_4_now_stands_for_a_missing_finish() -> None:
    facts = facts_of("cal3-clean-personal-notification")
    del facts["finished_at"]
    assert judged(facts) == [("R-NOT-8", "block", "finished_at")]
    now = datetime.fromisoformat("2026-03-10T18:30:00-06:00")
    assert [(f.rule_id, f.field) for f in check_diligence(facts, PARAMS, now=now)] == [
        ("R-CAL-4", "finished_at")]


def test_R_NOT_2_employer_registration_address_warns() -> None:
    """R-NOT-2: warn when only the employer-registration address was used."""
    address = {"text": "Calle 5 núm. 10", "origin": "employer_registration"}
    assert judged(facts_of("not3-citatorio-clean", address=address)) == [
        ("R-NOT-2", "warn", "address.origin")]
    assert judged(facts_of("cal3-clean-personal-notification", address=address)) == []


def test_R_NOT_3_citatorio_needs_next_business_day() -> None:
    """R-NOT-3: the appointment is on the next business day (Fri 13/03 → Tue 17/03)."""
    [finding] = check_diligence(facts_of("not3-appointment-on-holiday-monday"), PARAMS)
    assert finding.rule_id == "R-NOT-3" and finding.severity == "block"
    assert "16/03/2026" in finding.message and "17/03/2026" in finding.message


def test_R_NOT_3_first_visit_only_with_addressee_or_representative() -> None:
    facts = facts_of("not3-first-visit-with-employee")
    assert judged(facts) == [("R-NOT-3", "block", "attendee.capacity")]
    facts["citatorio"] = {"issued_at": "2026-03-09T12:00:00-06:00",
                          "appointed_at": "2026-03-10T10:00:00-06:00"}
    assert judged(facts) == []


def test_R_NOT_4_nobody_receives_the_citatorio() -> None:
    """R-NOT-4: posted at the entrance with a photo, recorded as constancia de fijación."""
    assert judged(facts_of("not4-citatorio-nobody")) == [("R-NOT-4", "block", "attendee")]
    assert judged(facts_of("not4-posting-clean", media=[{"role": "facade"}])) == [
        ("R-NOT-4", "block", "media.posting")]


def test_R_NOT_5_follow_up_before_the_hour_blocks_and_late_warns() -> None:
    """R-NOT-5: block before the hour or on another day, warn beyond the tolerance."""
    assert judged(facts_of("not5-follow-up-clean", started_at="2026-03-11T11:50:00-06:00")) == [
        ("R-NOT-5", "block", "started_at")]
    late = facts_of("not5-follow-up-clean", started_at="2026-03-11T12:40:00-06:00")
    [finding] = check_diligence(late, PARAMS)
    assert (finding.rule_id, finding.severity) == ("R-NOT-5", "warn")
    assert "40 minutos" in finding.message and "15 minutos" in finding.message
    assert judged(late, CheckParams(PARAMS.calendar, follow_up_tolerance_minutes=45)) == []


def test_R_NOT_6_refusal_goes_to_estrados_without_instructivo() -> None:
    """R-NOT-6: a refusal sends the act to estrados; no instructivo is offered."""
    [finding] = check_diligence(facts_of("not6-follow-up-refused"), PARAMS)
    assert (finding.rule_id, finding.severity) == ("R-NOT-6", "warn")
    assert "estrados" in finding.message and "instructivo" in finding.message


def test_R_NOT_7_signature_or_recorded_refusal() -> None:
    """R-NOT-7: name and signature of who received, or their refusal."""
    assert judged(facts_of("not7-signature-missing")) == [("R-NOT-7", "block", "media.signature")]
    assert judged(facts_of("not7-signature-missing", refused_to_sign=True)) == []


def test_R_NOT_8_circumstantiation_of_the_acta() -> None:
    """R-NOT-8: verification of the address, people asked, attendee's identity, copy,
    credential valid on the diligence date."""
    facts = facts_of("cal3-clean-personal-notification", address_verification=[],
                     addressee_asked=False, copy_delivered=False)
    facts["field_user"]["valid_until"] = "2026-03-01"
    facts["attendee"]["id_number"] = None
    assert judged(facts) == [
        ("R-NOT-8", "block", "field_user.valid_until"),
        ("R-NOT-8", "block", "address_verification"),
        ("R-NOT-8", "block", "addressee_asked"),
        ("R-NOT-8", "block", "attendee.id_number"),
        ("R-NOT-8", "block", "copy_delivered"),
    ]


def test_R_NOT_9_prefilled_or_early_on_site_facts_block() -> None:
    """R-NOT-9: facts known only on site are entered on site, never from a template."""
    facts = facts_of("not3-citatorio-clean", prefilled=["absence_informant"])
    facts["entered_at"]["attendee.relationship"] = "2026-03-10T08:00:00-06:00"
    findings = check_diligence(facts, PARAMS)
    assert [(f.rule_id, f.field) for f in findings] == [
        ("R-NOT-9", "absence_informant"), ("R-NOT-9", "attendee.relationship")]
    assert "plantilla" in findings[0].message and "08:00" in findings[1].message


def test_R_NOT_10_temporary_absence_needs_a_citatorio() -> None:
    """R-NOT-10: not located needs evidence; a temporary absence is not 'not located'."""
    assert judged(facts_of("not10-temporary-absence")) == [
        ("R-NOT-10", "block", "not_located.reason")]
    assert judged(facts_of("not10-no-evidence")) == [("R-NOT-10", "block", "not_located")]


def test_R_NOT_1_personal_notification_of_a_cedula() -> None:
    """R-NOT-1: a notification counts as personal, with a copy, only when nothing blocks."""
    clean = DiligenceFacts.from_dict(facts_of("cal3-clean-personal-notification"))
    assert notified_personally(clean, check_diligence(clean, PARAMS))
    follow_up = DiligenceFacts.from_dict(facts_of("not5-follow-up-late"))
    assert notified_personally(follow_up, check_diligence(follow_up, PARAMS))  # a warning only
    for case_id in ("not6-follow-up-refused", "not3-first-visit-with-employee",
                    "not8-copy-not-delivered", "not3-citatorio-clean"):
        facts = DiligenceFacts.from_dict(facts_of(case_id))
        assert not notified_personally(facts, check_diligence(facts, PARAMS)), case_id


def test_R_PAE_1_proof_of_payment_ends_the_diligence() -> None:
    """R-PAE-1: proof recorded; a cheque with its data and receipt number; no seizure then."""
    assert judged(facts_of("pae1-proof-without-document")) == [
        ("R-PAE-1", "block", "payment.proof_document")]
    assert judged(facts_of("pae1-seizure-after-proof")) == [
        ("R-PAE-1", "block", "payment.outcome")]


def test_R_PAE_2_executor_credential_valid_on_the_day() -> None:
    """R-PAE-2: executor's credential complete (RCFF 97) and valid on the diligence date."""
    facts = facts_of("pae1-proof-shown")
    facts["field_user"] = {**facts["field_user"], "valid_until": "2026-03-11",
                           "has_signature": False}
    assert judged(facts) == [("R-PAE-2", "block", "field_user.has_signature"),
                             ("R-PAE-2", "block", "field_user.valid_until")]


def test_R_PAE_4_attendee_designates_in_legal_order() -> None:
    """R-PAE-4: order I → IV, known categories, sworn statement for real estate, witnesses."""
    [finding] = check_diligence(facts_of("pae4-attendee-out-of-order"), PARAMS)
    assert finding.rule_id == "R-PAE-4" and "fracción I antes que III" in finding.message
    assert judged(facts_of("pae4-real-estate-without-statement")) == [
        ("R-PAE-4", "block", "seizure.real_estate_statement")]
    assert judged(facts_of("pae4-one-witness")) == [("R-PAE-4", "block", "seizure.witnesses")]


def test_R_PAE_5_executor_names_the_cff_156_reason() -> None:
    """R-PAE-5: the executor departs from the order only for a CFF 156 reason."""
    assert judged(facts_of("pae5-executor-without-reason")) == [
        ("R-PAE-5", "block", "seizure.executor_reason")]


def test_R_PAE_6_exempt_goods_block() -> None:
    """R-PAE-6: CFF 157 goods are never seized."""
    [finding] = check_diligence(facts_of("pae6-exempt-household-furniture"), PARAMS)
    assert (finding.rule_id, finding.severity) == ("R-PAE-6", "block")
    assert "CFF 157 II" in finding.message and "bien 3" in finding.message


def test_R_PAE_7_seized_value_against_amount_secured() -> None:
    """R-PAE-7: warn when the goods do not cover the amount secured, or deposits exceed it."""
    [finding] = check_diligence(facts_of("pae7-insufficient"), PARAMS)
    assert finding.severity == "warn"
    assert "$285,000.00" in finding.message and "$500,000.00" in finding.message
    assert judged(facts_of("pae7-bank-deposits-over-amount")) == [
        ("R-PAE-7", "warn", "seizure.items")]


def test_R_PAE_8_custodian_and_seals() -> None:
    """R-PAE-8: custodian, who appointed them, where the goods stay; a seal on each good."""
    facts = facts_of("pae4-seizure-clean")
    facts["seizure"]["custodian"] = {"name": "Luis"}
    facts["seizure"]["items"][1]["seal"] = None
    assert judged(facts) == [("R-PAE-8", "block", "seizure.custodian.appointed_by"),
                             ("R-PAE-8", "block", "seizure.custodian.location"),
                             ("R-PAE-8", "block", "seizure.items[1].seal")]


def test_R_PAE_9_third_party_claim_releases_the_good() -> None:
    """R-PAE-9: a documented third-party claim releases the good provisionally (not counted,
    no seal); an undocumented one blocks."""
    assert judged(facts_of("pae9-third-party-claim-documented")) == []
    assert judged(facts_of("pae9-claim-leaves-embargo-short")) == [
        ("R-PAE-7", "warn", "seizure.items")]
    assert judged(facts_of("pae9-third-party-claim-undocumented")) == [
        ("R-PAE-9", "block", "seizure.items[1].third_party_claim")]


def test_R_PAE_10_locks_need_order_and_two_witnesses() -> None:
    """R-PAE-10: public force with its reason; locks broken on a prior order, two witnesses."""
    assert judged(facts_of("pae10-locks-broken-with-order")) == []
    assert judged(facts_of("pae10-one-witness")) == [("R-PAE-10", "block", "seizure.witnesses")]
    assert judged(facts_of("pae10-order-after-diligence")) == [
        ("R-PAE-10", "block", "obstruction.lock_order_date")]


def test_finding_to_dict() -> None:
    finding = Finding("R-NOT-5", "warn", "Tarde.", "started_at")
    assert finding.to_dict() == {"rule_id": "R-NOT-5", "severity": "warn", "message": "Tarde.",
                                 "field": "started_at"}
    with pytest.raises(AttributeError):
        finding.severity = "block"  # type: ignore[misc]


def test_every_message_and_label_is_used() -> None:
    """No dead texts: each message key appears in the Python checks or deadlines (generic
    'missing.<rule>' through missing("<rule>", ...)), and each label is a field that a check
    names (or an on-site fact, R-NOT-9)."""
    sources = "".join((ROOT / "fieldapp" / "legal" / name).read_text(encoding="utf-8")
                      for name in ("checks.py", "deadlines.py"))
    for key in MESSAGES:
        if key.startswith("missing."):
            assert f'missing("{key.removeprefix("missing.")}"' in sources, key
        else:
            assert f'"{key}"' in sources, key
    for key in LABELS:
        if key.startswith("on_site."):
            assert key.removeprefix("on_site.") in checks.ON_SITE_FIELDS
        else:
            assert f'"{key}"' in sources or f'"{key.rpartition(".")[2]}"' in sources, key


def test_legal_js_mirrors_the_python_registry() -> None:
    """legal.js runs the same checks, same order, for every kind, and uses only known keys."""
    js = (ROOT / "static" / "js" / "legal.js").read_text(encoding="utf-8")

    def camel(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(p.title() for p in rest)

    groups = {name: re.findall(r"\w+", body) for name, body in
              re.findall(r"const (COMMON|ATTENDED|FOLLOW_UP|GOODS) = \[(.*?)\];", js, re.S)}
    registry = re.search(r"CHECKS_BY_KIND = \{(.*?)\n\};", js, re.S)
    assert registry is not None
    for kind, body in re.findall(r"(\w+): \[(.*?)\],", registry.group(1), re.S):
        names = []
        for token in re.findall(r"(\.\.\.)?(\w+)", body):
            names += groups[token[1]] if token[0] else [token[1]]
        assert names == [camel(n) for n in rules_checked()[kind]], kind
    for key in set(re.findall(r'"((?:cal|not|pae)\d+\.\w+)"', js)):
        assert key in MESSAGES, key
