"""Field checks of one diligence: which rules of docs/legal-rules.md its facts break.

Each rule is a small function ``(facts, params) -> findings`` named after what it checks;
``CHECKS_BY_KIND`` says which run for each kind of diligence. static/js/legal.js mirrors this
module function by function (same names in camelCase, same order, same messages), and
tests/legal/vectors.json holds the cases both must agree on.

R-PAE-2 asks executors for the notification formalities (R-NOT-3…8): executor kinds run those
same checks, which report their R-NOT id; the executor's credential and the copy delivered
report R-PAE-2.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from geopy.distance import great_circle

from fieldapp.legal.calendar import BusinessCalendar
from fieldapp.legal.facts import EXECUTOR_KINDS, DiligenceFacts, NewAddress, SeizedItem, Seizure
from fieldapp.legal.goods import FRACTION_ORDER, ITEM_CATEGORIES, ItemCategory, is_exempt
from fieldapp.legal.messages import (
    ADDRESS_ORIGIN_LABELS,
    LABELS,
    fmt_date,
    fmt_distance,
    fmt_money,
    fmt_time,
    half_up,
    render,
)

Severity = Literal["block", "warn", "note"]
DEFAULT_TOLERANCE_MINUTES = 15  # R-NOT-5, config
DEFAULT_GPS_WARN_DISTANCE_M = 1000  # R-GPS-1, config
DEFAULT_GPS_MAX_ACCURACY_M = 100  # R-GPS-2, config
PERSONAL_CAPACITIES = frozenset({"addressee", "legal_representative"})


@dataclass(frozen=True)
class Finding:
    """One rule a record breaks: ``block`` refuses to finalise it, ``warn`` asks for a reason;
    a ``note`` only states how a rule was met (e.g. under a habilitación, R-CAL-3)."""

    rule_id: str
    severity: Severity
    message: str
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "severity": self.severity, "message": self.message,
                "field": self.field}


@dataclass(frozen=True)
class CheckParams:
    """What the checks need besides the facts: the office's calendar (time zone, business
    hours, non-business days), the follow-up tolerance (R-NOT-5, config) and the GPS limits
    (R-GPS-1, R-GPS-2, config)."""

    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    follow_up_tolerance_minutes: int = DEFAULT_TOLERANCE_MINUTES
    gps_warn_distance_m: int = DEFAULT_GPS_WARN_DISTANCE_M
    gps_max_accuracy_m: int = DEFAULT_GPS_MAX_ACCURACY_M

    @property
    def tz(self) -> str:
        return self.calendar.tz


Findings = Iterator[Finding]
Check = Callable[[DiligenceFacts, CheckParams], Findings]


def block(rule_id: str, key: str, field: str | None, **params: str) -> Finding:
    return Finding(rule_id, "block", render(key, **params), field)


def warn(rule_id: str, key: str, field: str | None, **params: str) -> Finding:
    return Finding(rule_id, "warn", render(key, **params), field)


def note(rule_id: str, key: str, field: str | None, **params: str) -> Finding:
    return Finding(rule_id, "note", render(key, **params), field)


def missing(rule_id: str, field: str, severity: Severity = "block") -> Finding:
    return Finding(rule_id, severity, render(f"missing.{rule_id}", label=LABELS[field]), field)


def _start_date(f: DiligenceFacts, p: CheckParams) -> date | None:
    return None if f.started_at is None else p.calendar.local_date(f.started_at)


def _has_valid_enablement(f: DiligenceFacts, p: CheckParams) -> bool:
    e, on = f.enablement, _start_date(f, p)
    return (e is not None and bool(e.number and e.signer) and e.issued_on is not None
            and on is not None and e.issued_on <= on)


# R-CAL-3 / R-CAL-4 ------------------------------------------------------------------------

def starts_in_business_time(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-CAL-3: start on a business day within business hours, or hold a habilitación: the
    diligence's own (number, date, signer, dated no later than the diligence) or one the office
    recorded for that day and hour, which the finding names by its folio."""
    if f.started_at is None or p.calendar.is_business_time(f.started_at):
        return
    cal, local = p.calendar, p.calendar.local(f.started_at)
    e = f.enablement
    office_enablement = cal.enablement_at(f.started_at) if e is None else None
    if office_enablement is not None:
        yield note("R-CAL-3", "cal3.under_office_enablement", "started_at",
                   folio=office_enablement.folio, date=fmt_date(local.date()),
                   time=fmt_time(local))
    elif e is None:
        if not cal.is_business_day(local.date()):
            yield block("R-CAL-3", "cal3.non_business_day", "started_at",
                        date=fmt_date(local.date()))
        else:
            yield block("R-CAL-3", "cal3.outside_hours", "started_at", time=fmt_time(local),
                        start=fmt_time(cal.hours_start), end=fmt_time(cal.hours_end))
    elif not (e.number and e.issued_on and e.signer):
        yield missing("R-CAL-3", "enablement")
    elif e.issued_on > local.date():
        yield block("R-CAL-3", "cal3.enablement_after_diligence", "enablement.issued_on",
                    date=fmt_date(e.issued_on))


