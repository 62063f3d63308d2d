// One diligence on the phone, from arrival to finalize, offline. The page is a shell; the
// query says what it shows: ?asignacion=ID (start or resume), ?borrador=ID, ?registro=ID
// (a finalized record, read-only) or ?corrige=ID (a new version of a returned record).

import { checkDiligence, positionFacts, proposeCitatorioAppointment } from "../legal.js";
import { getAll, getMeta, getOne, setMeta, transact } from "./db.js";
import {
  applyVisibility, draftWriter, labelsNamedBy, readValue, relevantNames, watchFields, writeValues,
} from "./forms.js";
import { distanceKm, formatDistance } from "./assignments.js";
import { applyLimits, limitProblems } from "./limits.js";
import { SignaturePad, longEdgeOf, preparePhoto } from "./photos.js";
import { buildFacts, correctionDraft, draftFromPayload, finalizeDraft, isoToLocalInput } from "./records.js";
import { requestBackgroundSync } from "./sync.js";
import {
  KIND_LABELS, counted, formatBytes, formatDateTime, fromTemplate, pendingSummary, recordStatus, startApp,
  workOf,
} from "./ui.js";

const GPS_AUTO_M = 30; // a fix this good is taken without asking
const DEFAULT_GPS_LIMIT_M = 100; // R-GPS-2 when the pack is older than the limit
const STEP_MINUTES = 15;
const SEIZURE_KINDS = new Set(["seizure", "seizure_extension"]); // an embargo, or its ampliación

const app = await startApp();
const { ctx, db } = app;
const tz = ctx.office.timezone;
const pack = await getMeta(db, "pack");
// R-GPS-2: the office's accuracy limit; a poorer fix blocks finalizing.
const GPS_LIMIT_M = (pack && pack.gps_max_accuracy_m) || DEFAULT_GPS_LIMIT_M;
const fieldUser = await currentFieldUser();
const form = document.getElementById("diligence");
const $ = (id) => document.getElementById(id);
const say = (id, text) => { $(id).textContent = text; };
const url = (params) => `${ctx.urls.diligence}?${new URLSearchParams(params)}`;
const when = (iso, options) => formatDateTime(iso, tz, options);

let draft = null;
let assignment = null;
let write = null;
let warnRules = [];

class Blocked extends Error {}

// The embargo step (seizure.js, precached for offline use) is loaded when an executor's
// diligence becomes an embargo: a notifier's phone, and a requerimiento that ends in payment,
// never download it.
let seizure = null;
let seizureLoading = null;

function ensureSeizure() {
  if (ctx.user.role !== "executor" || !draft || !SEIZURE_KINDS.has(draft.values.situation)) return Promise.resolve(seizure);
  if (!seizureLoading) {
    seizureLoading = (async () => {
      const { createSeizure } = await import("./seizure.js");
      const step = await createSeizure({
        form, pack, ctx, db,
        draft: () => draft,
        update: async (mutate) => { draft = await write(mutate); return draft; },
        changed: async () => render(),
        thumbs: (container, photos, editable) => thumbs(container, photos, editable),
      });
      await step.open({ readOnly: !write });
      seizure = step;
      const picker = form.querySelector(".photos[data-role=item]");
      await thumbs(picker, photosFor(picker), Boolean(write));
      render();
      return step;
    })().catch((error) => {
      seizureLoading = null;
      say("finalize-status", "No se pudo abrir el embargo en este teléfono; recargue la página con conexión.");
      throw error;
    });
  }
  return seizureLoading;
}

function fail(message) {
  say("load-error", message);
  $("load-error").hidden = false;
}

function showSlot(name, text) {
  for (const el of document.querySelectorAll(`[data-show="${name}"]`)) el.textContent = text;
}

function showAssignment(a) {
  const box = $("assignment-summary");
  const { debtor, address } = a.document;
  box.querySelector('[data-field="debtor"]').textContent = debtor.legal_name;
  box.querySelector('[data-field="document"]').textContent = `${workOf(a)}${a.document.kind_label} ${a.document.folio}`;
  box.querySelector('[data-field="address"]').textContent = address.one_line;
  showSlot("address_origin", address.origin_label || address.origin || "—");
}

