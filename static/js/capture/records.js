// @ts-check
// From a draft to a finalized record: the facts of the acta (the shape of
// fieldapp/legal/facts.py DiligenceFacts), the push record of docs/sync-protocol.md, its
// content hash (static/js/sync-hash.js) and the device's hash chain.

import { proposeCitatorioAppointment } from "../legal.js";
import { sealRecord } from "../sync-hash.js";
import { getMeta, promised, transact } from "./db.js";

// Situation on screen → kind of diligence. A citatorio nobody receives (or that is refused)
// is fixed at the entrance: its record is a constancia de fijación (R-NOT-4).
export function kindOf(values) {
  const situation = values.situation;
  if (situation === "follow_up") return "notification";
  if (situation === "citatorio") {
    const delivery = values["ui.citatorio_delivery"];
    return delivery === "nobody_present" || delivery === "refused_to_receive" ? "posting_record" : "citatorio";
  }
  return situation || null;
}

function blank(value) {
  return value === undefined || value === null || value === "" || value === false
    || (Array.isArray(value) && value.length === 0);
}

function setPath(target, path, value) {
  const parts = path.split(".");
  let node = target;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      node[part] = value;
    } else {
      if (node[part] === undefined) node[part] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      node = node[part];
    }
  });
}

function compact(value) {
  // Sparse lists (a second neighbour's statement without the first) close up; empty objects go.
  if (Array.isArray(value)) return value.map(compact).filter((v) => v !== undefined);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const c = compact(v);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return blank(value) ? undefined : value;
}

/** "12,345.50" or "$ 12345.5" → "12345.50"; anything else stays as typed (the server refuses it). */
export function decimalText(text) {
  const cleaned = String(text).replace(/[\s$,]/g, "");
  return /^\d+(\.\d{1,2})?$/.test(cleaned) ? cleaned : String(text).trim();
}

/** A wall time typed on the phone (datetime-local) as an instant. The phone's clock is in the
 * office's zone; the instant keeps the offset the phone applied. */
export function localInputToIso(text) {
  if (!text) return null;
  const moment = new Date(text);
  return Number.isNaN(moment.getTime()) ? null : moment.toISOString();
}

export function isoToLocalInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The photos the record carries: those of the parts on screen; of an embargo's goods, only
 * the photos of goods added to the inventory (seizure.items.N.photos), not of one half captured. */
function mediaOf(draft, relevant) {
  const values = draft.values || {};
  const ofGoods = new Set(Object.entries(values)
    .filter(([name]) => /^seizure\.items\.\d+\.photos$/.test(name) && relevant.has(name))
    .flatMap(([, shas]) => [].concat(shas)));
  return (draft.photos || []).filter((p) => relevant.has(`media.${p.role}`)
    && (p.role !== "item" || ofGoods.has(p.sha256))
    && (!p.signer || relevant.has(`${p.signer}.signature`)));
}

/** A witness's or the custodian's drawn signature (R-PAE-4, R-PAE-8) named in their facts by
 * its sha256; a witness who signs on screen has signed. Its time of capture is the drawing's. */
function addSignatures(facts, draft, relevant, enteredAt) {
  for (const p of mediaOf(draft, relevant)) {
    if (!p.signer) continue;
    setPath(facts, `${p.signer}.signature`, p.sha256);
    if (p.signer.startsWith("seizure.witnesses.")) setPath(facts, `${p.signer}.signed`, true);
    enteredAt[`${p.signer}.signature`] = p.taken_at;
  }
}

// The field user's facts the acta shows (FieldUser in fieldapp/legal/facts.py): only these go
// into a record, whatever else the page knows about the user.
const CREDENTIAL_FIELDS = ["name", "credential_number", "issued_on", "valid_until", "issuer", "legal_basis"];

function credentialOf(fieldUser) {
  return Object.fromEntries(CREDENTIAL_FIELDS.filter((k) => k in (fieldUser || {})).map((k) => [k, fieldUser[k]]));
}

