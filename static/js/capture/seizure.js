// The embargo step on the phone (R-PAE-4…10), offline: the goods in the order they are
// designated, each with its CFF 155 fraction and its seal; exempt goods (CFF 157) refused; the
// amount secured against what is seized, live (R-PAE-3, R-PAE-7); real estate's sworn statement
// and its term. Loaded by diligence.js for executors only.
//
// The same step serves an ampliación de embargo (situation and kind "seizure_extension", CFF
// 154): a later diligence on the same assignment that seizes more goods. It carries the value
// already seized (seizure.previously_seized_value, taken from this phone's earlier embargo of
// the assignment when it has one), counts it in the sufficiency, charges one more enforcement
// cost (fieldapp/legal/costs.py CHARGED_ACTS: an extension is an embargo act, CFF 150 II) and refuses the
// seals of the earlier embargo's goods.
//
// The good being captured lives under ui.item.* (saved with the draft, never in the acta);
// "Agregar al inventario" moves it to seizure.items.N.*, which buildFacts turns into the
// Seizure facts. Photos of a good are media of role "item", named by the good's `photos`.

import { addBusinessDays, enforcementCosts } from "../legal.js";
import { getAll, getMeta, getOne } from "./db.js";
import { writeValues } from "./forms.js";
import { limitProblem } from "./limits.js";
import { decimalText } from "./records.js";
import { normaliseSeal, parseSeal } from "./seals.js";
import { formatDateTime } from "./ui.js";

const ITEM_KEY = /^seizure\.items\.(\d+)\.(.+)$/;
const EDITOR = {
  category: "ui.item.category", description: "ui.item.description", quantity: "ui.item.quantity",
  brand: "ui.item.brand", model: "ui.item.model", serial_number: "ui.item.serial_number",
  condition: "ui.item.condition", value: "ui.item.value", seal: "ui.item.seal",
};
const CLAIM = { claimed: "ui.item.claimed", claimant: "ui.item.claimant", documents: "ui.item.claim_documents" };
const FRACTIONS = {
  I: "Fracción I: dinero, metales preciosos, depósitos",
  II: "Fracción II: acciones, bonos, créditos",
  III: "Fracción III: otros bienes muebles",
  IV: "Fracción IV: bienes inmuebles",
};
const REAL_ESTATE_TERM_DAYS = 15; // R-PAE-5: days the debtor has to prove the sworn facts
export const SEIZURE_KINDS = new Set(["seizure", "seizure_extension"]);
const PREVIOUS = "seizure.previously_seized_value";
const money = new Intl.NumberFormat("es-MX", { style: "currency", currency: "MXN" });

// ---- money as whole cents (BigInt), as the server keeps it --------------------------------

function cents(text) {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(text ?? "").trim());
  if (!match) return null;
  const value = BigInt(match[2]) * 100n + BigInt((match[3] || "0").padEnd(2, "0"));
  return match[1] ? -value : value;
}

