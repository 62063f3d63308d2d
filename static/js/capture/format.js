// @ts-check
// Dates as the office reads them, formatted for es-MX with Intl. Pure (no DOM, no IndexedDB):
// shared by the capture pages (ui.js re-exports it) and the embargo's model, which node's test
// runner loads without a browser (tests/js/).

const LOCALE = "es-MX";
const timeFormats = new Map();

/**
 * An instant as the office reads it: "23/11/26, 10:05".
 * @param {string | null | undefined} iso
 * @param {string} tz IANA time zone
 * @param {Intl.DateTimeFormatOptions} [options]
 * @returns {string}
 */
export function formatDateTime(iso, tz, options = { dateStyle: "short", timeStyle: "short" }) {
  if (!iso) return "—";
  const key = tz + JSON.stringify(options);
  if (!timeFormats.has(key)) {
    // 24-hour clock, as the actas and the legal messages read (20:15, not 8:15 p.m.).
    timeFormats.set(key, new Intl.DateTimeFormat(LOCALE, { timeZone: tz, hourCycle: "h23", ...options }));
  }
  return timeFormats.get(key).format(new Date(iso));
}
