// @ts-check
// What the phone still has to send, computed in one place for the runner (sync.js), the status
// bar on every page and each record's line (ui.js): so the header's "2 fotos por enviar" and a
// record's "faltan 2 fotos" can never disagree, and a file the server already holds (uploaded
// from this phone, or for another record) is never counted, nor sent, again.

export const OPEN_STATES = new Set(["queued", "sent"]);

/** Signatures are files like photos, but a field user calls them "firmas", not "fotos". */
export function isSignature(role) {
  return /signature/.test(String(role || ""));
}

/**
 * The files `record` still has to send, as [{sha256, bytes, role, type}]: for a record not yet
 * acknowledged, every file not uploaded; once acknowledged, only those the server said it
 * lacks (missing_media) and that this phone has not uploaded since.
 */
export function filesToSend(record, mediaBySha) {
  if (!OPEN_STATES.has(record.state)) return [];
  const lacking = record.state === "sent" ? new Set(record.missing_media || []) : null;
  const seen = new Set();
  const files = [];
  for (const m of record.payload.media || []) {
    if (seen.has(m.sha256) || (lacking && !lacking.has(m.sha256))) continue;
    seen.add(m.sha256);
    const stored = mediaBySha.get(m.sha256);
    if (stored && stored.uploaded) continue;
    files.push(m);
  }
  return files;
}

/** Bytes of a record's JSON as it goes in a push (what "bytes to send" counts for it). */
export function recordBytes(record) {
  return new TextEncoder().encode(JSON.stringify(record.payload)).length;
}

/**
 * The one summary of the outbox: records to push, photos and signatures to upload (each file
 * once, even when two records share it), bytes, drafts, refused records with their reasons,
 * and, per record id, its own files to send.
 */
export function summarize(records, drafts, media) {
  const mediaBySha = new Map(media.map((m) => [m.sha256, m]));
  const queued = records.filter((r) => r.state === "queued");
  const files = new Map();
  const filesOf = new Map();
  for (const r of records) {
    const own = filesToSend(r, mediaBySha);
    filesOf.set(r.id, own);
    for (const f of own) files.set(f.sha256, f);
  }
  const all = [...files.values()];
  const refused = records.filter((r) => r.state === "rejected" || r.state === "conflict");
  return {
    records: queued.length,
    files: all.length,
    photos: all.filter((f) => !isSignature(f.role)).length,
    signatures: all.filter((f) => isSignature(f.role)).length,
    bytes: queued.reduce((n, r) => n + recordBytes(r), 0) + all.reduce((n, f) => n + (f.bytes || 0), 0),
    drafts: drafts.length,
    refused: refused.length,
    refusedRecords: refused,
    filesOf,
    queuedRecords: queued,
    pendingFiles: all,
  };
}
