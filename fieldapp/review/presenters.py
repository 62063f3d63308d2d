"""What the office head reads on a diligence's page: the acta's facts in Spanish sentences,
and the evidence around the record (GPS against the address on file, the two clocks, the hash
chain, whether the stored record still matches its hash).

Nothing here writes; the view passes the results to the templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from geopy.distance import geodesic

from fieldapp.diligences.models import CHAIN_STATUSES, FLAG_LABELS, Diligence
from fieldapp.diligences.services import max_clock_drift, missing_media, stored_record_matches
from fieldapp.legal.facts import DiligenceFacts, FactsError
from fieldapp.legal.goods import ITEM_CATEGORIES
from fieldapp.legal.labels import (
    APPOINTED_BY,
    CAPACITIES,
    DESIGNATED_BY,
    EXECUTOR_REASONS,
    NOT_LOCATED_REASONS,
    PAYMENT_OUTCOMES,
    POSTING_REASONS,
    PREFILLED_FIELDS,
    SEVERITIES,
    VERIFICATION_METHODS,
    WITNESS_NOTES,
)
from fieldapp.legal.messages import ADDRESS_ORIGIN_LABELS, LABELS, fmt_money
from fieldapp.portfolio.models import PERSON_TYPES
from fieldapp.web.templating import short_date

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


def yes_no(value: bool) -> str:
    return "Sí" if value else "No"


@dataclass
class Section:
    """One block of the acta: rows of (label, value) and, for lists such as seized goods or
    neighbours' statements, groups of rows under a title."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    def add(self, label: str, value: Any) -> None:
        if value is None or value == "" or value == ():
            return
        self.rows.append((label, value))

    def __bool__(self) -> bool:
        return bool(self.rows or self.groups)


