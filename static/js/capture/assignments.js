// @ts-check
// The worklist as the phone holds it, worked on offline: search (debtor, folio, address),
// filters (kind, sector, overdue, returned), sort by distance from the current fix (computed
// here, on the phone) or by due date, overdue marks, the way there in the phone's maps app,
// and the agenda of citatorio follow-ups at their day and hour (R-NOT-5).

const EARTH_RADIUS_KM = 6371.0088;
const decimal1 = new Intl.NumberFormat("es-MX", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Great-circle distance in km (haversine on the mean radius: within 0.5 % of the server's
 * geodesic (geopy), enough to order a day's addresses and to show how far a fix is). */
export function distanceKm(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "350 m", "465.7 km" (es-MX: decimal point, as in money). */
export function formatDistance(km) {
  if (km === null || km === undefined) return "";
  return km < 1 ? `${Math.round(km * 1000)} m` : `${decimal1.format(km)} km`;
}

/** The office's calendar day now, "YYYY-MM-DD". */
export function todayIn(tz, now = new Date()) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function isOverdue(assignment, today) {
  return Boolean(assignment.due_on) && assignment.due_on < today;
}

function folded(text) {
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function hasPosition(address) {
  return address && address.latitude !== null && address.latitude !== undefined
    && address.longitude !== null && address.longitude !== undefined;
}

/** geo: URL the phone's maps app opens (Android); the query names the place for the pin. */
export function mapsUrl(address, label) {
  if (hasPosition(address)) {
    const at = `${address.latitude},${address.longitude}`;
    return `geo:${at}?q=${at}(${encodeURIComponent(label)})`;
  }
  return `geo:0,0?q=${encodeURIComponent(address.one_line)}`;
}

/**
 * The assignments to show, with their distance: `query` {text, kind, sector, overdue,
 * returned, sort ("due" | "distance")}, `fix` the phone's position or null.
 */
export function worklist(assignments, query, { today, fix = null, returnedIds = new Set() }) {
  const words = folded(query.text).split(/\s+/).filter(Boolean);
  const rows = assignments.filter((a) => a.status !== "withdrawn").map((a) => {
    const address = a.document.address;
    const km = fix && hasPosition(address) ? distanceKm(fix, address) : null;
    return { assignment: a, km, overdue: isOverdue(a, today), returned: a.status === "returned" || returnedIds.has(a.id) };
  }).filter((row) => {
    const a = row.assignment;
    const d = a.document;
    if (words.length) {
      const haystack = folded([d.debtor.legal_name, d.debtor.rfc, d.folio, d.address.one_line].join(" "));
      if (!words.every((w) => haystack.includes(w))) return false;
    }
    if (query.kind && d.kind !== query.kind) return false;
    if (query.sector && (!d.address.sector || d.address.sector.code !== query.sector)) return false;
    if (query.overdue && !row.overdue) return false;
    if (query.returned && !row.returned) return false;
    return true;
  });
  const byDue = (x, y) => String(x.assignment.due_on).localeCompare(String(y.assignment.due_on));
  rows.sort((x, y) => (y.returned - x.returned)
    || (query.sort === "distance" ? (x.km ?? Infinity) - (y.km ?? Infinity) || byDue(x, y) : byDue(x, y)));
  return rows;
}

/** The kinds and sectors present, for the filters: [[value, label]]. */
export function choicesOf(assignments) {
  const kinds = new Map();
  const sectors = new Map();
  for (const a of assignments) {
    kinds.set(a.document.kind, a.document.kind_label);
    const s = a.document.address.sector;
    if (s) sectors.set(s.code, s.name ? `${s.code} · ${s.name}` : s.code);
  }
  const sorted = (m) => [...m.entries()].sort((x, y) => x[1].localeCompare(y[1], "es"));
  return { kinds: sorted(kinds), sectors: sorted(sectors) };
}

const FOLLOW_UP_KINDS = new Set(["citatorio", "posting_record"]);

/**
 * Citatorio follow-ups still to make (R-NOT-5): every citatorio left (this phone's records and
 * the visits the server knows of) whose appointment has no later visit on the assignment,
 * soonest first: [{at, assignment_id, assignment}].
 */
export function agenda(assignments, records) {
  const byId = new Map(assignments.map((a) => [a.id, a]));
  const visits = new Map();
  const add = (assignmentId, v) => visits.set(assignmentId, [...(visits.get(assignmentId) || []), v]);
  for (const a of assignments) for (const v of a.visits || []) add(a.id, { id: v.id, kind: v.kind, at: v.started_at || v.captured_at, appointment_at: v.appointment_at });
  for (const r of records) {
    if (r.replaced_by) continue;
    const facts = r.payload.facts || {};
    add(r.assignment_id, { id: r.id, kind: r.kind, at: facts.started_at || r.finalized_at, appointment_at: facts.appointment_at });
  }
  const due = [];
  for (const [assignmentId, list] of visits) {
    const assignment = byId.get(assignmentId);
    if (!assignment) continue; // done or withdrawn: nothing to follow up
    const seen = new Map(list.map((v) => [v.id, v]));
    const ordered = [...seen.values()].sort((x, y) => String(x.at).localeCompare(String(y.at)));
    const last = ordered[ordered.length - 1];
    if (last && FOLLOW_UP_KINDS.has(last.kind) && last.appointment_at) {
      due.push({ at: last.appointment_at, assignment_id: assignmentId, assignment });
    }
  }
  return due.sort((x, y) => x.at.localeCompare(y.at));
}
