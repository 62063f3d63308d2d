"""Loading tests/legal/vectors.json: the packs its cases name, and how Python answers a case.

Shared by test_vectors.py (Python) and test_vectors_browser.py (legal.js in Chromium).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from fieldapp.legal import deadlines
from fieldapp.legal.calendar import BusinessCalendar, HoursEnablement
from fieldapp.legal.checks import Finding
from fieldapp.legal.costs import CostBracket, diligence_costs, enforcement_costs
from fieldapp.legal.pack import calendar_from_pack, cost_table_from_pack, field_pack

VECTORS_PATH = Path(__file__).with_name("vectors.json")
VECTORS: dict[str, Any] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
FACT_CASES = [c for c in VECTORS["cases"] if "facts" in c]
FN_CASES = [c for c in VECTORS["cases"] if "fn" in c]
# Functions legal.js implements too; the others are office-side only.
JS_FNS = {"is_business_day", "next_business_day", "add_business_days", "is_business_time",
          "propose_citatorio_appointment", "enforcement_costs"}


def office_calendar(name: str) -> BusinessCalendar:
    """The office's full calendar (statutory list from ``holidays`` + its extra days)."""
    spec = VECTORS["packs"][name]
    extra = [date.fromisoformat(d) for d in spec.get("extra_non_business_days", [])]
    enablements = [HoursEnablement(e["folio"], date.fromisoformat(e["first_day"]),
                                   date.fromisoformat(e["last_day"]),
                                   time.fromisoformat(e["hours_from"]),
                                   time.fromisoformat(e["hours_to"]))
                   for e in spec.get("hour_enablements", [])]
    return BusinessCalendar(extra, tz=spec["tz"], enablements=enablements)


@cache
def _pack_json(name: str) -> str:
    spec = VECTORS["packs"][name]
    costs = None
    if "costs" in spec:
        costs = [CostBracket(date.fromisoformat(b["valid_from"]),
                             None if b["valid_to"] is None else date.fromisoformat(b["valid_to"]),
                             Decimal(b["minimum"]), Decimal(b["maximum"]), Decimal(b["rate"]),
                             b["note"]) for b in spec["costs"]]
    pack = field_pack(office_calendar(name), date.fromisoformat(spec["start"]), spec["days"],
                      costs=costs, tolerance_minutes=spec.get("tolerance_minutes", 15),
                      friday_rule=spec.get("friday_rule", True),
                      gps_warn_distance_m=spec.get("gps_warn_distance_m", 1000),
                      gps_max_accuracy_m=spec.get("gps_max_accuracy_m", 100))
    return json.dumps(pack)


def pack_for(name: str) -> dict[str, Any]:
    """The legal pack the phone would download for the named office (a fresh copy)."""
    return json.loads(_pack_json(name))


def finding_keys(findings: list[dict[str, Any]] | list[Finding]) -> list[tuple]:
    """Findings as sorted (rule_id, severity, field): the multiset a vector expects."""
    rows = [f.to_dict() if isinstance(f, Finding) else f for f in findings]
    return sorted((r["rule_id"], r["severity"], r["field"]) for r in rows)


def call_python(case: dict[str, Any], cal: BusinessCalendar, pack: dict[str, Any]) -> Any:
    """What fieldapp.legal answers for a function case, in the JSON form of ``expect``."""
    a, fn = case["args"], case["fn"]
    day = date.fromisoformat
    friday = pack["friday_rule"]
    result: Any
    if fn == "is_business_day":
        result = cal.is_business_day(day(a["d"]))
    elif fn == "next_business_day":
        result = cal.next_business_day(day(a["d"]))
    elif fn == "add_business_days":
        result = cal.add_business_days(day(a["d"]), a["n"])
    elif fn == "is_business_time":
        result = cal.is_business_time(datetime.fromisoformat(a["dt"]))
    elif fn == "propose_citatorio_appointment":
        preferred = time.fromisoformat(a["preferred"]) if "preferred" in a else None
        result = deadlines.propose_citatorio_appointment(
            datetime.fromisoformat(a["issued_at"]), cal, preferred)
    elif fn == "enforcement_costs":
        result = enforcement_costs(Decimal(a["base"]), day(a["on"]), cost_table_from_pack(pack))
    elif fn == "diligence_costs":
        result = diligence_costs([Decimal(b) for b in a["credit_bases"]], day(a["on"]),
                                 a["acts"], cost_table_from_pack(pack))
    elif fn == "payment_deadline":
        result = deadlines.payment_deadline(day(a["notified_on"]), cal, friday)
    elif fn == "takes_effect_on":
        result = deadlines.takes_effect_on(day(a["notified_on"]), cal)
    elif fn == "clarification_deadline":
        result = deadlines.clarification_deadline(day(a["notified_on"]), cal, friday)
    elif fn == "clarification_answer_deadline":
        result = deadlines.clarification_answer_deadline(day(a["filed_on"]), cal)
    elif fn == "estrados_notification_date":
        result = deadlines.estrados_notification_date(day(a["published_on"]), cal)
    elif fn == "real_estate_proof_deadline":
        result = deadlines.real_estate_proof_deadline(day(a["seized_on"]), cal)
    elif fn == "prescription_date":
        result = deadlines.prescription_date(
            day(a["demandable_on"]), [day(d) for d in a.get("interruptions", [])],
            cal if a.get("calendar") else None)
    elif fn == "enforcement_gate":
        flags = {k: a.get(k, False)
                 for k in ("paid", "guaranteed", "suspended", "open_clarification")}
        findings = deadlines.enforcement_gate(notified_on=day(a["notified_on"]),
                                              today=day(a["today"]), cal=cal,
                                              friday_rule=friday, **flags)
        result = [{"rule_id": f.rule_id, "severity": f.severity, "field": f.field}
                  for f in findings]
    else:
        raise AssertionError(f"unknown function in vectors.json: {fn}")
    if isinstance(result, date | datetime):
        return result.isoformat()
    if isinstance(result, Decimal):
        return str(result)
    return result


def pack_calendar(name: str) -> BusinessCalendar:
    return calendar_from_pack(pack_for(name))