class FactsReader:
    """Formats the typed facts of one record in the office's time zone."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def when(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        local = value.astimezone(self.tz)
        return f"{short_date(local.date())} {local:%H:%M}"

    def day(self, value: date | None) -> str | None:
        return short_date(value) if value is not None else None

    @staticmethod
    def money(value: Decimal | None) -> str | None:
        return fmt_money(value) if value is not None else None

    def sections(self, facts: DiligenceFacts) -> list[Section]:
        parts = [self._times(facts), self._place(facts), self._addressee(facts),
                 self._attendee(facts), self._citatorio(facts), self._not_located(facts),
                 self._payment(facts), self._seizure(facts), self._obstruction(facts),
                 self._field_user(facts), self._on_site(facts)]
        return [s for s in parts if s]

    def _times(self, f: DiligenceFacts) -> Section:
        s = Section("Fechas y horas")
        s.add("Llegada al domicilio", self.when(f.arrived_at))
        s.add("Inicio de la diligencia", self.when(f.started_at))
        s.add("Término", self.when(f.finished_at))
        if f.enablement:
            e = f.enablement
            s.add("Habilitación", ", ".join(x for x in (
                f"núm. {e.number}" if e.number else None, self.day(e.issued_on),
                f"firmada por {e.signer}" if e.signer else None) if x) or "incompleta")
        return s

    def _place(self, f: DiligenceFacts) -> Section:
        s = Section("Domicilio y cercioramiento")
        if f.address:
            s.add("Domicilio donde se actuó", f.address.text)
            s.add("Origen del domicilio", ADDRESS_ORIGIN_LABELS.get(f.address.origin or "", None))
        if f.address_verification:
            s.add("Se cercioró por", ", ".join(VERIFICATION_METHODS.get(m, m)
                                              for m in f.address_verification))
        return s

    def _addressee(self, f: DiligenceFacts) -> Section:
        s = Section("Destinatario")
        if f.addressee_type:
            s.add("Tipo de persona", PERSON_TYPES.get(f.addressee_type))
        s.add("Se preguntó por el destinatario", yes_no(f.addressee_asked))
        if f.addressee_type == "company" or f.representative_asked:
            s.add("Se preguntó por el representante legal", yes_no(f.representative_asked))
        s.add("Motivo de la ausencia", f.absence_reason)
        s.add("Quién informó la ausencia", f.absence_informant)
        return s

    def _attendee(self, f: DiligenceFacts) -> Section:
        s = Section("Persona con quien se entendió la diligencia")
        a = f.attendee
        if a is not None:
            s.add("Nombre", "Se negó a dar su nombre" if a.refused_name and not a.name else a.name)
            s.add("Carácter", CAPACITIES.get(a.capacity or ""))
            s.add("Relación con el destinatario", a.relationship)
            if a.not_identified:
                s.add("Identificación", "No se identificó")
            else:
                s.add("Identificación", " ".join(x for x in (a.id_type, a.id_number) if x) or None)
            if a.power:
                p = a.power
                s.add("Poder notarial", ", ".join(x for x in (
                    f"escritura {p.instrument_number}" if p.instrument_number else None, p.notary,
                    self.day(p.granted_on)) if x) or None)
        if f.kind not in ("not_located", "posting_record"):
            s.add("Se entregó copia del documento", yes_no(f.copy_delivered))
        if f.refused_to_receive:
            s.add("Negativa a recibir", "Sí")
        if f.refused_to_sign:
            s.add("Negativa a firmar", "Sí")
        return s

    def _citatorio(self, f: DiligenceFacts) -> Section:
        s = Section("Citatorio")
        s.add("Cita para", self.when(f.appointment_at))
        if f.posting_reason:
            s.add("Motivo de la fijación", POSTING_REASONS.get(f.posting_reason))
        if f.citatorio:
            s.add("Citatorio dejado el", self.when(f.citatorio.issued_at))
            s.add("Hora fijada en el citatorio", self.when(f.citatorio.appointed_at))
        return s

    def _not_located(self, f: DiligenceFacts) -> Section:
        s = Section("No localización")
        n = f.not_located
        if n is None:
            return s
        s.add("Motivo", NOT_LOCATED_REASONS.get(n.reason or ""))
        s.add("Estado del inmueble", n.premises_state)
        for i, st in enumerate(n.statements, 1):
            s.groups.append((f"Declaración {i}", [(k, v) for k, v in (
                ("Quién", st.name), ("Dijo", st.text)) if v]))
        return s

    def _payment(self, f: DiligenceFacts) -> Section:
        s = Section("Requerimiento de pago")
        p = f.payment
        if p is None:
            return s
        s.add("Resultado", PAYMENT_OUTCOMES.get(p.outcome or ""))
        s.add("Documento con que acreditó el pago", p.proof_document)
        if p.cheque:
            c = p.cheque
            s.add("Cheque", ", ".join(x for x in (
                f"núm. {c.number}" if c.number else None, c.bank, self.money(c.amount),
                f"librado por {c.drawer}" if c.drawer else None) if x) or None)
        s.add("Número de recibo", p.receipt_number)
        s.add("Por qué no se embargó", p.no_seizure_reason)
        return s

    def _seizure(self, f: DiligenceFacts) -> Section:
        s = Section("Embargo")
        z = f.seizure
        if z is None:
            return s
        s.add("Señaló los bienes", DESIGNATED_BY.get(z.designated_by or ""))
        s.add("Motivo del ejecutor para señalar", EXECUTOR_REASONS.get(z.executor_reason or ""))
        if z.whole_business:
            s.add("Embargo de la negociación completa", "Sí")
        if z.exempt_goods_noted:  # R-PAE-6: seen at the address and left out
            s.add("Bienes inembargables encontrados (CFF 157)", "; ".join(
                c.label if (c := ITEM_CATEGORIES.get(k)) else k for k in z.exempt_goods_noted))
        s.add("Interés fiscal", self.money(z.amount_secured))
        s.add("Valor embargado antes", self.money(z.previously_seized_value))
        if z.custodian:
            c = z.custodian
            s.add("Depositario", c.name + (" (el propio deudor)" if c.is_debtor else "")
                  if c.name else None)
            s.add("Designó al depositario", APPOINTED_BY.get(c.appointed_by or ""))
            s.add("Los bienes quedan en", c.location)
        for i, w in enumerate(z.witnesses, 1):
            s.add(f"Testigo {i}", f"{w.name or 'sin nombre'} ({'firmó' if w.signed else 'no firmó'})")
        s.add("Testigos", WITNESS_NOTES.get(z.witnesses_note or ""))
        if z.real_estate_statement:
            r = z.real_estate_statement
            s.add("Declaración sobre el inmueble", "; ".join(x for x in (
                f"gravámenes: {r.liens}" if r.liens else None,
                f"embargos previos: {r.prior_seizures}" if r.prior_seizures else None,
                f"copropiedad: {r.co_ownership}" if r.co_ownership else None,
                f"sociedad conyugal: {r.marital_property}" if r.marital_property else None) if x)
                or None)
        for i, item in enumerate(z.items, 1):
            category = ITEM_CATEGORIES.get(item.category or "")
            rows = [(k, v) for k, v in (
                ("Categoría", category.label if category else item.category),
                ("Descripción", item.description), ("Cantidad", item.quantity),
                ("Marca", item.brand), ("Modelo", item.model),
                ("Número de serie", item.serial_number), ("Estado", item.condition),
                ("Valor estimado", self.money(item.value)), ("Sello", item.seal),
                ("Fotografías", str(len(item.photos)) if item.photos else None)) if v]
            if item.third_party_claim:
                claim = item.third_party_claim
                rows.append(("Reclamo de un tercero", ", ".join(
                    x for x in (claim.claimant, claim.documents) if x) or "sin datos"))
            s.groups.append((f"Bien {i}", rows))
        return s

    def _obstruction(self, f: DiligenceFacts) -> Section:
        s = Section("Oposición a la diligencia")
        o = f.obstruction
        if o is None:
            return s
        if o.public_force_requested:
            s.add("Se solicitó la fuerza pública", o.public_force_reason or "Sí")
        if o.locks_broken:
            s.add("Se rompieron cerraduras", ", ".join(x for x in (
                f"orden núm. {o.lock_order_number}" if o.lock_order_number else None,
                self.day(o.lock_order_date)) if x) or "Sí")
        return s

    def _field_user(self, f: DiligenceFacts) -> Section:
        s = Section("Quien practicó la diligencia")
        u = f.field_user
        if u is None:
            return s
        s.add("Nombre", u.name)
        s.add("Credencial", u.credential_number)
        s.add("Expedida el", self.day(u.issued_on))
        s.add("Vigente hasta", self.day(u.valid_until))
        s.add("Expidió", u.issuer)
        s.add("Fundamento", u.legal_basis)
        if f.kind in ("payment_demand", "seizure", "seizure_extension"):
            s.add("La credencial tiene fotografía y firma",
                  yes_no(u.has_photo and u.has_signature))
        return s

    def _on_site(self, f: DiligenceFacts) -> Section:
        # R-NOT-9: when each fact known only on site was typed.
        s = Section("Captura en el lugar (R-NOT-9)")
        for key, at in sorted(f.entered_at.items(), key=lambda kv: kv[1]):
            label = LABELS.get(f"on_site.{key}") or LABELS.get(key) or key
            s.add(f"Se capturó {label}", self.when(at))
        for key in f.prefilled:
            s.add("Dato prellenado", LABELS.get(f"on_site.{key}") or LABELS.get(key)
                  or PREFILLED_FIELDS.get(key) or key)
        return s


def facts_sections(diligence: Diligence, tz: ZoneInfo) -> tuple[list[Section], str | None]:
    """The acta's facts in Spanish, or no sections and the reason they could not be read."""
    try:
        facts = DiligenceFacts.from_dict(diligence.facts)
    except FactsError as exc:
        return [], f"Los hechos registrados no se pudieron leer ({exc})."
    return FactsReader(tz).sections(facts), None


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
                        field_label=LABELS.get(f.get("field") or ""),
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
