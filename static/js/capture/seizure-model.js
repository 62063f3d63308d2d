// @ts-check
// The embargo step's rules on the phone, without the page: what the goods cover against the
// amount secured (R-PAE-3, R-PAE-7), what this phone's earlier records say (earlier embargos of
// the assignment, a requerimiento made apart, seals already used), whether a seal may be used
// (R-PAE-8), whether the good being captured may be added (R-PAE-6, R-PAE-9) and the Spanish
// every verdict is shown with. No DOM, no IndexedDB: seizure.js reads the page and the phone's
// stores and hands them here; node's test runner loads this module alone (tests/js/).
//
// The good being captured lives under ui.item.* (saved with the draft, never in the acta);
// "Agregar al inventario" moves it to seizure.items.N.*, which buildFacts turns into the
// Seizure facts. Photos of a good are media of role "item", named by the good's `photos`.

import { addBusinessDays, enforcementCosts } from "../legal.js";
import { formatDateTime } from "./format.js";
import { limitProblem } from "./limits.js";
import { decimalText } from "./records.js";
import { normaliseSeal, parseSeal } from "./seals.js";

/** @typedef {import("../types.js").Draft} Draft */
/** @typedef {import("../types.js").ItemCategory} ItemCategory */
/** @typedef {import("../types.js").PhoneRecord} PhoneRecord */
/** @typedef {import("../types.js").InventoryItem} InventoryItem */
/** @typedef {import("../types.js").SeizureHistory} SeizureHistory */
/** @typedef {import("../types.js").SeizureSetting} SeizureSetting */
/** @typedef {import("../types.js").SealVerdict} SealVerdict */
/** @typedef {import("../types.js").Sufficiency} Sufficiency */

const ITEM_KEY = /^seizure\.items\.(\d+)\.(.+)$/;
/** The good being captured: its fact name → the draft value it is typed into. */
export const EDITOR = {
  category: "ui.item.category", description: "ui.item.description", quantity: "ui.item.quantity",
  brand: "ui.item.brand", model: "ui.item.model", serial_number: "ui.item.serial_number",
  condition: "ui.item.condition", value: "ui.item.value", seal: "ui.item.seal",
};
const CLAIM = { claimed: "ui.item.claimed", claimant: "ui.item.claimant", documents: "ui.item.claim_documents" };
/** @type {Record<string, string>} */
export const FRACTIONS = {
  I: "Fracción I: dinero, metales preciosos, depósitos",
  II: "Fracción II: acciones, bonos, créditos",
  III: "Fracción III: otros bienes muebles",
  IV: "Fracción IV: bienes inmuebles",
};
export const REAL_ESTATE_TERM_DAYS = 15; // R-PAE-5: days the debtor has to prove the sworn facts
export const SEIZURE_KINDS = new Set(["seizure", "seizure_extension"]);
export const PREVIOUS = "seizure.previously_seized_value";
const AMOUNT_SECURED = "seizure.amount_secured";
const money = new Intl.NumberFormat("es-MX", { style: "currency", currency: "MXN" });

// ---- money as whole cents (BigInt), as the server keeps it --------------------------------

/**
 * "1234.5" → 123450n; null when the text is not an amount.
 * @param {unknown} text
 * @returns {bigint | null}
 */
export function cents(text) {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(text ?? "").trim());
  if (!match) return null;
  const value = BigInt(match[2]) * 100n + BigInt((match[3] || "0").padEnd(2, "0"));
  return match[1] ? -value : value;
}

/**
 * 123450n → "1234.50".
 * @param {bigint} c
 * @returns {string}
 */
