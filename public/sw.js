// UnionCard's service worker: keeps the app shell so the app opens with no
// signal (a basement supermarket, a lift, a train). API answers are never
// cached here: each feature decides what may be kept offline.
const CACHE = 'unioncard-shell-v1';

// On install, fetch the app shell and every asset it names (Trunk's hashed
// wasm, JS and CSS), so the very next launch works offline.
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const resp = await fetch('/', { cache: 'no-cache' });
    const html = await resp.clone().text();
    await cache.put('/', resp);
    const assets = new Set(['/manifest.webmanifest', '/icon.svg']);
    for (const m of html.matchAll(/(?:href|src)="(\/[^"?#]+\.(?:js|wasm|css|svg|webmanifest))"/g)) {
      assets.add(m[1]);
    }
    // The app's JS module imports small snippets (camera, location) itself.
    for (const js of [...assets].filter((a) => a.endsWith('.js'))) {
      const text = await (await fetch(js)).text();
      for (const m of text.matchAll(/['"]\.\/(snippets\/[^'"]+\.js)['"]/g)) assets.add('/' + m[1]);
    }
    await cache.addAll([...assets]);
    await self.skipWaiting();
  })());
});

// Drop the caches of older versions.
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/metrics') return;

  // The officers' desk and the aid forms are other apps, used online: not
  // kept here (and never stored as the member app's shell). The same list
  // as the server's (static_files.rs) and the build's (xtask BUNDLES).
  for (const app of ['/staff', '/aid', '/loans', '/manage']) {
    if (url.pathname === app || url.pathname.startsWith(app + '/')) return;
  }

  if (req.mode === 'navigate') {
    // Screens: the network first (a new release shows at once), the kept
    // shell when there is no network.
    event.respondWith((async () => {
      try {
        const fresh = await fetch(req);
        if (fresh.ok) (await caches.open(CACHE)).put('/', fresh.clone());
        return fresh;
      } catch (e) {
        return (await caches.match('/')) || Response.error();
      }
    })());
    return;
  }

  // Files: hashed names never change, so the kept copy is always right.
  event.respondWith((async () => {
    const kept = await caches.match(req);
    if (kept) return kept;
    const fresh = await fetch(req);
    if (fresh.ok) (await caches.open(CACHE)).put(req, fresh.clone());
    return fresh;
  })());
});
