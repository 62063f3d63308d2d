// @ts-check
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
// This module is the view: it reads the page and the phone's stores and writes what
// seizure-model.js (the rules, without DOM or IndexedDB, tested under node) decides.

import { getAll, getMeta, getOne } from "./db.js";
import { writeValues } from "./forms.js";
import {
  EDITOR, SEIZURE_KINDS, addItem, catalogue, categoryNote, clearedEditor, dropItem, editorFromItem,
  editorHasContent, editorProblem, editorValue, emptyHistory, exemptChosen, editorCategory,
  extensionSource, isExtension, itemCard, newItemFields, pendingPhotos, pendingProblem,
  phoneHistory, previousPrefill, readItems, realEstateTerm, scannedProblem, sealVerdict,
  sufficiency, wholeBusiness,
} from "./seizure-model.js";
import { normaliseSeal } from "./seals.js";

export { SEIZURE_KINDS, formatMoney } from "./seizure-model.js";

/**
 * The embargo step. `app` gives: form, pack, ctx, db, draft() (the current draft),
 * update(mutate) (saves a change, resolves the new draft), changed() (re-render and re-check),
 * thumbs(container, photos, editable).
 * @param {{form: HTMLFormElement, pack: import("../types.js").LegalPack | null, ctx: Record<string, any>,
 *   db: IDBDatabase, draft: () => import("../types.js").Draft,
 *   update: (mutate: (d: import("../types.js").Draft) => void) => Promise<unknown>,
 *   changed: () => Promise<void>, thumbs: (container: Element, photos: object[], editable: boolean) => unknown}} app
 */
