// What every capture page shares: the user's context, the service worker, the sync triggers
// (page load, back online, every minute while open, Background Sync) and the sync status, one
// state machine shown the same on every page: idle, sending (records and bytes done of the
// total, the file being uploaded), waiting for the network, retry at HH:MM with its reason;
// plus what is still to send ("3 diligencias, 7 fotos y 2 firmas por enviar, 2.1 MB") and
// the records the server refused, with their reasons. Formatted for es-MX with Intl.

import { getAll, getMeta, openUserDb, registerUser } from "./db.js";
import { formatDateTime } from "./format.js";
import { isSignature, summarize } from "./outbox.js";
import { CHANNEL, keepEnrollment, requestBackgroundSync, syncRunning, syncUser } from "./sync.js";

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
  localization: "Localización del deudor",
  payment_demand: "Requerimiento de pago",
  seizure: "Embargo",
  seizure_extension: "Ampliación de embargo",
};

/** "Localización del deudor · " before the document when that is the work assigned. */
export function workOf(a) {
  return a.kind === "localization" ? `${a.kind_label} · ` : "";
}

/** "2 fotos y 1 firma": photos and signatures named apart. */
export function filesText(files) {
  const photos = files.filter((f) => !isSignature(f.role)).length;
  const signatures = files.length - photos;
  const parts = [];
  if (photos) parts.push(counted(photos, "foto", "fotos"));
  if (signatures) parts.push(counted(signatures, "firma", "firmas"));
  return parts.join(" y ");
}

/** Where a record stands, for the field user: sent, complete, or what the office decided.
 * `summary` (pendingSummary) gives the files it still has to send, the same count as the
 * status bar's. */
export function recordStatus(record, summary = null) {
  const review = record.review && REVIEW_LABELS[record.review.status] ? record.review : null;
  if (review) {
    const text = REVIEW_LABELS[review.status];
    const why = review.status === "rejected" ? review.reason || review.observations : review.observations;
    return { key: review.status, text: why ? `${text}: ${why}` : text };
  }
  if (record.state === "sent") {
    const files = summary ? summary.filesOf.get(record.id) || []
      : (record.payload.media || []).filter((m) => (record.missing_media || []).includes(m.sha256));
    return { key: "sent", text: files.length ? `Enviada; faltan ${filesText(files)}` : "Enviada; confirmando con el servidor" };
  }
  if (record.state === "rejected" || record.state === "conflict") {
    const why = (record.errors || []).map((e) => e.message).filter(Boolean).join(" ");
    return { key: record.state, text: why ? `${STATE_LABELS[record.state]}: ${why}` : STATE_LABELS[record.state] };
  }
  return { key: record.state, text: STATE_LABELS[record.state] || record.state };
}

/** Records the field user must look at first: returned for correction (not yet corrected),
 * rejected in review, or refused by the server. 0 = most urgent. */
export function attentionRank(record) {
  if (record.replaced_by) return null;
  const review = record.review && record.review.status;
  if (review === "returned") return 0;
  if (review === "rejected") return 1;
  if (record.state === "rejected" || record.state === "conflict") return 2;
  return null;
}

