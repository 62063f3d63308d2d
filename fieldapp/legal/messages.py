"""The Spanish texts of every check result, shared with the phone through the legal pack.

Python and static/js/legal.js render the same template with the same ``{name}`` placeholders,
so a record judged on the phone and on the server reads the same. Values are formatted here
(``fmt_date``, ``fmt_time``, ``fmt_money``) and in legal.js with the same rules.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

MESSAGES: dict[str, str] = {
    # Generic "missing" texts, one per rule; {label} comes from LABELS.
    "missing.R-CAL-3": "Falta registrar {label} (CFF 13).",
    "missing.R-NOT-3": "Falta registrar {label} (CFF 137).",
    "missing.R-NOT-4": "Falta registrar {label} (CFF 137).",
    "missing.R-NOT-5": "Falta registrar {label} (CFF 137).",
    "missing.R-NOT-7": "Falta registrar {label}, o su negativa a darlo (CFF 135).",
    "missing.R-NOT-8": "Falta registrar {label}: el acta debe estar circunstanciada (CFF 137).",
    "missing.R-NOT-10": "Falta registrar {label} (CFF 134 III, 139).",
    "missing.R-PAE-1": "Falta registrar {label} (CFF 151; RCFF 14).",
    "missing.R-PAE-2": "Falta registrar {label} (CFF 152; RCFF 97).",
    "missing.R-PAE-4": "Falta registrar {label} (CFF 155).",
    "missing.R-PAE-5": "Falta registrar {label} (CFF 156).",
    "missing.R-PAE-7": "Falta registrar {label}: no se puede verificar la suficiencia del "
                       "embargo (CFF 151, 154).",
    "missing.R-PAE-8": "Falta registrar {label} (CFF 153).",
    "missing.R-PAE-10": "Falta registrar {label} (CFF 163).",
    # R-CAL-3 / R-CAL-4
    "cal3.non_business_day": "La diligencia inició el {date}, día inhábil, sin habilitación "
                             "(CFF 12, 13). Vuelva un día hábil, o pida a su jefe de oficina "
                             "que registre una habilitación de días inhábiles.",
    "cal3.outside_hours": "La diligencia inició a las {time}, fuera del horario hábil de "
                          "{start} a {end}, sin habilitación (CFF 13). Vuelva en horario "
                          "hábil, o pida a su jefe de oficina que registre una habilitación "
                          "de horas inhábiles.",
    "cal3.under_office_enablement": "Diligencia practicada el {date} a las {time}, en días u "
                                    "horas inhábiles, bajo la habilitación {folio} registrada "
                                    "por la oficina (CFF 13).",
    "cal3.enablement_after_diligence": "La habilitación es del {date}, posterior a la "
                                       "diligencia; debe existir antes de actuar (CFF 13).",
    "cal4.finished_late": "La diligencia terminó el {date} a las {time}, después de las {end}; "
                          "CFF 13 permite concluirla si inició en horario hábil: verifique que "
                          "el acta lo explique.",
    # R-GPS-1 / R-GPS-2
    "gps1.far_from_address": "La posición GPS está a {distance} del domicilio registrado (más "
                             "de {limit}). Explique por qué, p. ej. domicilio mal ubicado en el "
                             "mapa o cambio de domicilio.",
    "gps2.no_fix": "No hay posición GPS de la diligencia. Espere la señal o salga a un lugar "
                   "abierto, y tome la posición antes de finalizar.",
    "gps2.poor_fix": "La posición GPS tiene una precisión de {accuracy}, peor que el límite de "
                     "{limit}. Espere una mejor señal o salga a un lugar abierto y tome la "
                     "posición de nuevo.",
    # R-NOT-2
    "not2.origin_missing": "Indique el origen del domicilio usado (fiscal, RFC, registro "
                           "patronal o señalado) (CFF 136).",
    "not2.not_fiscal": "Se actuó en un domicilio de origen «{origin}» y no con el destinatario "
                       "en persona: las cédulas se notifican en el domicilio fiscal (CFF 136, "
                       "10).",
    # R-NOT-3
    "not3.appointment_non_business_day": "El citatorio fija la cita el {date}, día inhábil; "
                                         "debe ser el día hábil siguiente, {expected} "
                                         "(CFF 137).",
    "not3.appointment_not_next_business_day": "El citatorio fija la cita el {date}; debe ser "
                                              "el día hábil siguiente, {expected} (CFF 137).",
    "not3.appointment_outside_hours": "La hora de la cita ({time}) está fuera del horario "
                                      "hábil de {start} a {end} (CFF 13, 137).",
    "not3.citatorio_required": "Sin citatorio previo sólo puede entenderse la diligencia con "
                               "el destinatario o su representante legal; deje citatorio "
                               "(CFF 137).",
    # R-NOT-4
    "not4.nobody_received": "Nadie recibió el citatorio: fíjelo en la entrada principal y "
                            "levante constancia de fijación con fotografía (CFF 137).",
    "not4.refused_citatorio": "Se negaron a recibir el citatorio: fíjelo en la entrada "
                              "principal y levante constancia de fijación con fotografía "
                              "(CFF 137).",
    # R-NOT-5
    "not5.other_day": "La diligencia inició el {date}, pero el citatorio la fijó para el "
                      "{appointed} (CFF 137).",
    "not5.before_hour": "La diligencia inició a las {time}, antes de la hora fijada en el "
                        "citatorio ({appointed}) (CFF 137).",
    "not5.late": "La diligencia inició {minutes} minutos después de la hora fijada "
                 "({appointed}); la tolerancia es de {tolerance} minutos (CFF 137).",
    # R-NOT-6
    "not6.refusal_to_estrados": "Se negaron a recibir la notificación: el acto se notificará "
                                "por estrados (CFF 134 III, 137). No se deja instructivo.",
    # R-NOT-7
    "not7.signature_missing": "Falta la firma de quien recibe o la constancia de que se negó "
                              "a firmar (CFF 135).",
    # R-NOT-8
    "not8.finished_before_start": "La hora de término es anterior a la de inicio.",
    "not8.facade_photo_missing": "El cercioramiento menciona fotografía, pero no hay foto de "
                                 "la fachada (CFF 137).",
    "not8.credential_expired": "La credencial venció el {date}, antes de la diligencia "
                               "(CFF 137).",
    "not8.credential_not_yet_valid": "La credencial fue expedida el {date}, después de la "
                                     "diligencia (CFF 137).",
    # R-NOT-9
    "not9.prefilled": "El dato «{label}» viene prellenado o de una plantilla; debe capturarse "
                      "en el lugar (tesis VIII-P-1aS-19).",
    "not9.arrival_missing": "Falta la hora de llegada al domicilio; sin ella no se acredita "
                            "que los hechos se capturaron en el lugar.",
    "not9.entry_time_missing": "No consta cuándo se capturó el dato «{label}»; debe "
                               "capturarse en el lugar.",
    "not9.entered_before_arrival": "El dato «{label}» se capturó a las {time}, antes de llegar "
                                   "al domicilio ({arrived}).",
    # R-NOT-10
    "not10.temporary_absence": "Una ausencia temporal requiere citatorio, no notificación por "
                               "estrados (CFF 137; 2a./J. 118/2015).",
    "not10.no_evidence": "Registre la evidencia de la no localización: dichos de vecinos, "
                         "estado del inmueble o fotografías (CFF 139).",
    "not10.new_address_incomplete": "El nuevo domicilio debe tener calle, número exterior y "
                                    "municipio para que la oficina pueda enviar a alguien.",
    "not10.postal_code": "El código postal del nuevo domicilio debe tener 5 dígitos.",
    "not10.localization_no_evidence": "Registre cómo se buscó al deudor: dichos de vecinos, "
                                      "notas de la investigación o fotografías.",
    # R-PAE-1
    "pae1.paid_no_seizure": "Se acreditó el pago o se recibió cheque: la diligencia termina "
                            "sin embargo (CFF 151).",
    "pae1.seize_at_once": "No se acreditó el pago: procede el embargo inmediato (CFF 151); "
                          "indique por qué no se embargó.",
    # R-PAE-2
    "pae2.credential_expired": "La credencial del ejecutor venció el {date}, antes de la "
                               "diligencia (CFF 152; RCFF 97).",
    "pae2.credential_not_yet_valid": "La credencial del ejecutor fue expedida el {date}, "
                                     "después de la diligencia (CFF 152; RCFF 97).",
    # R-PAE-4
    "pae4.no_items": "El embargo no registra bienes.",
    "pae4.unknown_category": "El bien {n} no tiene una categoría válida.",
    "pae4.out_of_order": "El señalamiento no sigue el orden de CFF 155 (fracción {fraction} "
                         "antes que {previous}); si el ejecutor se aparta del orden, registre "
                         "que él señaló y el motivo (CFF 156).",
    "pae4.witnesses": "Registre dos testigos con su firma, o haga constar que no se designaron "
                      "o que se negaron a firmar (CFF 155).",
    # R-PAE-6
    "pae6.exempt": "El bien {n} ({label}) es inembargable ({basis}).",
    # R-PAE-9
    "pae9.claim_undocumented": "El bien {n} se liberó por reclamo de un tercero sin registrar "
                               "quién reclama y los documentos que exhibió (CFF 158).",
    # R-PAE-7
    "pae7.insufficient": "Lo embargado ({total}) no cubre el interés fiscal ({amount}); "
                         "considere una ampliación de embargo (CFF 154).",
    "pae7.bank_over_limit": "Los depósitos bancarios embargados ({total}) exceden el interés "
                            "fiscal ({amount}) (CFF 151).",
    "pae7.value_missing": "Falta el valor estimado del bien {n}: no se puede verificar la "
                          "suficiencia del embargo (CFF 151, 154).",
    # R-PAE-8
    "pae8.seal_missing": "El bien {n} no tiene sello (CFF 153).",
    # R-PAE-10
    "pae10.order_after": "La orden para romper cerraduras es del {date}, posterior a la "
                         "diligencia (CFF 163).",
    "pae10.two_witnesses": "La ruptura de cerraduras debe hacerse ante dos testigos (CFF 163).",
    # R-DL-2 (enforcement gate, office side)
    "dl2.deadline_not_passed": "El plazo de pago vence el {date}: aún no puede requerirse "
                               "(CFF 144).",
    "dl2.paid": "El crédito está pagado.",
    "dl2.guaranteed": "El crédito está garantizado (CFF 144).",
    "dl2.suspended": "El procedimiento está suspendido (CFF 144).",
    "dl2.open_clarification": "Hay una aclaración administrativa en trámite por este importe "
                              "(LSS 39-D).",
}

LABELS: dict[str, str] = {
    "started_at": "la fecha y hora de inicio",
    "finished_at": "la fecha y hora de término",
    "enablement": "el número, la fecha y el firmante de la habilitación",
    "gps": "la posición GPS",
    "address": "el domicilio donde se actúa",
    "address_verification": "cómo se cercioró del domicilio",
    "addressee_type": "si el destinatario es persona física o moral",
    "addressee_asked": "que se preguntó por el destinatario",
    "representative_asked": "que se preguntó por el representante legal",
    "absence_reason": "el motivo de la ausencia",
    "absence_informant": "quién informó la ausencia",
    "attendee": "la persona con quien se entendió la diligencia",
    "attendee.name": "el nombre de quien recibe",
    "attendee.id_number": "el documento de identidad (tipo y número) o que no se identificó",
    "attendee.capacity": "el carácter de la persona que atiende",
    "attendee.relationship": "la relación de quien atiende con el destinatario",
    "attendee.power": "el poder notarial (número, notario y fecha)",
    "copy_delivered": "la entrega de la copia del documento",
    "appointment_at": "la fecha y hora de la cita",
    "posting_reason": "el motivo de la fijación (nadie atendió o se negaron a recibir)",
    "media.posting": "la fotografía del citatorio fijado",
    "citatorio.issued_at": "la fecha y hora del citatorio",
    "citatorio.appointed_at": "la fecha y hora fijada en el citatorio",
    "field_user": "la identificación de quien actúa",
    "field_user.name": "el nombre de quien actúa",
    "field_user.credential_number": "el número de credencial",
    "field_user.issued_on": "la fecha de expedición de la credencial",
    "field_user.valid_until": "la vigencia de la credencial",
    "field_user.issuer": "el funcionario que expidió la credencial",
    "field_user.legal_basis": "el fundamento legal de la credencial",
    "field_user.has_photo": "que la credencial tiene fotografía",
    "field_user.has_signature": "que la credencial tiene firma",
    "not_located": "los datos de la no localización",
    "not_located.reason": "el motivo de la no localización",
    "localization.result": "el resultado de la localización",
    "payment.outcome": "el resultado del requerimiento de pago",
    "payment.proof_document": "el documento con que se acreditó el pago",
    "payment.cheque": "los datos del cheque (número, banco e importe)",
    "payment.receipt_number": "el número de recibo del cheque",
    "seizure": "el detalle del embargo",
    "seizure.designated_by": "quién señaló los bienes",
    "seizure.real_estate_statement": "la declaración sobre gravámenes, embargos, copropiedad "
                                     "y sociedad conyugal del inmueble",
    "seizure.executor_reason": "el motivo por el que el ejecutor señaló los bienes",
    "seizure.amount_secured": "el interés fiscal",
    "seizure.custodian": "el depositario",
    "seizure.custodian.name": "el nombre del depositario",
    "seizure.custodian.appointed_by": "quién designó al depositario",
    "seizure.custodian.location": "el lugar donde quedan los bienes",
    "obstruction.public_force_reason": "por qué se solicitó el auxilio de la fuerza pública",
    "obstruction.lock_order_number": "el número de la orden del jefe de la oficina para "
                                     "romper cerraduras",
    "obstruction.lock_order_date": "la fecha de la orden del jefe de la oficina para romper "
                                   "cerraduras",
    # Short names of the facts known only on site (R-NOT-9).
    "on_site.attendee.name": "nombre de quien atiende",
    "on_site.attendee.id_number": "identificación de quien atiende",
    "on_site.attendee.relationship": "relación con el destinatario",
    "on_site.absence_reason": "motivo de la ausencia",
    "on_site.absence_informant": "quién informó la ausencia",
    "on_site.not_located.premises_state": "estado del inmueble",
}

ADDRESS_ORIGIN_LABELS: dict[str, str] = {
    "fiscal": "domicilio fiscal",
    "rfc": "domicilio del RFC",
    "employer_registration": "registro patronal",
    "designated": "domicilio señalado",
    "other": "otro",
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render(key: str, **params: str) -> str:
    """Fill ``{name}`` placeholders of MESSAGES[key] (the same rule legal.js applies)."""
    return _PLACEHOLDER.sub(lambda m: params[m.group(1)], MESSAGES[key])


def fmt_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def fmt_time(t: time | datetime) -> str:
    return t.strftime("%H:%M")


def fmt_distance(km: float) -> str:
    """``350 m``, ``465.7 km``, ``1,204.3 km`` (es-MX), as fieldapp.web.formats.distance."""
    return f"{half_up(km * 1000)} m" if km < 1 else f"{km:,.1f} km"


def half_up(x: float) -> int:
    """A non-negative number rounded to a whole, halves up (legal.js's Math.round)."""
    return int(x + 0.5)


def fmt_money(amount: Decimal) -> str:
    """``$86,460.00``: rounded half up to cents."""
    cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents):,.2f}"
