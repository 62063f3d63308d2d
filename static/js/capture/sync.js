// The outbox runner: sends finalized diligences and their photos to /api/sync/v1 and pulls
// the worklist, for the page and for the service worker (Background Sync) alike.
//
// - A record stays on the phone until the server acknowledges it (accepted or duplicate);
//   then its missing photos are uploaded one by one (PUT media/{sha256}, raw bytes); it is
//   complete when the server is missing none of them.
// - Identical resends are harmless by protocol (duplicate), so an upload cut halfway is simply
//   sent again: nothing is duplicated.
// - One bad record never blocks the others: per-record results, a failing batch is retried
//   record by record, a refused photo marks only its record.
// - A dead network or a server error stops the run and schedules the next one with
//   exponential backoff (5 s doubling to 15 min, with jitter); `force` skips the wait.
// - A file the phone has uploaded is never sent again, and records acknowledged in an earlier
//   run are asked about again (an identical resend) before their files go: the server may have
//   stored a file whose answer the network lost.
// - While it runs, the runner holds a Web Lock named after the user (any page can see that a
//   run is under way, the service worker's too) and broadcasts its progress: records and bytes
//   done of the total, and the file being uploaded with its own bytes.

import { getAll, getMeta, openUserDb, promised, registeredUsers, setMeta, transact } from "./db.js";
import { OPEN_STATES, filesToSend, recordBytes, summarize } from "./outbox.js";

export const CHANNEL = "fieldapp-capture";
export const SYNC_TAG = "fieldapp-outbox";
const BATCH_SIZE = 20;
const BASE_DELAY_MS = 5000;
const MAX_DELAY_MS = 15 * 60 * 1000;
const TICK_MS = 250;

class HttpError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }

  get transient() {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

function announce(userId, what, progress = null) {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ type: what, user_id: userId, progress });
  channel.close();
}

export function lockName(userId) {
  return `fieldapp-sync-${userId}`;
}

/** Whether a sync of the user's outbox is running now, in this page, another one or the worker. */
export async function syncRunning(userId) {
  if (!(typeof navigator !== "undefined" && navigator.locks && navigator.locks.query)) return false;
  const { held } = await navigator.locks.query();
  return held.some((lock) => lock.name === lockName(userId));
}

/** The progress of one run, as the status bar shows it: planned at the start from the outbox
 * summary, advanced by the runner, broadcast (at most every TICK_MS while a file uploads). */
class RunProgress {
  constructor(userId, summary) {
    this.userId = userId;
    this.records_total = summary.records;
    this.records_done = 0;
    this.files_total = summary.files;
    this.files_done = 0;
    this.bytes_total = summary.bytes;
    this.bytes_done = 0;
    this.file = null;
    this.last_tick = 0;
  }

  snapshot() {
    const { userId, last_tick: _tick, ...rest } = this;
    return { ...rest };
  }

  send(what = "tick") {
    this.last_tick = Date.now();
    announce(this.userId, what, this.snapshot());
  }

  recordsPushed(records) {
    const queued = records.filter((r) => r.state === "queued");
    this.records_done = Math.min(this.records_total, this.records_done + queued.length);
    this.bytes_done += queued.reduce((n, r) => n + recordBytes(r), 0);
    this.send("progress");
  }

  fileStarted(file) {
    this.file = { role: file.role, bytes: file.bytes, loaded: 0, index: this.files_done + 1 };
    this.files_total = Math.max(this.files_total, this.file.index);
    this.send();
  }

  fileLoading(loaded) {
    if (!this.file) return;
    this.file.loaded = Math.min(loaded, this.file.bytes);
    if (Date.now() - this.last_tick >= TICK_MS) this.send();
  }

  fileDone() {
    if (this.file) this.bytes_done += this.file.bytes;
    this.files_done += 1;
    this.file = null;
    this.send("progress");
  }
}

