// Shared by the node tests of the phone's code (tests/js/*.test.js): a small legal pack, drafts
// and finalized records as the phone keeps them. Outside static/, so never served nor precached.

import { sealCheckCharacter } from "../../static/js/capture/seals.js";

/** Part of the catalogue of fieldapp/legal/goods.py, as the legal pack carries it. */
export const CATEGORIES = {
  cash: { label: "Dinero en efectivo", fraction: "I", exempt_basis: null, sealable: true, bank_deposit: false, seizable_with_whole_business: false },
  bank_deposit: { label: "Depósitos bancarios", fraction: "I", exempt_basis: null, sealable: false, bank_deposit: true, seizable_with_whole_business: false },
  shares: { label: "Acciones", fraction: "II", exempt_basis: null, sealable: false, bank_deposit: false, seizable_with_whole_business: false },
  vehicle: { label: "Vehículo", fraction: "III", exempt_basis: null, sealable: true, bank_deposit: false, seizable_with_whole_business: false },
  real_estate: { label: "Bien inmueble", fraction: "IV", exempt_basis: null, sealable: false, bank_deposit: false, seizable_with_whole_business: false },
  bed_and_clothing: { label: "Lecho cotidiano y vestidos", fraction: null, exempt_basis: "CFF 157 I", sealable: false, bank_deposit: false, seizable_with_whole_business: false },
  business_machinery: { label: "Maquinaria, enseres y semovientes de la negociación", fraction: "III", exempt_basis: "CFF 157 IV", sealable: true, bank_deposit: false, seizable_with_whole_business: true },
};

/** An office in Mexico City whose 2026 cost bracket is the code's default (R-PAE-3). */
export function makePack(overrides = {}) {
  return {
    version: 1,
    tz: "America/Mexico_City",
    business_hours: { start: "07:30", end: "18:00" },
    window: { start: "2026-01-01", end: "2026-12-31" },
    non_business_days: [{ date: "2026-03-16", reason: "Natalicio de Benito Juárez" }],
    hour_enablements: [],
    cost_table: [{ valid_from: "2026-01-01", valid_to: null, minimum: "630.00", maximum: "97880.00", rate: "0.02", note: "" }],
    cost_base: "total",
    follow_up_tolerance_minutes: 15,
    friday_rule: "on",
    photo_long_edge: 1600,
    item_categories: CATEGORIES,
    messages: {},
    labels: {},
    address_origin_labels: {},
    open_points: [],
    digest: "test",
    ...overrides,
  };
}

/** A seal label of office GDL with the right check character. */
export function seal(serial) {
  return `SE-GDL-${String(serial).padStart(6, "0")}-${sealCheckCharacter("GDL", serial)}`;
}

/** A draft of an embargo on assignment 7, owing `totals` (decimal strings) on its credits. */
export function makeDraft({ values = {}, totals = ["10000.00"], photos = [], visits = [], ...rest } = {}) {
  return {
    id: "draft-1",
    assignment_id: 7,
    assignment: {
      document: { credits: totals.map((total) => ({ total, principal: total })) },
      visits,
    },
    values: { situation: "seizure", ...values },
    entered_at: {},
    arrived_at: "2026-03-12T15:55:00Z",
    started_at: "2026-03-12T16:00:00Z", // 10:00 in Mexico City
    gps: null,
    photos,
    warning_reasons: {},
    replaces: null,
    created_at: "2026-03-12T15:55:00Z",
    updated_at: "2026-03-12T15:55:00Z",
    ...rest,
  };
}

/** A finalized record on this phone (IndexedDB "records"). */
export function makeRecord({ id, kind = "seizure", assignmentId = 7, items = [], seizure = {}, startedAt = "2026-03-05T16:00:00Z", ...rest }) {
  return {
    id,
    assignment_id: assignmentId,
    kind,
    state: "complete",
    payload: { facts: { kind, started_at: startedAt, seizure: { items, ...seizure } } },
    finalized_at: startedAt,
    review: null,
    replaced_by: null,
    ...rest,
  };
}

/** The setting the embargo's model judges with; `history` from phoneHistory when given. */
export function makeSetting(overrides = {}) {
  const pack = overrides.pack === undefined ? makePack() : overrides.pack;
  return {
    cats: CATEGORIES,
    pack,
    tz: "America/Mexico_City",
    limits: null,
    pulledSeals: [seal(1), seal(2), seal(3)],
    history: {
      usedElsewhere: new Map(), correctedSeals: new Set(), earlierSeals: new Map(),
      priorDemand: false, earlier: [], earlierCount: 0,
    },
    readOnly: false,
    ...overrides,
  };
}
