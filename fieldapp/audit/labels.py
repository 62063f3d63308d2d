"""What each audit action is called on screen and in the CSV (Spanish; never the key)."""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    # sessions and people
    "login": "Entró al sistema", "login_failed": "Intento fallido de entrada",
    "logout": "Salió del sistema", "login_throttle_cleared": "Desbloqueó la entrada de un usuario",
    "password_changed": "Cambió su contraseña", "password_reset": "Restableció una contraseña",
    "user_created": "Creó un usuario", "user_updated": "Cambió datos de un usuario",
    "user_deactivated": "Desactivó un usuario", "user_reactivated": "Reactivó un usuario",
    "credential_recorded": "Registró una credencial",
    "device_enrolled": "Activó un teléfono", "device_revoked": "Dio de baja un teléfono",
    "enrollment_link_created": "Creó un código QR de activación",
    "enrollment_link_used": "Usó un código QR de activación",
    # offices
    "office_created": "Creó una oficina", "office_updated": "Cambió datos de una oficina",
    "sector_created": "Creó un sector", "sector_updated": "Cambió un sector",
    "office_photo_long_edge_changed": "Cambió el tamaño de las fotos",
    "legal_parameters_versioned": "Guardó parámetros legales",
    "non_business_day_added": "Agregó un día inhábil", "non_business_day_removed": "Quitó un día inhábil",
    "hours_enablement_recorded": "Registró una habilitación de días y horas inhábiles",
    # field work and review
    "assignment_created": "Asignó trabajo", "assignment_withdrawn": "Retiró una asignación",
    "assignment_due_changed": "Cambió el vencimiento de una asignación",
    "diligence_approved": "Aprobó una diligencia", "diligence_returned": "Devolvió una diligencia",
    "diligence_rejected": "Rechazó una diligencia", "diligence_comment": "Comentó una diligencia",
    "diligence_id_conflict": "Conflicto de identificador de diligencia",
    "credit_status_changed": "Cambió el estado de un crédito",
    "credit_statuses_changed": "Cambió el estado de créditos",
    "credit_notification_recorded": "Registró la notificación de un crédito",
    "credit_notification_ignored": "Notificación anterior sin efecto",
    "credit_notification_voided": "Dejó sin efecto la notificación de un crédito",
    "credit_notification_recomputed": "Recalculó las fechas de un crédito",
    "credit_status_reverted": "Regresó el estado de un crédito",
    "credit_flag_raised": "Alerta sobre un crédito", "credit_flag_resolved": "Atendió una alerta de crédito",
    "credit_situation_recorded": "Registró una situación de un crédito",
    "credit_situation_ended": "Registró el fin de una situación de un crédito",
    "credit_situations_imported": "Importó situaciones de créditos",
    "credits_searched": "Buscó créditos", "credit_viewed": "Consultó un crédito",
    "estrados_case_opened": "Turnó un documento a estrados",
    "estrados_agreement_issued": "Emitió el acuerdo de notificación por estrados",
    "estrados_published": "Registró la publicación en estrados",
    "estrados_retired": "Registró el retiro de estrados",
    "estrados_superseded": "Dejó sin efecto una notificación por estrados",
    "estrados_reinstated": "Reanudó un caso de estrados (se rechazó la notificación personal)",
    "address_proposal_opened": "Propuso un cambio de domicilio",
    "address_proposal_accepted": "Aceptó un cambio de domicilio y asignó el documento",
    "address_proposal_dismissed": "Descartó un cambio de domicilio",
    "address_proposals_viewed": "Consultó los cambios de domicilio",
    "debtor_address_added": "Agregó un domicilio del deudor",
    "estrados_viewed": "Consultó los estrados",
    "estrados_case_viewed": "Consultó un caso de estrados",
    "estrados_agreement_printed": "Imprimió un acuerdo de estrados",
    "credit_deadline_recomputed": "Recalculó un plazo de pago",
    # seals and depository
    "seal_sheet_issued": "Emitió una hoja de sellos", "seal_sheet_assigned": "Asignó una hoja de sellos",
    "seal_voided": "Anuló un sello", "seal_reused": "Sello usado de nuevo",
    "custody_on_site": "Bien en el domicilio", "custody_moved": "Trasladó un bien",
    "custody_received": "Recibió un bien", "custody_inventoried": "Inventarió un bien",
    "custody_released": "Liberó un bien",
    "inventory_started": "Inició un inventario", "inventory_closed": "Cerró un inventario",
    # reads of personal data (fieldapp/audit/reads.py and the views that record their own)
    "diligence_viewed": "Consultó una diligencia", "diligence_acta_viewed": "Imprimió un acta",
    "acta_verified": "Verificación pública de un acta",
    "diligences_exported_csv": "Exportó diligencias (CSV)",
    "diligences_exported_geojson": "Exportó diligencias (GeoJSON)",
    "diligences_listed": "Consultó la lista de diligencias",
    "diligences_mapped": "Consultó el mapa de diligencias",
    "photo_viewed": "Vio una fotografía o firma",
    "depository_viewed": "Consultó el depósito", "inventory_viewed": "Consultó un inventario",
    "custody_item_viewed": "Consultó un bien en depósito",
    "seals_viewed": "Consultó los sellos", "seal_viewed": "Consultó un sello",
    "seal_sheet_viewed": "Consultó una hoja de sellos",
    "seal_sheet_printed": "Imprimió etiquetas de sellos",
    "report_viewed": "Consultó un informe", "report_exported": "Exportó un informe",
    "deadlines_viewed": "Consultó plazos de pago",
    "office_overview_viewed": "Consultó la vista de la oficina",
    "documents_listed": "Consultó documentos por asignar",
    "overdue_assignments_viewed": "Consultó asignaciones vencidas",
    "worklist_viewed": "Consultó sus asignaciones", "assignment_viewed": "Consultó una asignación",
    "devices_viewed": "Consultó los teléfonos", "users_viewed": "Consultó los usuarios",
    "user_viewed": "Consultó un usuario",
    "audit_viewed": "Consultó la bitácora", "audit_exported": "Exportó la bitácora",
}

OBJECT_LABELS: dict[str, str] = {
    "users": "Usuario", "diligences": "Diligencia", "media": "Fotografía", "devices": "Teléfono",
    "assignments": "Asignación", "credits": "Crédito", "documents": "Documento",
    "seals": "Sello", "seal_sheets": "Hoja de sellos", "custody_items": "Bien en depósito",
    "inventory_counts": "Inventario", "offices": "Oficina", "sectors": "Sector",
    "reports": "Informe", "enrollment_links": "Código QR", "legal_parameter_sets": "Parámetros",
    "non_business_days": "Día inhábil",
    "office_hours_enablements": "Habilitación de horas inhábiles",
}


def action_label(action: str) -> str:
    # A key missing here must never reach the screen (tests/foundation/test_audit.py checks
    # every action the code records); a generic text is the last resort.
    return ACTION_LABELS.get(action, "Otra acción")


def object_label(object_type: str | None) -> str:
    if object_type is None:
        return ""
    return OBJECT_LABELS.get(object_type, "Registro")