/** The bytes of `text` gzip-compressed, or null where the browser has no CompressionStream. */
async function gzipped(text) {
  if (typeof CompressionStream === "undefined") return null;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function call(device, method, path, { json, body, type, compress = false } = {}) {
  const headers = { Authorization: `Bearer ${device.token}`, Accept: "application/json" };
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
    // A batch of records is mostly repeated keys and Spanish text: gzip sends about a fifth of
    // it over the phone's link (the server inflates it under the same size limit).
    const packed = compress ? await gzipped(body) : null;
    if (packed) {
      headers["Content-Encoding"] = "gzip";
      body = packed;
    }
  }
  if (type) headers["Content-Type"] = type;
  const response = await fetch(device.api + path, {
    method, headers, credentials: "omit", cache: "no-store", body,
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new HttpError(response.status, data);
  return data;
}

/** PUT of a file's bytes. In a page, through XMLHttpRequest, whose upload events tell how much
 * of the file has gone (fetch cannot); in the service worker, through fetch. */
function upload(device, path, body, type, onProgress) {
  if (typeof XMLHttpRequest === "undefined") {
    return call(device, "PUT", path, { body, type });
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", device.api + path);
    xhr.setRequestHeader("Authorization", `Bearer ${device.token}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Content-Type", type);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON: keep null */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new HttpError(xhr.status, data));
    };
    // A dropped connection: the same kind of failure as fetch's TypeError (not an HttpError).
    xhr.onerror = () => reject(new TypeError("network error"));
    xhr.onabort = () => reject(new TypeError("upload aborted"));
    xhr.send(body);
  });
}

function errorsOf(error) {
  const body = error.body || {};
  if (Array.isArray(body.errors)) return body.errors;
  if (body.error) return [{ field: "", rule: body.error.code, message: body.error.message }];
  return [{ field: "", rule: `HTTP-${error.status}`, message: "El servidor no aceptó el registro." }];
}

// ---- push -----------------------------------------------------------------------------------

function applyResult(record, result) {
  const next = { ...record, errors: [] };
  if (result.status === "accepted" || result.status === "duplicate") {
    next.missing_media = result.missing_media || [];
    next.state = result.complete ? "complete" : "sent";
    next.acknowledged_at = next.acknowledged_at || new Date().toISOString();
    next.server = { version: result.version, chain_status: result.chain_status, flags: result.flags,
      findings: result.findings };
    if (!next.review) next.review = { status: result.review_state };
  } else if (result.status === "conflict") {
    next.state = "conflict";
    next.errors = [{ field: "id", rule: result.error.code, message: result.error.message }];
  } else {
    next.state = "rejected";
    next.errors = result.errors || [];
  }
  return next;
}

async function saveRecords(db, records) {
  await transact(db, "records", "readwrite", (s) => records.forEach((r) => s.records.put(r)));
}

async function pushBatch(db, device, records) {
  const body = { device_time: new Date().toISOString(), records: records.map((r) => r.payload) };
  const answer = await call(device, "POST", "/push", { json: body, compress: true });
  const byId = new Map((answer.results || []).map((r) => [r.id, r]));
  await saveRecords(db, records.filter((r) => byId.has(r.id))
    .map((r) => applyResult(r, byId.get(r.id))));
}

async function pushRecords(db, device, records, progress = null) {
  for (let i = 0; i < records.length; i += BATCH_SIZE) {
    const batch = records.slice(i, i + BATCH_SIZE);
    try {
      await pushBatch(db, device, batch);
      if (progress) progress.recordsPushed(batch);
    } catch (error) {
      if (!(error instanceof HttpError) || error.transient || error.status === 401) throw error;
      // The batch as a whole was refused: send each record alone, so only the bad one stays.
      for (const record of batch) {
        try {
          await pushBatch(db, device, [record]);
        } catch (single) {
          if (!(single instanceof HttpError) || single.transient || single.status === 401) throw single;
          await saveRecords(db, [{ ...record, state: "rejected", errors: errorsOf(single) }]);
        }
        if (progress) progress.recordsPushed([record]);
      }
    }
  }
}

// ---- media ----------------------------------------------------------------------------------

async function uploadMedia(db, device, record, progress) {
  const files = filesToSend(record, new Map((await getAll(db, "media")).map((m) => [m.sha256, m])));
  for (const file of files) {
    const sha = file.sha256;
    const media = await transact(db, "media", "readonly", (s) => promised(s.media.get(sha)));
    if (media && media.uploaded) continue; // sent meanwhile for another record
    if (!media || !media.data) {
      await saveRecords(db, [{ ...record, state: "rejected", errors: [{ field: "media", rule: "S-MEDIA",
        message: "El archivo ya no está en el teléfono." }] }]);
      return false;
    }
    let answer;
    progress.fileStarted({ ...file, bytes: media.data.byteLength || file.bytes });
    try {
      answer = await upload(device, `/media/${sha}`, media.data, media.type, (n) => progress.fileLoading(n));
    } catch (error) {
      if (!(error instanceof HttpError) || error.transient || error.status === 401) throw error;
      // Not referenced: the server lost or never kept the record; send it again first.
      const retry = error.body && error.body.error && error.body.error.code === "media_not_referenced";
      await saveRecords(db, [retry ? { ...record, state: "queued" }
        : { ...record, state: "rejected", errors: errorsOf(error) }]);
      return false;
    }
    await transact(db, ["media", "records"], "readwrite", async (s) => {
      s.media.put({ ...media, uploaded: true });
      for (const id of answer.completed_records || []) {
        const done = await promised(s.records.get(id));
        if (done) s.records.put({ ...done, state: "complete", missing_media: [] });
      }
    });
    progress.fileDone();
  }
  return true;
}

async function completeUploads(db, device, progress, pushedNow) {
  // Acknowledged in an earlier run: ask the server again what it lacks (an identical resend is
  // harmless), so a file it stored while its answer was lost on the way is not sent again.
  const stale = (await getAll(db, "records")).filter((r) => r.state === "sent" && !pushedNow.has(r.id));
  if (stale.length) await pushRecords(db, device, stale);
  const sent = (await getAll(db, "records")).filter((r) => r.state === "sent");
  const uploaded = [];
  for (const record of sent) {
    if (await uploadMedia(db, device, record, progress)) uploaded.push(record.id);
  }
  // Ask again about any record the uploads did not complete: the server names what it lacks.
  const still = (await getAll(db, "records")).filter((r) => uploaded.includes(r.id) && r.state === "sent");
  if (still.length) await pushRecords(db, device, still);
}

/** Frees the bytes of photos the server holds once no open record or draft needs them, and
 * forgets photos taken and then removed from every draft (after an hour, so a photo being
 * attached right now is never caught between its two writes). */
async function pruneMedia(db) {
  const [records, drafts] = await Promise.all([getAll(db, "records"), getAll(db, "drafts")]);
  const needed = new Set();
  const known = new Set();
  for (const r of records) {
    for (const m of r.payload.media) {
      known.add(m.sha256);
      if (OPEN_STATES.has(r.state)) needed.add(m.sha256);
    }
  }
  for (const d of drafts) (d.photos || []).forEach((p) => { needed.add(p.sha256); known.add(p.sha256); });
  const hourAgo = new Date(Date.now() - 3600 * 1000).toISOString();
  await transact(db, "media", "readwrite", async (s) => {
    for (const media of await promised(s.media.getAll())) {
      if (!known.has(media.sha256) && !media.uploaded && media.created_at < hourAgo) s.media.delete(media.sha256);
      else if (media.uploaded && media.data && !needed.has(media.sha256)) s.media.put({ ...media, data: null });
    }
  });
}

// ---- pull -----------------------------------------------------------------------------------

const OPEN_ASSIGNMENTS = new Set(["pending", "in_progress", "returned"]);

async function pull(db, device) {
  const cursor = await getMeta(db, "cursor");
  const pack = await getMeta(db, "pack");
  const query = new URLSearchParams();
  if (cursor) query.set("cursor", cursor);
  if (pack) query.set("pack", pack.digest);
  const answer = await call(device, "GET", `/pull?${query}`);
  await applyPull(db, answer);
}

function reviewOf(d) {
  return { status: d.review_state, observations: d.review ? d.review.observations : null,
    reason: d.review ? d.review.reason : null, at: d.review ? d.review.at : null };
}

/** A page and the service worker may pull at once; an answer that arrives after a newer one
 * was applied is stale as a whole (it would bring back an old credential or worklist). The
 * cursor is the server's change clock, so it orders the answers. A full answer is always taken:
 * the server sends one when it does not know the phone's cursor (e.g. restored from backup). */
function isStale(answer, storedCursor) {
  if (answer.full || !storedCursor) return false;
  try {
    return BigInt(answer.cursor) < BigInt(storedCursor);
  } catch {
    return false;
  }
}

/** A credential renewal moves no change clock, so two answers with the same cursor may carry
 * different credentials: the one the server numbered higher stays (R-NOT-8, R-PAE-2). */
function newerCredential(user, stored) {
  const version = (u) => (u && u.credential && u.credential.version) || 0;
  if (!stored || version(stored) <= version(user)) return user;
  return { ...user, credential: stored.credential };
}

async function applyPull(db, answer) {
  await transact(db, ["assignments", "records", "meta"], "readwrite", async (s) => {
    const stored = await promised(s.meta.get("cursor"));
    if (isStale(answer, stored && stored.value)) return;
    if (answer.full) s.assignments.clear();
    for (const assignment of answer.assignments) {
      // Withdrawn or done: the phone drops it; what was captured on it stays (records keep a copy).
      if (OPEN_ASSIGNMENTS.has(assignment.status)) s.assignments.put(assignment);
      else s.assignments.delete(assignment.id);
    }
    for (const d of answer.diligences) {
      const record = await promised(s.records.get(d.id));
      if (record) {
        const state = d.complete ? "complete" : record.state;
        s.records.put({ ...record, state, review: reviewOf(d),
          replaced_by: record.replaced_by || d.superseded_by });
      } else if (d.content && d.review_state === "returned") {
        // Returned for correction but no longer on this phone (wiped, or another phone).
        s.records.put({ id: d.id, assignment_id: d.assignment_id, kind: d.kind, state: "complete",
          payload: d.content, draft: null, findings: [], finalized_at: d.content.captured_at,
          missing_media: [], review: reviewOf(d), replaced_by: null, from_server: true });
      }
    }
    if (answer.legal_pack) s.meta.put({ key: "pack", value: answer.legal_pack });
    // Always the whole list: the executor's seals not used yet, to warn offline (R-PAE-8).
    if (Array.isArray(answer.seals)) s.meta.put({ key: "seals", value: answer.seals });
    const storedUser = await promised(s.meta.get("user"));
    s.meta.put({ key: "user", value: newerCredential(answer.user, storedUser && storedUser.value) });
    s.meta.put({ key: "cursor", value: answer.cursor });
    s.meta.put({ key: "pulled_at", value: new Date().toISOString() });
  });
}

// ---- the run --------------------------------------------------------------------------------

function delayFor(attempts) {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

async function runOnce(db, device) {
  const [records, drafts, media] = await Promise.all([
    getAll(db, "records"), getAll(db, "drafts"), getAll(db, "media")]);
  const progress = new RunProgress(device.user_id, summarize(records, drafts, media));
  progress.send("progress");
  const queued = records.filter((r) => r.state === "queued")
    .sort((a, b) => a.finalized_at.localeCompare(b.finalized_at));
  await pushRecords(db, device, queued, progress);
  await completeUploads(db, device, progress, new Set(queued.map((r) => r.id)));
  await pull(db, device);
  await pruneMedia(db);
}

/** Runs fn holding the user's sync lock. Without `queue`, gives up ("busy") when another run
 * holds it; with it, waits for that run to end and then runs. */
async function withLock(name, fn, queue = false) {
  if (!(typeof navigator !== "undefined" && navigator.locks)) return fn();
  if (queue) return navigator.locks.request(name, fn);
  return navigator.locks.request(name, { ifAvailable: true }, (lock) => (lock ? fn() : "busy"));
}

/**
 * One sync of one user's phone data. Resolves to "done", "busy", "waiting" (backoff),
 * "not_enrolled", "revoked" or "failed". `queue`: when another run (the service worker's) holds
 * the lock, wait and run after it instead of answering "busy" — a page that has just seen the
 * network come back must not be left showing that run's failure (its link may have come back a
 * moment later than the page's).
 */
export async function syncUser(userId, { force = false, queue = false } = {}) {
  const db = await openUserDb(userId);
  const device = await getMeta(db, "device");
  if (!device) return "not_enrolled";
  if (device.revoked) return "revoked";
  const backoff = await getMeta(db, "backoff", { attempts: 0, next_at: 0 });
  if (!force && Date.now() < backoff.next_at) return "waiting";
  return withLock(lockName(userId), async () => {
    announce(userId, "started");
    try {
      await runOnce(db, { ...device, user_id: userId });
      await setMeta(db, "backoff", { attempts: 0, next_at: 0, last_ok_at: new Date().toISOString() });
      return "done";
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) {
        await setMeta(db, "device", { ...device, revoked: true });
        return "revoked";
      }
      const attempts = backoff.attempts + 1;
      await setMeta(db, "backoff", {
        attempts, next_at: Date.now() + delayFor(attempts), last_ok_at: backoff.last_ok_at || null,
        last_error: error instanceof HttpError ? `HTTP ${error.status}` : "network",
      });
      return "failed";
    } finally {
      announce(userId, "finished");
    }
  }, queue);
}

/** Waits `ms`, a second at a time; false as soon as `yieldNow()` says to give up. */
async function pause(ms, yieldNow) {
  for (let waited = 0; waited < ms; waited += 1000) {
    if (yieldNow()) return false;
    await new Promise((resolve) => { setTimeout(resolve, Math.min(1000, ms - waited)); });
  }
  return !yieldNow();
}

/** Whether the user's outbox still holds records the server lacks or has not completed. */
async function outboxOpen(userId) {
  const records = await getAll(await openUserDb(userId), "records");
  return records.some((r) => OPEN_STATES.has(r.state));
}

/**
 * Every user who keeps data on this phone (the service worker's Background Sync). A user's run
 * that fails, or ends with the outbox still open, is tried again after each of `retryDelaysMs`
 * while the event lasts: the browser's own retry of a failed sync event comes minutes later
 * (Chromium: 5 min, then 15), far too late for a link that only hiccuped as it came back.
 * The worker waits for a run already under way (a page's, which may be cut by the page closing)
 * instead of taking that run's word for it: the event is the outbox's last chance while no page
 * of the app is open. `yieldNow` says when to stop waiting (a new version of the worker cannot
 * take over while this event lasts): the event then fails, and the browser's retry goes to the
 * new worker.
 */
export async function syncAllUsers({ retryDelaysMs = [], yieldNow = () => false } = {}) {
  const users = await registeredUsers();
  const unfinished = [];
  for (const user of users) {
    const attempt = async () => {
      const result = await syncUser(user.user_id, { force: true, queue: true });
      if (result === "failed") return false;
      return result !== "done" || !(await outboxOpen(user.user_id));
    };
    let finished = await attempt();
    for (const delay of retryDelaysMs) {
      if (finished || !(await pause(delay, yieldNow))) break;
      finished = await attempt();
    }
    if (!finished) unfinished.push(user.user_id);
  }
  if (unfinished.length) throw new Error("sync failed; the browser will retry");
  return unfinished;
}

/** Asks the browser to run the outbox when the network is back, even with the app closed. */
export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker.ready;
    if (registration.sync) await registration.sync.register(SYNC_TAG);
    return Boolean(registration.sync);
  } catch {
    return false;
  }
}

/** Keeps a device token for the user, in IndexedDB only, and starts a fresh chain state. */
export async function keepEnrollment(userId, api, enrollment) {
  const db = await openUserDb(userId);
  await setMeta(db, "device", { device_id: enrollment.device_id, token: enrollment.token, api,
    enrolled_at: enrollment.enrolled_at || new Date().toISOString() });
  await setMeta(db, "backoff", { attempts: 0, next_at: 0 });
}

/** Enrolls this phone for the signed-in user with one tap: the web session and its CSRF token
 * vouch for the user, so no password is typed again (POST /captura/activar). */
export async function enrollSignedIn(userId, api, enrollUrl, csrfToken, deviceName) {
  const response = await fetch(enrollUrl, {
    method: "POST", credentials: "same-origin", cache: "no-store",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
    body: JSON.stringify({ device_name: deviceName }),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new HttpError(response.status, data);
  await keepEnrollment(userId, api, data);
  return data.device_id;
}

/** Enrolls this phone for the user with their password (POST devices). */
export async function enroll(userId, api, username, password, deviceName) {
  const response = await fetch(`${api}/devices`, {
    method: "POST", credentials: "omit", cache: "no-store",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ username, password, device_name: deviceName }),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new HttpError(response.status, data);
  await keepEnrollment(userId, api, data);
  return data.device_id;
}

/** Gives the token back to the server (logout); a dead network only leaves it to expire by
 * revocation at the office. */
export async function revokeDevice(userId) {
  const db = await openUserDb(userId);
  const device = await getMeta(db, "device");
  if (!device || device.revoked) return false;
  try {
    await call(device, "DELETE", "/devices/current");
    return true;
  } catch {
    return false;
  }
}

export { HttpError };
