// @ts-check
// The shapes the phone's code passes around, for `tsc --checkJs` (scripts/check_phone_code).
// Types only: importing this module at run time gives nothing. Their Python twins are named so
// a change on one side is made on the other.

/**
 * One finding of the legal checks (static/js/legal.js checkDiligence; fieldapp/legal/checks.py
 * Finding): a block refuses finalizing, a warn asks for a reason, a note only states how a
 * rule was met (e.g. under the office's habilitación, R-CAL-3).
 * @typedef {object} Finding
 * @property {string} rule_id e.g. "R-NOT-3"
 * @property {"block" | "warn" | "note"} severity
 * @property {string} message in Spanish, shown to the field user
 * @property {string | null} field the form field it is about, if any
 */

/**
 * A habilitación de días y horas inhábiles (CFF 13) the office recorded
 * (fieldapp/legal/calendar.py HoursEnablement): days and "HH:MM" hours, both included.
 * @typedef {object} HoursEnablement
 * @property {string} folio
 * @property {string} first_day
 * @property {string} last_day
 * @property {string} hours_from
 * @property {string} hours_to
 */

/**
 * A bracket of the enforcement-cost table (R-PAE-3), amounts as decimal strings.
 * @typedef {object} CostBracket
 * @property {string} valid_from
 * @property {string | null} valid_to
 * @property {string} minimum
 * @property {string} maximum
 * @property {string} rate
 * @property {string} note
 */

/**
 * The office's legal pack the phone judges offline with (fieldapp/legal/pack.py field_pack).
 * @typedef {object} LegalPack
 * @property {number} version
 * @property {string} tz IANA time zone of the office
 * @property {{start: string, end: string}} business_hours "HH:MM"
 * @property {{start: string, end: string}} window the dates the pack's calendar covers
 * @property {{date: string, reason: string}[]} non_business_days
 * @property {HoursEnablement[]} [hour_enablements] the office's habilitaciones (R-CAL-3, CFF 13)
 * @property {CostBracket[]} cost_table
 * @property {string} cost_base
 * @property {number} follow_up_tolerance_minutes
 * @property {string} friday_rule
 * @property {number} photo_long_edge
 * @property {Record<string, ItemCategory>} item_categories
 * @property {Record<string, string>} messages rule id → message
 * @property {Record<string, string>} labels
 * @property {Record<string, string>} address_origin_labels
 * @property {string[]} open_points
 * @property {string} digest SHA-256 of the pack without its digest
 */

/**
 * A photo or signature kept on the phone for a draft.
 * @typedef {object} DraftPhoto
 * @property {string} role a media role of the facts contract ("facade", "signature", …)
 * @property {string} sha256
 * @property {number} bytes
 * @property {string} type "image/jpeg" | "image/png" | "image/webp"
 */

/**
 * A GPS fix as the protocol carries it.
 * @typedef {object} GpsFix
 * @property {number} latitude
 * @property {number} longitude
 * @property {number} accuracy_m
 * @property {string} fix_at ISO instant
 */

/**
 * A diligence being captured (IndexedDB store "drafts").
 * @typedef {object} Draft
 * @property {string} id UUID, the record's id once finalized
 * @property {number} assignment_id
 * @property {Record<string, any>} assignment the worklist entry as pulled
 * @property {Record<string, any>} values form field name → value
 * @property {Record<string, string>} entered_at form field name → ISO time it was entered
 * @property {string} arrived_at
 * @property {string | null} started_at
 * @property {string} [finished_at] a correction keeps when the corrected diligence ended
 * @property {GpsFix | null} gps
 * @property {DraftPhoto[]} photos
 * @property {Record<string, string>} warning_reasons rule id → the field user's reason
 * @property {string | null} replaces the record a correction replaces
 * @property {string} created_at
 * @property {string} updated_at
 */

/**
 * The push record of docs/sync-protocol.md (sync/protocol.py parse_record).
 * @typedef {object} PushRecord
 * @property {string} id
 * @property {string} kind
 * @property {number} assignment_id
 * @property {string} captured_at
 * @property {GpsFix | null} gps
 * @property {Record<string, any>} facts fieldapp/legal/facts.py DiligenceFacts
 * @property {{sha256: string, bytes: number, type: string, role: string}[]} media
 * @property {string | null} previous_hash
 * @property {string | null} replaces
 * @property {Record<string, string>} warning_reasons
 * @property {string | null} legal_pack_digest
 * @property {string} [content_hash]
 */

