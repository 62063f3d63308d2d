// Photos and signatures, prepared on the phone: downscaled, re-encoded, hashed at capture.
//
// Re-encoding through a canvas drops every EXIF tag (GPS included): the position of a
// diligence comes from the Geolocation API, never from the photo.

import { sha256Hex } from "../sync-hash.js";

export const DEFAULT_LONG_EDGE = 1600;
export const LONG_EDGES = [1024, 1600, 2048];
const JPEG_QUALITY = 0.7;

/** The office's long edge from the legal pack, if it is one of the allowed sizes. */
export function longEdgeOf(pack) {
  const edge = pack && Number(pack.photo_long_edge);
  return LONG_EDGES.includes(edge) ? edge : DEFAULT_LONG_EDGE;
}

async function decode(file) {
  try {
    // The camera's EXIF orientation applied, so a portrait photo stays portrait.
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    // Older Safari: an <img> is oriented by EXIF too (CSS image-orientation: from-image).
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      return img;
    } finally {
      URL.revokeObjectURL(url);
    }
  }
}

function canvasOf(width, height) {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(width, height);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function encode(canvas, type, quality) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type, quality });
  return new Promise((resolve, reject) => canvas.toBlob(
    (blob) => (blob ? resolve(blob) : reject(new Error("encode failed"))), type, quality));
}

async function asStored(blob, extra) {
  const data = await blob.arrayBuffer();
  return { data, type: blob.type, bytes: data.byteLength, sha256: await sha256Hex(data), ...extra };
}

/**
 * A camera file made ready to keep and send: oriented, long edge at most `longEdge` pixels
 * (never enlarged), JPEG at quality 0.7. Resolves {data: ArrayBuffer, type, bytes, sha256,
 * width, height}.
 */
export async function preparePhoto(file, longEdge = DEFAULT_LONG_EDGE) {
  const source = await decode(file);
  const width = source.width || source.naturalWidth;
  const height = source.height || source.naturalHeight;
  const scale = Math.min(1, longEdge / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = canvasOf(w, h);
  const ctx = canvas.getContext("2d", { alpha: false });
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(source, 0, 0, w, h);
  if (source.close) source.close();
  return asStored(await encode(canvas, "image/jpeg", JPEG_QUALITY), { width: w, height: h });
}

/** A signature drawn with a finger or stylus (pointer events), exported as PNG. */
export class SignaturePad {
  constructor(canvas, onChange = () => {}) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.strokes = 0;
    this.ctx = canvas.getContext("2d");
    this.resize();
    canvas.addEventListener("pointerdown", (e) => this.start(e));
    canvas.addEventListener("pointermove", (e) => this.move(e));
    for (const type of ["pointerup", "pointercancel"]) {
      canvas.addEventListener(type, (e) => this.end(e));
    }
  }

  resize() {
    const ratio = Math.max(1, window.devicePixelRatio || 1);
    const { width, height } = this.canvas.getBoundingClientRect();
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.clear();
  }

  clear() {
    const { ctx, canvas } = this;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#10233f";
    this.strokes = 0;
  }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  start(e) {
    if (this.canvas.closest("[disabled]")) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.drawing = true;
    this.last = this.point(e);
  }

  move(e) {
    if (!this.drawing) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    const { ctx } = this;
    ctx.beginPath();
    ctx.moveTo(...this.last);
    for (const ev of events.length ? events : [e]) {
      this.last = this.point(ev);
      ctx.lineTo(...this.last);
    }
    ctx.stroke();
  }

  end() {
    if (!this.drawing) return;
    this.drawing = false;
    this.strokes += 1;
    this.onChange(this);
  }

  get isEmpty() {
    return this.strokes === 0;
  }

  async toStored() {
    return asStored(await encode(this.canvas, "image/png"), {
      width: this.canvas.width, height: this.canvas.height,
    });
  }
}
