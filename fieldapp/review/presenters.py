"""What the office head reads on a diligence's page: the acta's facts in Spanish sentences
(fieldapp.diligences.narrative, the same the printed acta tells), and the evidence around the
record (GPS against the address on file, the two clocks, the hash chain, whether the stored
record still matches its hash).

Nothing here writes; the view passes the results to the templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geopy.distance import geodesic

from fieldapp.diligences.models import CHAIN_STATUSES, FLAG_LABELS, Diligence
from fieldapp.diligences.narrative import Section, field_label, narrate
from fieldapp.diligences.services import max_clock_drift, missing_media, stored_record_matches
from fieldapp.legal.facts import DiligenceFacts, FactsError
from fieldapp.legal.labels import SEVERITIES
from fieldapp.offices.models import Office

# Short names of FLAG_LABELS for the list's chips (the full text is their tooltip).
FLAG_SHORT = {
    "incomplete": "Evidencias incompletas",
    "clock_drift": "Reloj desfasado",
    "credit_closed": "Crédito cerrado",
    "assignment_withdrawn": "Asignación retirada",
    "chain_pending": "Cadena pendiente",
    "chain_broken": "Cadena rota",
    "legal_block": "Impedimento legal",
    "legal_warn": "Advertencia legal",
    "seal_conflict": "Sello repetido",
    "seal_irregular": "Sello irregular",
}


def facts_sections(diligence: Diligence, office: Office) -> tuple[list[Section], str | None]:
    """The acta's facts in Spanish (the narrative the printed acta tells), or no sections and
    the reason they could not be read."""
    try:
        facts = DiligenceFacts.from_dict(diligence.facts)
    except FactsError as exc:
        where = field_label(exc.path.removeprefix("facts."))
        return [], f"Los hechos registrados no se pudieron leer ({exc.problem}: {where})."
    return narrate(diligence, facts, office), None


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    message: str
    field_label: str | None
    reason: str | None

    @property
    def severity_label(self) -> str:
        return SEVERITIES.get(self.severity, self.severity)


@dataclass(frozen=True)
class Evidence:
    """The facts around a record that make it trustworthy (or not)."""

    matches_hash: bool
    chain_label: str
    distance_km: float | None
    address_has_position: bool
    clock_offset_seconds: int
    max_drift_seconds: int
    receipt_delay_seconds: int
    missing_media: list[str]
    flags: list[tuple[str, str]]
    findings: list[Finding]
    other_reasons: list[tuple[str, str]]  # warning reasons with no finding the server repeated
    seal_notes: list[dict[str, Any]]
    closed_credits: list[dict[str, Any]]


def gps_distance_km(diligence: Diligence) -> float | None:
    """Geodesic distance (WGS-84) from the GPS fix to the address on file."""
    address = diligence.document.address
    if diligence.gps_latitude is None or diligence.gps_longitude is None or not address.has_position:
        return None
    return float(geodesic((diligence.gps_latitude, diligence.gps_longitude),
                          (address.latitude, address.longitude)).km)


def evidence_of(diligence: Diligence) -> Evidence:
    findings = [Finding(rule_id=f.get("rule_id", "?"), severity=f.get("severity", ""),
                        message=f.get("message", ""),
                        field_label=field_label(f["field"]) if f.get("field") else None,
                        reason=f.get("reason") or diligence.warning_reasons.get(f.get("rule_id", "")))
                for f in diligence.findings]
    # Blocks first, then by rule id: the office head reads the impediments before the rest.
    findings.sort(key=lambda f: (f.severity != "block", f.rule_id))
    shown = {f.rule_id for f in findings}
    return Evidence(
        matches_hash=stored_record_matches(diligence),
        chain_label=CHAIN_STATUSES.get(diligence.chain_status, diligence.chain_status),
        distance_km=gps_distance_km(diligence),
        address_has_position=diligence.document.address.has_position,
        clock_offset_seconds=diligence.clock_offset_seconds,
        max_drift_seconds=int(max_clock_drift().total_seconds()),
        receipt_delay_seconds=int((diligence.received_at - diligence.captured_at).total_seconds()),
        missing_media=missing_media(diligence),
        flags=[(code, FLAG_LABELS.get(code, code)) for code in diligence.flags],
        findings=findings,
        other_reasons=sorted((rule, text) for rule, text in diligence.warning_reasons.items()
                             if rule not in shown),
        seal_notes=list((diligence.server_notes or {}).get("seals") or []),
        closed_credits=list((diligence.server_notes or {}).get("credit_closed") or []),
    )


def seconds_text(seconds: int, signed: bool = True) -> str:
    """``+7 min 5 s`` / ``−42 s``: how far the phone's clock was from the server's."""
    sign = "" if not signed else "+" if seconds > 0 else "−" if seconds < 0 else ""
    days, left = divmod(abs(seconds), 86400)
    hours, left = divmod(left, 3600)
    minutes, secs = divmod(left, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min")) if n]
    if secs or not parts:
        parts.append(f"{secs} s")
    return sign + " ".join(parts)
