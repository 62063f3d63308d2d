// @ts-check
// Phone-side legal checks: the field subset of fieldapp/legal (docs/legal-rules.md).
//
// An ES module without dependencies. Everything it knows comes from the legal pack the phone
// downloads with its worklist (fieldapp.legal.pack.field_pack): time zone, business hours,
// non-business days, cost table, tolerance, goods catalogue and the Spanish messages. Each
// check mirrors the function of the same name in fieldapp/legal/checks.py, in the same order;
// tests/legal/vectors.json holds the cases both must agree on.
//
// Dates are "YYYY-MM-DD" strings; instants are ISO 8601 strings with an offset; money is a
// decimal string, computed with BigInt so no cent is lost to floating point.

const MONDAY_FIRST = [6, 0, 1, 2, 3, 4, 5]; // JS getUTCDay() → Python weekday()
const SATURDAY = 5;
const DAY_MS = 86400000;
const PERSONAL_CAPACITIES = new Set(["addressee", "legal_representative"]);
const EXECUTOR_KINDS = new Set(["payment_demand", "seizure", "seizure_extension"]);
const FRACTION_ORDER = { I: 1, II: 2, III: 3, IV: 4 };

// ---- values as the Python parser sees them (blank text is no answer) ----------------------

function text(value) {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function list(value) {
  return Array.isArray(value) ? value : [];
}

function present(value) {
  return value !== null && value !== undefined;
}

function instant(iso) {
  return present(iso) ? Date.parse(iso) : null;
}

// ---- days ---------------------------------------------------------------------------------

function dayNumber(dateStr) {
  const [y, m, d] = dateStr.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function dayString(dayNum) {
  return new Date(dayNum * DAY_MS).toISOString().slice(0, 10);
}

function addDays(dateStr, n) {
  return dayString(dayNumber(dateStr) + n);
}

function weekday(dateStr) {
  return MONDAY_FIRST[new Date(dayNumber(dateStr) * DAY_MS).getUTCDay()];
}

const nonBusinessCache = new WeakMap();

function nonBusinessDays(pack) {
  let days = nonBusinessCache.get(pack);
  if (!days) {
    days = new Set(pack.non_business_days.map((d) => d.date));
    nonBusinessCache.set(pack, days);
  }
  return days;
}

/** R-CAL-1/R-CAL-2: not a weekend nor a non-business day of the pack. */
export function isBusinessDay(dateStr, pack) {
  return weekday(dateStr) < SATURDAY && !nonBusinessDays(pack).has(dateStr);
}

/** The first business day strictly after dateStr. */
export function nextBusinessDay(dateStr, pack) {
  let d = addDays(dateStr, 1);
  while (!isBusinessDay(d, pack)) d = addDays(d, 1);
  return d;
}

/** R-CAL-5: the n-th business day strictly after dateStr (dateStr itself when n is 0). */
export function addBusinessDays(dateStr, n, pack) {
  if (n < 0) throw new RangeError("n must not be negative");
  let d = dateStr;
  for (let i = 0; i < n; i += 1) d = nextBusinessDay(d, pack);
  return d;
}

/** Whether the pack covers dateStr; outside its window only weekends are known. */
export function packCovers(dateStr, pack) {
  return pack.window.start <= dateStr && dateStr <= pack.window.end;
}

// ---- wall time in the office's zone -------------------------------------------------------

const formatters = new Map();

function formatter(tz) {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Wall clock of instant `ms` in zone `tz`: {date, hh, mm, ss, seconds}. */
function wall(ms, tz) {
  const parts = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const hh = Number(parts.hour) % 24;
  const mm = Number(parts.minute);
  const ss = Number(parts.second);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hh, mm, ss, seconds: hh * 3600 + mm * 60 + ss,
  };
}

function hhmmSeconds(hhmm) {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 3600 + m * 60;
}

function localDate(iso, pack) {
  return wall(instant(iso), pack.tz).date;
}

/** R-CAL-3: the office's habilitación (CFF 13) covering instant `iso`: its day range and its
 * hours, both included, to the minute; null when none does. */
export function enablementAt(iso, pack) {
  const w = wall(instant(iso), pack.tz);
  const minute = w.hh * 3600 + w.mm * 60;
  return (pack.hour_enablements || []).find((e) => e.first_day <= w.date && w.date <= e.last_day
    && hhmmSeconds(e.hours_from) <= minute && minute <= hhmmSeconds(e.hours_to)) || null;
}

/** R-CAL-3: wall time between the pack's start and end hours, both included, to the second. */
export function withinBusinessHours(iso, pack) {
  const s = wall(instant(iso), pack.tz).seconds;
  return hhmmSeconds(pack.business_hours.start) <= s && s <= hhmmSeconds(pack.business_hours.end);
}

/** R-CAL-3: a business day of the office's zone and within business hours there. */
export function isBusinessTime(iso, pack) {
  return isBusinessDay(localDate(iso, pack), pack) && withinBusinessHours(iso, pack);
}

function offsetMinutes(ms, tz) {
  const w = wall(ms, tz);
  const [y, m, d] = w.date.split("-").map(Number);
  return Math.round((Date.UTC(y, m - 1, d, w.hh, w.mm, w.ss) - Math.floor(ms / 1000) * 1000)
    / 60000);
}

function pad(n) {
  return String(n).padStart(2, "0");
}

/** ISO string with offset for wall time `hhmm` of day `dateStr` in zone `tz`. */
function zonedIso(dateStr, hhmm, tz) {
  const [y, m, d] = dateStr.split("-").map(Number);
  const [h, mi] = hhmm.split(":").map(Number);
  const asUtc = Date.UTC(y, m - 1, d, h, mi);
  let offset = offsetMinutes(asUtc, tz);
  offset = offsetMinutes(asUtc - offset * 60000, tz);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${dateStr}T${pad(h)}:${pad(mi)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function clampHhmm(hhmm, pack) {
  const { start, end } = pack.business_hours;
  if (hhmmSeconds(hhmm) < hhmmSeconds(start)) return start;
  if (hhmmSeconds(hhmm) > hhmmSeconds(end)) return end;
  return hhmm;
}

/**
 * R-NOT-3: the appointment a citatorio left at `issuedAtIso` should fix: the next business
 * day, at `preferred` ("HH:MM"; by default the hour it was left) clamped to business hours.
 * Returns an ISO string with the zone's offset.
 */
export function proposeCitatorioAppointment(issuedAtIso, pack, preferred = null) {
  const w = wall(instant(issuedAtIso), pack.tz);
  const hhmm = clampHhmm(preferred || `${pad(w.hh)}:${pad(w.mm)}`, pack);
  return zonedIso(nextBusinessDay(w.date, pack), hhmm, pack.tz);
}

// ---- money ----------------------------------------------------------------------------------

function parseDecimal(value) {
  const s = String(value).trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s); // the format facts.py accepts
  if (!match) throw new RangeError(`not a decimal: ${s}`);
  const fraction = match[3] || "";
  const n = BigInt(match[2] + fraction);
  return { n: match[1] === "-" ? -n : n, scale: fraction.length };
}

function atScale(dec, scale) {
  return dec.n * 10n ** BigInt(scale - dec.scale);
}

function sumDecimals(decs) {
  const scale = Math.max(0, ...decs.map((d) => d.scale));
  return { n: decs.reduce((acc, d) => acc + atScale(d, scale), 0n), scale };
}

function compareDecimals(a, b) {
  const scale = Math.max(a.scale, b.scale);
  const x = atScale(a, scale);
  const y = atScale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Round half up (away from zero) n / d to an integer, d > 0. */
function divHalfUp(n, d) {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const q = (2n * abs + d) / (2n * d);
  return neg ? -q : q;
}

function toCents(dec) {
  if (dec.scale <= 2) return atScale(dec, 2);
  return divHalfUp(dec.n, 10n ** BigInt(dec.scale - 2));
}

function centsString(cents) {
  const neg = cents < 0n;
  const abs = (neg ? -cents : cents).toString().padStart(3, "0");
  return `${neg ? "-" : ""}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

function fmtMoney(dec) {
  const [units, cents] = centsString(toCents(dec)).split(".");
  const neg = units.startsWith("-");
  const digits = neg ? units.slice(1) : units;
  return `${neg ? "-" : ""}$${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}

function bracketOn(onDate, pack) {
  const inForce = pack.cost_table.filter(
    (b) => b.valid_from <= onDate && (b.valid_to === null || onDate <= b.valid_to),
  );
  if (inForce.length === 0) throw new RangeError(`no enforcement cost bracket on ${onDate}`);
  return inForce.reduce((a, b) => (b.valid_from > a.valid_from ? b : a));
}

/**
 * R-PAE-3: enforcement costs of one diligence on `onDate`: rate × base rounded half up to
 * cents, clamped to the bracket in force. `base` is a decimal string; returns "630.00".
 */
export function enforcementCosts(base, onDate, pack) {
  const b = parseDecimal(base);
  if (b.n < 0n) throw new RangeError("base must not be negative");
  const bracket = bracketOn(onDate, pack);
  const rate = parseDecimal(bracket.rate);
  const cents = divHalfUp(b.n * rate.n * 100n, 10n ** BigInt(b.scale + rate.scale));
  const min = toCents(parseDecimal(bracket.minimum));
  const max = toCents(parseDecimal(bracket.maximum));
  return centsString(cents < min ? min : cents > max ? max : cents);
}

// ---- messages -------------------------------------------------------------------------------

function render(pack, key, params = {}) {
  return pack.messages[key].replace(/\{(\w+)\}/g, (_, name) => {
    if (!(name in params)) throw new Error(`message ${key} needs {${name}}`);
    return params[name];
  });
}

function fmtDate(dateStr) {
  const [y, m, d] = dateStr.split("-");
  return `${d}/${m}/${y}`;
}

function fmtTime(w) {
  return `${pad(w.hh)}:${pad(w.mm)}`;
}

/** Judging context: the facts, the pack and a few derived values, shared by the checks. */
class Ctx {
  constructor(facts, pack) {
    this.f = facts;
    this.pack = pack;
    this.findings = [];
    this.mediaRoles = new Set(list(facts.media).map((m) => m.role));
    this.startDate = present(facts.started_at) ? localDate(facts.started_at, pack) : null;
  }

  add(ruleId, severity, key, field, params) {
    this.findings.push({
      rule_id: ruleId, severity, message: render(this.pack, key, params), field,
    });
  }

  block(ruleId, key, field, params) {
    this.add(ruleId, "block", key, field, params);
  }

  warn(ruleId, key, field, params) {
    this.add(ruleId, "warn", key, field, params);
  }

  note(ruleId, key, field, params) {
    this.add(ruleId, "note", key, field, params);
  }

  missing(ruleId, field, severity = "block") {
    this.add(ruleId, severity, `missing.${ruleId}`, field, { label: this.pack.labels[field] });
  }
}

function attendedPersonally(f) {
  return present(f.attendee) && PERSONAL_CAPACITIES.has(f.attendee.capacity);
}

function hasValidEnablement(c) {
  const e = c.f.enablement;
  return present(e) && Boolean(text(e.number) && text(e.signer)) && present(e.issued_on)
    && c.startDate !== null && e.issued_on <= c.startDate;
}

// ---- R-CAL-3 / R-CAL-4 ----------------------------------------------------------------------

function startsInBusinessTime(c) {
  const { f, pack } = c;
  if (!present(f.started_at) || isBusinessTime(f.started_at, pack)) return;
  const w = wall(instant(f.started_at), pack.tz);
  const e = f.enablement;
  const officeEnablement = present(e) ? null : enablementAt(f.started_at, pack);
  if (officeEnablement) {
    c.note("R-CAL-3", "cal3.under_office_enablement", "started_at", {
      folio: officeEnablement.folio, date: fmtDate(w.date), time: fmtTime(w),
    });
  } else if (!present(e)) {
    if (!isBusinessDay(w.date, pack)) {
      c.block("R-CAL-3", "cal3.non_business_day", "started_at", { date: fmtDate(w.date) });
    } else {
      c.block("R-CAL-3", "cal3.outside_hours", "started_at", {
        time: fmtTime(w), start: pack.business_hours.start, end: pack.business_hours.end,
      });
    }
  } else if (!(text(e.number) && present(e.issued_on) && text(e.signer))) {
    c.missing("R-CAL-3", "enablement");
  } else if (e.issued_on > w.date) {
    c.block("R-CAL-3", "cal3.enablement_after_diligence", "enablement.issued_on",
      { date: fmtDate(e.issued_on) });
  }
}

function endsWithinBusinessHours(c) {
  const { f, pack } = c;
  if (!present(f.started_at) || !present(f.finished_at)) return;
  if (!isBusinessTime(f.started_at, pack) || hasValidEnablement(c)) return;
  const end = wall(instant(f.finished_at), pack.tz);
  if (end.date === c.startDate && withinBusinessHours(f.finished_at, pack)) return;
  c.warn("R-CAL-4", "cal4.finished_late", "finished_at", {
    date: fmtDate(end.date), time: fmtTime(end), end: pack.business_hours.end,
  });
}

// ---- R-GPS-1 / R-GPS-2 ----------------------------------------------------------------------

// geopy's great_circle (fieldapp/legal/checks.py), same radius and formula, so both sides
// print the same distance.
const GREAT_CIRCLE_RADIUS_KM = 6371.009;

function greatCircleKm(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const [lat1, lng1, lat2, lng2] = [rad(a.latitude), rad(a.longitude), rad(b.latitude), rad(b.longitude)];
  const dLng = lng2 - lng1;
  const y = Math.sqrt((Math.cos(lat2) * Math.sin(dLng)) ** 2
    + (Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLng)) ** 2);
  const x = Math.sin(lat1) * Math.sin(lat2) + Math.cos(lat1) * Math.cos(lat2) * Math.cos(dLng);
  return GREAT_CIRCLE_RADIUS_KM * Math.atan2(y, x);
}

/** "350 m", "465.7 km", "1,204.3 km" (es-MX), as fmt_distance. */
function fmtDistance(km) {
  if (km < 1) return `${Math.round(km * 1000)} m`;
  const [whole, tenth] = km.toFixed(1).split(".");
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${tenth} km`;
}

/** The facts the GPS rules read, from the record's fix and the address on file (as
 * fieldapp/legal/facts.py position_facts): added to what the user entered before judging. */
export function positionFacts(gps, address) {
  const facts = {};
  if (gps) facts.gps = { latitude: gps.latitude, longitude: gps.longitude, accuracy_m: gps.accuracy_m };
  if (address && present(address.latitude) && present(address.longitude)) {
    facts.address_location = { latitude: address.latitude, longitude: address.longitude };
  }
  return facts;
}

function hasFix(g) {
  return present(g) && present(g.latitude) && present(g.longitude);
}

/** R-GPS-2: finalizing needs a GPS fix, at least as accurate as the office's limit. */
function gpsFixIsUsable(c) {
  const g = c.f.gps;
  const limit = c.pack.gps_max_accuracy_m ?? 100;
  if (!hasFix(g) || !present(g.accuracy_m)) {
    c.block("R-GPS-2", "gps2.no_fix", "gps", {});
  } else if (g.accuracy_m > limit) {
    c.block("R-GPS-2", "gps2.poor_fix", "gps", { accuracy: `±${Math.round(g.accuracy_m)} m`, limit: `${limit} m` });
  }
}

/** R-GPS-1: a fix farther from the address on file than the office's threshold asks why. */
function gpsNearAddress(c) {
  const { gps, address_location: at } = c.f;
  if (!hasFix(gps) || !hasFix(at)) return;
  const km = greatCircleKm(gps, at);
  const limitM = c.pack.gps_warn_distance_m ?? 1000;
  if (km * 1000 > limitM) {
    c.warn("R-GPS-1", "gps1.far_from_address", "gps", { distance: fmtDistance(km), limit: fmtDistance(limitM / 1000) });
  }
}

// ---- R-NOT-2 / R-NOT-8 ----------------------------------------------------------------------

function timesRecorded(c) {
  const { f } = c;
  if (!present(f.started_at)) c.missing("R-NOT-8", "started_at");
  if (!present(f.finished_at)) c.missing("R-NOT-8", "finished_at");
  else if (present(f.started_at) && instant(f.finished_at) < instant(f.started_at)) {
    c.block("R-NOT-8", "not8.finished_before_start", "finished_at");
  }
}

function addressRecorded(c) {
  if (!text(c.f.address?.text)) c.missing("R-NOT-8", "address");
}

function addressOriginIsFiscal(c) {
  const { f } = c;
  if (!text(f.address?.text)) return;
  const origin = f.address.origin;
  if (!present(origin)) {
    c.warn("R-NOT-2", "not2.origin_missing", "address.origin");
  } else if ((origin === "employer_registration" || origin === "other")
    && !attendedPersonally(f)) {
    c.warn("R-NOT-2", "not2.not_fiscal", "address.origin",
      { origin: c.pack.address_origin_labels[origin] });
  }
}

function addressVerified(c) {
  const methods = list(c.f.address_verification);
  if (methods.length === 0) c.missing("R-NOT-8", "address_verification");
  else if (methods.includes("photo") && !c.mediaRoles.has("facade")) {
    c.block("R-NOT-8", "not8.facade_photo_missing", "media.facade");
  }
}

function addresseeAsked(c) {
  const { f } = c;
  if (!present(f.addressee_type)) c.missing("R-NOT-8", "addressee_type");
  if (f.addressee_asked !== true) c.missing("R-NOT-8", "addressee_asked");
  const representativeAttended = present(f.attendee)
    && f.attendee.capacity === "legal_representative";
  if (f.addressee_type === "company" && f.representative_asked !== true
    && !representativeAttended) {
    c.missing("R-NOT-8", "representative_asked");
  }
}

function absenceExplained(c) {
  const { f } = c;
  if (f.kind !== "citatorio" && (!present(f.attendee) || attendedPersonally(f))) return;
  if (!text(f.absence_reason)) c.missing("R-NOT-8", "absence_reason");
  if (!text(f.absence_informant)) c.missing("R-NOT-8", "absence_informant");
}

function attendeePresent(c) {
  if (!present(c.f.attendee)) c.missing("R-NOT-8", "attendee");
}

function attendeeIdentified(c) {
  const a = c.f.attendee;
  if (!present(a)) return;
  if (!((text(a.id_type) && text(a.id_number)) || a.not_identified === true)) {
    c.missing("R-NOT-8", "attendee.id_number");
  }
  if (!present(a.capacity)) c.missing("R-NOT-8", "attendee.capacity");
  if (a.capacity !== "addressee" && !text(a.relationship)) {
    c.missing("R-NOT-8", "attendee.relationship");
  }
}

function representationProven(c) {
  const a = c.f.attendee;
  if (!present(a) || a.capacity !== "legal_representative") return;
  const p = a.power;
  if (!present(p) || !(text(p.instrument_number) && text(p.notary) && present(p.granted_on))) {
    c.missing("R-NOT-8", "attendee.power");
  }
}

function copyDelivered(c) {
  const { f } = c;
  if (!present(f.attendee) || f.refused_to_receive === true || f.copy_delivered === true) return;
  c.missing(EXECUTOR_KINDS.has(f.kind) ? "R-PAE-2" : "R-NOT-8", "copy_delivered");
}

function fieldUserIdentified(c) {
  const { f } = c;
  const rule = EXECUTOR_KINDS.has(f.kind) ? "R-PAE-2" : "R-NOT-8";
  const u = f.field_user;
  if (!present(u)) {
    c.missing(rule, "field_user");
    return;
  }
  const required = rule === "R-PAE-2"
    ? ["name", "credential_number", "issued_on", "valid_until", "issuer", "legal_basis",
      "has_photo", "has_signature"]
    : ["credential_number", "valid_until", "issuer"];
  for (const name of required) {
    const ok = name.startsWith("has_") ? u[name] === true : Boolean(text(u[name]));
    if (!ok) c.missing(rule, `field_user.${name}`);
  }
  const on = c.startDate;
  if (on === null) return;
  const executor = rule === "R-PAE-2";
  if (present(u.valid_until) && u.valid_until < on) {
    c.block(rule, executor ? "pae2.credential_expired" : "not8.credential_expired",
      "field_user.valid_until", { date: fmtDate(u.valid_until) });
  }
  if (present(u.issued_on) && u.issued_on > on) {
    c.block(rule, executor ? "pae2.credential_not_yet_valid" : "not8.credential_not_yet_valid",
      "field_user.issued_on", { date: fmtDate(u.issued_on) });
  }
}

// ---- R-NOT-3 / 4 / 5 / 6 / 7 ------------------------------------------------------------------

function citatorioSetsNextBusinessDay(c) {
  const { f, pack } = c;
  if (!present(f.appointment_at)) {
    c.missing("R-NOT-3", "appointment_at");
    return;
  }
  const appointed = wall(instant(f.appointment_at), pack.tz);
  if (c.startDate !== null) {
    const expected = nextBusinessDay(c.startDate, pack);
    const params = { date: fmtDate(appointed.date), expected: fmtDate(expected) };
    if (!isBusinessDay(appointed.date, pack)) {
      c.block("R-NOT-3", "not3.appointment_non_business_day", "appointment_at", params);
    } else if (appointed.date !== expected) {
      c.block("R-NOT-3", "not3.appointment_not_next_business_day", "appointment_at", params);
    }
  }
  if (!withinBusinessHours(f.appointment_at, pack)) {
    c.block("R-NOT-3", "not3.appointment_outside_hours", "appointment_at", {
      time: fmtTime(appointed), start: pack.business_hours.start, end: pack.business_hours.end,
    });
  }
}

function firstVisitReachesAddressee(c) {
  const { f } = c;
  const a = f.attendee;
  if (!present(f.citatorio) && present(a) && present(a.capacity)
    && !PERSONAL_CAPACITIES.has(a.capacity)) {
    c.block("R-NOT-3", "not3.citatorio_required", "attendee.capacity");
  }
}

function citatorioLeftWithSomeone(c) {
  if (!present(c.f.attendee)) c.block("R-NOT-4", "not4.nobody_received", "attendee");
  else if (c.f.refused_to_receive === true) {
    c.block("R-NOT-4", "not4.refused_citatorio", "refused_to_receive");
  }
}

function postingDocumented(c) {
  if (!present(c.f.posting_reason)) c.missing("R-NOT-4", "posting_reason");
  if (!c.mediaRoles.has("posting")) c.missing("R-NOT-4", "media.posting");
}

function citatorioReferenceRecorded(c) {
  const cit = c.f.citatorio;
  if (present(cit) && !present(cit.issued_at)) c.missing("R-NOT-8", "citatorio.issued_at");
}

function followUpAtAppointedTime(c) {
  const { f, pack } = c;
  if (!present(f.citatorio)) return;
  const appointedAt = f.citatorio.appointed_at;
  if (!present(appointedAt)) {
    c.missing("R-NOT-5", "citatorio.appointed_at");
    return;
  }
  if (!present(f.started_at)) return;
  const startMs = instant(f.started_at);
  const appointedMs = instant(appointedAt);
  const start = wall(startMs, pack.tz);
  const appointed = wall(appointedMs, pack.tz);
  const tolerance = pack.follow_up_tolerance_minutes;
  if (start.date !== appointed.date) {
    c.block("R-NOT-5", "not5.other_day", "started_at",
      { date: fmtDate(start.date), appointed: fmtDate(appointed.date) });
  } else if (startMs < appointedMs) {
    c.block("R-NOT-5", "not5.before_hour", "started_at",
      { time: fmtTime(start), appointed: fmtTime(appointed) });
  } else if (startMs - appointedMs > tolerance * 60000) {
    c.warn("R-NOT-5", "not5.late", "started_at", {
      minutes: String(Math.floor((startMs - appointedMs) / 60000)),
      appointed: fmtTime(appointed), tolerance: String(tolerance),
    });
  }
}

function refusalGoesToEstrados(c) {
  if (c.f.refused_to_receive === true) {
    c.warn("R-NOT-6", "not6.refusal_to_estrados", "refused_to_receive");
  }
}

function receiverNamedAndSigned(c) {
  const { f } = c;
  const a = f.attendee;
  if (!present(a)) return;
  if (!text(a.name) && a.refused_name !== true) c.missing("R-NOT-7", "attendee.name");
  if (!(f.refused_to_receive === true || f.refused_to_sign === true
    || c.mediaRoles.has("signature"))) {
    c.block("R-NOT-7", "not7.signature_missing", "media.signature");
  }
}

// ---- R-NOT-9 --------------------------------------------------------------------------------

const ON_SITE_FIELDS = ["attendee.name", "attendee.id_number", "attendee.relationship",
  "absence_reason", "absence_informant", "not_located.premises_state"];

function pathValue(facts, path) {
  return path.split(".").reduce((obj, part) => (present(obj) ? obj[part] : null), facts);
}

function onSiteFactsEnteredOnSite(c) {
  const { f, pack } = c;
  const prefilled = new Set(list(f.prefilled));
  const timed = [];
  for (const key of ON_SITE_FIELDS) {
    if (!text(pathValue(f, key))) continue;
    if (prefilled.has(key)) {
      c.block("R-NOT-9", "not9.prefilled", key, { label: pack.labels[`on_site.${key}`] });
    } else {
      timed.push(key);
    }
  }
  if (timed.length > 0 && !present(f.arrived_at)) {
    c.block("R-NOT-9", "not9.arrival_missing", "arrived_at");
    return;
  }
  const arrived = instant(f.arrived_at);
  for (const key of timed) {
    const entered = present(f.entered_at) ? instant(f.entered_at[key]) : null;
    if (entered === null) {
      c.block("R-NOT-9", "not9.entry_time_missing", key, { label: pack.labels[`on_site.${key}`] });
    } else if (entered < arrived) {
      c.block("R-NOT-9", "not9.entered_before_arrival", key, {
        label: pack.labels[`on_site.${key}`], time: fmtTime(wall(entered, pack.tz)),
        arrived: fmtTime(wall(arrived, pack.tz)),
      });
    }
  }
}

// ---- R-NOT-10 -------------------------------------------------------------------------------

function notLocatedHasEvidence(c) {
  const nl = c.f.not_located;
  if (!present(nl)) {
    c.missing("R-NOT-10", "not_located");
    return;
  }
  if (!present(nl.reason)) c.missing("R-NOT-10", "not_located.reason");
  else if (nl.reason === "temporary_absence") {
    c.block("R-NOT-10", "not10.temporary_absence", "not_located.reason");
  }
  const statements = list(nl.statements).filter((s) => text(s.name) && text(s.text));
  if (!(statements.length > 0 || text(nl.premises_state) || c.mediaRoles.has("evidence"))) {
    c.block("R-NOT-10", "not10.no_evidence", "not_located");
  }
  if (present(nl.new_address) && newAddressGiven(nl.new_address)) {
    newAddressComplete(c, nl.new_address, "not_located.new_address");
  }
}

const NEW_ADDRESS_FIELDS = ["street", "exterior_number", "interior_number", "neighborhood",
  "municipality", "state", "postal_code", "informant"];

function newAddressGiven(a) {
  return NEW_ADDRESS_FIELDS.some((k) => text(a[k]) !== null);
}

function newAddressComplete(c, a, path) {
  if (!text(a.street) || !text(a.exterior_number) || !text(a.municipality)) {
    c.block("R-NOT-10", "not10.new_address_incomplete", path);
  }
  const postal = text(a.postal_code);
  if (postal !== null && !/^\d{5}$/.test(postal)) {
    c.block("R-NOT-10", "not10.postal_code", `${path}.postal_code`);
  }
}

function localizationResultRecorded(c) {
  const loc = c.f.localization;
  if (!present(loc) || !present(loc.result)) {
    c.missing("R-NOT-10", "localization.result");
    return;
  }
  if (loc.result === "found") {
    if (!present(loc.new_address) || !newAddressGiven(loc.new_address)) {
      c.block("R-NOT-10", "not10.new_address_incomplete", "localization.new_address");
    } else {
      newAddressComplete(c, loc.new_address, "localization.new_address");
    }
    return;
  }
  const statements = list(loc.statements).filter((s) => text(s.name) && text(s.text));
  if (!(statements.length > 0 || text(loc.notes) || c.mediaRoles.has("evidence"))) {
    c.block("R-NOT-10", "not10.localization_no_evidence", "localization");
  }
}

// ---- R-PAE-1 --------------------------------------------------------------------------------

function paymentOutcomeRecorded(c) {
  const { f } = c;
  const pay = f.payment;
  if (!present(pay) || !present(pay.outcome)) {
    c.missing("R-PAE-1", "payment.outcome");
    return;
  }
  if (pay.outcome === "proof_shown" && !text(pay.proof_document)) {
    c.missing("R-PAE-1", "payment.proof_document");
  }
  if (pay.outcome === "cheque") {
    const ch = pay.cheque;
    if (!present(ch) || !(text(ch.number) && text(ch.bank) && present(ch.amount))) {
      c.missing("R-PAE-1", "payment.cheque");
    }
    if (!text(pay.receipt_number)) c.missing("R-PAE-1", "payment.receipt_number");
  }
  if (pay.outcome !== "not_paid" && f.kind === "seizure") {
    c.block("R-PAE-1", "pae1.paid_no_seizure", "payment.outcome");
  }
  if (pay.outcome === "not_paid" && f.kind === "payment_demand" && !text(pay.no_seizure_reason)) {
    c.warn("R-PAE-1", "pae1.seize_at_once", "payment.no_seizure_reason");
  }
}

// ---- R-PAE-4…9 ------------------------------------------------------------------------------

function category(item, pack) {
  const cats = pack.item_categories;
  return typeof item.category === "string" && Object.hasOwn(cats, item.category)
    ? cats[item.category] : null;
}

function isExempt(cat, wholeBusiness) {
  return present(cat.exempt_basis) && !(wholeBusiness && cat.seizable_with_whole_business);
}

function seizable(item, s, pack) {
  const cat = category(item, pack);
  if (cat === null || isExempt(cat, s.whole_business === true)) return null;
  return present(item.third_party_claim) ? null : cat;
}

function goodsDesignatedInOrder(c) {
  const { pack } = c;
  const s = c.f.seizure;
  if (!present(s)) {
    c.missing("R-PAE-4", "seizure");
    return;
  }
  const items = list(s.items);
  if (!present(s.designated_by)) c.missing("R-PAE-4", "seizure.designated_by");
  if (items.length === 0) c.block("R-PAE-4", "pae4.no_items", "seizure.items");
  items.forEach((item, n) => {
    if (category(item, pack) === null) {
      c.block("R-PAE-4", "pae4.unknown_category", `seizure.items[${n}].category`,
        { n: String(n + 1) });
    }
  });
  if (s.designated_by === "attendee") attendeeOrder(c, s);
  if (items.some((item) => item.category === "real_estate")) {
    const st = s.real_estate_statement;
    if (!present(st) || !(text(st.liens) && text(st.prior_seizures) && text(st.co_ownership)
      && text(st.marital_property))) {
      c.missing("R-PAE-4", "seizure.real_estate_statement");
    }
  }
}

function attendeeOrder(c, s) {
  let previous = null;
  for (const item of list(s.items)) {
    const cat = seizable(item, s, c.pack);
    if (cat === null || !present(cat.fraction)) continue;
    if (previous !== null && FRACTION_ORDER[cat.fraction] < FRACTION_ORDER[previous]) {
      c.block("R-PAE-4", "pae4.out_of_order", "seizure.items",
        { fraction: cat.fraction, previous });
      return;
    }
    previous = cat.fraction;
  }
}

function witnessesRecorded(c) {
  const s = c.f.seizure;
  if (!present(s) || present(s.witnesses_note)) return;
  const named = list(s.witnesses).filter((w) => text(w.name));
  // A witness who refused is recorded as refusing, on the phone, for that witness.
  if (named.length < 2 || !named.every((w) => w.signed === true || w.refused_to_sign === true)) {
    c.block("R-PAE-4", "pae4.witnesses", "seizure.witnesses");
  }
}

function executorDesignationHasReason(c) {
  const s = c.f.seizure;
  if (present(s) && s.designated_by === "executor" && !present(s.executor_reason)) {
    c.missing("R-PAE-5", "seizure.executor_reason");
  }
}

function noExemptGoods(c) {
  const s = c.f.seizure;
  if (!present(s)) return;
  list(s.items).forEach((item, n) => {
    const cat = category(item, c.pack);
    if (cat !== null && isExempt(cat, s.whole_business === true)) {
      c.block("R-PAE-6", "pae6.exempt", `seizure.items[${n}].category`,
        { n: String(n + 1), label: cat.label, basis: cat.exempt_basis || "" });
    }
  });
}

function thirdPartyClaimsDocumented(c) {
  const s = c.f.seizure;
  if (!present(s)) return;
  list(s.items).forEach((item, n) => {
    const claim = item.third_party_claim;
    if (present(claim) && !(text(claim.claimant) && text(claim.documents))) {
      c.block("R-PAE-9", "pae9.claim_undocumented", `seizure.items[${n}].third_party_claim`,
        { n: String(n + 1) });
    }
  });
}

function seizureCoversAmount(c) {
  const s = c.f.seizure;
  if (!present(s) || list(s.items).length === 0) return;
  if (!present(s.amount_secured)) c.missing("R-PAE-7", "seizure.amount_secured", "warn");
  const goods = [];
  list(s.items).forEach((item, n) => {
    const cat = seizable(item, s, c.pack);
    if (cat !== null) goods.push({ n, item, cat });
  });
  const unvalued = goods.filter((g) => !present(g.item.value));
  for (const g of unvalued) {
    c.warn("R-PAE-7", "pae7.value_missing", `seizure.items[${g.n}].value`, { n: String(g.n + 1) });
  }
  if (!present(s.amount_secured) || unvalued.length > 0) return;
  const amount = parseDecimal(s.amount_secured);
  const values = goods.map((g) => parseDecimal(g.item.value));
  const previously = present(s.previously_seized_value)
    ? [parseDecimal(s.previously_seized_value)] : [];
  const total = sumDecimals([...previously, ...values]);
  if (compareDecimals(total, amount) < 0) {
    c.warn("R-PAE-7", "pae7.insufficient", "seizure.items",
      { total: fmtMoney(total), amount: fmtMoney(amount) });
  }
  const deposits = sumDecimals(goods.filter((g) => g.cat.bank_deposit)
    .map((g) => parseDecimal(g.item.value)));
  if (compareDecimals(deposits, amount) > 0) {
    c.warn("R-PAE-7", "pae7.bank_over_limit", "seizure.items",
      { total: fmtMoney(deposits), amount: fmtMoney(amount) });
  }
}

function custodyRecorded(c) {
  const s = c.f.seizure;
  if (!present(s)) return;
  const cu = s.custodian;
  if (!present(cu)) c.missing("R-PAE-8", "seizure.custodian");
  else {
    for (const name of ["name", "appointed_by", "location"]) {
      if (!text(cu[name])) c.missing("R-PAE-8", `seizure.custodian.${name}`);
    }
  }
  list(s.items).forEach((item, n) => {
    const cat = seizable(item, s, c.pack);
    if (cat !== null && cat.sealable && !text(item.seal)) {
      c.block("R-PAE-8", "pae8.seal_missing", `seizure.items[${n}].seal`, { n: String(n + 1) });
    }
  });
}

// ---- R-PAE-10 -------------------------------------------------------------------------------

function obstructionJustified(c) {
  const { f } = c;
  const o = f.obstruction;
  if (!present(o)) return;
  if (o.public_force_requested === true && !text(o.public_force_reason)) {
    c.missing("R-PAE-10", "obstruction.public_force_reason");
  }
  if (o.locks_broken !== true) return;
  if (!text(o.lock_order_number)) c.missing("R-PAE-10", "obstruction.lock_order_number");
  if (!present(o.lock_order_date)) c.missing("R-PAE-10", "obstruction.lock_order_date");
  else if (c.startDate !== null && o.lock_order_date > c.startDate) {
    c.block("R-PAE-10", "pae10.order_after", "obstruction.lock_order_date",
      { date: fmtDate(o.lock_order_date) });
  }
  const witnesses = present(f.seizure) ? list(f.seizure.witnesses) : [];
  if (witnesses.filter((w) => text(w.name)).length < 2) {
    c.block("R-PAE-10", "pae10.two_witnesses", "seizure.witnesses");
  }
}

// ---- registry (same order as CHECKS_BY_KIND in fieldapp/legal/checks.py) --------------------

const COMMON = [timesRecorded, startsInBusinessTime, fieldUserIdentified, addressRecorded,
  addressOriginIsFiscal, addressVerified, addresseeAsked, onSiteFactsEnteredOnSite,
  gpsFixIsUsable, gpsNearAddress];
const ATTENDED = [receiverNamedAndSigned, attendeeIdentified, representationProven,
  copyDelivered, absenceExplained];
const FOLLOW_UP = [firstVisitReachesAddressee, citatorioReferenceRecorded,
  followUpAtAppointedTime];
const GOODS = [goodsDesignatedInOrder, witnessesRecorded, executorDesignationHasReason,
  noExemptGoods, thirdPartyClaimsDocumented, seizureCoversAmount, custodyRecorded];

export const CHECKS_BY_KIND = {
  citatorio: [...COMMON, endsWithinBusinessHours, citatorioSetsNextBusinessDay,
    citatorioLeftWithSomeone, ...ATTENDED],
  posting_record: [...COMMON, endsWithinBusinessHours, citatorioSetsNextBusinessDay,
    postingDocumented],
  notification: [...COMMON, endsWithinBusinessHours, attendeePresent, ...ATTENDED, ...FOLLOW_UP,
    refusalGoesToEstrados],
  not_located: [...COMMON, endsWithinBusinessHours, notLocatedHasEvidence],
  // A localización investigates where the debtor is: no act is notified (checks.py).
  localization: [timesRecorded, startsInBusinessTime, fieldUserIdentified,
    endsWithinBusinessHours, localizationResultRecorded],
  payment_demand: [...COMMON, endsWithinBusinessHours, attendeePresent, ...ATTENDED,
    ...FOLLOW_UP, paymentOutcomeRecorded, obstructionJustified],
  // R-CAL-4: an embargo under way may run into non-business time, so no end-time check.
  seizure: [...COMMON, attendeePresent, ...ATTENDED, ...FOLLOW_UP, paymentOutcomeRecorded,
    ...GOODS, obstructionJustified],
  seizure_extension: [...COMMON, attendeePresent, ...ATTENDED, ...FOLLOW_UP, ...GOODS,
    obstructionJustified],
};

/**
 * Every finding the facts of one diligence raise: [{rule_id, severity, message, field}].
 * `now` (ISO string or Date) judges a record still being captured: it stands in for a missing
 * finished_at.
 * @param {Record<string, any>} facts
 * @param {import("./types.js").LegalPack} pack
 * @param {string | Date | null} [now]
 * @returns {import("./types.js").Finding[]}
 */
export function checkDiligence(facts, pack, now = null) {
  if (!Object.hasOwn(CHECKS_BY_KIND, facts.kind)) {
    throw new RangeError(`unknown diligence kind: ${facts.kind}`);
  }
  const checks = CHECKS_BY_KIND[facts.kind];
  let judged = facts;
  if (now !== null && !present(facts.finished_at)) {
    judged = { ...facts, finished_at: now instanceof Date ? now.toISOString() : now };
  }
  const c = new Ctx(judged, pack);
  for (const check of checks) check(c);
  return c.findings;
}