function visibility(values) {
  applyVisibility(form, values, {
    role: ctx.user.role, addresseeType: assignment.document.debtor.person_type,
    assignmentKind: assignment.kind || "diligence", // a localización offers only its result
  });
  const followUp = values.situation === "follow_up" || values["ui.after_citatorio"] === true;
  form.querySelector("[data-follow-up]").hidden = !followUp;
  form.querySelector("[data-started]").hidden = !values.situation;
  ensurePads();
}

// ---- GPS --------------------------------------------------------------------------------------

let watchId = null;
let reading = null;

function renderGps() {
  const fix = draft.gps;
  $("gps-use").hidden = !reading || Boolean(fix && !watchId);
  $("gps-retry").hidden = !fix || Boolean(watchId);
  if (reading && watchId) {
    const accuracy = Math.round(reading.coords.accuracy);
    say("gps-status", `Precisión actual: ±${accuracy} m (se toma sola al llegar a ±${GPS_AUTO_M} m)`);
    $("gps-warning").hidden = accuracy <= GPS_LIMIT_M;
    say("gps-warning", `Precisión baja (±${accuracy} m, límite ${GPS_LIMIT_M} m): espere o salga a un lugar abierto.`);
  }
  if (!fix) return;
  const { address } = assignment.document;
  const distance = address.latitude == null ? ""
    : ` · a ${formatDistance(distanceKm(fix, address))} del domicilio registrado`;
  if (!watchId) say("gps-status", "Posición tomada.");
  say("gps-fix", `±${Math.round(fix.accuracy_m)} m, ${when(fix.fix_at, { timeStyle: "medium" })}${distance}`);
  $("gps-warning").hidden = fix.accuracy_m <= GPS_LIMIT_M || Boolean(watchId);
  if (fix.accuracy_m > GPS_LIMIT_M && !watchId) say("gps-warning", `Precisión baja (±${Math.round(fix.accuracy_m)} m).`);
}

function stopGps() {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
}

async function takeFix(position) {
  stopGps();
  const c = position.coords;
  const fix = {
    latitude: c.latitude, longitude: c.longitude, accuracy_m: Math.round(c.accuracy * 10) / 10,
    fix_at: new Date(position.timestamp).toISOString(),
  };
  draft = await write((d) => { d.gps = fix; });
  await tick("address_verification", "gps");
  renderGps();
  refreshChecks();
}

function startGps() {
  if (!("geolocation" in navigator)) {
    say("gps-status", "Este teléfono no da su posición.");
    return;
  }
  stopGps();
  say("gps-status", "Buscando señal GPS…");
  watchId = navigator.geolocation.watchPosition((position) => {
    reading = position;
    if (position.coords.accuracy <= GPS_AUTO_M) takeFix(position);
    else renderGps();
  }, (error) => {
    say("gps-status", error.code === 1 ? "Sin permiso de ubicación: actívelo para este sitio."
      : "No se obtiene señal GPS todavía.");
    $("gps-retry").hidden = false; // e.g. after allowing the location in the phone's settings
  }, { enableHighAccuracy: true, maximumAge: 0, timeout: 60000 });
}

$("gps-use").addEventListener("click", () => reading && takeFix(reading));
$("gps-retry").addEventListener("click", startGps);

// ---- answers ----------------------------------------------------------------------------------

async function save(name, value) {
  if (JSON.stringify(draft.values[name]) === JSON.stringify(value)) return;
  draft.values[name] = value; // the screen follows at once; the saved copy replaces it below
  visibility(draft.values);
  const now = new Date().toISOString();
  draft = await write((d) => {
    d.values[name] = value;
    if (!name.startsWith("ui.") && name !== "situation") d.entered_at[name] = now;
    if (name === "situation" && !d.started_at) d.started_at = now;
  });
  const field = form.querySelector(`[name="${name}"]`);
  if (field && "remember" in field.dataset) {
    await setMeta(db, "remember", { ...(await getMeta(db, "remember", {})), [name]: value });
  }
  if (name === "situation" || name === "ui.after_citatorio") await prefillFollowUp();
  if (name === "situation") await ensureSeizure();
  render();
}

/** Checks a box of a group for the user when the evidence itself says so (GPS fix, photo). */
async function tick(name, value) {
  const current = readValue(form, name) || [];
  if (current.includes(value)) return;
  writeValues(form, { [name]: [...current, value] });
  await save(name, [...current, value]);
}