/** An answer of the acta: not the page's own (ui.*) nor the situation chosen on screen. */
function isFactName(name) {
  return !name.startsWith("ui.") && name !== "situation";
}

/** The answers of the parts on screen, as nested facts ("a.b.0.c" → {a: {b: [{c}]}}). */
function answeredFacts(values, relevant) {
  const facts = {};
  for (const [name, value] of Object.entries(values)) {
    if (isFactName(name) && relevant.has(name)) setPath(facts, name, value);
  }
  return facts;
}

/** What the record knows without asking: its kind, times, addressee and address. */
function derivedFacts(draft, assignment, finishedAt, kind) {
  const { debtor, address } = assignment.document;
  return {
    kind,
    arrived_at: draft.arrived_at,
    started_at: draft.started_at,
    finished_at: draft.finished_at || finishedAt, // a correction keeps when the diligence ended
    addressee_type: debtor.person_type === "person" ? "person" : "company",
    address: { text: (draft.values || {})["address.text"] || address.one_line || null, origin: address.origin || null },
  };
}

/** The field user's credential (R-NOT-2), with what was answered about it on screen. */
function fieldUserFacts(answered, fieldUser, values, relevant) {
  const shown = Boolean(values["ui.credential_shown"]) && relevant.has("ui.credential_shown");
  return { ...credentialOf(fieldUser), ...(answered || {}), ...(shown ? { has_photo: true, has_signature: true } : {}) };
}

/** Amounts as the decimals facts.py reads ("$ 12,345.5" → "12345.5"); an ampliación's value
 * seized before says when the phone took it from its earlier embargo (CFF 154). */
function normaliseAmounts(facts, values) {
  const cheque = facts.payment && facts.payment.cheque;
  if (cheque && cheque.amount) cheque.amount = decimalText(cheque.amount);
  const previous = facts.seizure && facts.seizure.previously_seized_value;
  if (!previous) return;
  facts.seizure.previously_seized_value = decimalText(previous);
  if (values["ui.previous_prefilled"] === facts.seizure.previously_seized_value) {
    facts.prefilled = ["seizure.previously_seized_value"];
  }
}

/** A citatorio's proposed appointment (R-NOT-3), a posting's reason (R-NOT-4), and when the
 * citatorio a follow-up answers was left and for when. */
function citatorioFacts(facts, draft, kind, { pack, relevant }) {
  const values = draft.values || {};
  const leftAtTheDoor = kind === "citatorio" || kind === "posting_record";
  if (leftAtTheDoor && draft.started_at && pack) {
    facts.appointment_at = proposeCitatorioAppointment(draft.started_at, pack, values["ui.appointment_time"] || null);
  }
  if (kind === "posting_record") facts.posting_reason = values["ui.citatorio_delivery"];
  if (relevant.has("ui.citatorio_issued")) {
    facts.citatorio = {
      issued_at: localInputToIso(values["ui.citatorio_issued"]),
      appointed_at: localInputToIso(values["ui.citatorio_appointed"]),
    };
  }
}

/** When each answer on screen was entered (answered ones only). */
function enteredAtFacts(draft, relevant) {
  const values = draft.values || {};
  const shown = new Set(Object.keys(values).filter((n) => relevant.has(n) && !blank(values[n]) && isFactName(n)));
  return Object.fromEntries(Object.entries(draft.entered_at || {}).filter(([name]) => shown.has(name)));
}

/**
 * The facts of the acta from what the draft holds. `relevant` is the set of field names the
 * chosen situation shows (hidden sections never leak stale answers into the acta); `now`
 * stands in for the end when the record is finalized.
 * @param {import("../types.js").Draft} draft
 * @param {{assignment: object, fieldUser: object, pack: import("../types.js").LegalPack | null,
 *   relevant: Set<string>, finishedAt?: string | null}} context
 * @returns {Record<string, any>} the facts (fieldapp/legal/facts.py DiligenceFacts)
 */
