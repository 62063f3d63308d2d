// @ts-check
// IndexedDB on the phone: one database per field user (a shared phone keeps each person's
// data apart, and logging out deletes exactly one database), plus a small registry the
// service worker reads to know whose outbox to send.
//
// Stores of a user's database:
//   meta         {key, value}: token, device_id, cursor, pack, chain_head, backoff, …
//   assignments  pulled worklist, by assignment id
//   drafts       diligences being captured, saved field by field (id = future record id)
//   records      finalized diligences: the outbox and their later states (sent, complete,
//                returned…); read-only once finalized
//   media        photo and signature bytes by SHA-256, as ArrayBuffer (Safari's private mode
//                refuses Blobs in IndexedDB) with their type, size and upload state

const REGISTRY_DB = "fieldapp-capture";
const USER_DB_PREFIX = "fieldapp-capture-u";
const USER_DB_VERSION = 1;

export function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function open(name, version, upgrade, onClosed = () => {}) {
  const request = indexedDB.open(name, version);
  request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
  return promised(request).then((db) => {
    // A newer version of the app upgrades the schema, or logout deletes the database: let it.
    db.onversionchange = () => { db.close(); onClosed(); };
    db.onclose = onClosed;
    return db;
  });
}

/**
 * Runs fn(stores) in one transaction over `names` and resolves with fn's result once the
 * transaction has committed. fn must only issue requests (no other awaits): that is what
 * keeps a finalize or an acknowledgement all-or-nothing.
 */
export function transact(db, names, mode, fn) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    const stores = {};
    for (const name of [].concat(names)) stores[name] = tx.objectStore(name);
    let result;
    Promise.resolve(fn(stores, tx)).then((value) => { result = value; }, (error) => {
      reject(error);
      try { tx.abort(); } catch { /* already finished */ }
    });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

function openRegistry() {
  return open(REGISTRY_DB, 1, (db) => {
    db.createObjectStore("users", { keyPath: "user_id" });
  });
}

export function userDbName(userId) {
  return `${USER_DB_PREFIX}${userId}`;
}

const connections = new Map();

/** The user's database, opened once per page or worker. */
export function openUserDb(userId) {
  if (!connections.has(userId)) {
    const opening = open(userDbName(userId), USER_DB_VERSION, (db, oldVersion) => {
      if (oldVersion < 1) {
        db.createObjectStore("meta", { keyPath: "key" });
        db.createObjectStore("assignments", { keyPath: "id" });
        db.createObjectStore("drafts", { keyPath: "id" });
        const records = db.createObjectStore("records", { keyPath: "id" });
        records.createIndex("assignment_id", "assignment_id");
        db.createObjectStore("media", { keyPath: "sha256" });
      }
      // Later versions add stores or indexes here; they never drop a store holding data.
    }, () => connections.delete(userId));
    opening.catch(() => connections.delete(userId));
    connections.set(userId, opening);
  }
  return connections.get(userId);
}

export async function registerUser(user) {
  const db = await openRegistry();
  await transact(db, "users", "readwrite", (s) => s.users.put({
    // The role tells the service worker which role's extra files this phone keeps offline.
    user_id: user.id, username: user.username, full_name: user.full_name, role: user.role,
  }));
  db.close();
}

export async function registeredUsers() {
  const db = await openRegistry();
  const users = await transact(db, "users", "readonly", (s) => promised(s.users.getAll()));
  db.close();
  return users;
}

/** Deletes everything this phone holds for the user. */
export async function forgetUser(userId) {
  const opening = connections.get(userId);
  connections.delete(userId);
  if (opening) (await opening).close();
  await promised(indexedDB.deleteDatabase(userDbName(userId)));
  const db = await openRegistry();
  await transact(db, "users", "readwrite", (s) => s.users.delete(userId));
  db.close();
}

export async function getMeta(db, key, fallback = null) {
  const row = await transact(db, "meta", "readonly", (s) => promised(s.meta.get(key)));
  return row === undefined ? fallback : row.value;
}

export function setMeta(db, key, value) {
  return transact(db, "meta", "readwrite", (s) => s.meta.put({ key, value }));
}

export function getAll(db, store) {
  return transact(db, store, "readonly", (s) => promised(s[store].getAll()));
}

export function getOne(db, store, key) {
  return transact(db, store, "readonly", (s) => promised(s[store].get(key)));
}

export function putOne(db, store, value) {
  return transact(db, store, "readwrite", (s) => s[store].put(value));
}
