// What every capture page shares: the user's context, the service worker, the sync triggers
// (page load, back online, every minute while open, Background Sync) and the pending line
// ("3 diligencias y 7 fotos por enviar, 2.1 MB"), formatted for es-MX with Intl.

import { getAll, getMeta, openUserDb, registerUser } from "./db.js";
import { CHANNEL, keepEnrollment, requestBackgroundSync, syncUser } from "./sync.js";

const LOCALE = "es-MX";
const PERIOD_MS = 60 * 1000;
const decimal1 = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const plurals = new Intl.PluralRules(LOCALE);

export const STATE_LABELS = {
  queued: "Por enviar",
  sent: "Enviada; faltan fotos",
  complete: "Completa en el servidor",
  rejected: "Rechazada por el servidor",
  conflict: "Conflicto con otra versión",
};
export const REVIEW_LABELS = {
  approved: "Aprobada",
  returned: "Devuelta para corrección",
  rejected: "Rechazada en revisión",
};
export const KIND_LABELS = {
  citatorio: "Citatorio",
  posting_record: "Constancia de fijación",
  notification: "Notificación",
  not_located: "No localizado",
  payment_demand: "Requerimiento de pago",
  seizure: "Embargo",
  seizure_extension: "Ampliación de embargo",
};

/** Where a record stands, for the field user: sent, complete, or what the office decided. */
export function recordStatus(record) {
  const review = record.review && REVIEW_LABELS[record.review.status] ? record.review : null;
  if (review) {
    const text = REVIEW_LABELS[review.status];
    return { key: review.status, text: review.observations ? `${text}: ${review.observations}` : text };
  }
  if (record.state === "sent") {
    return { key: "sent", text: `Enviada; faltan ${counted(record.missing_media.length, "foto", "fotos")}` };
  }
  return { key: record.state, text: STATE_LABELS[record.state] || record.state };
}

export function readContext() {
  return JSON.parse(document.getElementById("capture-context").dataset.context);
}

export function counted(n, one, many) {
  return `${n} ${plurals.select(n) === "one" ? one : many}`;
}

export function formatBytes(bytes) {
  if (bytes < 1000 * 1000) return `${decimal1.format(Math.max(bytes, 1) / 1000)} KB`;
  return `${decimal1.format(bytes / (1000 * 1000))} MB`;
}

const timeFormats = new Map();
/** An instant as the office reads it: "23/11/26, 10:05". */
export function formatDateTime(iso, tz, options = { dateStyle: "short", timeStyle: "short" }) {
  if (!iso) return "—";
  const key = tz + JSON.stringify(options);
  if (!timeFormats.has(key)) {
    // 24-hour clock, as the actas and the legal messages read (20:15, not 8:15 p.m.).
    timeFormats.set(key, new Intl.DateTimeFormat(LOCALE, { timeZone: tz, hourCycle: "h23", ...options }));
  }
  return timeFormats.get(key).format(new Date(iso));
}

/** Fills a <template>'s clone: data-field elements get their text (or a callback's work). */
export function fromTemplate(id, fields) {
  const node = document.getElementById(id).content.firstElementChild.cloneNode(true);
  for (const el of node.querySelectorAll("[data-field]")) {
    const value = fields[el.dataset.field];
    if (typeof value === "function") value(el);
    else if (value !== undefined && value !== null) el.textContent = value;
  }
  return node;
}

/** What is still on the phone only: records not yet acknowledged and files not yet uploaded. */
export async function pendingSummary(db) {
  const [records, drafts, media] = await Promise.all([
    getAll(db, "records"), getAll(db, "drafts"), getAll(db, "media")]);
  const waiting = records.filter((r) => r.state === "queued");
  const open = records.filter((r) => r.state === "queued" || r.state === "sent");
  const files = new Map();
  const bytesOf = new Map(media.map((m) => [m.sha256, m]));
  for (const r of open) {
    for (const m of r.payload.media) {
      const stored = bytesOf.get(m.sha256);
      if (!stored || !stored.uploaded) files.set(m.sha256, m.bytes);
    }
  }
  const recordBytes = waiting.reduce((n, r) => n + JSON.stringify(r.payload).length, 0);
  return {
    records: waiting.length,
    files: files.size,
    bytes: recordBytes + [...files.values()].reduce((a, b) => a + b, 0),
    drafts: drafts.length,
    refused: records.filter((r) => r.state === "rejected" || r.state === "conflict").length,
  };
}