export function buildFacts(draft, context) {
  const { fieldUser, relevant } = context;
  const values = draft.values || {};
  const kind = kindOf(values);
  const facts = answeredFacts(values, relevant);
  Object.assign(facts, derivedFacts(draft, context.assignment, context.finishedAt ?? null, kind));
  facts.field_user = fieldUserFacts(facts.field_user, fieldUser, values, relevant);
  normaliseAmounts(facts, values);
  citatorioFacts(facts, draft, kind, context);
  facts.entered_at = enteredAtFacts(draft, relevant);
  addSignatures(facts, draft, relevant, facts.entered_at);
  facts.media = mediaOf(draft, relevant).map((p) => ({ role: p.role, id: p.sha256 }));
  return compact(facts);
}

/**
 * The push record (docs/sync-protocol.md) without its hash.
 * @param {import("../types.js").Draft} draft
 * @param {Record<string, any>} facts
 * @param {{capturedAt: string, previousHash: string | null,
 *   pack: import("../types.js").LegalPack | null, warningReasons: Record<string, string>,
 *   relevant: Set<string>}} context
 * @returns {import("../types.js").PushRecord}
 */
export function recordPayload(draft, facts, { capturedAt, previousHash, pack, warningReasons, relevant }) {
  const media = mediaOf(draft, relevant)
    .map((p) => ({ sha256: p.sha256, bytes: p.bytes, type: p.type, role: p.role }));
  return {
    id: draft.id,
    kind: facts.kind,
    assignment_id: draft.assignment_id,
    captured_at: capturedAt,
    gps: draft.gps || null,
    facts,
    media,
    previous_hash: previousHash,
    replaces: draft.replaces || null,
    warning_reasons: warningReasons,
    legal_pack_digest: (pack && pack.digest) || null,
  };
}

/**
 * Finalizes a draft: build.judge(finishedAt) gives the final facts and their findings (and
 * throws to refuse); then this hashes the record, chains it to this device's previous record and, in one
 * transaction, stores it in the outbox, moves the chain head and deletes the draft. Another
 * tab finalizing at the same moment only makes this one hash again on the new head.
 * @param {IDBDatabase} db
 * @param {import("../types.js").Draft} draft
 * @param {{judge: (finishedAt: string) => {facts: Record<string, any>,
 *   findings: import("../types.js").Finding[]}, pack: import("../types.js").LegalPack | null,
 *   warningReasons: Record<string, string>, relevant: Set<string>}} build
 */
export async function finalizeDraft(db, draft, build) {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const head = await getMeta(db, "chain_head");
    const capturedAt = new Date().toISOString();
    const { facts, findings } = build.judge(capturedAt);
    const payload = await sealRecord(recordPayload(draft, facts, {
      ...build, capturedAt, previousHash: head ? head.hash : null,
    }));
    const record = {
      id: draft.id, assignment_id: draft.assignment_id, kind: payload.kind, state: "queued",
      payload, draft, findings, finalized_at: capturedAt, missing_media: payload.media.map((m) => m.sha256),
      review: null, replaced_by: null,
    };
    const stored = await transact(db, ["meta", "drafts", "records"], "readwrite", async (s) => {
      const current = await promised(s.meta.get("chain_head"));
      if ((current ? current.value.hash : null) !== payload.previous_hash) return false;
      if (await promised(s.records.get(draft.id))) throw new Error("Esta diligencia ya fue finalizada.");
      s.records.put(record);
      s.meta.put({ key: "chain_head", value: { hash: payload.content_hash, record_id: draft.id } });
      s.drafts.delete(draft.id);
      if (draft.replaces) {
        const old = await promised(s.records.get(draft.replaces));
        if (old) s.records.put({ ...old, replaced_by: draft.id });
      }
      return true;
    });
    if (stored) return record;
  }
  throw new Error("No se pudo encadenar la diligencia; intente de nuevo.");
}

