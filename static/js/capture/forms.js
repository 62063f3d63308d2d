// @ts-check
// The diligence form as data: every input's `name` is the path of its fact
// (attendee.id_number, payment.cheque.bank; "ui." names only steer the screen), and the
// markup says when a part applies:
//   data-situations="citatorio follow_up"   shown for those situations only
//   data-show-when="name=v1,v2"             shown when that field has one of the values
//   data-hide-when="name=v1,v2"             hidden when it has one of them
//   data-roles="executor"                   shown to that role only
//   data-company-only                       shown when the addressee is a company
//   data-assignment-kinds="localization"    shown for that kind of assignment only
// Hidden parts never reach the acta (relevantNames). Each answer is saved to IndexedDB the
// moment it changes, with the time it was entered (R-NOT-9), so a crash loses nothing.

import { promised, transact } from "./db.js";

function fields(form) {
  return [...form.querySelectorAll("[name]")].filter((el) => !el.closest("template"));
}

export function readValue(form, name) {
  const els = fields(form).filter((el) => el.name === name);
  const first = els[0];
  if (!first) return undefined;
  if (first.type === "checkbox" && els.length > 1) return els.filter((el) => el.checked).map((el) => el.value);
  if (first.type === "checkbox") return first.checked;
  if (first.type === "radio") {
    const checked = els.find((el) => el.checked);
    return checked ? checked.value : null;
  }
  return first.value;
}

export function writeValues(form, values) {
  for (const el of fields(form)) {
    if (!(el.name in values)) continue;
    const value = values[el.name];
    if (el.type === "checkbox") el.checked = Array.isArray(value) ? value.includes(el.value) : Boolean(value);
    else if (el.type === "radio") el.checked = el.value === value;
    else el.value = value ?? "";
  }
}

function matches(rule, values) {
  const [name, list] = rule.split("=");
  const value = values[name];
  return list.split(",").some((v) => (Array.isArray(value) ? value.includes(v) : String(value ?? "") === v));
}

/** Shows what applies to the situation, role and addressee; hides the rest. */
export function applyVisibility(form, values, { role, addresseeType, assignmentKind = "diligence" }) {
  for (const el of form.querySelectorAll("[data-situations],[data-show-when],[data-hide-when],[data-roles],[data-company-only],[data-assignment-kinds]")) {
    const d = el.dataset;
    let shown = true;
    if (d.situations) shown = d.situations.split(" ").includes(values.situation);
    if (shown && d.showWhen) shown = matches(d.showWhen, values);
    if (shown && d.hideWhen) shown = !matches(d.hideWhen, values);
    if (shown && d.roles) shown = d.roles.split(" ").includes(role);
    if (shown && "companyOnly" in d) shown = addresseeType !== "person";
    if (shown && d.assignmentKinds) shown = d.assignmentKinds.split(" ").includes(assignmentKind);
    el.hidden = !shown;
  }
}

/** Names of the fields on screen, plus media.<role> of the photo pickers and signatures shown,
 * and <signer>.signature of a witness's or custodian's signature pad shown. */
export function relevantNames(form) {
  const names = new Set();
  for (const el of fields(form)) if (!el.closest("[hidden]")) names.add(el.name);
  for (const el of form.querySelectorAll("[data-role]")) {
    if (el.closest("[hidden]")) continue;
    names.add(`media.${el.dataset.role}`);
    if (el.dataset.signer) names.add(`${el.dataset.signer}.signature`);
  }
  return names;
}

/**
 * Saves a draft one change at a time, in order: mutate(draft) runs inside the transaction
 * that reads and writes it, so two quick edits never overwrite each other.
 */
export function draftWriter(db, draftId) {
  let queue = Promise.resolve();
  return (mutate) => {
    queue = queue.catch(() => {}).then(() => transact(db, "drafts", "readwrite", async (s) => {
      const draft = await promised(s.drafts.get(draftId));
      if (!draft) return null;
      mutate(draft);
      draft.updated_at = new Date().toISOString();
      s.drafts.put(draft);
      return draft;
    }));
    return queue;
  };
}

/** Calls onField(name, value) for every answer the user changes. */
export function watchFields(form, onField) {
  const handler = (event) => {
    const el = event.target;
    if (!el.name || el.closest("template")) return;
    onField(el.name, readValue(form, el.name));
  };
  form.addEventListener("input", handler);
  form.addEventListener("change", handler);
}

const STOPWORDS = new Set(["de", "del", "la", "las", "el", "los", "y", "o", "en", "con", "por", "para", "un", "una", "al"]);

function words(text) {
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .split(/[^a-z0-9]+/).filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/**
 * The labelled fields an office head's observations name: those whose every label word appears
 * in the observations ("Falta el número de la identificación" names "Identificación" and
 * "Número"), so the correction editor can show the observations beside them.
 */
export function labelsNamedBy(form, observations) {
  const said = new Set(words(observations));
  return [...form.querySelectorAll("label.field, label.check")].filter((label) => {
    const span = label.querySelector(":scope > span");
    const own = words(span ? span.textContent : label.textContent);
    return own.length > 0 && own.every((w) => said.has(w));
  });
}