/** "1 diligencia devuelta para corrección y 1 rechazada en revisión", or "" when none. */
export function attentionText(records) {
  const returned = records.filter((r) => attentionRank(r) === 0).length;
  const rejected = records.filter((r) => attentionRank(r) === 1).length;
  const parts = [];
  if (returned) parts.push(`${counted(returned, "diligencia devuelta", "diligencias devueltas")} para corrección`);
  if (rejected) {
    parts.push(returned ? `${counted(rejected, "rechazada", "rechazadas")} en revisión`
      : `${counted(rejected, "diligencia rechazada", "diligencias rechazadas")} en revisión`);
  }
  return parts.join(" y ");
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

// Moved to format.js (pure, loaded by node tests too); re-exported for the pages importing it here.
export { formatDateTime };

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

/** What is still on the phone only: records not yet acknowledged and files not yet uploaded
 * (outbox.js summarize: the one source of every count). */
export async function pendingSummary(db) {
  const [records, drafts, media] = await Promise.all([
    getAll(db, "records"), getAll(db, "drafts"), getAll(db, "media")]);
  return summarize(records, drafts, media);
}

function listed(parts) {
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} y ${parts[parts.length - 1]}` : parts[0];
}

export function pendingText(s) {
  if (!s.records && !s.files) return "Todo está enviado.";
  const parts = [];
  if (s.records) parts.push(counted(s.records, "diligencia", "diligencias"));
  if (s.photos) parts.push(counted(s.photos, "foto", "fotos"));
  if (s.signatures) parts.push(counted(s.signatures, "firma", "firmas"));
  return `${listed(parts)} por enviar, ${formatBytes(s.bytes)}`;
}

const percent = new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 0 });

/** "Enviando: 1 de 2 diligencias · foto 45 % (archivo 2 de 3) · 0.9 MB de 2.1 MB". */
export function sendingText(p) {
  if (!p) return "Enviando…";
  const parts = [];
  if (p.records_total) parts.push(`${p.records_done} de ${counted(p.records_total, "diligencia", "diligencias")}`);
  if (p.file) {
    const what = isSignature(p.file.role) ? "firma" : "foto";
    const share = p.file.bytes ? ` ${percent.format(p.file.loaded / p.file.bytes)}` : "";
    parts.push(`${what}${share} (archivo ${p.file.index} de ${p.files_total})`);
  } else if (p.files_total) {
    parts.push(`${p.files_done} de ${counted(p.files_total, "archivo", "archivos")}`);
  }
  if (p.bytes_total) {
    const done = p.bytes_done + (p.file ? p.file.loaded : 0);
    parts.push(`${formatBytes(done)} de ${formatBytes(p.bytes_total)}`);
  }
  return parts.length ? `Enviando: ${parts.join(" · ")}` : "Enviando…";
}

const RETRY_REASONS = { network: "no hubo conexión con el servidor" };

/**
 * The sync state machine: which state the phone is in, from what it knows. One function, so
 * every page says the same thing. key: not_enrolled | revoked | sending | offline | retry | idle.
 */
export function syncState({ device, backoff, sending, online, progress, now = Date.now() }) {
  if (!device) return { key: "not_enrolled", text: "Este teléfono no está activado para enviar." };
  if (device.revoked) return { key: "revoked", text: "La oficina dio de baja este teléfono: actívelo de nuevo." };
  if (sending) return { key: "sending", text: sendingText(progress) };
  if (!online) return { key: "offline", text: "Sin conexión: se enviará al volver la señal." };
  if (backoff && backoff.next_at > now) {
    const error = backoff.last_error || "network";
    const reason = RETRY_REASONS[error] || `el servidor respondió con un error (${error.replace("HTTP ", "")})`;
    return { key: "retry", at: backoff.next_at, reason,
      text: `No se pudo enviar: ${reason}. Nuevo intento a las {hora}.` };
  }
  return { key: "idle", text: "" };
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

const OFFLINE_ATTEMPTS = 5;
const OFFLINE_ANSWER_MS = 20000;

/**
 * Asks the service worker to keep this user's role extra (the executor's embargo step and seal
 * scan) in its shell cache, and waits until it is there: true once the phone has everything
 * this user's offline screens load, false if that failed or there is no service worker. A
 * worker replaced meanwhile ("stale", or no answer) is asked again as the new one.
 * @param {Record<string, any>} ctx
 * @param {Promise<string>} registering registerServiceWorker's outcome
 * @returns {Promise<boolean>}
 */
async function prepareOffline(ctx, registering) {
  if ((await registering) !== "registered") return false;
  for (let attempt = 0; attempt < OFFLINE_ATTEMPTS; attempt += 1) {
    const worker = (await navigator.serviceWorker.ready).active;
    if (!worker) continue;
    const answer = await new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      worker.postMessage({ type: "cache-role", role: ctx.user.role }, [channel.port2]);
      setTimeout(() => resolve("timeout"), OFFLINE_ANSWER_MS);
    });
    if (answer === "cached") return true;
    if (answer === "failed") return false;
  }
  return false;
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
    this.bar = document.getElementById("sync-bar");
    this.pending = document.getElementById("sync-pending");
    this.detail = document.getElementById("sync-detail");
    this.refusedLine = document.getElementById("sync-refused");
    this.reviewLine = document.getElementById("sync-review");
    this.running = false; // this page's own run (where Web Locks cannot tell)
    this.progress = null; // the last progress a runner broadcast
    this.rendering = Promise.resolve();
  }

  render() {
    // One render at a time, in order: a late one never overwrites a newer state.
    this.rendering = this.rendering.then(() => this.draw(), () => this.draw());
    return this.rendering;
  }

  async draw() {
    if (!this.pending) return;
    const [summary, device, backoff, locked] = await Promise.all([
      pendingSummary(this.db), getMeta(this.db, "device"), getMeta(this.db, "backoff", {}),
      syncRunning(this.ctx.user.id)]);
    const tz = this.ctx.office.timezone;
    const sending = locked || this.running;
    if (!sending) this.progress = null;
    const state = syncState({ device, backoff, sending, online: navigator.onLine, progress: this.progress });
    this.bar.dataset.state = state.key;
    this.pending.textContent = pendingText(summary);
    this.pending.classList.toggle("is-clear", !summary.records && !summary.files);
    const notes = [];
    if (state.text) {
      notes.push(state.key === "retry"
        ? state.text.replace("{hora}", formatDateTime(new Date(state.at).toISOString(), tz, { timeStyle: "short" }))
        : state.text);
    }
    if (backoff.last_ok_at && state.key !== "sending") notes.push(`Última sincronización: ${formatDateTime(backoff.last_ok_at, tz)}.`);
    this.detail.textContent = notes.join(" ");
    if (this.reviewLine) {
      const text = attentionText(await getAll(this.db, "records"));
      this.reviewLine.hidden = !text;
      this.reviewLine.querySelector("a").textContent = text ? `${text}: revíselas primero.` : "";
    }
    if (this.refusedLine) {
      this.refusedLine.hidden = summary.refused === 0;
      this.refusedLine.textContent = summary.refusedRecords.map((r) => {
        const what = KIND_LABELS[r.kind] || "Diligencia";
        return `${what} ${recordStatus(r).text.charAt(0).toLowerCase()}${recordStatus(r).text.slice(1)}.`;
      }).join(" ");
    }
  }

  /** A runner's progress message: redraw only the bar (the lists change at file boundaries). */
  onProgress(progress) {
    this.progress = progress;
    return this.render();
  }
}

/** Empties the cached field pages (they carry the user's name and worklist). The service
 * worker does it, after any page it is still storing; without one, the page does it. */
export async function forgetCachedPages() {
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (worker) {
    const done = new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(true);
      worker.postMessage({ type: "forget-pages" }, [channel.port2]);
      setTimeout(() => resolve(false), 3000);  // a worker being replaced may never answer
    });
    if (await done) return;
  }
  await caches.delete("fieldapp-pages");
}

/** "Cerrar sesión" keeps this user's data (outbox, drafts) for their next login, but the
 * cached pages carry their name and worklist: those go, so the next person never sees them. */
function dropCachedPagesOnSignOut() {
  const button = document.getElementById("sign-out");
  if (!button) return;
  button.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await forgetCachedPages();
    event.target.submit();
  }, { once: true });
}

/** Starts a capture page: resolves {ctx, db, sync, refresh, onChange}. */
export async function startApp() {
  const ctx = readContext();
  dropCachedPagesOnSignOut();
  const worker = registerServiceWorker(ctx);
  await registerUser(ctx.user);
  // Only once the user is in the phone's registry: a worker installing from now on sees the
  // role and precaches its extra too, so an update never activates without it.
  const offline = prepareOffline(ctx, worker).then((ready) => {
    document.documentElement.dataset.offline = ready ? "ready" : "failed";
    return ready;
  });
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
    // A forced run (the network came back, "Enviar ahora") waits for a run already going.
    const result = await syncUser(ctx.user.id, { force, queue: force });
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
      if (event.data.user_id !== ctx.user.id) return;
      if (event.data.type === "tick") status.onProgress(event.data.progress);
      else if (event.data.type === "started") status.render();
      else {
        if (event.data.progress) status.progress = event.data.progress;
        refresh();
      }
    };
  }
  const button = document.getElementById("sync-now");
  if (button) button.addEventListener("click", () => sync(true));
  await status.render();
  return {
    ctx, db, sync, refresh, worker, offline,
    onChange: (fn) => listeners.push(fn),
  };
}