const DERIVED_FACTS = new Set(["kind", "schema", "arrived_at", "started_at", "finished_at", "addressee_type",
  "address", "entered_at", "media", "appointment_at", "posting_reason", "citatorio", "prefilled"]);

function flatten(value, path, out) {
  if (value && typeof value === "object" && !(Array.isArray(value) && typeof value[0] !== "object")) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else {
    out[path] = value;
  }
}

/** A file of the record, with the witness or custodian whose signature it is (the facts
 * name it: seizure.witnesses.N.signature, seizure.custodian.signature). */
function withSigner(media, values) {
  const named = Object.keys(values).find((k) => k.endsWith(".signature") && values[k] === media.sha256);
  return named ? { ...media, signer: named.slice(0, -".signature".length) } : { ...media };
}

/** The answers of a record the server sent back (returned for correction, this phone never
 * had it or was wiped since): the inverse of buildFacts. */
/** The answers a record's facts hold, as the form's field names; the field user's credential
 * comes from the phone's own copy, except the legal basis the executor confirmed. */
function answersOf(facts) {
  const values = {};
  for (const [k, v] of Object.entries(facts)) if (!DERIVED_FACTS.has(k)) flatten(v, k, values);
  for (const name of Object.keys(values)) {
    if (name.startsWith("field_user.") && name !== "field_user.legal_basis") delete values[name];
  }
  return values;
}

/** The form's situation for a record kind: a posting record is a citatorio left with a
 * neighbour or posted; a notification made on a citatorio is its follow-up. */
function situationOf(kind, facts) {
  if (kind === "posting_record") return "citatorio";
  return kind === "notification" && facts.citatorio ? "follow_up" : kind;
}

/** The on-screen answers about a citatorio: how it was left, or the one the visit follows. */
function citatorioAnswers(kind, facts) {
  const answers = {};
  if (kind === "citatorio" || kind === "posting_record") {
    answers["ui.citatorio_delivery"] = facts.posting_reason || "person";
    if (facts.appointment_at) answers["ui.appointment_time"] = facts.appointment_at.slice(11, 16);
  }
  if (facts.citatorio) {
    answers["ui.after_citatorio"] = kind === "payment_demand" || kind === "seizure" || kind === "seizure_extension";
    answers["ui.citatorio_issued"] = isoToLocalInput(facts.citatorio.issued_at);
    answers["ui.citatorio_appointed"] = isoToLocalInput(facts.citatorio.appointed_at);
  }
  return answers;
}

export function draftFromPayload(payload, assignment) {
  const facts = payload.facts;
  const values = { ...answersOf(facts), situation: situationOf(payload.kind, facts),
    ...citatorioAnswers(payload.kind, facts) };
  values["ui.credential_shown"] = Boolean(facts.field_user && facts.field_user.has_photo);
  values["address.text"] = facts.address ? facts.address.text : "";
  return {
    id: payload.id, assignment_id: payload.assignment_id, assignment, values,
    entered_at: facts.entered_at || {}, arrived_at: facts.arrived_at, started_at: facts.started_at,
    finished_at: facts.finished_at,
    gps: payload.gps, photos: payload.media.map((m) => withSigner(m, values)), warning_reasons: payload.warning_reasons || {},
    replaces: payload.replaces, created_at: payload.captured_at,
  };
}

/** A new draft correcting a returned record: same answers, a new id, naming what it replaces. */
export function correctionDraft(record, old) {
  return {
    ...old,
    finished_at: record.payload.facts.finished_at,
    id: crypto.randomUUID(),
    replaces: record.id,
    // What the office head asked to correct, shown beside the fields it names while correcting.
    review: record.review || null,
    warning_reasons: {},
    created_at: new Date().toISOString(),
  };
}
