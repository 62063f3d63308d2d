// fieldapp service worker, shell version {{ version }} (served by fieldapp/capture/views.py).
//
// - install: precache the versioned shell (static files + offline page) and, best effort, the
//   HTML of the field pages; take over at once (skipWaiting + clients.claim), so an update
//   rolls out on the next load. Queued diligences live in IndexedDB, untouched by updates.
// - fetch: static files cache-first; pages network-first (short timeout on a weak signal),
//   then the cached copy, then the offline page. The sync API is never cached.
// - sync: Background Sync sends the outbox even when no page of the app is open.
import { syncAllUsers } from {{ sync_module|tojson }};

const VERSION = {{ version|tojson }};
const SHELL_CACHE = `fieldapp-shell-${VERSION}`;
const PAGES_CACHE = "fieldapp-pages";
const STATIC_URLS = {{ static_urls|tojson }};
const PAGE_URLS = {{ page_urls|tojson }};
const OFFLINE_URL = {{ offline_url|tojson }};
// The online worklist (/campo/) is a server page: offline, "Mis asignaciones" opens the
// phone's own list instead of a stale copy (issue 16).
const ONLINE_WORKLIST_URL = {{ online_worklist_url|tojson }};
const OFFLINE_WORKLIST_URL = {{ offline_worklist_url|tojson }};
const PAGE_PREFIXES = {{ page_prefixes|tojson }}; // only the field pages are kept for offline use
const SHELL_PAGE_PREFIX = "/captura/";
const NETWORK_TIMEOUT_MS = 4000;
const STATIC_SET = new Set(STATIC_URLS);

// Every change to the cached pages runs here, one after the other. Signing out empties the
// cache through this queue too (message "forget-pages"), so a page answered just before the
// user signed out cannot be stored after the cache was emptied and show their name and
// worklist to the next person on the phone.
let pagesWork = Promise.resolve();

function changePages(change) {
  pagesWork = pagesWork.then(change).catch(() => {});
  return pagesWork;
}

function keepPage(key, response) {
  return changePages(async () => (await caches.open(PAGES_CACHE)).put(key, response));
}

async function precachePages() {
  await Promise.all(PAGE_URLS.map(async (url) => {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (response.ok && !response.redirected) await keepPage(url, response);
    } catch {
      // Offline or signed out: the page is cached on the next online visit instead.
    }
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL_CACHE);
    // Static URLs carry the digest of their content (immutable): what the page already loaded
    // comes from the HTTP cache, the rest once over the network. The offline page is not versioned.
    await shell.addAll([...STATIC_URLS.map((url) => new Request(url)),
      new Request(OFFLINE_URL, { cache: "no-store" })]);
    await precachePages();
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("fieldapp-shell-") && n !== SHELL_CACHE)
      .map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

function pageKey(url) {
  // Every /captura/ page is one shell whatever its query string (the phone reads the query).
  return url.pathname.startsWith(SHELL_PAGE_PREFIX) ? url.origin + url.pathname : url.href;
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); },
      (e) => { clearTimeout(timer); reject(e); });
  });
}

async function cachedPage(url) {
  // caches.match (not caches.open) so that looking never re-creates a cache logout deleted.
  const options = { ignoreVary: true, cacheName: PAGES_CACHE };
  return (await caches.match(pageKey(url), options))
    || (await caches.match(url.origin + url.pathname, options));
}

async function page(request, url) {
  const network = fetch(request);
  try {
    const response = await withTimeout(network, NETWORK_TIMEOUT_MS);
    const type = response.headers.get("Content-Type") || "";
    if (request.mode === "navigate" && response.ok && !response.redirected && type.startsWith("text/html")
        && PAGE_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) {
      keepPage(pageKey(url), response.clone());
    }
    return response;
  } catch {
    if (request.mode === "navigate" && url.pathname === ONLINE_WORKLIST_URL) {
      return Response.redirect(OFFLINE_WORKLIST_URL, 302);
    }
    const cached = await cachedPage(url);
    if (cached) return cached;
    if (request.mode === "navigate") {
      return (await caches.match(OFFLINE_URL)) || Response.error();
    }
    // A fragment request must not receive a whole page: let the caller see it failed.
    return new Response("", { status: 503, statusText: "Sin conexión" });
  }
}

async function staticFile(request) {
  const cached = await caches.match(request, { ignoreSearch: true, cacheName: SHELL_CACHE });
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")
      || url.pathname === "/sw.js") return;
  if (STATIC_SET.has(url.pathname)) {
    event.respondWith(staticFile(request));
  } else if (!url.pathname.startsWith("/static/")) {
    event.respondWith(page(request, url));
  }
});

// A failed run is tried again within the event (well inside the browser's limit of a few
// minutes per sync event) before the browser's own, much later, retry.
const SYNC_RETRY_DELAYS_MS = [3000, 10000];

self.addEventListener("sync", (event) => {
  if (event.tag === "fieldapp-outbox") {
    event.waitUntil(syncAllUsers({ retryDelaysMs: SYNC_RETRY_DELAYS_MS }));
  }
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "sync") event.waitUntil(syncAllUsers());
  if (event.data && event.data.type === "forget-pages") {
    const reply = event.ports[0];
    event.waitUntil(changePages(() => caches.delete(PAGES_CACHE))
      .then(() => reply && reply.postMessage("forgotten")));
  }
});