def ends_within_business_hours(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-CAL-4: a diligence begun in business time may end late, but the acta should say so."""
    if f.started_at is None or f.finished_at is None:
        return
    cal = p.calendar
    if not cal.is_business_time(f.started_at) or _has_valid_enablement(f, p):
        return
    end = cal.local(f.finished_at)
    if end.date() == cal.local_date(f.started_at) and cal.within_business_hours(f.finished_at):
        return
    yield warn("R-CAL-4", "cal4.finished_late", "finished_at", date=fmt_date(end.date()),
               time=fmt_time(end), end=fmt_time(cal.hours_end))


# R-GPS-1 / R-GPS-2: where the phone was -----------------------------------------------------

def gps_fix_is_usable(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-GPS-2: finalizing needs a GPS fix, at least as accurate as the office's limit."""
    g = f.gps
    if g is None or g.latitude is None or g.longitude is None or g.accuracy_m is None:
        yield block("R-GPS-2", "gps2.no_fix", "gps")
    elif g.accuracy_m > p.gps_max_accuracy_m:
        yield block("R-GPS-2", "gps2.poor_fix", "gps", accuracy=f"±{half_up(g.accuracy_m)} m",
                    limit=f"{p.gps_max_accuracy_m} m")


def gps_near_address(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-GPS-1: a fix farther from the address on file than the office's threshold asks the
    field user why (a wrong geocode, a new address…)."""
    g, at = f.gps, f.address_location
    if (g is None or g.latitude is None or g.longitude is None or at is None
            or at.latitude is None or at.longitude is None):
        return
    km = great_circle((g.latitude, g.longitude), (at.latitude, at.longitude)).km
    if km * 1000 > p.gps_warn_distance_m:
        yield warn("R-GPS-1", "gps1.far_from_address", "gps", distance=fmt_distance(km),
                   limit=fmt_distance(p.gps_warn_distance_m / 1000))


# R-NOT-2 / R-NOT-8: the place and the people -----------------------------------------------

def times_recorded(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8: the acta states the date and time of the diligence."""
    if f.started_at is None:
        yield missing("R-NOT-8", "started_at")
    if f.finished_at is None:
        yield missing("R-NOT-8", "finished_at")
    elif f.started_at is not None and f.finished_at < f.started_at:
        yield block("R-NOT-8", "not8.finished_before_start", "finished_at")


def address_recorded(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8: the acta names the address where the diligence took place."""
    if f.address is None or f.address.text is None:
        yield missing("R-NOT-8", "address")


def address_origin_is_fiscal(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-2: cédulas go to the fiscal address; anywhere is fine with the addressee in person."""
    if f.address is None or f.address.text is None:
        return
    origin = f.address.origin
    if origin is None:
        yield warn("R-NOT-2", "not2.origin_missing", "address.origin")
    elif origin in ("employer_registration", "other") and not _attended_personally(f):
        yield warn("R-NOT-2", "not2.not_fiscal", "address.origin",
                   origin=ADDRESS_ORIGIN_LABELS[origin])


def _attended_personally(f: DiligenceFacts) -> bool:
    return f.attendee is not None and f.attendee.capacity in PERSONAL_CAPACITIES


def address_verified(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8: how the address was verified; a photo claimed is a photo taken."""
    if not f.address_verification:
        yield missing("R-NOT-8", "address_verification")
    elif "photo" in f.address_verification and "facade" not in f.media_roles:
        yield block("R-NOT-8", "not8.facade_photo_missing", "media.facade")


def addressee_asked(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8: the addressee, and for a company its legal representative, were asked for."""
    if f.addressee_type is None:
        yield missing("R-NOT-8", "addressee_type")
    if not f.addressee_asked:
        yield missing("R-NOT-8", "addressee_asked")
    representative_attended = (f.attendee is not None
                               and f.attendee.capacity == "legal_representative")
    if (f.addressee_type == "company" and not f.representative_asked
            and not representative_attended):
        yield missing("R-NOT-8", "representative_asked")


def absence_explained(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8: why the addressee was absent and who said so, whenever someone else attends."""
    if f.kind != "citatorio" and (f.attendee is None or _attended_personally(f)):
        return
    if f.absence_reason is None:
        yield missing("R-NOT-8", "absence_reason")
    if f.absence_informant is None:
        yield missing("R-NOT-8", "absence_informant")


def attendee_present(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8: the acta names the person the diligence was carried out with."""
    if f.attendee is None:
        yield missing("R-NOT-8", "attendee")


def attendee_identified(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8: attendee's identity document (or that they gave none), capacity, relationship."""
    a = f.attendee
    if a is None:
        return
    if not ((a.id_type and a.id_number) or a.not_identified):
        yield missing("R-NOT-8", "attendee.id_number")
    if a.capacity is None:
        yield missing("R-NOT-8", "attendee.capacity")
    if a.capacity != "addressee" and a.relationship is None:
        yield missing("R-NOT-8", "attendee.relationship")


def representation_proven(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8: a legal representative's notarial power (number, notary, date)."""
    a = f.attendee
    if a is None or a.capacity != "legal_representative":
        return
    power = a.power
    if power is None or not (power.instrument_number and power.notary and power.granted_on):
        yield missing("R-NOT-8", "attendee.power")


def copy_delivered(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8 (R-PAE-2 for executors): a copy of the act went to the attendee."""
    if f.attendee is None or f.refused_to_receive or f.copy_delivered:
        return
    yield missing("R-PAE-2" if f.kind in EXECUTOR_KINDS else "R-NOT-8", "copy_delivered")


def field_user_identified(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8 / R-PAE-2: the field user's credential is in the acta and valid that day."""
    rule = "R-PAE-2" if f.kind in EXECUTOR_KINDS else "R-NOT-8"
    u = f.field_user
    if u is None:
        yield missing(rule, "field_user")
        return
    required: tuple[str, ...] = ("credential_number", "valid_until", "issuer")
    if f.kind in EXECUTOR_KINDS:  # RCFF 97 lists more for executors
        required = ("name", "credential_number", "issued_on", "valid_until", "issuer",
                    "legal_basis", "has_photo", "has_signature")
    for name in required:
        if not getattr(u, name):
            yield missing(rule, f"field_user.{name}")
    on = _start_date(f, p)
    if on is None:
        return
    executor = rule == "R-PAE-2"
    if u.valid_until is not None and u.valid_until < on:
        key = "pae2.credential_expired" if executor else "not8.credential_expired"
        yield block(rule, key, "field_user.valid_until", date=fmt_date(u.valid_until))
    if u.issued_on is not None and u.issued_on > on:
        key = "pae2.credential_not_yet_valid" if executor else "not8.credential_not_yet_valid"
        yield block(rule, key, "field_user.issued_on", date=fmt_date(u.issued_on))


# R-NOT-3 / 4 / 5 / 6 / 7: citatorio, follow-up, refusal, signature ---------------------------

def citatorio_sets_next_business_day(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-3: the citatorio fixes an hour, within business hours, of the next business day."""
    if f.appointment_at is None:
        yield missing("R-NOT-3", "appointment_at")
        return
    cal = p.calendar
    appointed = cal.local(f.appointment_at)
    issued_on = _start_date(f, p)
    if issued_on is not None:
        expected = cal.next_business_day(issued_on)
        if not cal.is_business_day(appointed.date()):
            yield block("R-NOT-3", "not3.appointment_non_business_day", "appointment_at",
                        date=fmt_date(appointed.date()), expected=fmt_date(expected))
        elif appointed.date() != expected:
            yield block("R-NOT-3", "not3.appointment_not_next_business_day", "appointment_at",
                        date=fmt_date(appointed.date()), expected=fmt_date(expected))
    if not cal.within_business_hours(f.appointment_at):
        yield block("R-NOT-3", "not3.appointment_outside_hours", "appointment_at",
                    time=fmt_time(appointed), start=fmt_time(cal.hours_start),
                    end=fmt_time(cal.hours_end))


def first_visit_reaches_addressee(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-3: without a prior citatorio only the addressee or its representative may attend."""
    a = f.attendee
    if f.citatorio is None and a is not None and a.capacity is not None \
            and a.capacity not in PERSONAL_CAPACITIES:
        yield block("R-NOT-3", "not3.citatorio_required", "attendee.capacity")


def citatorio_left_with_someone(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-4: a citatorio nobody receives, or that is refused, is posted instead."""
    if f.attendee is None:
        yield block("R-NOT-4", "not4.nobody_received", "attendee")
    elif f.refused_to_receive:
        yield block("R-NOT-4", "not4.refused_citatorio", "refused_to_receive")


def posting_documented(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-4: the constancia de fijación says why it was posted and carries the photo."""
    if f.posting_reason is None:
        yield missing("R-NOT-4", "posting_reason")
    if "posting" not in f.media_roles:
        yield missing("R-NOT-4", "media.posting")


def citatorio_reference_recorded(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-8: a follow-up acta states the date and time of the citatorio."""
    if f.citatorio is not None and f.citatorio.issued_at is None:
        yield missing("R-NOT-8", "citatorio.issued_at")


def follow_up_at_appointed_time(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-5: a follow-up starts on the appointed day, not before the appointed hour, and
    within the tolerance after it (warn beyond it)."""
    if f.citatorio is None:
        return
    appointed_at = f.citatorio.appointed_at
    if appointed_at is None:
        yield missing("R-NOT-5", "citatorio.appointed_at")
        return
    if f.started_at is None:
        return
    cal = p.calendar
    start, appointed = cal.local(f.started_at), cal.local(appointed_at)
    if start.date() != appointed.date():
        yield block("R-NOT-5", "not5.other_day", "started_at", date=fmt_date(start.date()),
                    appointed=fmt_date(appointed.date()))
    elif f.started_at < appointed_at:
        yield block("R-NOT-5", "not5.before_hour", "started_at", time=fmt_time(start),
                    appointed=fmt_time(appointed))
    elif f.started_at - appointed_at > timedelta(minutes=p.follow_up_tolerance_minutes):
        late = int((f.started_at - appointed_at).total_seconds() // 60)
        yield warn("R-NOT-5", "not5.late", "started_at", minutes=str(late),
                   appointed=fmt_time(appointed),
                   tolerance=str(p.follow_up_tolerance_minutes))


def refusal_goes_to_estrados(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-6: a refused notification goes to estrados (no instructivo, CFF 134 V repealed)."""
    if f.refused_to_receive:
        yield warn("R-NOT-6", "not6.refusal_to_estrados", "refused_to_receive")


def receiver_named_and_signed(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-7: name and signature of who received, or their refusal to give them."""
    a = f.attendee
    if a is None:
        return
    if a.name is None and not a.refused_name:
        yield missing("R-NOT-7", "attendee.name")
    if not (f.refused_to_receive or f.refused_to_sign or "signature" in f.media_roles):
        yield block("R-NOT-7", "not7.signature_missing", "media.signature")


# R-NOT-9: facts known only on site ----------------------------------------------------------

ON_SITE_FIELDS = ("attendee.name", "attendee.id_number", "attendee.relationship",
                  "absence_reason", "absence_informant", "not_located.premises_state")


def _on_site_value(f: DiligenceFacts, path: str) -> object:
    obj: object = f
    for part in path.split("."):
        obj = getattr(obj, part, None)
    return obj


def on_site_facts_entered_on_site(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-9: on-site facts are neither prefilled nor entered before arriving on site."""
    recorded = [k for k in ON_SITE_FIELDS if _on_site_value(f, k) is not None]
    timed = []
    for key in recorded:
        if key in f.prefilled:
            yield block("R-NOT-9", "not9.prefilled", key, label=LABELS[f"on_site.{key}"])
        else:
            timed.append(key)
    if timed and f.arrived_at is None:
        yield block("R-NOT-9", "not9.arrival_missing", "arrived_at")
        return
    for key in timed:
        entered = f.entered_at.get(key)
        label = LABELS[f"on_site.{key}"]
        if entered is None:
            yield block("R-NOT-9", "not9.entry_time_missing", key, label=label)
        elif f.arrived_at is not None and entered < f.arrived_at:
            yield block("R-NOT-9", "not9.entered_before_arrival", key, label=label,
                        time=fmt_time(p.calendar.local(entered)),
                        arrived=fmt_time(p.calendar.local(f.arrived_at)))


# R-NOT-10 -----------------------------------------------------------------------------------

def not_located_has_evidence(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-10: the reason and the evidence; a temporary absence calls for a citatorio."""
    nl = f.not_located
    if nl is None:
        yield missing("R-NOT-10", "not_located")
        return
    if nl.reason is None:
        yield missing("R-NOT-10", "not_located.reason")
    elif nl.reason == "temporary_absence":
        yield block("R-NOT-10", "not10.temporary_absence", "not_located.reason")
    statements = [s for s in nl.statements if s.name and s.text]
    if not (statements or nl.premises_state or "evidence" in f.media_roles):
        yield block("R-NOT-10", "not10.no_evidence", "not_located")
    if nl.new_address is not None and nl.new_address.is_given:
        yield from new_address_complete(nl.new_address, "not_located.new_address")


POSTAL_CODE = re.compile(r"\d{5}")


def new_address_complete(a: NewAddress, path: str) -> Findings:
    """R-NOT-10: a new address the office head can send someone to — street, number and
    municipality, and a five-digit postal code when one is given."""
    if a.street is None or a.exterior_number is None or a.municipality is None:
        yield block("R-NOT-10", "not10.new_address_incomplete", path)
    if a.postal_code is not None and not POSTAL_CODE.fullmatch(a.postal_code):
        yield block("R-NOT-10", "not10.postal_code", f"{path}.postal_code")


def localization_result_recorded(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-NOT-10 for a localización: found — at a complete new address; not found — with its
    evidence (statements, notes or an evidence photo)."""
    loc = f.localization
    if loc is None or loc.result is None:
        yield missing("R-NOT-10", "localization.result")
        return
    if loc.result == "found":
        if loc.new_address is None or not loc.new_address.is_given:
            yield block("R-NOT-10", "not10.new_address_incomplete", "localization.new_address")
        else:
            yield from new_address_complete(loc.new_address, "localization.new_address")
        return
    statements = [s for s in loc.statements if s.name and s.text]
    if not (statements or loc.notes or "evidence" in f.media_roles):
        yield block("R-NOT-10", "not10.localization_no_evidence", "localization")


# R-PAE-1: requerimiento ----------------------------------------------------------------------

def payment_outcome_recorded(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-PAE-1: proof of payment ends the diligence (document recorded); a cheque is recorded
    with its data and receipt number (RCFF 14); no payment means immediate embargo."""
    pay = f.payment
    if pay is None or pay.outcome is None:
        yield missing("R-PAE-1", "payment.outcome")
        return
    if pay.outcome == "proof_shown" and pay.proof_document is None:
        yield missing("R-PAE-1", "payment.proof_document")
    if pay.outcome == "cheque":
        c = pay.cheque
        if c is None or not (c.number and c.bank and c.amount is not None):
            yield missing("R-PAE-1", "payment.cheque")
        if pay.receipt_number is None:
            yield missing("R-PAE-1", "payment.receipt_number")
    if pay.outcome != "not_paid" and f.kind == "seizure":
        yield block("R-PAE-1", "pae1.paid_no_seizure", "payment.outcome")
    if pay.outcome == "not_paid" and f.kind == "payment_demand" and not pay.no_seizure_reason:
        yield warn("R-PAE-1", "pae1.seize_at_once", "payment.no_seizure_reason")


# R-PAE-4…9: the embargo ----------------------------------------------------------------------

def _category(item: SeizedItem) -> ItemCategory | None:
    return None if item.category is None else ITEM_CATEGORIES.get(item.category)


def _seizable(item: SeizedItem, s: Seizure) -> ItemCategory | None:
    """The item's category when it is known, may be seized and nobody claimed it (R-PAE-9),
    else None."""
    category = _category(item)
    if category is None or is_exempt(category, s.whole_business) or item.third_party_claim:
        return None
    return category


def goods_designated_in_order(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-PAE-4: who designated; known categories; the attendee follows CFF 155's order
    (I → IV); real estate comes with the sworn statement."""
    s = f.seizure
    if s is None:
        yield missing("R-PAE-4", "seizure")
        return
    if s.designated_by is None:
        yield missing("R-PAE-4", "seizure.designated_by")
    if not s.items:
        yield block("R-PAE-4", "pae4.no_items", "seizure.items")
    for n, item in enumerate(s.items):
        if _category(item) is None:
            yield block("R-PAE-4", "pae4.unknown_category", f"seizure.items[{n}].category",
                        n=str(n + 1))
    if s.designated_by == "attendee":
        yield from _attendee_order(s)
    if any(item.category == "real_estate" for item in s.items):
        st = s.real_estate_statement
        if st is None or not (st.liens and st.prior_seizures and st.co_ownership
                              and st.marital_property):
            yield missing("R-PAE-4", "seizure.real_estate_statement")


def _attendee_order(s: Seizure) -> Findings:
    previous = None
    for item in s.items:
        category = _seizable(item, s)
        if category is None or category.fraction is None:
            continue
        if previous is not None and FRACTION_ORDER[category.fraction] < FRACTION_ORDER[previous]:
            yield block("R-PAE-4", "pae4.out_of_order", "seizure.items",
                        fraction=category.fraction, previous=previous)
            return
        previous = category.fraction


def witnesses_recorded(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-PAE-4: two witnesses who sign, or the executor records none were named or they refused
    (for both, in the note, or for each witness who refused on the phone)."""
    s = f.seizure
    if s is None or s.witnesses_note is not None:
        return
    named = [w for w in s.witnesses if w.name]
    if len(named) < 2 or not all(w.signed or w.refused_to_sign for w in named):
        yield block("R-PAE-4", "pae4.witnesses", "seizure.witnesses")


def executor_designation_has_reason(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-PAE-5: the executor departs from the attendee's designation only for a CFF 156 reason."""
    s = f.seizure
    if s is not None and s.designated_by == "executor" and s.executor_reason is None:
        yield missing("R-PAE-5", "seizure.executor_reason")


def no_exempt_goods(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-PAE-6: CFF 157 goods are never seized (a business's machinery only with the business)."""
    s = f.seizure
    if s is None:
        return
    for n, item in enumerate(s.items):
        category = _category(item)
        if category is not None and is_exempt(category, s.whole_business):
            yield block("R-PAE-6", "pae6.exempt", f"seizure.items[{n}].category", n=str(n + 1),
                        label=category.label, basis=category.exempt_basis or "")


def third_party_claims_documented(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-PAE-9: a good claimed by a third party is released provisionally only on the
    documents shown on the spot, which the acta records for the office to ratify."""
    s = f.seizure
    if s is None:
        return
    for n, item in enumerate(s.items):
        claim = item.third_party_claim
        if claim is not None and not (claim.claimant and claim.documents):
            yield block("R-PAE-9", "pae9.claim_undocumented",
                        f"seizure.items[{n}].third_party_claim", n=str(n + 1))


def seizure_covers_amount(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-PAE-7: the seized value covers the amount secured; bank deposits only up to it."""
    s = f.seizure
    if s is None or not s.items:
        return
    if s.amount_secured is None:
        yield missing("R-PAE-7", "seizure.amount_secured", "warn")
    seizable = [(n, item, c) for n, item in enumerate(s.items)
                if (c := _seizable(item, s)) is not None]
    unvalued = [n for n, item, _ in seizable if item.value is None]
    for n in unvalued:
        yield warn("R-PAE-7", "pae7.value_missing", f"seizure.items[{n}].value", n=str(n + 1))
    if s.amount_secured is None or unvalued:
        return
    values = [(item.value or Decimal(0), c) for _, item, c in seizable]
    total = sum((v for v, _ in values), s.previously_seized_value or Decimal(0))
    if total < s.amount_secured:
        yield warn("R-PAE-7", "pae7.insufficient", "seizure.items", total=fmt_money(total),
                   amount=fmt_money(s.amount_secured))
    deposits = sum((v for v, c in values if c.bank_deposit), Decimal(0))
    if deposits > s.amount_secured:
        yield warn("R-PAE-7", "pae7.bank_over_limit", "seizure.items",
                   total=fmt_money(deposits), amount=fmt_money(s.amount_secured))


def custody_recorded(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-PAE-8: custodian (name, who appointed them, where the goods stay) and seals."""
    s = f.seizure
    if s is None:
        return
    c = s.custodian
    if c is None:
        yield missing("R-PAE-8", "seizure.custodian")
    else:
        for name in ("name", "appointed_by", "location"):
            if getattr(c, name) is None:
                yield missing("R-PAE-8", f"seizure.custodian.{name}")
    for n, item in enumerate(s.items):
        category = _seizable(item, s)
        if category is not None and category.sealable and item.seal is None:
            yield block("R-PAE-8", "pae8.seal_missing", f"seizure.items[{n}].seal",
                        n=str(n + 1))


# R-PAE-10 -----------------------------------------------------------------------------------

def obstruction_justified(f: DiligenceFacts, p: CheckParams) -> Findings:
    """R-PAE-10: public force with its reason; locks broken only on the office head's prior
    written order (number, date) and before two witnesses."""
    o = f.obstruction
    if o is None:
        return
    if o.public_force_requested and o.public_force_reason is None:
        yield missing("R-PAE-10", "obstruction.public_force_reason")
    if not o.locks_broken:
        return
    if o.lock_order_number is None:
        yield missing("R-PAE-10", "obstruction.lock_order_number")
    on = _start_date(f, p)
    if o.lock_order_date is None:
        yield missing("R-PAE-10", "obstruction.lock_order_date")
    elif on is not None and o.lock_order_date > on:
        yield block("R-PAE-10", "pae10.order_after", "obstruction.lock_order_date",
                    date=fmt_date(o.lock_order_date))
    witnesses = f.seizure.witnesses if f.seizure is not None else ()
    if len([w for w in witnesses if w.name]) < 2:
        yield block("R-PAE-10", "pae10.two_witnesses", "seizure.witnesses")


# Registry ------------------------------------------------------------------------------------

COMMON: tuple[Check, ...] = (
    times_recorded, starts_in_business_time, field_user_identified, address_recorded,
    address_origin_is_fiscal, address_verified, addressee_asked, on_site_facts_entered_on_site,
    gps_fix_is_usable, gps_near_address,
)
ATTENDED: tuple[Check, ...] = (
    receiver_named_and_signed, attendee_identified, representation_proven, copy_delivered,
    absence_explained,
)
FOLLOW_UP: tuple[Check, ...] = (
    first_visit_reaches_addressee, citatorio_reference_recorded, follow_up_at_appointed_time,
)
GOODS: tuple[Check, ...] = (
    goods_designated_in_order, witnesses_recorded, executor_designation_has_reason,
    no_exempt_goods, third_party_claims_documented, seizure_covers_amount, custody_recorded,
)

CHECKS_BY_KIND: dict[str, tuple[Check, ...]] = {
    "citatorio": (*COMMON, ends_within_business_hours, citatorio_sets_next_business_day,
                  citatorio_left_with_someone, *ATTENDED),
    "posting_record": (*COMMON, ends_within_business_hours, citatorio_sets_next_business_day,
                       posting_documented),
    "notification": (*COMMON, ends_within_business_hours, attendee_present, *ATTENDED,
                     *FOLLOW_UP, refusal_goes_to_estrados),
    "not_located": (*COMMON, ends_within_business_hours, not_located_has_evidence),
    # A localización investigates where the debtor is: no act is notified, so none of the
    # address and attendee rules apply; business time, credential and the result do.
    "localization": (times_recorded, starts_in_business_time, field_user_identified,
                     ends_within_business_hours, localization_result_recorded),
    "payment_demand": (*COMMON, ends_within_business_hours, attendee_present, *ATTENDED,
                       *FOLLOW_UP, payment_outcome_recorded, obstruction_justified),
    # R-CAL-4: an embargo under way may run into non-business time, so no end-time check.
    "seizure": (*COMMON, attendee_present, *ATTENDED, *FOLLOW_UP, payment_outcome_recorded,
                *GOODS, obstruction_justified),
    "seizure_extension": (*COMMON, attendee_present, *ATTENDED, *FOLLOW_UP, *GOODS,
                          obstruction_justified),
}


def check_diligence(facts: DiligenceFacts | Mapping[str, Any],
                    params: CheckParams | None = None,
                    now: datetime | None = None) -> list[Finding]:
    """Every finding the facts of one diligence raise, in registry order.

    ``facts`` may be the JSON form (parsed with ``DiligenceFacts.from_dict``, which raises
    ``FactsError`` on a malformed dict). ``now`` judges a record still being captured: it
    stands in for a missing ``finished_at``."""
    if not isinstance(facts, DiligenceFacts):
        facts = DiligenceFacts.from_dict(facts)
    if now is not None and facts.finished_at is None:
        facts = replace(facts, finished_at=now)
    params = params or CheckParams()
    return [finding for check in CHECKS_BY_KIND[facts.kind] for finding in check(facts, params)]


def notified_personally(facts: DiligenceFacts, findings: Sequence[Finding]) -> bool:
    """R-NOT-1: whether a notification diligence notified the act personally, with a copy:
    received (not refused, which sends it to estrados, R-NOT-6), copy delivered, and no
    blocking finding (so a first visit reached the addressee or its representative, R-NOT-3,
    or a follow-up kept the citatorio's hour, R-NOT-5). Its effect: ``takes_effect_on``."""
    return (facts.kind == "notification" and facts.attendee is not None
            and facts.copy_delivered and not facts.refused_to_receive
            and all(f.severity != "block" for f in findings))


def rules_checked() -> dict[str, list[str]]:
    """Kind → names of the checks that run for it (for docs and the review screen)."""
    return {kind: [c.__name__ for c in checks] for kind, checks in CHECKS_BY_KIND.items()}