export function decimalOf(c) {
  const neg = c < 0n;
  const abs = neg ? -c : c;
  return `${neg ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/**
 * 123450n → "$1,234.50".
 * @param {bigint} c
 * @returns {string}
 */
export function formatMoney(c) {
  // A decimal string keeps every cent (Intl reads it exactly); the lib types say number only.
  return money.format(/** @type {any} */ (decimalOf(c)));
}

/** @param {(bigint | null)[]} amounts */
function sumOf(amounts) {
  return amounts.reduce((sum, c) => sum + (c ?? 0n), 0n);
}

// ---- the goods catalogue of the pack --------------------------------------------------------

/**
 * CFF 157 (R-PAE-6): an exempt good is never seized, unless the whole business is (CFF 157 IV).
 * @param {ItemCategory} cat
 * @param {boolean} wholeBusiness
 */
export function isExempt(cat, wholeBusiness) {
  return Boolean(cat.exempt_basis) && !(wholeBusiness && cat.seizable_with_whole_business);
}

/**
 * The catalogue as the category list shows it: seizable goods by CFF 155 fraction, in the
 * law's order, then the exempt ones; and the checklist of exempt goods seen and left out.
 * @param {Record<string, ItemCategory>} cats
 */
export function catalogue(cats) {
  /** @type {Record<string, {value: string, label: string}[]>} */
  const byFraction = {};
  const exempt = [];
  for (const [key, cat] of Object.entries(cats)) {
    if (cat.exempt_basis) {
      exempt.push({ value: key, label: `${cat.label} (${cat.exempt_basis})` });
      continue;
    }
    (byFraction[cat.fraction] = byFraction[cat.fraction] || []).push({ value: key, label: cat.label });
  }
  return {
    groups: Object.keys(FRACTIONS).filter((f) => byFraction[f])
      .map((f) => ({ label: FRACTIONS[f], options: byFraction[f] })),
    exempt: { label: "Inembargables (CFF 157): no se embargan", options: exempt },
    checklist: Object.entries(cats).filter(([, c]) => c.exempt_basis).map(([key, cat]) => ({
      value: key,
      label: ` ${cat.label} (${cat.exempt_basis}${cat.seizable_with_whole_business ? "; sí, con la negociación completa" : ""})`,
    })),
  };
}

/**
 * The day of an instant in the office's zone, "YYYY-MM-DD".
 * @param {string} iso
 * @param {string} tz
 */
export function localDay(iso, tz) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date(iso));
}

// ---- the inventory in the draft (seizure.items.N.*) ----------------------------------------

/**
 * The goods of a draft as {fields, entered}, in their order (seizure.items.N.*).
 * @param {Draft} d
 * @returns {InventoryItem[]}
 */
export function readItems(d) {
  /** @type {InventoryItem[]} */
  const items = [];
  for (const [key, value] of Object.entries(d.values)) {
    const m = ITEM_KEY.exec(key);
    if (!m) continue;
    const n = Number(m[1]);
    items[n] = items[n] || { fields: {}, entered: {} };
    items[n].fields[m[2]] = value;
    if (d.entered_at[key]) items[n].entered[m[2]] = d.entered_at[key];
  }
  return items.filter(Boolean);
}

/**
 * Writes `items` back as seizure.items.N.*, numbered afresh (a removed good closes the gap).
 * @param {Draft} d
 * @param {InventoryItem[]} items
 */
export function storeItems(d, items) {
  for (const key of Object.keys(d.values)) if (ITEM_KEY.test(key)) delete d.values[key];
  for (const key of Object.keys(d.entered_at)) if (ITEM_KEY.test(key)) delete d.entered_at[key];
  items.forEach((item, n) => {
    for (const [field, value] of Object.entries(item.fields)) {
      d.values[`seizure.items.${n}.${field}`] = value;
      if (item.entered[field]) d.entered_at[`seizure.items.${n}.${field}`] = item.entered[field];
    }
  });
}

/**
 * Adds a good to the inventory and empties the editor (inside app.update).
 * @param {Draft} d
 * @param {Record<string, any>} fields
 * @param {string} now ISO instant every field was entered at
 */
export function addItem(d, fields, now) {
  const items = readItems(d);
  items.push({ fields, entered: Object.fromEntries(Object.keys(fields).map((f) => [f, now])) });
  storeItems(d, items);
  Object.assign(d.values, clearedEditor());
}

/**
 * Takes good `n` out of the inventory (inside app.update). Taken out to correct it (`back` holds
 * its answers for the editor): its photos wait in the editor. Removed: they go.
 * @param {Draft} d
 * @param {number} n
 * @param {{intoEditor: boolean, back: Record<string, any>, photos: Set<string>}} how
 */
export function dropItem(d, n, { intoEditor, back, photos }) {
  const items = readItems(d);
  items.splice(n, 1);
  storeItems(d, items);
  Object.assign(d.values, back);
  if (!intoEditor) d.photos = d.photos.filter((p) => !(p.role === "item" && photos.has(p.sha256)));
}

/**
 * A good's answers put back into the editor (Corregir).
 * @param {Record<string, any>} fields
 * @returns {Record<string, any>}
 */
export function editorFromItem(fields) {
  /** @type {Record<string, any>} */
  const back = {};
  for (const [field, name] of Object.entries(EDITOR)) back[name] = fields[field] || "";
  back[CLAIM.claimed] = Boolean(fields["third_party_claim.claimant"] || fields["third_party_claim.documents"]);
  back[CLAIM.claimant] = fields["third_party_claim.claimant"] || "";
  back[CLAIM.documents] = fields["third_party_claim.documents"] || "";
  return back;
}

// ---- what this phone knows of the assignment's earlier records ---------------------------

/** @returns {SeizureHistory} what the phone knows before its stores are read: nothing. */
export function emptyHistory() {
  return {
    usedElsewhere: new Map(), correctedSeals: new Set(), earlierSeals: new Map(),
    priorDemand: false, earlier: [], earlierCount: 0,
  };
}

/**
 * The seals of an embargo record, as codes.
 * @param {PhoneRecord} r
 */
function sealsOf(r) {
  return ((r.payload.facts.seizure || {}).items || []).filter((i) => i.seal).map((i) => normaliseSeal(i.seal));
}

/**
 * An embargo (or ampliación) of the assignment that still stands: not replaced, not rejected.
 * @param {PhoneRecord} r
 */
function standingEmbargo(r) {
  return SEIZURE_KINDS.has(r.kind) && !r.replaced_by && !(r.review && r.review.status === "rejected");
}

/**
 * Adds what one finalized record of this phone tells the draft: its seals are used (or, for the
 * version a correction replaces, still the draft's own); of the same assignment, a requerimiento
 * or an embargo that still stands, with the seals of its goods.
 * @param {SeizureHistory} history
 * @param {Set<string>} embargos ids of the assignment's earlier embargos
 * @param {Draft} d
 * @param {PhoneRecord} r
 */
function learnFromRecord(history, embargos, d, r) {
  const seals = sealsOf(r);
  if (r.id === d.replaces) {
    seals.forEach((seal) => history.correctedSeals.add(seal)); // a correction keeps the seals it had
    return;
  }
  for (const seal of seals) history.usedElsewhere.set(seal, r.kind);
  if (r.assignment_id !== d.assignment_id) return;
  if (r.kind === "payment_demand") history.priorDemand = true;
  if (!standingEmbargo(r)) return;
  history.earlier.push(r);
  embargos.add(r.id);
  (r.payload.facts.seizure.items || []).forEach((item, n) => {
    if (item.seal) history.earlierSeals.set(normaliseSeal(item.seal), { n, record: r });
  });
}

/**
 * Adds what the assignment's visits as pulled tell (those the server knows, maybe captured on
 * another phone): a requerimiento, and embargos not rejected, besides the draft and the
 * version it corrects.
 * @param {SeizureHistory} history
 * @param {Set<string>} embargos
 * @param {Draft} d
 */
function learnFromVisits(history, embargos, d) {
  const visits = (d.assignment && d.assignment.visits) || [];
  if (visits.some((v) => v.kind === "payment_demand" && v.id !== d.replaces)) history.priorDemand = true;
  for (const v of visits) {
    if (SEIZURE_KINDS.has(v.kind) && v.id !== d.id && v.id !== d.replaces && v.review_state !== "rejected") embargos.add(v.id);
  }
}

/**
 * What the draft's embargo must reckon with, from this phone's finalized records and the
 * assignment's visits as pulled: seals used elsewhere (R-PAE-8), a requerimiento made as its
 * own diligence (its own charge, R-PAE-3), earlier embargos (an ampliación's base, CFF 154).
 * @param {Draft} d
 * @param {PhoneRecord[]} records
 * @returns {SeizureHistory}
 */
export function phoneHistory(d, records) {
  const history = emptyHistory();
  const embargos = new Set();
  // A finalized record shown read-only is not its own history.
  for (const r of records) if (r.id !== d.id) learnFromRecord(history, embargos, d, r);
  history.earlier.sort((a, b) => a.finalized_at.localeCompare(b.finalized_at));
  learnFromVisits(history, embargos, d);
  history.earlierCount = embargos.size;
  return history;
}

/**
 * Whether a good counts toward what is seized as the law counts it: a known category, not
 * exempt (R-PAE-6), not claimed by a third party (R-PAE-9).
 * @param {Record<string, ItemCategory>} cats
 * @param {boolean} wholeBusiness
 * @param {boolean} claimed
 * @param {string} category
 */
function counts(cats, wholeBusiness, claimed, category) {
  const cat = cats[category];
  return Boolean(cat) && !isExempt(cat, wholeBusiness) && !claimed;
}

/**
 * What an embargo record seized, counted as the law counts it (not exempt, not claimed), plus
 * what an ampliación carried from before.
 * @param {PhoneRecord} record
 * @param {Record<string, ItemCategory>} cats
 * @returns {bigint}
 */
export function seizedBy(record, cats) {
  const s = record.payload.facts.seizure || {};
  const own = (s.items || [])
    .filter((f) => counts(cats, s.whole_business === true, Boolean(f.third_party_claim), f.category))
    .map((f) => cents(f.value));
  return sumOf(own) + (cents(s.previously_seized_value) ?? 0n);
}

// ---- the draft's answers -------------------------------------------------------------------

/** @param {Record<string, any>} values @param {string} name the typed text, trimmed */
export function editorValue(values, name) {
  return String(values[name] ?? "").trim();
}

/** @param {Record<string, any>} values */
export function isExtension(values) {
  return values.situation === "seizure_extension";
}

/** @param {Record<string, any>} values CFF 157 IV: the business seized in its totality */
export function wholeBusiness(values) {
  return values["seizure.whole_business"] === true;
}

/**
 * Photos of role "item" not yet given to a good: those of the good being captured.
 * @param {Draft} d
 */
export function pendingPhotos(d) {
  const claimed = new Set();
  for (const item of readItems(d)) for (const sha of item.fields.photos || []) claimed.add(sha);
  return (d.photos || []).filter((p) => p.role === "item" && !claimed.has(p.sha256));
}

/**
 * The category chosen for the good being captured, if it is one of the pack's.
 * @param {Record<string, any>} values
 * @param {Record<string, ItemCategory>} cats
 * @returns {{key: string, cat: ItemCategory} | null}
 */
export function editorCategory(values, cats) {
  const key = editorValue(values, EDITOR.category);
  return key && Object.hasOwn(cats, key) ? { key, cat: cats[key] } : null;
}

/**
 * R-PAE-6: an exempt good is refused as it is chosen, not only when it is added.
 * @param {Record<string, any>} values
 * @param {Record<string, ItemCategory>} cats
 */
export function exemptChosen(values, cats) {
  const chosen = editorCategory(values, cats);
  return Boolean(chosen && isExempt(chosen.cat, wholeBusiness(values)));
}

/** @param {Draft} d whether anything of a good is typed, photographed or claimed */
export function editorHasContent(d) {
  return Object.values(EDITOR).some((name) => editorValue(d.values, name)) || pendingPhotos(d).length > 0
    || d.values[CLAIM.claimed] === true;
}

/** @returns {Record<string, any>} the editor's answers, emptied */
export function clearedEditor() {
  const cleared = Object.fromEntries(Object.values(EDITOR).map((name) => [name, ""]));
  return { ...cleared, [CLAIM.claimed]: false, [CLAIM.claimant]: "", [CLAIM.documents]: "" };
}

/**
 * The good being captured as the facts of one seizure.items.N: amounts as decimals, seals as
 * codes, a third party's claim (R-PAE-9) when it is claimed.
 * @param {Record<string, any>} values
 * @returns {Record<string, any>}
 */
export function editorFields(values) {
  /** @type {Record<string, any>} */
  const fields = {};
  for (const [field, name] of Object.entries(EDITOR)) {
    const text = editorValue(values, name);
    if (!text) continue;
    if (field === "value") fields.value = decimalText(text);
    else if (field === "seal") fields.seal = normaliseSeal(text);
    else fields[field] = text;
  }
  if (values[CLAIM.claimed] === true) {
    fields["third_party_claim.claimant"] = editorValue(values, CLAIM.claimant);
    fields["third_party_claim.documents"] = editorValue(values, CLAIM.documents);
  }
  return fields;
}

/**
 * The new good's fields as "Agregar al inventario" stores them, with its photos.
 * @param {Draft} d
 * @param {string} id a new UUID
 */
export function newItemFields(d, id) {
  const fields = { id, ...editorFields(d.values), photos: pendingPhotos(d).map((p) => p.sha256) };
  if (!fields.photos.length) delete fields.photos;
  return fields;
}

// ---- seals (R-PAE-8) -------------------------------------------------------------------------

/**
 * What the phone can say about a seal code, or null when none is typed. `ownIndex` is the good
 * the seal is on, when it is already in the inventory.
 * @param {string} text
 * @param {Draft} d
 * @param {SeizureSetting} setting
 * @param {number | null} [ownIndex]
 * @returns {SealVerdict | null}
 */
export function sealVerdict(text, d, setting, ownIndex = null) {
  const code = normaliseSeal(text);
  if (!code) return null;
  if (!parseSeal(code)) {
    return { level: "refuse", text: `«${code}» no es un código de sello válido: revise el carácter de control (el último).` };
  }
  const { history, pulledSeals, tz } = setting;
  const other = readItems(d).findIndex((item, n) => n !== ownIndex && normaliseSeal(item.fields.seal) === code);
  if (other >= 0) {
    return { level: "refuse", text: `El sello ${code} ya está en el bien ${other + 1} de este embargo: use otro (R-PAE-8).` };
  }
  const sealedBefore = history.earlierSeals.get(code);
  if (sealedBefore) {
    const when = formatDateTime(sealedBefore.record.payload.facts.started_at || sealedBefore.record.finalized_at, tz, { dateStyle: "short" });
    return { level: "refuse", text: `El sello ${code} ya está en el bien ${sealedBefore.n + 1} del embargo del ${when} de esta asignación: use otro (R-PAE-8).` };
  }
  if (history.correctedSeals.has(code)) return { level: "ok", text: `Sello ${code} de la versión que corrige.` };
  if (history.usedElsewhere.has(code)) {
    return { level: "warn", text: `El sello ${code} ya se usó en otra diligencia de este teléfono: un sello se usa una sola vez (R-PAE-8).` };
  }
  if (pulledSeals === null) {
    return { level: "warn", text: "El teléfono aún no tiene la lista de sus sellos: sincronice con conexión para verificarlo." };
  }
  if (!pulledSeals.includes(code)) {
    return { level: "warn", text: `El sello ${code} no está entre los sellos sin usar asignados a usted: la oficina lo revisará.` };
  }
  return { level: "ok", text: `Sello ${code} válido y asignado a usted.` };
}

/**
 * What a seal read by the camera is, when it is not a seal; null when it is one.
 * @param {string} text
 */
export function scannedProblem(text) {
  if (parseSeal(text)) return null;
  return `El código leído («${String(text).slice(0, 40)}») no es un sello válido; apunte a otra etiqueta.`;
}

// ---- the good being captured -----------------------------------------------------------------

/**
 * Why the good being captured cannot be added (null when it can).
 * @param {Draft} d
 * @param {SeizureSetting} setting
 * @returns {string | null}
 */
export function editorProblem(d, setting) {
  const values = d.values;
  const chosen = editorCategory(values, setting.cats);
  if (!chosen) return "Elija la categoría del bien.";
  const { cat } = chosen;
  if (isExempt(cat, wholeBusiness(values))) {
    return `${cat.label} es inembargable (${cat.exempt_basis}): no puede agregarse al embargo (R-PAE-6).`;
  }
  return describedProblem(values, setting) || claimProblem(values) || sealProblem(d, setting, cat);
}

/**
 * The good's description, value and quantity: present where required, within bounds.
 * @param {Record<string, any>} values
 * @param {SeizureSetting} setting
 */
function describedProblem(values, setting) {
  if (!editorValue(values, EDITOR.description)) return "Describa el bien.";
  const value = editorValue(values, EDITOR.value);
  if (value && cents(decimalText(value)) === null) return "Escriba el valor estimado en pesos, p. ej. 12500.00.";
  return [EDITOR.value, EDITOR.quantity, EDITOR.description]
    .map((name) => limitProblem(setting.limits, name, editorValue(values, name))).find(Boolean) || null;
}

/** @param {Record<string, any>} values R-PAE-9: a claimed good names who claims it and with what */
function claimProblem(values) {
  const claimed = values[CLAIM.claimed] === true;
  if (claimed && !(editorValue(values, CLAIM.claimant) && editorValue(values, CLAIM.documents))) {
    return "Anote quién reclama el bien y los documentos que exhibió (R-PAE-9).";
  }
  return null;
}

/**
 * R-PAE-8: a sealable good not claimed carries a seal, and one that may be used.
 * @param {Draft} d
 * @param {SeizureSetting} setting
 * @param {ItemCategory} cat
 */
function sealProblem(d, setting, cat) {
  const seal = editorValue(d.values, EDITOR.seal);
  if (cat.sealable && d.values[CLAIM.claimed] !== true && !seal) {
    return "Este bien lleva sello: escanéelo o escriba su código (R-PAE-8).";
  }
  const verdict = seal ? sealVerdict(seal, d, setting) : null;
  return verdict && verdict.level === "refuse" ? verdict.text : null;
}

/**
 * What keeps the diligence from being finalized here (null when nothing).
 * @param {Draft} d
 * @param {SeizureSetting} setting
 * @returns {string | null}
 */
export function pendingProblem(d, setting) {
  const values = d.values;
  if (setting.readOnly || !SEIZURE_KINDS.has(values.situation)) return null;
  if (isExtension(values)) {
    const previous = editorValue(values, PREVIOUS);
    if (!previous) return "Anote el valor de lo ya embargado en el embargo anterior (ampliación, CFF 154).";
    if (cents(decimalText(previous)) === null) return "Escriba el valor de lo ya embargado en pesos, p. ej. 11500.00.";
  }
  if (!editorHasContent(d)) return null;
  const chosen = editorCategory(values, setting.cats);
  if (chosen && isExempt(chosen.cat, wholeBusiness(values))) {
    return `El bien que captura es inembargable (${chosen.cat.exempt_basis}): límpielo para finalizar (R-PAE-6).`;
  }
  return "Hay un bien sin agregar al inventario: agréguelo o límpielo.";
}

/**
 * The note under the category list: exempt (error), or its fraction, seal and deposit limit.
 * @param {Record<string, any>} values
 * @param {Record<string, ItemCategory>} cats
 * @returns {{text: string, kind: "" | "error" | "ok-note"}}
 */
export function categoryNote(values, cats) {
  const chosen = editorCategory(values, cats);
  if (!chosen) return { text: "", kind: "" };
  const { cat } = chosen;
  if (isExempt(cat, wholeBusiness(values))) {
    return {
      text: `Inembargable (${cat.exempt_basis}): no se puede embargar (R-PAE-6).`
        + (cat.seizable_with_whole_business ? " Sólo con la negociación completa." : ""),
      kind: "error",
    };
  }
  const parts = [cat.fraction ? `Art. 155 CFF, fracción ${cat.fraction} (${FRACTIONS[cat.fraction].split(": ")[1]})` : ""];
  parts.push(cat.sealable ? "lleva sello" : "sin sello (no es un bien que se etiquete)");
  if (cat.bank_deposit) parts.push("se embarga sólo hasta el interés fiscal (R-PAE-7)");
  return { text: parts.filter(Boolean).join(" · "), kind: "ok-note" };
}

// ---- the inventory's cards -----------------------------------------------------------------

/**
 * The lines of a good's card: description, quantity and condition, make, fraction, value, seal.
 * @param {Record<string, any>} fields
 * @param {ItemCategory | undefined} cat
 * @returns {string[]}
 */
function itemLines(fields, cat) {
  return [
    fields.description,
    [fields.quantity && `Cantidad: ${fields.quantity}`, fields.condition && `estado ${fields.condition}`].filter(Boolean).join(", "),
    [fields.brand, fields.model, fields.serial_number && `serie ${fields.serial_number}`].filter(Boolean).join(" · "),
    cat && cat.fraction ? `Art. 155 CFF, fracción ${cat.fraction}` : "",
    fields.value ? `Valor estimado: ${formatMoney(cents(fields.value))}` : "Sin valor estimado",
    fields.seal ? `Sello ${fields.seal}` : "",
  ].filter(Boolean);
}

/**
 * What is wrong with good `n`: exempt (R-PAE-6), claimed (R-PAE-9), a seal refused or doubtful
 * (R-PAE-8, judged only while it can still be changed).
 * @param {Record<string, any>} fields
 * @param {number} n
 * @param {Draft} d
 * @param {SeizureSetting} setting
 * @returns {["error" | "warn", string][]}
 */
function itemNotes(fields, n, d, setting) {
  const cat = setting.cats[fields.category];
  /** @type {["error" | "warn", string][]} */
  const notes = [];
  if (cat && isExempt(cat, wholeBusiness(d.values))) notes.push(["error", `Inembargable (${cat.exempt_basis}): quítelo (R-PAE-6).`]);
  if (fields["third_party_claim.claimant"]) {
    notes.push(["warn", `Reclamado por ${fields["third_party_claim.claimant"]}: no se embarga por ahora (R-PAE-9).`]);
  }
  const verdict = fields.seal && !setting.readOnly ? sealVerdict(fields.seal, d, setting, n) : null;
  if (verdict && verdict.level !== "ok") notes.push([verdict.level === "refuse" ? "error" : "warn", verdict.text]);
  return notes;
}

/**
 * What the card of good `n` says: its title, its lines, and its notes as [kind, text] with
 * kind "error" or "warn".
 * @param {Record<string, any>} fields
 * @param {number} n
 * @param {Draft} d
 * @param {SeizureSetting} setting
 */
export function itemCard(fields, n, d, setting) {
  const cat = setting.cats[fields.category];
  return { title: `${n + 1}. ${cat ? cat.label : fields.category}`, lines: itemLines(fields, cat), notes: itemNotes(fields, n, d, setting) };
}

// ---- an ampliación (CFF 154) -----------------------------------------------------------------

/**
 * An ampliación takes the value already seized from this phone's latest embargo of the
 * assignment (prefilled once; the executor may correct it), else it is typed. The answers to
 * save, or null when there is nothing to prefill.
 * @param {Draft} d
 * @param {SeizureSetting} setting
 * @returns {Record<string, string> | null}
 */
export function previousPrefill(d, setting) {
  const values = d.values;
  const earlier = setting.history.earlier;
  const last = earlier[earlier.length - 1];
  if (setting.readOnly || !isExtension(values) || !last || values["ui.previous_from"]) return null;
  if (editorValue(values, PREVIOUS)) return null; // typed before the phone knew better: keep it
  const text = decimalOf(seizedBy(last, setting.cats));
  return { [PREVIOUS]: text, "ui.previous_from": last.id, "ui.previous_prefilled": text };
}

/**
 * Where an ampliación's value seized before comes from, and the seals the earlier embargo
 * already used (never again, R-PAE-8). `notice` when the value was taken from a record.
 * @param {Draft} d
 * @param {SeizureSetting} setting
 * @returns {{text: string, notice: boolean, sealed: string[]}}
 */
export function extensionSource(d, setting) {
  const { history, cats, tz } = setting;
  const values = d.values;
  const last = history.earlier[history.earlier.length - 1];
  const from = values["ui.previous_from"];
  const kept = decimalText(editorValue(values, PREVIOUS)) === values["ui.previous_prefilled"];
  const source = (kept && history.earlier.find((r) => r.id === from)) || null;
  const sealed = [...history.earlierSeals.keys()];
  let text;
  if (source) {
    const goods = (source.payload.facts.seizure.items || []).length;
    text = `Del ${source.kind === "seizure" ? "embargo" : "ampliación"} capturado en este teléfono el `
      + `${formatDateTime(source.payload.facts.started_at || source.finalized_at, tz)}: `
      + (goods === 1 ? "1 bien" : goods + " bienes") + ` por ${formatMoney(seizedBy(source, cats))}, interés fiscal `
      + `${formatMoney(cents(source.payload.facts.seizure.amount_secured) ?? 0n)}.`;
  } else if (last) {
    text = "Valor escrito a mano; el embargo capturado en este teléfono dice "
      + `${formatMoney(seizedBy(last, cats))}.`;
  } else {
    text = history.earlierCount
      ? "El embargo anterior se capturó en otro teléfono: escriba el valor de lo ya embargado según su acta."
      : "No hay un embargo anterior de esta asignación en el teléfono: escriba el valor de lo ya embargado según su acta.";
  }
  return { text, notice: Boolean(source), sealed };
}

// ---- sufficiency: the amount secured against what is seized (R-PAE-3, R-PAE-7) ---------------

/**
 * One charge per diligence (R-PAE-3): this one; a requerimiento made as its own diligence; for
 * an ampliación, each earlier embargo of the assignment too (an extension is an embargo act,
 * CFF 150 II, as fieldapp/legal/costs.py CHARGED_ACTS charges it).
 * @param {SeizureHistory} history
 * @param {boolean} extension
 */
export function chargeCount(history, extension) {
  return 1 + (history.priorDemand ? 1 : 0) + (extension ? Math.max(1, history.earlierCount) : 0);
}

/**
 * The enforcement cost of one charge on `day` (R-PAE-3), or null when the pack has no bracket
 * in force then.
 * @param {bigint} base
 * @param {string} day
 * @param {import("../types.js").LegalPack} pack
 * @returns {bigint | null}
 */
function costPerCharge(base, day, pack) {
  try {
    return cents(enforcementCosts(decimalOf(base), day, pack));
  } catch {
    return null;
  }
}

/**
 * How the charges are explained.
 * @param {number} charges
 * @param {boolean} extension
 */
function chargesNote(charges, extension) {
  const before = charges - 1;
  if (extension) {
    return charges + " cobros de gastos: " + (before === 1 ? "el de la diligencia anterior (requerimiento y embargo en una sola)"
      : before + " de las diligencias anteriores (requerimiento, embargo y ampliaciones)") + " y el de esta ampliación (CFF 150, R-PAE-3).";
  }
  return charges === 1
    ? "Un solo cobro de gastos: requerimiento y embargo en la misma diligencia (R-PAE-3)."
    : "Dos cobros de gastos: el del requerimiento hecho antes en otra diligencia y el de este embargo (R-PAE-3).";
}

/**
 * The verdict on what the goods cover.
 * @param {{secured: bigint, seized: bigint, short: bigint, anySeized: boolean, unvalued: number,
 *   readOnly: boolean}} amounts
 */
function coverageVerdict({ secured, short, anySeized, unvalued, readOnly }) {
  const missingValues = unvalued ? " " + (unvalued === 1 ? "Un bien no tiene" : unvalued + " bienes no tienen") + " valor estimado." : "";
  if (!anySeized) {
    return readOnly ? "Sin bienes embargados." : `Embargue bienes por al menos ${formatMoney(secured)}.`;
  }
  if (short > 0n) {
    return `Lo embargado no cubre el interés fiscal: faltan ${formatMoney(short)}.`
      + (readOnly ? "" : " Embargue más bienes o anote el motivo al finalizar (R-PAE-7).") + missingValues;
  }
  return `Lo embargado cubre el interés fiscal (sobran ${formatMoney(-short)}).${missingValues}`;
}

/**
 * What the assignment's credits owe, and the base of the enforcement costs: the pack says
 * which the office uses when it carries it; the code default is "total".
 * @param {Draft} d
 * @param {import("../types.js").LegalPack} pack
 */
function owed(d, pack) {
  const credits = (d.assignment && d.assignment.document.credits) || [];
  return {
    debt: sumOf(credits.map((c) => cents(c.total))),
    base: sumOf(credits.map((c) => cents(pack.cost_base === "principal" ? c.principal : c.total))),
  };
}

/**
 * The goods of the draft that count (neither exempt nor claimed), their value, and for an
 * ampliación the value seized before as typed or prefilled.
 * @param {Draft} d
 * @param {SeizureSetting} setting
 */
function seizedInDraft(d, setting) {
  const values = d.values;
  const counted = readItems(d).map((i) => i.fields)
    .filter((f) => counts(setting.cats, wholeBusiness(values), Boolean(f["third_party_claim.claimant"]), f.category));
  const previous = isExtension(values) ? cents(decimalText(editorValue(values, PREVIOUS))) ?? 0n : 0n;
  return { counted, seizedHere: sumOf(counted.map((f) => cents(f.value))), previous };
}

/**
 * R-PAE-3 and R-PAE-7: the amount secured and what the goods cover, as items are added.
 * `now` stands in for the start of a diligence not started yet.
 * @param {Draft} d
 * @param {SeizureSetting} setting
 * @param {string} now ISO instant
 * @returns {Sufficiency}
 */
export function sufficiency(d, setting, now) {
  const { pack, history, readOnly, tz } = setting;
  const values = d.values;
  const day = localDay(d.started_at || now, tz);
  const { debt, base } = owed(d, pack);
  const extension = isExtension(values);
  const charges = chargeCount(history, extension);
  const { counted, seizedHere, previous } = seizedInDraft(d, setting);
  const seized = seizedHere + previous;
  const slots = {
    debt: formatMoney(debt),
    seized: formatMoney(seized),
    charges: charges === 1 ? "(1 cobro)" : `(${charges} cobros)`,
    charges_note: chargesNote(charges, extension),
    previous_line: extension ? `Embargado antes ${formatMoney(previous)} + en esta ampliación ${formatMoney(seizedHere)}.` : "",
    costs: "—",
    secured: "—",
  };
  const perCharge = costPerCharge(base, day, pack);
  if (perCharge === null) {
    return {
      slots, state: "short", amountSecured: null,
      verdict: `No hay tabla de gastos de ejecución vigente el ${day}: sincronice con conexión.`,
      bar: `Embargado ${formatMoney(seized)}; interés fiscal sin calcular`,
    };
  }
  const costs = perCharge * BigInt(charges);
  // A finalized record shows the amount it was finalized with, even if the pack changed since.
  const stored = readOnly ? cents(values[AMOUNT_SECURED]) : null;
  const secured = stored ?? debt + costs;
  slots.costs = formatMoney(costs);
  slots.secured = formatMoney(secured);
  const short = secured - seized;
  const anySeized = counted.length > 0 || previous !== 0n;
  const unvalued = counted.filter((f) => !f.value).length;
  return {
    slots,
    state: short > 0n || !anySeized ? "short" : "covered",
    amountSecured: !readOnly && values[AMOUNT_SECURED] !== decimalOf(secured) ? decimalOf(secured) : null,
    verdict: coverageVerdict({ secured, seized, short, anySeized, unvalued, readOnly }),
    bar: `Embargado ${formatMoney(seized)} de ${formatMoney(secured)}`
      + (short > 0n ? ` · faltan ${formatMoney(short)}` : " · cubierto"),
  };
}

// ---- real estate (R-PAE-5) -------------------------------------------------------------------

/**
 * Whether the real-estate statement is asked (a real estate good in the inventory or being
 * captured) and, with a pack, the term the debtor has to prove it.
 * @param {Draft} d
 * @param {SeizureSetting} setting
 * @param {string} now ISO instant, for a diligence not started yet
 * @returns {{shown: boolean, text: string | null}}
 */
export function realEstateTerm(d, setting, now) {
  const chosen = editorCategory(d.values, setting.cats);
  const shown = readItems(d).some((i) => i.fields.category === "real_estate")
    || Boolean(chosen && chosen.key === "real_estate");
  if (!shown || !setting.pack) return { shown, text: null };
  const day = localDay(d.started_at || now, setting.tz);
  const due = addBusinessDays(day, REAL_ESTATE_TERM_DAYS, setting.pack);
  return {
    shown,
    text: `El deudor tiene ${REAL_ESTATE_TERM_DAYS} días hábiles para acreditar lo manifestado: `
      + "vence el " + formatDateTime(due + "T12:00:00Z", "UTC", { dateStyle: "full" }) + " (R-PAE-5).",
  };
}