async function prefillFollowUp() {
  if (draft.values["ui.citatorio_issued"]) return;
  // The citatorio captured on this phone, else the one the server knows (another phone's).
  const citatorios = new Set(["citatorio", "posting_record"]);
  const local = (await getAll(db, "records"))
    .filter((r) => r.assignment_id === draft.assignment_id && citatorios.has(r.kind))
    .map((r) => ({ kind: r.kind, ...r.payload.facts, captured_at: r.finalized_at }));
  const known = (draft.assignment.visits || []).filter((v) => citatorios.has(v.kind));
  const previous = [...local, ...known].sort((a, b) => b.captured_at.localeCompare(a.captured_at))[0];
  if (!previous) {
    say("follow-up-source", "No hay citatorio registrado para esta asignación: escriba sus datos.");
    return;
  }
  const values = {
    "ui.citatorio_issued": isoToLocalInput(previous.started_at),
    "ui.citatorio_appointed": isoToLocalInput(previous.appointment_at),
  };
  draft = await write((d) => Object.assign(d.values, values));
  writeValues(form, values);
  say("follow-up-source", `Del ${KIND_LABELS[previous.kind].toLowerCase()} del ${when(previous.started_at)}.`);
}

function showAppointment() {
  const select = form.querySelector("[data-business-hours]");
  if (!pack || !draft.started_at) return;
  const proposed = proposeCitatorioAppointment(draft.started_at, pack, draft.values["ui.appointment_time"] || null);
  if (!select.options.length) {
    const [h0, m0] = pack.business_hours.start.split(":").map(Number);
    const [h1, m1] = pack.business_hours.end.split(":").map(Number);
    for (let m = h0 * 60 + m0; m <= h1 * 60 + m1; m += STEP_MINUTES) {
      const hhmm = `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
      select.add(new Option(hhmm, hhmm));
    }
  }
  const hhmm = proposed.slice(11, 16);
  if (![...select.options].some((o) => o.value === hhmm)) {
    // The proposal keeps the hour the citatorio is left, which may fall between two steps.
    const next = [...select.options].find((o) => o.value > hhmm);
    select.add(new Option(hhmm, hhmm), next || null);
  }
  select.value = hhmm;
  showSlot("appointment_date", when(proposed, { weekday: "long", day: "numeric", month: "long", year: "numeric" }));
}

// The credential an admin renewed reaches the phone with every pull; a page served from the
// phone's cache may hold an older one. The server numbers each credential it records, so the
// newer of the two is shown whatever the phone's clock says (R-NOT-8, R-PAE-2).
async function currentFieldUser() {
  const pulled = await getMeta(db, "user");
  const c = pulled && pulled.credential;
  if (!c || (c.version || 0) <= (ctx.field_user.credential_version || 0)) return ctx.field_user;
  return { ...ctx.field_user, credential_number: c.number, issued_on: c.issued_on,
    valid_until: c.valid_until, issuer: c.issuer, legal_basis: c.legal_basis };
}

function showCredential() {
  const u = fieldUser;
  const until = u.valid_until ? formatDateTime(`${u.valid_until}T12:00:00Z`, "UTC", { dateStyle: "short" }) : "—";
  showSlot("credential", `${u.credential_number || "sin número"}, vigente al ${until}, expedida por ${u.issuer || "—"}`);
}

function render() {
  visibility(draft.values);
  showCredential();
  showSlot("tolerance", pack ? String(pack.follow_up_tolerance_minutes) : "—");
  showSlot("arrived_at", when(draft.arrived_at, { dateStyle: "short", timeStyle: "medium" }));
  showSlot("started_at", draft.started_at ? when(draft.started_at, { timeStyle: "medium" }) : "—");
  showAppointment();
  echoNames();
  refreshChecks();
  // The amount secured is computed as goods are added (R-PAE-7); the checks then see it.
  if (seizure) seizure.render().then(refreshChecks);
}

// ---- photos and signature ---------------------------------------------------------------------

async function storeMedia(item) {
  await transact(db, "media", "readwrite", (s) => s.media.put({
    sha256: item.sha256, type: item.type, bytes: item.bytes, data: item.data, uploaded: false,
    created_at: new Date().toISOString(),
  }));
}

async function attach(role, item, multiple) {
  await storeMedia(item);
  const entry = {
    sha256: item.sha256, role, type: item.type, bytes: item.bytes, width: item.width,
    height: item.height, taken_at: new Date().toISOString(),
  };
  draft = await write((d) => {
    if (!multiple) d.photos = d.photos.filter((p) => p.role !== role);
    if (!d.photos.some((p) => p.sha256 === entry.sha256 && p.role === role)) d.photos.push(entry);
  });
}

/** The photos a picker shows: of its role; the embargo's item picker only the good being captured. */
function photosFor(picker) {
  const role = picker.dataset.role;
  return seizure && role === "item" ? seizure.pendingPhotos(draft) : draft.photos.filter((p) => p.role === role);
}

async function thumbs(picker, photos, editable) {
  const list = picker.querySelector("[data-thumbs]");
  const items = await Promise.all(photos.map(async (p) => {
    const media = await getOne(db, "media", p.sha256);
    return fromTemplate("tpl-thumb", {
      img: (img) => {
        if (media && media.data) img.src = URL.createObjectURL(new Blob([media.data], { type: p.type }));
        else img.hidden = true;
      },
      size: (p.width ? `${p.width}×${p.height} px, ` : "") + formatBytes(p.bytes)
        + (media && media.data ? "" : " (ya en el servidor)"),
      remove: (button) => {
        button.hidden = !editable;
        button.addEventListener("click", async () => {
          draft = await write((d) => { d.photos = d.photos.filter((x) => !(x.sha256 === p.sha256 && x.role === p.role)); });
          await thumbs(picker, picker.dataset.role ? photosFor(picker) : [], true);
          refreshChecks();
        });
      },
    });
  }));
  list.replaceChildren(...items);
}

function bindPhotos() {
  for (const picker of form.querySelectorAll(".photos")) {
    const role = picker.dataset.role;
    const multiple = picker.dataset.multiple === "yes";
    const input = picker.querySelector("[data-photo-input]");
    const status = picker.querySelector("[data-photo-status]");
    input.addEventListener("change", async () => {
      const file = input.files[0];
      input.value = "";
      if (!file) return;
      status.textContent = "Procesando foto…";
      try {
        const photo = await preparePhoto(file, longEdgeOf(pack || { photo_long_edge: ctx.office.photo_long_edge }));
        await attach(role, photo, multiple);
        status.textContent = "Foto guardada en el teléfono.";
        if (role === "facade") await tick("address_verification", "photo");
      } catch {
        status.textContent = "No se pudo leer la foto; tómela de nuevo.";
      }
      await thumbs(picker, photosFor(picker), true);
      refreshChecks();
    });
  }
}

// Every signature box on screen gets its pad: the attendee's (role "signature") and, in an
// embargo, each witness's and the custodian's (R-PAE-4, R-PAE-8), told apart by data-signer.
// A pad is built once its box is shown (a hidden canvas has no size to draw on).
const pads = new Map(); // box → {pad, timer}

const signerOf = (box) => box.dataset.signer || null;
const sameSigner = (p, box) => p.role === box.dataset.role && (p.signer || null) === signerOf(box);
const signatureStatus = (box, text) => { box.querySelector("[data-signature-status]").textContent = text; };

function ensurePads() {
  for (const box of form.querySelectorAll(".signature[data-role]")) {
    if (pads.has(box) || box.closest("[hidden]")) continue;
    const entry = { timer: null };
    entry.pad = new SignaturePad(box.querySelector("canvas"), () => {
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => saveSignature(box), 400);
    });
    pads.set(box, entry);
    box.querySelector("[data-signature-clear]").addEventListener("click", () => clearSignature(box));
    const stored = draft.photos.find((p) => sameSigner(p, box));
    if (stored) drawStoredSignature(box, stored);
  }
}

async function drawStoredSignature(box, stored) {
  const media = await getOne(db, "media", stored.sha256);
  if (!media || !media.data) {
    signatureStatus(box, "Firma enviada al servidor; el teléfono ya no guarda copia.");
    return;
  }
  signatureStatus(box, "Firma guardada.");
  const image = await createImageBitmap(new Blob([media.data], { type: stored.type }));
  const { width, height } = box.querySelector("canvas").getBoundingClientRect();
  pads.get(box).pad.ctx.drawImage(image, 0, 0, width, height);
}

async function saveSignature(box) {
  const { pad } = pads.get(box);
  if (pad.isEmpty || !write) return;
  const signature = await pad.toStored();
  await storeMedia(signature);
  const entry = {
    sha256: signature.sha256, role: box.dataset.role, type: signature.type, bytes: signature.bytes,
    width: signature.width, height: signature.height, taken_at: new Date().toISOString(),
  };
  if (signerOf(box)) entry.signer = signerOf(box);
  draft = await write((d) => {
    d.photos = d.photos.filter((p) => !sameSigner(p, box));
    d.photos.push(entry);
  });
  signatureStatus(box, `Firma guardada (${formatBytes(signature.bytes)}).`);
  refreshChecks();
}

async function clearSignature(box) {
  if (!write) return;
  pads.get(box).pad.clear();
  draft = await write((d) => { d.photos = d.photos.filter((p) => !sameSigner(p, box)); });
  signatureStatus(box, "Firma borrada. Pida a la persona que firme de nuevo.");
  refreshChecks();
}

/** The names typed above (a witness's, the custodian's) over their signature pads. */
function echoNames() {
  for (const el of form.querySelectorAll("[data-echo]")) {
    el.textContent = String(draft.values[el.dataset.echo] || "").trim() || "—";
  }
}

// ---- legal checks and finalize ----------------------------------------------------------------

function factsNow(finishedAt = null) {
  return buildFacts(draft, {
    assignment, fieldUser, pack, relevant: relevantNames(form), finishedAt,
  });
}

/** What the checks judge: the facts plus the fix and the address on file (R-GPS-1, R-GPS-2),
 * which the record carries apart from its facts, as the server adds them. */
function judgedFacts(facts) {
  return { ...facts, ...positionFacts(draft.gps, assignment.document.address) };
}

function findingItems(findings) {
  return findings.map((f) => fromTemplate("tpl-finding", { rule: f.rule_id, message: f.message }));
}

function showFindings(findings) {
  $("findings-block").replaceChildren(...findingItems(findings.filter((f) => f.severity === "block")));
  $("findings-warn").replaceChildren(...findingItems(findings.filter((f) => f.severity === "warn")));
  $("findings-note").replaceChildren(...findingItems(findings.filter((f) => f.severity === "note")));
}

// What the user typed as a warning's reason counts at once: a re-render of the findings while
// the save is still on its way (the checks run again after every answer) must not lose it.
const typedReasons = new Map();

function reasonFor(rule) {
  return typedReasons.get(rule) ?? draft.warning_reasons[rule] ?? "";
}

async function saveReason(rule, text) {
  typedReasons.set(rule, text);
  refreshChecks();
  draft = await write((d) => { d.warning_reasons[rule] = text; });
  refreshChecks();
}

function refreshChecks() {
  if (!write) return; // a finalized record shows the findings it was finalized with
  const button = $("finalize");
  if (!draft || !draft.values.situation) {
    $("review-empty").hidden = false;
    button.disabled = true;
    return;
  }
  $("review-empty").hidden = true;
  if (!pack) {
    say("finalize-status", "Falta el paquete legal de su oficina: sincronice con conexión para poder revisar y finalizar.");
    button.disabled = true;
    return;
  }
  const findings = checkDiligence(judgedFacts(factsNow()), pack, new Date().toISOString());
  const blocks = findings.filter((f) => f.severity === "block");
  const warns = findings.filter((f) => f.severity === "warn");
  showFindings(findings);
  warnRules = [...new Set(warns.map((f) => f.rule_id))];
  const box = $("warn-reasons");
  const existing = new Map([...box.querySelectorAll("textarea")].map((t) => [t.dataset.rule, t.closest("label")]));
  // Unchanged rules leave the boxes in place: moving a node would take the focus from the one
  // being typed in.
  if (existing.size !== warnRules.length || !warnRules.every((r) => existing.has(r))) {
    box.replaceChildren(...warnRules.map((rule) => existing.get(rule) || fromTemplate("tpl-reason", {
      rule,
      input: (t) => {
        t.dataset.rule = rule;
        t.value = reasonFor(rule);
        t.addEventListener("input", () => saveReason(rule, t.value));
      },
    })));
  }
  const unexplained = warnRules.filter((r) => !reasonFor(r).trim());
  const outOfBounds = limitProblems(form, ctx.limits).filter((p) => !p.name.startsWith("ui.item."));
  const pending = (seizure ? seizure.pendingProblem() : null) // a good half captured, or exempt
    || (outOfBounds.length ? `Corrija ${counted(outOfBounds.length, "campo", "campos")}: ${outOfBounds[0].message}` : null);
  button.disabled = blocks.length > 0 || unexplained.length > 0 || Boolean(pending);
  if (blocks.length) {
    say("finalize-status", `No se puede finalizar: ${counted(blocks.length, "punto bloquea", "puntos bloquean")} la diligencia.`
      + (pending ? ` ${pending}` : ""));
  } else if (pending) {
    say("finalize-status", `No se puede finalizar: ${pending}`);
  } else if (unexplained.length) {
    say("finalize-status", `Escriba el motivo de ${counted(unexplained.length, "advertencia", "advertencias")} para continuar.`);
  } else {
    say("finalize-status", "Lista para finalizar. Después no podrá modificarse.");
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  refreshChecks();
  if ($("finalize").disabled) return;
  const relevant = relevantNames(form);
  const reasons = Object.fromEntries(warnRules.map((r) => [r, reasonFor(r).trim()]));
  draft = await write((d) => Object.assign(d.warning_reasons, reasons));
  try {
    const record = await finalizeDraft(db, draft, {
      pack, relevant, warningReasons: reasons,
      judge: (finishedAt) => {
        const facts = factsNow(finishedAt);
        const findings = checkDiligence(judgedFacts(facts), pack);
        // R-CAL-3 and every other block: the record is refused here, whatever the button said.
        if (findings.some((f) => f.severity === "block")) throw new Blocked();
        if (findings.some((f) => f.severity === "warn" && !reasons[f.rule_id])) throw new Blocked();
        if (SEIZURE_KINDS.has(facts.kind) && (!seizure || seizure.pendingProblem())) throw new Blocked();
        if (limitProblems(form, ctx.limits).some((p) => !p.name.startsWith("ui.item."))) throw new Blocked();
        return { facts, findings };
      },
    });
    stopGps();
    await requestBackgroundSync(); // the browser sends it when the network is back, app open or not
    location.replace(url({ registro: record.id }));
  } catch (error) {
    refreshChecks();
    say("finalize-status", error instanceof Blocked ? "No se puede finalizar: revise los puntos marcados."
      : error.message);
  }
});

$("seize-now").addEventListener("click", () => {
  // R-PAE-1: not paid, so the goods are seized at once, in the same diligence and acta.
  const radio = form.querySelector("input[name=situation][value=seizure]");
  radio.checked = true;
  radio.dispatchEvent(new Event("change", { bubbles: true }));
  setTimeout(() => $("step-seizure").scrollIntoView({ block: "start" }), 50);
});

$("restart-now").addEventListener("click", async () => {
  draft = await write((d) => { d.started_at = new Date().toISOString(); });
  render();
});

$("discard").addEventListener("click", async () => {
  if (!window.confirm("¿Descartar este borrador? Se perderá lo capturado.")) return;
  await transact(db, "drafts", "readwrite", (s) => s.drafts.delete(draft.id));
  location.replace(ctx.urls.home);
});

// ---- the four ways in -------------------------------------------------------------------------

async function openForm(values) {
  showAssignment(assignment);
  writeValues(form, values);
  form.hidden = false;
  for (const picker of form.querySelectorAll(".photos")) {
    await thumbs(picker, photosFor(picker), Boolean(write));
  }
}

async function openDraft(id) {
  draft = await getOne(db, "drafts", id);
  if (!draft) {
    const record = await getOne(db, "records", id);
    if (record) return location.replace(url({ registro: id }));
    return fail("Este borrador ya no está en el teléfono.");
  }
  assignment = draft.assignment;
  write = draftWriter(db, draft.id);
  await openForm(draft.values);
  await ensureSeizure();
  watchFields(form, save);
  applyLimits(form, ctx.limits);
  bindPhotos();
  render();
  showCorrectionNotes();
  if (!draft.gps) startGps();
  else renderGps();
  return null;
}

/** A correction shows the office head's observations at the top and beside each field they
 * name, so the field user sees what to fix where they fix it. */
function showCorrectionNotes() {
  const observations = draft.replaces && draft.review && draft.review.observations;
  $("correction-note").hidden = !observations;
  if (!observations) return;
  say("correction-observations", observations);
  for (const label of labelsNamedBy(form, observations)) {
    const note = document.createElement("span");
    note.className = "office-note small";
    note.textContent = `Observación de la oficina: ${observations}`;
    label.classList.add("named-by-office");
    label.append(note);
  }
}

/** The embargo record an ampliación starts from (?amplia=ID): this phone's, of the assignment. */
async function extendedRecord(id, assignmentId) {
  if (!id) return null;
  const record = await getOne(db, "records", id);
  return record && record.assignment_id === assignmentId && SEIZURE_KINDS.has(record.kind) ? record : null;
}

async function newDraft(assignmentId, extendsId = null) {
  const existing = (await getAll(db, "drafts")).find((d) => d.assignment_id === assignmentId);
  if (existing) return location.replace(url({ borrador: existing.id }));
  const extended = await extendedRecord(extendsId, assignmentId);
  // Once the embargo is synced the assignment is done and leaves the worklist; the record
  // keeps a copy of it, so the ampliación can still be captured offline.
  assignment = (await getOne(db, "assignments", assignmentId)) || (extended && extended.draft && extended.draft.assignment);
  if (!assignment) return fail("Esta asignación no está en el teléfono. Conéctese para descargar su lista de trabajo.");
  showAssignment(assignment);
  $("arrive").hidden = false;
  if (extended) {
    say("arrive-note", `Ampliación del embargo del ${when(extended.payload.facts.started_at || extended.finalized_at)}: `
      + "al llegar al domicilio, registre su llegada; se guarda la hora del teléfono y se toma su posición GPS.");
  }
  $("arrive-now").addEventListener("click", async () => {
    const now = new Date().toISOString();
    const remembered = await getMeta(db, "remember", {});
    const situation = extended ? { situation: "seizure_extension" } : {};
    // The credential's legal basis as the office recorded it; the executor still confirms it.
    const basis = fieldUser.legal_basis ? { "field_user.legal_basis": fieldUser.legal_basis } : {};
    const fresh = {
      id: crypto.randomUUID(), assignment_id: assignmentId, assignment,
      values: { "address.text": assignment.document.address.one_line, ...remembered, ...basis, ...situation },
      entered_at: {}, arrived_at: now, started_at: extended ? now : null, gps: null, photos: [],
      warning_reasons: {}, replaces: null, created_at: now, updated_at: now,
    };
    await transact(db, "drafts", "readwrite", (s) => s.drafts.add(fresh));
    location.replace(url({ borrador: fresh.id }));
  }, { once: true });
  return null;
}

async function draftOfRecord(record) {
  if (record.draft) return record.draft;
  const found = await getOne(db, "assignments", record.assignment_id);
  return found ? draftFromPayload(record.payload, found) : null;
}

async function showRecord(id) {
  const record = await getOne(db, "records", id);
  if (!record) return fail("Esta diligencia no está en el teléfono.");
  draft = await draftOfRecord(record);
  if (!draft) return fail("La asignación de esta diligencia ya no está en el teléfono.");
  assignment = draft.assignment;
  await openForm(draft.values);
  await ensureSeizure();
  $("diligence-fields").disabled = true;
  render();
  renderGps();
  for (const id2 of ["finalize", "discard", "gps-use", "gps-retry", "restart-now"]) $(id2).hidden = true;
  for (const button of form.querySelectorAll("[data-signature-clear]")) button.hidden = true;
  const findings = record.findings || [];
  $("review-empty").hidden = findings.length > 0;
  say("review-empty", "Sin observaciones legales al finalizar.");
  showFindings(findings);
  const reasons = Object.entries(record.payload.warning_reasons || {});
  $("warn-reasons").replaceChildren(...reasons.map(([rule, text]) => fromTemplate("tpl-reason", {
    rule, input: (t) => { t.value = text; t.readOnly = true; },
  })));
  $("finalize-status").textContent = "";
  const status = recordStatus(record, await pendingSummary(db));
  const notice = $("record-state");
  notice.hidden = false;
  notice.dataset.state = status.key;
  // "Diligencia … finalizada": the kind's own gender varies (el citatorio, la notificación).
  notice.textContent = `Diligencia finalizada el ${when(record.finalized_at)}: ${KIND_LABELS[record.kind]} · ${status.text}`
    + ` · huella ${record.payload.content_hash.slice(0, 12)}`
    + (record.replaced_by ? " · Corregida por una nueva versión." : "");
  // Once the server holds the record, its acta can be opened (online) to show or leave a copy.
  const onServer = record.state === "sent" || record.state === "complete";
  $("acta-copy").hidden = !onServer;
  if (onServer) $("acta-open").href = $("acta-open").dataset.href.replace("RECORD_ID", encodeURIComponent(record.id));
  $("summary-box").hidden = false;
  $("summary-open").addEventListener("click", async () => {
    const { showSummary } = await import("./summary.js");
    await showSummary(record, {
      ctx, kindLabel: KIND_LABELS[record.kind], finalizedText: when(record.finalized_at),
    });
  });
  $("summary-print").addEventListener("click", () => window.print());
  if (await extensionDue(record)) {
    const link = document.createElement("a");
    link.className = "button secondary wide";
    link.id = "extend-seizure";
    link.href = url({ asignacion: record.assignment_id, amplia: record.id });
    link.textContent = "Ampliar el embargo (nueva diligencia)";
    notice.after(link);
  }
  if (record.review && record.review.status === "returned" && !record.replaced_by) {
    const link = document.createElement("a");
    link.className = "button primary wide";
    link.href = url({ corrige: record.id });
    link.textContent = "Corregir (nueva versión)";
    notice.after(link);
  }
  return null;
}

/** R-PAE-7: an embargo that did not cover the amount secured, and is this phone's latest of
 * its assignment, offers its ampliación (CFF 154) as a new diligence. */
async function extensionDue(record) {
  if (ctx.user.role !== "executor" || !SEIZURE_KINDS.has(record.kind) || record.replaced_by) return false;
  if (record.review && record.review.status === "rejected") return false;
  const later = (await getAll(db, "records")).some((r) => r.assignment_id === record.assignment_id
    && SEIZURE_KINDS.has(r.kind) && r.id !== record.id && !r.replaced_by && r.finalized_at > record.finalized_at);
  return !later && seizedShort(record.payload.facts.seizure || {});
}

/** Whether the goods an embargo counts (not exempt, not claimed) plus what was seized before
 * fall short of its amount secured; money as whole cents. */
function seizedShort(s) {
  const toCents = (text) => {
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(text ?? "").trim());
    return m ? BigInt(m[1]) * 100n + BigInt((m[2] || "0").padEnd(2, "0")) : 0n;
  };
  const cats = (pack && pack.item_categories) || {};
  const counted = (s.items || []).filter((i) => {
    const cat = cats[i.category];
    return cat && !(cat.exempt_basis && !(s.whole_business && cat.seizable_with_whole_business)) && !i.third_party_claim;
  });
  const total = counted.reduce((sum, i) => sum + toCents(i.value), toCents(s.previously_seized_value));
  return Boolean(s.amount_secured) && total < toCents(s.amount_secured);
}

async function startCorrection(id) {
  const record = await getOne(db, "records", id);
  const base = record && !record.replaced_by && (await draftOfRecord(record));
  if (!base) return location.replace(url({ registro: id }));
  const fresh = correctionDraft(record, base);
  await transact(db, "drafts", "readwrite", (s) => s.drafts.add(fresh));
  return location.replace(url({ borrador: fresh.id }));
}

const params = new URLSearchParams(window.location.search);
if (params.has("registro")) await showRecord(params.get("registro"));
else if (params.has("corrige")) await startCorrection(params.get("corrige"));
else if (params.has("borrador")) await openDraft(params.get("borrador"));
else if (params.has("asignacion")) await newDraft(Number(params.get("asignacion")), params.get("amplia"));
else fail("Elija una asignación en la captura en campo.");
app.sync(true);