/**
 * The server's answer for one record of a push (sync/push.py result_dict).
 * @typedef {object} PushResult
 * @property {string | null} id
 * @property {"accepted" | "duplicate" | "conflict" | "rejected"} status
 * @property {number} [version]
 * @property {string | null} [replaces]
 * @property {boolean} [complete]
 * @property {string[]} [missing_media]
 * @property {{code: string, message: string, http_status: number}} [error]
 * @property {{field: string, rule: string, message: string}[]} [errors]
 */

/**
 * A category of goods of the pack's catalogue (fieldapp/legal/goods.py ItemCategory, CFF 155
 * and 157).
 * @typedef {object} ItemCategory
 * @property {string} label
 * @property {"I" | "II" | "III" | "IV" | null} fraction CFF 155 fraction; null when exempt
 * @property {string | null} exempt_basis the CFF 157 fraction of a good never seized
 * @property {boolean} sealable a physical good that carries a seal label (R-PAE-8)
 * @property {boolean} bank_deposit seized only up to the amount secured (R-PAE-7)
 * @property {boolean} seizable_with_whole_business CFF 157 IV
 */

/**
 * A finalized record as this phone keeps it (IndexedDB store "records", capture/records.js
 * finalizeDraft).
 * @typedef {object} PhoneRecord
 * @property {string} id
 * @property {number} assignment_id
 * @property {string} kind
 * @property {string} state "queued" | "sent" | "complete" | "rejected" | "conflict"
 * @property {PushRecord} payload
 * @property {Draft} draft
 * @property {Finding[]} findings
 * @property {string} finalized_at ISO instant
 * @property {string[]} missing_media
 * @property {{status: string} | null} review the office head's decision, once pulled
 * @property {string | null} replaced_by the correction that replaces it
 */

/**
 * A good of an embargo's inventory in a draft: its seizure.items.N.* answers by field, and
 * when each was entered (capture/seizure-model.js readItems).
 * @typedef {object} InventoryItem
 * @property {Record<string, any>} fields
 * @property {Record<string, string>} entered
 */

/**
 * What this phone knows of an assignment's earlier records, for an embargo being captured
 * (capture/seizure-model.js phoneHistory).
 * @typedef {object} SeizureHistory
 * @property {Map<string, string>} usedElsewhere seal → kind of the other record on this phone
 * @property {Set<string>} correctedSeals seals of the version a correction replaces: still its own
 * @property {Map<string, {n: number, record: PhoneRecord}>} earlierSeals seal → the good of an
 *   earlier embargo of the assignment that carries it
 * @property {boolean} priorDemand an earlier requerimiento of the assignment: its own charge (R-PAE-3)
 * @property {PhoneRecord[]} earlier earlier embargos and ampliaciones on this phone, oldest first
 * @property {number} earlierCount earlier embargo diligences known here or to the server
 */

/**
 * What the embargo's model judges with besides the draft.
 * @typedef {object} SeizureSetting
 * @property {Record<string, ItemCategory>} cats the pack's catalogue
 * @property {LegalPack | null} pack
 * @property {string} tz the office's IANA time zone
 * @property {object | null} limits bounds of typed answers (capture/limits.js)
 * @property {string[] | null} pulledSeals the unused seals assigned to the user, once pulled
 * @property {SeizureHistory} history
 * @property {boolean} readOnly a finalized record shown, not a draft edited
 */

/**
 * What the phone says about a seal code (R-PAE-8): refused, doubtful (the office reviews it)
 * or fine.
 * @typedef {object} SealVerdict
 * @property {"ok" | "warn" | "refuse"} level
 * @property {string} text
 */

/**
 * The amount secured against what is seized (R-PAE-3, R-PAE-7), as the embargo step shows it.
 * @typedef {object} Sufficiency
 * @property {Record<"debt" | "seized" | "charges" | "charges_note" | "previous_line" | "costs" | "secured", string>} slots
 *   the texts of the page's [data-money] slots
 * @property {"short" | "covered"} state
 * @property {string} verdict
 * @property {string} bar the one-line summary kept in view
 * @property {string | null} amountSecured the decimal to save as seizure.amount_secured when it changed
 */

export {};