function decimalOf(c) {
  const neg = c < 0n;
  const abs = neg ? -c : c;
  return `${neg ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

export function formatMoney(c) {
  return money.format(decimalOf(c)); // a decimal string keeps every cent (Intl reads it exactly)
}

// ---- the goods catalogue of the pack --------------------------------------------------------

function isExempt(cat, wholeBusiness) {
  return Boolean(cat.exempt_basis) && !(wholeBusiness && cat.seizable_with_whole_business);
}

function localDay(iso, tz) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date(iso));
}

/** The goods of a draft as {fields, entered}, in their order (seizure.items.N.*). */
function readItems(d) {
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

function storeItems(d, items) {
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
 * The embargo step. `app` gives: form, pack, ctx, db, draft() (the current draft),
 * update(mutate) (saves a change, resolves the new draft), changed() (re-render and re-check),
 * thumbs(container, photos, editable).
 */
export async function createSeizure(app) {
  const { form, pack, ctx, db } = app;
  const $ = (id) => document.getElementById(id);
  const tz = ctx.office.timezone;
  const cats = (pack && pack.item_categories) || {};
  const pulledSeals = await getMeta(db, "seals", null);
  let usedElsewhere = new Map(); // seal → kind of the other record on this phone
  let correctedSeals = new Set(); // seals of the version a correction replaces: still its own
  let priorDemand = false; // an earlier requerimiento of this assignment: its own charge (R-PAE-3)
  let earlier = []; // earlier embargos (and ampliaciones) of this assignment on this phone, oldest first
  let earlierCount = 0; // earlier embargo diligences of the assignment known here or to the server
  let earlierSeals = new Map(); // seal → {n, record} of a good an earlier embargo already sealed
  let shownItems = null;
  let readOnly = false;

  buildCatalogue();

  function buildCatalogue() {
    const select = $("item-category");
    const groups = {};
    const exempt = document.createElement("optgroup");
    exempt.label = "Inembargables (CFF 157): no se embargan";
    for (const [key, cat] of Object.entries(cats)) {
      const option = new Option(cat.label, key);
      if (cat.exempt_basis) {
        option.textContent = `${cat.label} (${cat.exempt_basis})`;
        exempt.append(option);
        continue;
      }
      if (!groups[cat.fraction]) {
        groups[cat.fraction] = document.createElement("optgroup");
        groups[cat.fraction].label = FRACTIONS[cat.fraction] || `Fracción ${cat.fraction}`;
      }
      groups[cat.fraction].append(option);
    }
    select.append(...Object.keys(FRACTIONS).filter((f) => groups[f]).map((f) => groups[f]), exempt);
    const list = $("exempt-list");
    list.replaceChildren(...Object.entries(cats).filter(([, c]) => c.exempt_basis).map(([key, cat]) => {
      const label = document.createElement("label");
      label.className = "check";
      const input = Object.assign(document.createElement("input"), { type: "checkbox", name: "seizure.exempt_goods_noted", value: key });
      const note = cat.seizable_with_whole_business ? "; sí, con la negociación completa" : "";
      label.append(input, ` ${cat.label} (${cat.exempt_basis}${note})`);
      return label;
    }));
  }

  async function loadPhoneHistory() {
    const d = app.draft();
    const records = await getAll(db, "records");
    usedElsewhere = new Map();
    correctedSeals = new Set();
    earlierSeals = new Map();
    priorDemand = false;
    const embargos = new Set();
    earlier = [];
    for (const r of records) {
      if (r.id === d.id) continue; // a finalized record shown read-only is not its own history
      const seals = ((r.payload.facts.seizure || {}).items || []).filter((i) => i.seal).map((i) => normaliseSeal(i.seal));
      if (r.id === d.replaces) {
        seals.forEach((seal) => correctedSeals.add(seal)); // a correction keeps the seals it had
        continue;
      }
      for (const seal of seals) usedElsewhere.set(seal, r.kind);
      if (r.assignment_id !== d.assignment_id) continue;
      if (r.kind === "payment_demand") priorDemand = true;
      if (SEIZURE_KINDS.has(r.kind) && !r.replaced_by && !(r.review && r.review.status === "rejected")) {
        earlier.push(r);
        embargos.add(r.id);
        (r.payload.facts.seizure.items || []).forEach((item, n) => {
          if (item.seal) earlierSeals.set(normaliseSeal(item.seal), { n, record: r });
        });
      }
    }
    earlier.sort((a, b) => a.finalized_at.localeCompare(b.finalized_at));
    const visits = (d.assignment && d.assignment.visits) || [];
    if (visits.some((v) => v.kind === "payment_demand" && v.id !== d.replaces)) priorDemand = true;
    for (const v of visits) {
      if (SEIZURE_KINDS.has(v.kind) && v.id !== d.id && v.id !== d.replaces && v.review_state !== "rejected") embargos.add(v.id);
    }
    earlierCount = embargos.size;
  }

  /** What an embargo record seized, counted as the law counts it (not exempt, not claimed). */
  function seizedBy(record) {
    const s = record.payload.facts.seizure || {};
    const own = (s.items || []).filter((f) => {
      const cat = cats[f.category];
      return cat && !isExempt(cat, s.whole_business === true) && !f.third_party_claim;
    }).reduce((sum, f) => sum + (cents(f.value) ?? 0n), 0n);
    return own + (cents(s.previously_seized_value) ?? 0n);
  }

  function isExtension() {
    return values().situation === "seizure_extension";
  }

  /** An ampliación takes the value already seized from this phone's latest embargo of the
   * assignment (prefilled once; the executor may correct it), else it is typed. */
  async function prefillPrevious() {
    const last = earlier[earlier.length - 1];
    if (readOnly || !isExtension() || !last || values()["ui.previous_from"]) return;
    if (editorValue(PREVIOUS)) return; // typed before the phone knew better: keep it
    const text = decimalOf(seizedBy(last));
    const prefill = { [PREVIOUS]: text, "ui.previous_from": last.id, "ui.previous_prefilled": text };
    await app.update((d) => Object.assign(d.values, prefill));
    writeValues(form, prefill);
  }

  function renderExtension() {
    const box = $("extension-source");
    if (!isExtension()) return;
    const last = earlier[earlier.length - 1];
    const from = values()["ui.previous_from"];
    const kept = decimalText(editorValue(PREVIOUS)) === values()["ui.previous_prefilled"];
    const source = (kept && earlier.find((r) => r.id === from)) || null;
    const sealed = [...earlierSeals.keys()];
    box.classList.toggle("notice", Boolean(source)); // a value taken from a record stands out
    if (source) {
      const goods = (source.payload.facts.seizure.items || []).length;
      box.textContent = `Del ${source.kind === "seizure" ? "embargo" : "ampliación"} capturado en este teléfono el `
        + `${formatDateTime(source.payload.facts.started_at || source.finalized_at, tz)}: `
        + (goods === 1 ? "1 bien" : goods + " bienes") + ` por ${formatMoney(seizedBy(source))}, interés fiscal `
        + `${formatMoney(cents(source.payload.facts.seizure.amount_secured) ?? 0n)}.`;
    } else if (last) {
      box.textContent = "Valor escrito a mano; el embargo capturado en este teléfono dice "
        + `${formatMoney(seizedBy(last))}.`;
    } else {
      box.textContent = earlierCount
        ? "El embargo anterior se capturó en otro teléfono: escriba el valor de lo ya embargado según su acta."
        : "No hay un embargo anterior de esta asignación en el teléfono: escriba el valor de lo ya embargado según su acta.";
    }
    const list = $("extension-seals");
    list.replaceChildren();
    if (!sealed.length) return;
    list.append("Sellos ya colocados en el embargo anterior (no se pueden usar de nuevo): ");
    sealed.forEach((seal, n) => {
      const code = Object.assign(document.createElement("span"), { textContent: seal });
      code.style.whiteSpace = "nowrap"; // a code never breaks at its hyphens
      list.append(code, n < sealed.length - 1 ? ", " : ".");
    });
  }

  const values = () => app.draft().values;
  const editorValue = (name) => String(values()[name] ?? "").trim();

  function wholeBusiness() {
    return values()["seizure.whole_business"] === true;
  }

  function claimedPhotos(d) {
    const claimed = new Set();
    for (const item of readItems(d)) for (const sha of item.fields.photos || []) claimed.add(sha);
    return claimed;
  }

  /** Photos of role "item" not yet given to a good: those of the good being captured. */
  function pendingPhotos(d = app.draft()) {
    const claimed = claimedPhotos(d);
    return (d.photos || []).filter((p) => p.role === "item" && !claimed.has(p.sha256));
  }

  // ---- seals ----------------------------------------------------------------------------------

  /** What the phone can say about a seal code: {level: ok|warn|refuse, text}. */
  function sealVerdict(text, ownIndex = null) {
    const code = normaliseSeal(text);
    if (!code) return null;
    if (!parseSeal(code)) {
      return { level: "refuse", text: `«${code}» no es un código de sello válido: revise el carácter de control (el último).` };
    }
    const items = readItems(app.draft());
    const other = items.findIndex((item, n) => n !== ownIndex && normaliseSeal(item.fields.seal) === code);
    if (other >= 0) {
      return { level: "refuse", text: `El sello ${code} ya está en el bien ${other + 1} de este embargo: use otro (R-PAE-8).` };
    }
    const sealedBefore = earlierSeals.get(code);
    if (sealedBefore) {
      const when = formatDateTime(sealedBefore.record.payload.facts.started_at || sealedBefore.record.finalized_at, tz, { dateStyle: "short" });
      return { level: "refuse", text: `El sello ${code} ya está en el bien ${sealedBefore.n + 1} del embargo del ${when} de esta asignación: use otro (R-PAE-8).` };
    }
    if (correctedSeals.has(code)) return { level: "ok", text: `Sello ${code} de la versión que corrige.` };
    if (usedElsewhere.has(code)) {
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

  function setSeal(code) {
    const input = $("item-seal");
    input.value = code;
    input.dispatchEvent(new Event("input", { bubbles: true })); // saved like a typed code
  }

  async function scanner() {
    return import("./scan.js"); // with jsQR: only when a seal is read, never on the first load
  }

  function acceptScanned(text, say) {
    if (parseSeal(text)) return true;
    say(`El código leído («${String(text).slice(0, 40)}») no es un sello válido; apunte a otra etiqueta.`);
    return false;
  }

  $("seal-scan").addEventListener("click", async () => {
    const dialog = $("seal-scanner");
    const status = (text) => { $("seal-scan-status").textContent = text; };
    const stop = new AbortController();
    status("Abriendo la cámara…");
    dialog.showModal();
    $("seal-scan-cancel").onclick = () => stop.abort();
    dialog.onclose = () => stop.abort();
    try {
      const { scanWithCamera } = await scanner();
      const text = await scanWithCamera($("seal-video"), {
        signal: stop.signal, onStatus: status, accept: (t) => acceptScanned(t, status),
      });
      if (text) setSeal(normaliseSeal(text));
    } catch (error) {
      $("seal-status").textContent = error.name === "NotAllowedError"
        ? "Sin permiso para la cámara: actívelo, lea una foto del sello o escriba el código."
        : "No se pudo usar la cámara: lea una foto del sello o escriba el código.";
    } finally {
      if (dialog.open) dialog.close();
    }
  });

  $("seal-photo").addEventListener("change", async (event) => {
    const input = event.target;
    const file = input.files[0];
    input.value = "";
    if (!file) return;
    $("seal-status").textContent = "Leyendo el código de la foto…";
    try {
      const { decodeFile } = await scanner();
      const text = await decodeFile(file);
      if (text === null) $("seal-status").textContent = "No se encontró un código QR en la foto: tómela de nuevo, más cerca.";
      else if (acceptScanned(text, (t) => { $("seal-status").textContent = t; })) setSeal(normaliseSeal(text));
    } catch {
      $("seal-status").textContent = "No se pudo leer la foto; tómela de nuevo o escriba el código.";
    }
  });

  // ---- the good being captured ----------------------------------------------------------------

  function editorCategory() {
    const key = editorValue(EDITOR.category);
    return key && Object.hasOwn(cats, key) ? { key, cat: cats[key] } : null;
  }

  function editorHasContent() {
    return Object.values(EDITOR).some((name) => editorValue(name)) || pendingPhotos().length > 0
      || values()[CLAIM.claimed] === true;
  }

  /** Why the good being captured cannot be added (null when it can). */
  function editorProblem() {
    const chosen = editorCategory();
    if (!chosen) return "Elija la categoría del bien.";
    const { cat } = chosen;
    if (isExempt(cat, wholeBusiness())) {
      return `${cat.label} es inembargable (${cat.exempt_basis}): no puede agregarse al embargo (R-PAE-6).`;
    }
    if (!editorValue(EDITOR.description)) return "Describa el bien.";
    const value = editorValue(EDITOR.value);
    if (value && cents(decimalText(value)) === null) return "Escriba el valor estimado en pesos, p. ej. 12500.00.";
    const outOfBounds = [EDITOR.value, EDITOR.quantity, EDITOR.description]
      .map((name) => limitProblem(ctx.limits, name, editorValue(name))).find(Boolean);
    if (outOfBounds) return outOfBounds;
    const claimed = values()[CLAIM.claimed] === true;
    if (claimed && !(editorValue(CLAIM.claimant) && editorValue(CLAIM.documents))) {
      return "Anote quién reclama el bien y los documentos que exhibió (R-PAE-9).";
    }
    const seal = editorValue(EDITOR.seal);
    if (cat.sealable && !claimed && !seal) return "Este bien lleva sello: escanéelo o escriba su código (R-PAE-8).";
    const verdict = seal ? sealVerdict(seal) : null;
    if (verdict && verdict.level === "refuse") return verdict.text;
    return null;
  }

  /** What keeps the diligence from being finalized here (null when nothing). */
  function pendingProblem() {
    if (readOnly || !SEIZURE_KINDS.has(values().situation)) return null;
    if (isExtension()) {
      const previous = editorValue(PREVIOUS);
      if (!previous) return "Anote el valor de lo ya embargado en el embargo anterior (ampliación, CFF 154).";
      if (cents(decimalText(previous)) === null) return "Escriba el valor de lo ya embargado en pesos, p. ej. 11500.00.";
    }
    if (!editorHasContent()) return null;
    const chosen = editorCategory();
    if (chosen && isExempt(chosen.cat, wholeBusiness())) {
      return `El bien que captura es inembargable (${chosen.cat.exempt_basis}): límpielo para finalizar (R-PAE-6).`;
    }
    return "Hay un bien sin agregar al inventario: agréguelo o límpielo.";
  }

  function editorFields() {
    const fields = {};
    for (const [field, name] of Object.entries(EDITOR)) {
      const text = editorValue(name);
      if (!text) continue;
      if (field === "value") fields.value = decimalText(text);
      else if (field === "seal") fields.seal = normaliseSeal(text);
      else fields[field] = text;
    }
    if (values()[CLAIM.claimed] === true) {
      fields["third_party_claim.claimant"] = editorValue(CLAIM.claimant);
      fields["third_party_claim.documents"] = editorValue(CLAIM.documents);
    }
    return fields;
  }

  async function refreshEditorPhotos() {
    await app.thumbs(form.querySelector(".photos[data-role=item]"), pendingPhotos(), !readOnly);
  }

  function clearedEditor() {
    const cleared = Object.fromEntries(Object.values(EDITOR).map((name) => [name, ""]));
    return { ...cleared, [CLAIM.claimed]: false, [CLAIM.claimant]: "", [CLAIM.documents]: "" };
  }

  async function clearEditor(dropPhotos) {
    const cleared = clearedEditor();
    const pending = new Set(pendingPhotos().map((p) => p.sha256));
    await app.update((d) => {
      Object.assign(d.values, cleared);
      if (dropPhotos) d.photos = d.photos.filter((p) => !(p.role === "item" && pending.has(p.sha256)));
    });
    writeValues(form, cleared);
    $("seal-status").textContent = "";
    await refreshEditorPhotos();
    await app.changed();
  }

  $("item-add").addEventListener("click", async () => {
    const problem = editorProblem();
    if (problem) {
      $("item-problem").textContent = problem;
      return;
    }
    const now = new Date().toISOString();
    const fields = { id: crypto.randomUUID(), ...editorFields(), photos: pendingPhotos().map((p) => p.sha256) };
    if (!fields.photos.length) delete fields.photos;
    const cleared = clearedEditor();
    await app.update((d) => {
      const items = readItems(d);
      items.push({ fields, entered: Object.fromEntries(Object.keys(fields).map((f) => [f, now])) });
      storeItems(d, items);
      Object.assign(d.values, cleared);
    });
    writeValues(form, cleared);
    $("seal-status").textContent = "";
    $("item-problem").textContent = `Bien ${readItems(app.draft()).length} agregado al inventario.`;
    await refreshEditorPhotos();
    await app.changed();
  });

  $("item-clear").addEventListener("click", () => clearEditor(true));

  async function removeItem(n, intoEditor) {
    if (intoEditor && editorHasContent()) {
      $("item-problem").textContent = "Agregue o limpie primero el bien que está capturando.";
      return;
    }
    const item = readItems(app.draft())[n];
    const back = {};
    if (intoEditor) {
      for (const [field, name] of Object.entries(EDITOR)) back[name] = item.fields[field] || "";
      back[CLAIM.claimed] = Boolean(item.fields["third_party_claim.claimant"] || item.fields["third_party_claim.documents"]);
      back[CLAIM.claimant] = item.fields["third_party_claim.claimant"] || "";
      back[CLAIM.documents] = item.fields["third_party_claim.documents"] || "";
    }
    const photos = new Set(item.fields.photos || []);
    await app.update((d) => {
      const items = readItems(d);
      items.splice(n, 1);
      storeItems(d, items);
      Object.assign(d.values, back);
      // Taken out to correct it: its photos wait in the editor. Removed: they go.
      if (!intoEditor) d.photos = d.photos.filter((p) => !(p.role === "item" && photos.has(p.sha256)));
    });
    writeValues(form, back);
    $("item-problem").textContent = intoEditor ? `Corrija el bien y agréguelo de nuevo.` : `Bien ${n + 1} quitado del inventario.`;
    await refreshEditorPhotos();
    await app.changed();
    if (intoEditor) $("item-editor").scrollIntoView({ block: "start" });
  }

  // ---- rendering ------------------------------------------------------------------------------

  function categoryNote() {
    const chosen = editorCategory();
    const note = $("item-category-note");
    note.classList.remove("error", "ok-note");
    if (!chosen) {
      note.textContent = "";
      return;
    }
    const { cat } = chosen;
    if (isExempt(cat, wholeBusiness())) {
      note.textContent = `Inembargable (${cat.exempt_basis}): no se puede embargar (R-PAE-6).`
        + (cat.seizable_with_whole_business ? " Sólo con la negociación completa." : "");
      note.classList.add("error");
      return;
    }
    const parts = [cat.fraction ? `Art. 155 CFF, fracción ${cat.fraction} (${FRACTIONS[cat.fraction].split(": ")[1]})` : ""];
    parts.push(cat.sealable ? "lleva sello" : "sin sello (no es un bien que se etiquete)");
    if (cat.bank_deposit) parts.push("se embarga sólo hasta el interés fiscal (R-PAE-7)");
    note.textContent = parts.filter(Boolean).join(" · ");
    note.classList.add("ok-note");
  }

  function sealStatus() {
    const seal = editorValue(EDITOR.seal);
    const box = $("seal-status");
    const chosen = editorCategory();
    $("seal-entry").hidden = Boolean(chosen && !chosen.cat.sealable);
    box.dataset.level = "";
    if (!seal) {
      if (!box.textContent.startsWith("Leyendo") && !box.textContent.startsWith("No se")) box.textContent = "";
      return;
    }
    const verdict = sealVerdict(seal);
    box.textContent = verdict.text;
    box.dataset.level = verdict.level;
  }

  function itemTitle(fields, n) {
    const cat = cats[fields.category];
    return `${n + 1}. ${cat ? cat.label : fields.category}`;
  }

  async function renderItems() {
    const d = app.draft();
    const items = readItems(d);
    const signature = JSON.stringify([items.map((i) => i.fields), readOnly, wholeBusiness()]);
    if (signature === shownItems) return;
    shownItems = signature;
    const list = $("seized-items");
    const cards = items.map((item, n) => {
      const { fields } = item;
      const li = document.createElement("li");
      li.className = "seized-item";
      li.dataset.item = String(n);
      for (const field of Object.keys(fields)) {
        const hidden = Object.assign(document.createElement("input"), { type: "hidden", name: `seizure.items.${n}.${field}` });
        hidden.value = Array.isArray(fields[field]) ? fields[field].join(",") : String(fields[field]);
        li.append(hidden);
      }
      const cat = cats[fields.category];
      const title = document.createElement("strong");
      title.textContent = itemTitle(fields, n);
      const lines = [
        fields.description,
        [fields.quantity && `Cantidad: ${fields.quantity}`, fields.condition && `estado ${fields.condition}`].filter(Boolean).join(", "),
        [fields.brand, fields.model, fields.serial_number && `serie ${fields.serial_number}`].filter(Boolean).join(" · "),
        cat && cat.fraction ? `Art. 155 CFF, fracción ${cat.fraction}` : "",
        fields.value ? `Valor estimado: ${formatMoney(cents(fields.value))}` : "Sin valor estimado",
        fields.seal ? `Sello ${fields.seal}` : "",
      ].filter(Boolean);
      li.append(title);
      for (const line of lines) {
        const p = document.createElement("p");
        p.className = "small";
        p.textContent = line;
        li.append(p);
      }
      const notes = [];
      if (cat && isExempt(cat, wholeBusiness())) notes.push(["error", `Inembargable (${cat.exempt_basis}): quítelo (R-PAE-6).`]);
      if (fields["third_party_claim.claimant"]) {
        notes.push(["warn", `Reclamado por ${fields["third_party_claim.claimant"]}: no se embarga por ahora (R-PAE-9).`]);
      }
      if (fields.seal && !readOnly) {
        const verdict = sealVerdict(fields.seal, n);
        if (verdict && verdict.level !== "ok") notes.push([verdict.level === "refuse" ? "error" : "warn", verdict.text]);
      }
      for (const [kind, text] of notes) {
        const p = document.createElement("p");
        p.className = `small ${kind}`;
        p.textContent = text;
        li.append(p);
      }
      const photos = document.createElement("div");
      photos.innerHTML = '<ul class="thumbs small-thumbs" data-thumbs></ul>';
      li.append(photos);
      const itemPhotos = new Set(fields.photos || []);
      app.thumbs(photos, d.photos.filter((p) => p.role === "item" && itemPhotos.has(p.sha256)), false);
      if (!readOnly) {
        const actions = document.createElement("div");
        actions.className = "actions";
        const edit = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: "Corregir" });
        edit.addEventListener("click", () => removeItem(n, true));
        const drop = Object.assign(document.createElement("button"), { type: "button", className: "danger-link", textContent: "Quitar" });
        drop.addEventListener("click", () => removeItem(n, false));
        actions.append(edit, drop);
        li.append(actions);
      }
      return li;
    });
    list.replaceChildren(...cards);
    $("seized-empty").hidden = cards.length > 0;
  }

  function say(slot, text) {
    const el = document.querySelector(`[data-money="${slot}"]`);
    if (el) el.textContent = text;
  }

  /** R-PAE-3 and R-PAE-7: the amount secured and what the goods cover, as items are added. */
  async function renderSufficiency() {
    const d = app.draft();
    const credits = (d.assignment && d.assignment.document.credits) || [];
    const day = localDay(d.started_at || new Date().toISOString(), tz);
    const debt = credits.reduce((sum, c) => sum + (cents(c.total) ?? 0n), 0n);
    // The pack says which base the office uses when it carries it; the code default is "total".
    const base = credits.reduce((sum, c) => sum + (cents(pack.cost_base === "principal" ? c.principal : c.total) ?? 0n), 0n);
    // One charge per diligence (R-PAE-3): this one; a requerimiento made as its own diligence;
    // for an ampliación, each earlier embargo of the assignment too (an extension is an embargo
    // act, CFF 150 II, as fieldapp/legal/costs.py CHARGED_ACTS charges it).
    const extension = isExtension();
    const charges = 1 + (priorDemand ? 1 : 0) + (extension ? Math.max(1, earlierCount) : 0);
    let perCharge = null;
    try {
      perCharge = cents(enforcementCosts(decimalOf(base), day, pack));
    } catch {
      perCharge = null;
    }
    const verdict = $("sufficiency-verdict");
    const box = $("sufficiency");
    const items = readItems(d).map((i) => i.fields);
    const counted = items.filter((f) => {
      const cat = cats[f.category];
      return cat && !isExempt(cat, wholeBusiness()) && !f["third_party_claim.claimant"];
    });
    const seizedHere = counted.reduce((sum, f) => sum + (cents(f.value) ?? 0n), 0n);
    const previous = extension ? cents(decimalText(editorValue(PREVIOUS))) ?? 0n : 0n;
    const seized = seizedHere + previous;
    const unvalued = counted.filter((f) => !f.value).length;
    say("debt", formatMoney(debt));
    say("seized", formatMoney(seized));
    say("charges", charges === 1 ? "(1 cobro)" : `(${charges} cobros)`);
    const before = charges - 1;
    say("charges_note", extension
      ? `${charges} cobros de gastos: `
        + (before === 1 ? "el de la diligencia anterior (requerimiento y embargo en una sola)"
          : before + " de las diligencias anteriores (requerimiento, embargo y ampliaciones)")
        + " y el de esta ampliación (CFF 150, R-PAE-3)."
      : charges === 1
        ? "Un solo cobro de gastos: requerimiento y embargo en la misma diligencia (R-PAE-3)."
        : "Dos cobros de gastos: el del requerimiento hecho antes en otra diligencia y el de este embargo (R-PAE-3).");
    say("previous_line", extension
      ? `Embargado antes ${formatMoney(previous)} + en esta ampliación ${formatMoney(seizedHere)}.` : "");
    const bar = $("sufficiency-bar");
    if (perCharge === null) {
      say("costs", "—");
      say("secured", "—");
      verdict.textContent = `No hay tabla de gastos de ejecución vigente el ${day}: sincronice con conexión.`;
      box.dataset.state = "short";
      bar.dataset.state = "short";
      bar.textContent = `Embargado ${formatMoney(seized)}; interés fiscal sin calcular`;
      return;
    }
    const costs = perCharge * BigInt(charges);
    // A finalized record shows the amount it was finalized with, even if the pack changed since.
    const stored = readOnly ? cents(values()["seizure.amount_secured"]) : null;
    const secured = stored ?? debt + costs;
    say("costs", formatMoney(costs));
    say("secured", formatMoney(secured));
    if (!readOnly && values()["seizure.amount_secured"] !== decimalOf(secured)) {
      const text = decimalOf(secured);
      await app.update((dd) => { dd.values["seizure.amount_secured"] = text; });
      writeValues(form, { "seizure.amount_secured": text });
    }
    const short = secured - seized;
    const missingValues = unvalued
      ? " " + (unvalued === 1 ? "Un bien no tiene" : unvalued + " bienes no tienen") + " valor estimado." : "";
    if (!counted.length && !previous) {
      verdict.textContent = readOnly ? "Sin bienes embargados." : `Embargue bienes por al menos ${formatMoney(secured)}.`;
    } else if (short > 0n) {
      verdict.textContent = `Lo embargado no cubre el interés fiscal: faltan ${formatMoney(short)}.`
        + (readOnly ? "" : " Embargue más bienes o anote el motivo al finalizar (R-PAE-7).") + missingValues;
    } else {
      verdict.textContent = `Lo embargado cubre el interés fiscal (sobran ${formatMoney(-short)}).${missingValues}`;
    }
    box.dataset.state = short > 0n || (!counted.length && !previous) ? "short" : "covered";
    bar.dataset.state = box.dataset.state;
    bar.textContent = `Embargado ${formatMoney(seized)} de ${formatMoney(secured)}`
      + (short > 0n ? ` · faltan ${formatMoney(short)}` : " · cubierto");
  }

  function renderRealEstate() {
    const d = app.draft();
    const chosen = editorCategory();
    const any = readItems(d).some((i) => i.fields.category === "real_estate")
      || (chosen && chosen.key === "real_estate");
    $("real-estate").hidden = !any;
    if (!any || !pack) return;
    const day = localDay(d.started_at || new Date().toISOString(), tz);
    const due = addBusinessDays(day, REAL_ESTATE_TERM_DAYS, pack);
    $("real-estate-term").textContent = `El deudor tiene ${REAL_ESTATE_TERM_DAYS} días hábiles para acreditar lo manifestado: `
      + `vence el ${formatDateTime(due + "T12:00:00Z", "UTC", { dateStyle: "full" })} (R-PAE-5).`;
  }

  $("custodian-here").addEventListener("click", () => {
    const location = form.querySelector("[name='seizure.custodian.location']");
    location.value = values()["address.text"] || "";
    location.dispatchEvent(new Event("input", { bubbles: true }));
  });

  return {
    /** Re-reads what the phone knows about seals and earlier visits (a draft was opened). */
    async open({ readOnly: ro = false } = {}) {
      readOnly = ro;
      shownItems = null;
      await loadPhoneHistory();
      $("item-editor").hidden = readOnly;
      // The fields this module built after the form was filled take their saved answers now.
      const v = values();
      const noted = v["seizure.exempt_goods_noted"] || v["ui.exempt_present"] || []; // drafts of before the contract had it
      if (!readOnly && !v["seizure.exempt_goods_noted"] && noted.length) {
        await app.update((d) => { d.values["seizure.exempt_goods_noted"] = noted; });
      }
      writeValues(form, { "seizure.exempt_goods_noted": noted, "ui.item.category": v["ui.item.category"] || "" });
    },
    async render() {
      if (!pack || !SEIZURE_KINDS.has(values().situation)) return;
      await prefillPrevious();
      renderExtension();
      categoryNote();
      sealStatus();
      // R-PAE-6: an exempt good is refused as it is chosen, not only when it is added.
      const chosen = editorCategory();
      const exempt = Boolean(chosen && isExempt(chosen.cat, wholeBusiness()));
      $("item-add").disabled = exempt;
      const message = $("item-problem");
      if (exempt) {
        message.textContent = editorProblem();
        message.dataset.kind = "exempt";
      } else if (message.dataset.kind === "exempt") {
        message.textContent = "";
        message.dataset.kind = "";
      }
      await renderItems();
      renderRealEstate();
      await renderSufficiency();
    },
    pendingProblem,
    pendingPhotos,
    /** The photos a picker shows: the item picker only those of the good being captured. */
    photosFor(picker, photos) {
      return picker.dataset.role === "item" ? pendingPhotos() : photos;
    },
    async photoOf(sha256) {
      return getOne(db, "media", sha256);
    },
  };
}
