// Reading a seal's QR label on the phone, offline. Loaded on demand by the embargo step (it
// and jsQR are precached by the service worker but stay out of the page's first load).
//
// BarcodeDetector where the browser has one that reads QR codes (Android Chrome, Safari 17+),
// otherwise jsQR 1.4.0 (static/vendor/jsqr-1.4.0, Apache-2.0) on the pixels of a canvas. Both
// the camera and a photo of the label go through decodePixels, so what a test feeds a photo
// is exactly what a camera frame meets.

const JSQR_URL = new URL("../../vendor/jsqr-1.4.0/jsQR.min.js", import.meta.url).href;
const MAX_EDGE = 1024; // a label needs no more pixels; jsQR's time grows with the area
const FRAME_MS = 180;

let detector; // undefined: not asked yet; null: none that reads QR

async function barcodeDetector() {
  if (detector !== undefined) return detector;
  detector = null;
  try {
    if ("BarcodeDetector" in globalThis
      && (await globalThis.BarcodeDetector.getSupportedFormats()).includes("qr_code")) {
      detector = new globalThis.BarcodeDetector({ formats: ["qr_code"] });
    }
  } catch {
    detector = null;
  }
  return detector;
}

let jsQRLoading = null;

/** jsQR is a UMD script: run as a module it sets self.jsQR. */
function loadJsQR() {
  if (!jsQRLoading) {
    jsQRLoading = import(JSQR_URL).then(() => {
      if (typeof globalThis.jsQR !== "function") throw new Error("jsQR did not load");
      return globalThis.jsQR;
    });
    jsQRLoading.catch(() => { jsQRLoading = null; });
  }
  return jsQRLoading;
}

/** Which decoder this browser uses: "BarcodeDetector" or "jsQR". */
export async function decoderName() {
  return (await barcodeDetector()) ? "BarcodeDetector" : "jsQR";
}

function canvasFor(width, height) {
  const scale = Math.min(1, MAX_EDGE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = typeof OffscreenCanvas !== "undefined" ? new OffscreenCanvas(w, h)
    : Object.assign(document.createElement("canvas"), { width: w, height: h });
  return canvas;
}

/** The text of the first QR code in an ImageData, with jsQR (the fallback decoder). */
export async function decodeImageData(imageData) {
  const jsQR = await loadJsQR();
  const found = jsQR(imageData.data, imageData.width, imageData.height, { inversionAttempts: "attemptBoth" });
  return found ? found.data : null;
}

/** The text of the first QR code in a drawable source (video frame, ImageBitmap, canvas). */
export async function decodePixels(source, width, height) {
  const native = await barcodeDetector();
  if (native) {
    const codes = await native.detect(source);
    return codes.length ? codes[0].rawValue : null;
  }
  const canvas = canvasFor(width, height);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  return decodeImageData(ctx.getImageData(0, 0, canvas.width, canvas.height));
}

/** The QR text of a photo of a label (file input), or null when none is read. */
export async function decodeFile(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    return await decodePixels(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/**
 * Opens the rear camera in `video` and resolves with the first QR text `accept(text)` takes
 * (it returns true to stop, or shows why it goes on), or null when `signal` aborts. The camera
 * is always released.
 */
export async function scanWithCamera(video, { signal, accept, onStatus = () => {} }) {
  if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) {
    throw new Error("Este teléfono no permite usar la cámara desde la aplicación.");
  }
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 } }, audio: false,
  });
  try {
    video.srcObject = stream;
    video.muted = true;
    video.setAttribute("playsinline", "");
    await video.play();
    onStatus("Apunte la cámara al código QR de la etiqueta del sello.");
    while (!signal.aborted) {
      if (video.readyState >= 2 && video.videoWidth) {
        const text = await decodePixels(video, video.videoWidth, video.videoHeight);
        if (text !== null && accept(text)) return text;
      }
      await new Promise((resolve) => { setTimeout(resolve, FRAME_MS); });
    }
    return null;
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  }
}
