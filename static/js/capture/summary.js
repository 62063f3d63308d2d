// The printable summary of a record this phone finalized (issue 15, Build 3), offline: what to
// show the attendee, or print, before the server has the acta. The facts are the read-only form
// itself (every answer under its Spanish label); this adds its content hash and the QR of its
// verification link (/v/<id>?h=<prefix>, the link the printed acta's QR carries, which answers
// once the office has received the record). The QR is drawn on the phone by qrcode-generator
// (static/vendor/qrcode-generator-2.0.4, MIT), loaded only when a summary is opened.

const QR_URL = new URL("../../vendor/qrcode-generator-2.0.4/qrcode.min.js", import.meta.url).href;

/** The verification link of a record, as the acta prints it in its QR. */
export function verificationUrl(ctx, record) {
  const prefix = record.payload.content_hash.slice(0, ctx.hash_prefix_len);
  return ctx.urls.verify.replace("RECORD_ID", encodeURIComponent(record.id)).replace("HASH_PREFIX", prefix);
}

/** A QR of `text` as a data: URL (the page's CSP allows data: images). */
export async function qrDataUrl(text, cellSize = 4) {
  const { default: qrcode } = await import(QR_URL);
  const qr = qrcode(0, "M"); // the smallest version that holds the link, medium error correction
  qr.addData(text);
  qr.make();
  return qr.createDataURL(cellSize, 4);
}

/** Fills the summary card of the record page and opens the print dialog on request. */
export async function showSummary(record, { ctx, kindLabel, finalizedText }) {
  const box = document.getElementById("record-summary");
  const url = verificationUrl(ctx, record);
  const fill = (name, text) => { box.querySelector(`[data-summary="${name}"]`).textContent = text; };
  fill("kind", kindLabel);
  fill("finalized", finalizedText);
  fill("hash", record.payload.content_hash);
  fill("url", url);
  const img = document.getElementById("summary-qr");
  img.src = await qrDataUrl(url);
  box.hidden = false;
  document.body.classList.add("with-summary");
  box.scrollIntoView({ block: "start" });
}
