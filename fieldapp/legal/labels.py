"""Spanish names of the coded values a diligence's facts carry (``fieldapp.legal.facts``), as
the office reads them on the review screens and in the printed actas: one wording for both, so
what the office head approves is what the acta says."""

from __future__ import annotations

VERIFICATION_METHODS: dict[str, str] = {
    "street_sign": "placa con el nombre de la calle",
    "house_number": "número exterior visible",
    "signage": "letrero o razón social en el inmueble",
    "statement": "dicho de quien atiende o de vecinos",
    "photo": "fotografía de la fachada",
    "gps": "posición GPS",
}
CAPACITIES: dict[str, str] = {
    "addressee": "El destinatario en persona",
    "legal_representative": "Representante legal",
    "employee": "Empleado(a)",
    "relative": "Familiar",
    "third_party": "Otra persona en el domicilio",
    "neighbor": "Vecino(a)",
}
ID_TYPES: dict[str, str] = {"INE": "Credencial para votar (INE)", "pasaporte": "Pasaporte",
            "licencia": "Licencia de conducir", "cedula_profesional": "Cédula profesional",
            "otra": "Otra identificación"}
ADDRESSEE_TYPES: dict[str, str] = {"person": "Persona física", "company": "Persona moral"}
POSTING_REASONS: dict[str, str] = {
    "nobody_present": "Nadie atendió en el domicilio",
    "refused_to_receive": "La persona que atendió se negó a recibir el citatorio",
}
NOT_LOCATED_REASONS: dict[str, str] = {
    "moved": "El destinatario se mudó",
    "closed": "El negocio cerró definitivamente",
    "address_not_found": "El domicilio no existe",
    "unknown_at_address": "No conocen al destinatario en el domicilio",
    "temporary_absence": "Ausencia temporal",
}
PAYMENT_OUTCOMES: dict[str, str] = {
    "not_paid": "No acreditó el pago",
    "proof_shown": "Acreditó el pago con comprobante",
    "cheque": "Entregó cheque",
}
DESIGNATED_BY: dict[str, str] = {"attendee": "La persona con quien se entendió la diligencia",
                 "executor": "El ejecutor"}
EXECUTOR_REASONS: dict[str, str] = {  # CFF 156 (R-PAE-5)
    "not_designated": "La persona que atendió no señaló bienes",
    "insufficient": "Los bienes señalados no alcanzan a cubrir el crédito",
    "out_of_order": "No se siguió el orden de CFF 155",
    "outside_territory": "Los bienes señalados están fuera de la circunscripción de la oficina",
    "encumbered": "Los bienes señalados ya reportan cualquier gravamen real o embargo",
    "perishable": "Los bienes señalados son de fácil descomposición, deterioro o inflamables",
}
WITNESS_NOTES: dict[str, str] = {"none_designated": "No se designaron testigos",
                 "refused_to_sign": "Los testigos se negaron a firmar"}
APPOINTED_BY: dict[str, str] = {"executor": "El ejecutor", "office_head": "El jefe de la oficina"}
MEDIA_ROLES: dict[str, str] = {"facade": "Fachada", "posting": "Citatorio fijado", "signature": "Firma",
               "evidence": "Evidencia", "item": "Bien embargado", "document": "Documento",
               "witness_signature": "Firma de testigo",
               "custodian_signature": "Firma del depositario"}
SEVERITIES: dict[str, str] = {"block": "Impedimento", "warn": "Advertencia", "note": "Constancia"}
# Fields the phone may prefill that no legal check names (the checks' own field names are in
# fieldapp.legal.messages.LABELS).
PREFILLED_FIELDS: dict[str, str] = {
    "seizure.previously_seized_value": "el valor embargado antes (de la diligencia anterior)",
}