export async function createSeizure(app) {
  const { form, pack, ctx, db } = app;
  /** @param {string} id */
  const $ = (id) => document.getElementById(id);
  /** An element of the step that is an <input>, <button> or <dialog>, as the page has it. */
  const input = (id) => /** @type {HTMLInputElement} */ ($(id));
  const button = (id) => /** @type {HTMLButtonElement} */ ($(id));
  const dialogOf = (id) => /** @type {HTMLDialogElement} */ ($(id));
  /** What the model judges with besides the draft; history and readOnly change on open(). */
  const setting = {
    cats: (pack && pack.item_categories) || {},
    pack,
    tz: ctx.office.timezone,
    limits: ctx.limits,
    pulledSeals: await getMeta(db, "seals", null),
    history: emptyHistory(),
    readOnly: false,
  };
  let shownItems = null;

  const values = () => app.draft().values;
  const now = () => new Date().toISOString();

  buildCatalogue();

  function buildCatalogue() {
    const { groups, exempt, checklist } = catalogue(setting.cats);
    const optgroup = ({ label, options }) => {
      const group = document.createElement("optgroup");
      group.label = label;
      group.append(...options.map((o) => new Option(o.label, o.value)));
      return group;
    };
    $("item-category").append(...groups.map(optgroup), optgroup(exempt));
    $("exempt-list").replaceChildren(...checklist.map(({ value, label: text }) => {
      const label = document.createElement("label");
      label.className = "check";
      const input = Object.assign(document.createElement("input"), { type: "checkbox", name: "seizure.exempt_goods_noted", value });
      label.append(input, text);
      return label;
    }));
  }

  async function loadPhoneHistory() {
    setting.history = phoneHistory(app.draft(), await getAll(db, "records"));
  }

  async function prefillPrevious() {
    const prefill = previousPrefill(app.draft(), setting);
    if (!prefill) return;
    await app.update((d) => Object.assign(d.values, prefill));
    writeValues(form, prefill);
  }

  function renderExtension() {
    if (!isExtension(values())) return;
    const box = $("extension-source");
    const { text, notice, sealed } = extensionSource(app.draft(), setting);
    box.classList.toggle("notice", notice); // a value taken from a record stands out
    box.textContent = text;
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

  // ---- seals ----------------------------------------------------------------------------------

  function setSeal(code) {
    const field = input("item-seal");
    field.value = code;
    field.dispatchEvent(new Event("input", { bubbles: true })); // saved like a typed code
  }

  async function scanner() {
    return import("./scan.js"); // with jsQR: only when a seal is read, never on the first load
  }

  function acceptScanned(text, say) {
    const problem = scannedProblem(text);
    if (problem) say(problem);
    return !problem;
  }

  $("seal-scan").addEventListener("click", async () => {
    const dialog = dialogOf("seal-scanner");
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
    const picker = /** @type {HTMLInputElement} */ (event.target);
    const file = picker.files[0];
    picker.value = "";
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

  async function refreshEditorPhotos() {
    await app.thumbs(form.querySelector(".photos[data-role=item]"), pendingPhotos(app.draft()), !setting.readOnly);
  }

  async function clearEditor(dropPhotos) {
    const cleared = clearedEditor();
    const pending = new Set(pendingPhotos(app.draft()).map((p) => p.sha256));
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
    const problem = editorProblem(app.draft(), setting);
    if (problem) {
      $("item-problem").textContent = problem;
      return;
    }
    const fields = newItemFields(app.draft(), crypto.randomUUID());
    const at = now();
    await app.update((d) => addItem(d, fields, at));
    writeValues(form, clearedEditor());
    $("seal-status").textContent = "";
    $("item-problem").textContent = `Bien ${readItems(app.draft()).length} agregado al inventario.`;
    await refreshEditorPhotos();
    await app.changed();
  });

  $("item-clear").addEventListener("click", () => clearEditor(true));

  async function removeItem(n, intoEditor) {
    if (intoEditor && editorHasContent(app.draft())) {
      $("item-problem").textContent = "Agregue o limpie primero el bien que está capturando.";
      return;
    }
    const item = readItems(app.draft())[n];
    const back = intoEditor ? editorFromItem(item.fields) : {};
    const photos = new Set(item.fields.photos || []);
    await app.update((d) => dropItem(d, n, { intoEditor, back, photos }));
    writeValues(form, back);
    $("item-problem").textContent = intoEditor ? `Corrija el bien y agréguelo de nuevo.` : `Bien ${n + 1} quitado del inventario.`;
    await refreshEditorPhotos();
    await app.changed();
    if (intoEditor) $("item-editor").scrollIntoView({ block: "start" });
  }

  // ---- rendering ------------------------------------------------------------------------------

  function renderCategoryNote() {
    const { text, kind } = categoryNote(values(), setting.cats);
    const note = $("item-category-note");
    note.classList.remove("error", "ok-note");
    note.textContent = text;
    if (kind) note.classList.add(kind);
  }

  function sealStatus() {
    const seal = editorValue(values(), EDITOR.seal);
    const box = $("seal-status");
    const chosen = editorCategory(values(), setting.cats);
    $("seal-entry").hidden = Boolean(chosen && !chosen.cat.sealable);
    box.dataset.level = "";
    if (!seal) {
      // A reading in progress or a camera failure stays until a code is typed or read.
      if (!box.textContent.startsWith("Leyendo") && !box.textContent.startsWith("No se")) box.textContent = "";
      return;
    }
    const verdict = sealVerdict(seal, app.draft(), setting);
    box.textContent = verdict.text;
    box.dataset.level = verdict.level;
  }

  function paragraph(className, text) {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function itemActions(n) {
    const actions = document.createElement("div");
    actions.className = "actions";
    const edit = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: "Corregir" });
    edit.addEventListener("click", () => removeItem(n, true));
    const drop = Object.assign(document.createElement("button"), { type: "button", className: "danger-link", textContent: "Quitar" });
    drop.addEventListener("click", () => removeItem(n, false));
    actions.append(edit, drop);
    return actions;
  }

  function itemCardElement(d, fields, n) {
    const li = document.createElement("li");
    li.className = "seized-item";
    li.dataset.item = String(n);
    for (const field of Object.keys(fields)) {
      const hidden = Object.assign(document.createElement("input"), { type: "hidden", name: `seizure.items.${n}.${field}` });
      hidden.value = Array.isArray(fields[field]) ? fields[field].join(",") : String(fields[field]);
      li.append(hidden);
    }
    const { title, lines, notes } = itemCard(fields, n, d, setting);
    li.append(Object.assign(document.createElement("strong"), { textContent: title }));
    for (const line of lines) li.append(paragraph("small", line));
    for (const [kind, text] of notes) li.append(paragraph(`small ${kind}`, text));
    const photos = document.createElement("div");
    photos.innerHTML = '<ul class="thumbs small-thumbs" data-thumbs></ul>';
    li.append(photos);
    const itemPhotos = new Set(fields.photos || []);
    app.thumbs(photos, d.photos.filter((p) => p.role === "item" && itemPhotos.has(p.sha256)), false);
    if (!setting.readOnly) li.append(itemActions(n));
    return li;
  }

  async function renderItems() {
    const d = app.draft();
    const items = readItems(d);
    const signature = JSON.stringify([items.map((i) => i.fields), setting.readOnly, wholeBusiness(d.values)]);
    if (signature === shownItems) return;
    shownItems = signature;
    const cards = items.map((item, n) => itemCardElement(d, item.fields, n));
    $("seized-items").replaceChildren(...cards);
    $("seized-empty").hidden = cards.length > 0;
  }

  function say(slot, text) {
    const el = document.querySelector(`[data-money="${slot}"]`);
    if (el) el.textContent = text;
  }

  /** R-PAE-3 and R-PAE-7: the amount secured and what the goods cover, as items are added. */
  async function renderSufficiency() {
    const s = sufficiency(app.draft(), setting, now());
    for (const [slot, text] of Object.entries(s.slots)) say(slot, text);
    if (s.amountSecured !== null) {
      const text = s.amountSecured;
      await app.update((dd) => { dd.values["seizure.amount_secured"] = text; });
      writeValues(form, { "seizure.amount_secured": text });
    }
    $("sufficiency-verdict").textContent = s.verdict;
    $("sufficiency").dataset.state = s.state;
    const bar = $("sufficiency-bar");
    bar.dataset.state = s.state;
    bar.textContent = s.bar;
  }

  function renderRealEstate() {
    const { shown, text } = realEstateTerm(app.draft(), setting, now());
    $("real-estate").hidden = !shown;
    if (text !== null) $("real-estate-term").textContent = text;
  }

  function renderEditorRefusal() {
    // R-PAE-6: an exempt good is refused as it is chosen, not only when it is added.
    const exempt = exemptChosen(values(), setting.cats);
    button("item-add").disabled = exempt;
    const message = $("item-problem");
    if (exempt) {
      message.textContent = editorProblem(app.draft(), setting);
      message.dataset.kind = "exempt";
    } else if (message.dataset.kind === "exempt") {
      message.textContent = "";
      message.dataset.kind = "";
    }
  }

  $("custodian-here").addEventListener("click", () => {
    const location = /** @type {HTMLInputElement} */ (form.querySelector("[name='seizure.custodian.location']"));
    location.value = values()["address.text"] || "";
    location.dispatchEvent(new Event("input", { bubbles: true }));
  });

  return {
    /** Re-reads what the phone knows about seals and earlier visits (a draft was opened). */
    async open({ readOnly: ro = false } = {}) {
      setting.readOnly = ro;
      shownItems = null;
      await loadPhoneHistory();
      $("item-editor").hidden = setting.readOnly;
      // The fields this module built after the form was filled take their saved answers now.
      const v = values();
      const noted = v["seizure.exempt_goods_noted"] || v["ui.exempt_present"] || []; // drafts of before the contract had it
      if (!setting.readOnly && !v["seizure.exempt_goods_noted"] && noted.length) {
        await app.update((d) => { d.values["seizure.exempt_goods_noted"] = noted; });
      }
      writeValues(form, { "seizure.exempt_goods_noted": noted, "ui.item.category": v["ui.item.category"] || "" });
    },
    async render() {
      if (!pack || !SEIZURE_KINDS.has(values().situation)) return;
      await prefillPrevious();
      renderExtension();
      renderCategoryNote();
      sealStatus();
      renderEditorRefusal();
      await renderItems();
      renderRealEstate();
      await renderSufficiency();
    },
    pendingProblem: () => pendingProblem(app.draft(), setting),
    pendingPhotos: (d = app.draft()) => pendingPhotos(d),
    /** The photos a picker shows: the item picker only those of the good being captured. */
    photosFor(picker, photos) {
      return picker.dataset.role === "item" ? pendingPhotos(app.draft()) : photos;
    },
    async photoOf(sha256) {
      return getOne(db, "media", sha256);
    },
  };
}
