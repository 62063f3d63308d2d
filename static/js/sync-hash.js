// @ts-check
// The content hash of a diligence record, as the server computes it (docs/sync-protocol.md,
// fieldapp/diligences/records.py): SHA-256, lower-case hex, of the UTF-8 bytes of the RFC 8785
// canonical JSON of the record without its "content_hash" member.
//
// Canonical JSON: object keys sorted by UTF-16 code units (the default sort), no whitespace,
// strings and numbers exactly as JSON.stringify writes them. Values the server cannot carry
// exactly are refused here too, so a record is never finalized with a hash the server rejects:
// NaN/Infinity, integers beyond Number.MAX_SAFE_INTEGER, lone surrogates, undefined, Dates
// and other non-plain objects (convert timestamps with toISOString() first).

const MAX_DEPTH = 24;

export class CanonicalError extends Error {}

function isWellFormed(text) {
  if (typeof text.isWellFormed === "function") return text.isWellFormed();
  return !/[\uD800-\uDFFF]/u.test(text);
}

function write(value, out, depth) {
  if (depth > MAX_DEPTH) throw new CanonicalError(`nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || value === true || value === false) {
    out.push(String(value));
  } else if (typeof value === "string") {
    if (!isWellFormed(value)) throw new CanonicalError("text with a lone surrogate");
    out.push(JSON.stringify(value));
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new CanonicalError("NaN and Infinity are not JSON");
    if (Number.isInteger(value) && !Number.isSafeInteger(value) && Math.abs(value) < 1e21) {
      throw new CanonicalError(`integer ${value} is beyond Number.MAX_SAFE_INTEGER`);
    }
    out.push(JSON.stringify(value)); // Number::toString; -0 becomes "0"
  } else if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item, i) => {
      if (i) out.push(",");
      write(item, out, depth + 1);
    });
    out.push("]");
  } else if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    out.push("{");
    Object.keys(value).sort().forEach((key, i) => {
      if (i) out.push(",");
      write(key, out, depth + 1);
      out.push(":");
      write(value[key], out, depth + 1);
    });
    out.push("}");
  } else {
    throw new CanonicalError(`${typeof value} is not a plain JSON value`);
  }
}

export function canonicalJSON(value) {
  const out = [];
  write(value, out, 0);
  return out.join("");
}

export async function sha256Hex(data) {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function contentHash(record) {
  const body = { ...record };
  delete body.content_hash;
  return sha256Hex(canonicalJSON(body));
}

// The record with its hash set, ready to push.
export async function sealRecord(record) {
  return { ...record, content_hash: await contentHash(record) };
}