export function pendingText(s) {
  if (!s.records && !s.files) return "Todo está enviado.";
  const parts = [];
  if (s.records) parts.push(counted(s.records, "diligencia", "diligencias"));
  if (s.files) parts.push(counted(s.files, "foto", "fotos"));
  return `${parts.join(" y ")} por enviar, ${formatBytes(s.bytes)}`;
}

async function registerServiceWorker(ctx) {
  if (!("serviceWorker" in navigator)) return "unsupported";
  try {
    await navigator.serviceWorker.register(ctx.urls.service_worker,
      { scope: "/", type: "module", updateViaCache: "none" });
    return "registered";
  } catch {
    return "failed";
  }
}

/** A QR enrollment (static/js/enroll.js) leaves the token in localStorage for the field app:
 * the signed-in user takes theirs into IndexedDB and removes it from there. */
async function adoptQrEnrollment(ctx) {
  let stored = null;
  try {
    stored = JSON.parse(localStorage.getItem("fieldapp.enrollment"));
  } catch {
    return;
  }
  if (!stored || !stored.user || stored.user.id !== ctx.user.id) return;
  await keepEnrollment(ctx.user.id, ctx.urls.api, stored);
  localStorage.removeItem("fieldapp.enrollment");
}

class StatusBar {
  constructor(db, ctx) {
    this.db = db;
    this.ctx = ctx;
    this.pending = document.getElementById("sync-pending");
    this.detail = document.getElementById("sync-detail");
    this.running = false;
  }

  async render() {
    if (!this.pending) return;
    const [summary, device, backoff] = await Promise.all([
      pendingSummary(this.db), getMeta(this.db, "device"), getMeta(this.db, "backoff", {})]);
    this.pending.textContent = pendingText(summary);
    this.pending.classList.toggle("is-clear", !summary.records && !summary.files);
    const notes = [];
    if (!device) notes.push("Este teléfono no está activado para enviar.");
    else if (device.revoked) notes.push("La oficina dio de baja este teléfono: actívelo de nuevo.");
    else if (this.running) notes.push("Enviando…");
    else if (!navigator.onLine) notes.push("Sin conexión: se enviará al volver la señal.");
    else if (backoff.next_at > Date.now()) {
      notes.push(`No se pudo enviar; nuevo intento a las ${formatDateTime(new Date(backoff.next_at).toISOString(),
        this.ctx.office.timezone, { timeStyle: "short" })}.`);
    }
    if (backoff.last_ok_at) notes.push(`Última sincronización: ${formatDateTime(backoff.last_ok_at, this.ctx.office.timezone)}.`);
    if (summary.refused) notes.push(`${counted(summary.refused, "diligencia requiere", "diligencias requieren")} atención.`);
    this.detail.textContent = notes.join(" ");
  }
}

/** Starts a capture page: resolves {ctx, db, sync, refresh, onChange}. */
export async function startApp() {
  const ctx = readContext();
  const worker = registerServiceWorker(ctx);
  await registerUser(ctx.user);
  const db = await openUserDb(ctx.user.id);
  await adoptQrEnrollment(ctx);
  const status = new StatusBar(db, ctx);
  const listeners = [];
  const refresh = async () => {
    await status.render();
    for (const fn of listeners) await fn();
  };
  const sync = async (force = false) => {
    status.running = true;
    await status.render();
    const result = await syncUser(ctx.user.id, { force });
    status.running = false;
    await refresh();
    if (result === "failed") requestBackgroundSync();
    return result;
  };
  window.addEventListener("online", () => sync(true));
  window.addEventListener("offline", () => status.render());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") sync(false);
  });
  setInterval(() => sync(false), PERIOD_MS);
  if (typeof BroadcastChannel !== "undefined") {
    new BroadcastChannel(CHANNEL).onmessage = (event) => {
      if (event.data.user_id === ctx.user.id && event.data.type !== "started") refresh();
    };
  }
  const button = document.getElementById("sync-now");
  if (button) button.addEventListener("click", () => sync(true));
  await status.render();
  return {
    ctx, db, sync, refresh, worker,
    onChange: (fn) => listeners.push(fn),
  };
}
