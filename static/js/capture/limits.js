// @ts-check
// Bounds of what a field user types (fieldapp/legal/limits.py, which the server applies to
// every pushed record; the numbers reach the phone in the capture context): amounts positive
// and below a ceiling, quantities positive, texts of a printable length with a counter. A field
// out of bounds shows its message under it and keeps the diligence from being finalized.

const number = new Intl.NumberFormat("es-MX");

function lastName(name) {
  // "seizure.items.0.value" → "value"; the good being captured is "ui.item.value".
  return name.split(".").filter((part) => !/^\d+$/.test(part)).pop();
}

function decimal(text) {
  const cleaned = String(text).replace(/[\s$,]/g, "");
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : null;
}

export function textLimit(limits, name) {
  return limits.long_text_fields.includes(lastName(name)) ? limits.long_text_max : limits.text_max;
}

/** The message for `text` typed in the field `name`, or null when it is within bounds. */
export function limitProblem(limits, name, text) {
  if (!limits || text === undefined || text === null || typeof text !== "string" || !text.trim()) return null;
  const field = lastName(name);
  if (limits.money_fields.includes(field)) {
    const amount = decimal(text);
    if (amount === null) return null; // the form's own check asks for a valid amount
    if (amount <= 0) return "El importe debe ser mayor que cero.";
    if (amount > Number(limits.money_max)) return "El importe no puede pasar de $999,999,999.99.";
    return null;
  }
  if (limits.quantity_fields.includes(field)) {
    const quantity = decimal(text);
    if (quantity === null || quantity <= 0 || quantity > Number(limits.quantity_max)) {
      return "La cantidad debe ser un número mayor que cero y de hasta 100,000.";
    }
    return null;
  }
  const max = textLimit(limits, name);
  return text.length > max ? `El texto pasa de ${number.format(max)} caracteres.` : null;
}

function typed(form) {
  return [...form.querySelectorAll("input[name], textarea[name]")].filter((el) => !el.closest("template")
    && (el.tagName === "TEXTAREA" || ["text", "search", ""].includes(el.getAttribute("type") || "")));
}

function showProblem(limits, el) {
  const problem = limitProblem(limits, el.name, el.value);
  const label = el.closest("label") || el.parentElement;
  let out = label.querySelector(":scope > .field-error");
  if (problem && !out) {
    out = document.createElement("span");
    out.className = "field-error small";
    out.setAttribute("role", "alert");
    label.append(out);
  }
  if (out) {
    out.textContent = problem || "";
    out.hidden = !problem;
  }
  el.toggleAttribute("aria-invalid", Boolean(problem));
}

function showCounter(limits, el) {
  const max = textLimit(limits, el.name);
  const label = el.closest("label") || el.parentElement;
  let out = label.querySelector(":scope > .counter");
  if (!out) {
    out = document.createElement("span");
    out.className = "counter small";
    out.setAttribute("aria-live", "polite");
    el.after(out);
  }
  // Long texts always show how much is left; short ones once they come near their limit.
  const near = el.tagName === "TEXTAREA" || el.value.length >= max * 0.8;
  out.hidden = !near;
  out.textContent = `${number.format(el.value.length)} de ${number.format(max)} caracteres`;
}

/** Puts the bounds on every typed field of `form` (maxlength, counters, live messages). */
export function applyLimits(form, limits) {
  if (!limits) return;
  for (const el of typed(form)) {
    const field = lastName(el.name);
    const numeric = limits.money_fields.includes(field) || limits.quantity_fields.includes(field);
    if (!numeric) {
      el.maxLength = textLimit(limits, el.name);
      showCounter(limits, el);
    }
    if (el.value) showProblem(limits, el);
  }
  form.addEventListener("input", (event) => {
    const el = event.target;
    if (!el.name || !typed(form).includes(el)) return;
    showProblem(limits, el);
    if (el.maxLength > 0) showCounter(limits, el);
  });
}

/** The fields on screen out of bounds, as [{name, message}]. */
export function limitProblems(form, limits) {
  if (!limits) return [];
  return typed(form).filter((el) => !el.closest("[hidden]") && !el.disabled)
    .map((el) => ({ name: el.name, message: limitProblem(limits, el.name, el.value) }))
    .filter((p) => p.message);
}
