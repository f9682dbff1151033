// UnionCard's service worker: keeps the app shell so the app opens with no
// signal (a basement supermarket, a lift, a train). API answers are never
// cached here: each feature decides what may be kept offline.
// The build writes its member-app folder here: every release is a new service
// worker, which keeps that release's files and drops the older ones.
const CACHE = 'unioncard-__BUILD__';

// On install, fetch the app shell and every file it needs: the JS and wasm
// the page names (its starter script imports and fetches them), what those modules import (snippets, the chunk loader) and
// the section chunks the loader names, so every member screen opens offline
// from the very next launch.
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const resp = await fetch('/', { cache: 'no-cache' });
    const html = await resp.clone().text();
    await cache.put('/', resp);
    const assets = new Set(['/manifest.webmanifest', '/icon.svg']);
    // Named in links, or by the page's starter (`import('/…/main.js')`,
    // `fetch('/…/main_bg.wasm')`).
    for (const m of html.matchAll(/(?:(?:href|src)="|(?:import|fetch)\(')(\/[^"'?#]+\.(?:js|wasm|css|svg|webmanifest))["']/g)) {
      assets.add(m[1]);
    }
    const modules = [...assets].filter((a) => a.endsWith('.js'));
    while (modules.length) {
      const js = modules.shift();
      const text = await (await fetch(js)).text();
      // What a module imports (`from './x.js'`) or fetches (`new URL('./x.wasm', …)`,
      // or `C('./x.wasm', …)` in the chunk loader as `cargo xtask dist`
      // writes it); other './' strings (wasm-bindgen's import-object keys)
      // are not files.
      for (const m of text.matchAll(/(?:from\s*|new URL\(\s*|\bC\()['"](\.\/[^'"]+\.(?:js|wasm))['"]/g)) {
        const file = new URL(m[1], self.location.origin + js).pathname;
        if (assets.has(file)) continue;
        assets.add(file);
        if (file.endsWith('.js')) modules.push(file);
      }
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

  // The officers' desk and management are other apps, used online: not
  // kept here (and never stored as the member app's shell). The same list
  // as the server's (static_files.rs) and the build's (xtask BUNDLES).
  for (const app of ['/staff', '/manage']) {
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

  // Files: a build's folder never changes, so the kept copy is always right.
  event.respondWith((async () => {
    const kept = await caches.match(req);
    if (kept) return kept;
    const fresh = await fetch(req);
    if (fresh.ok) (await caches.open(CACHE)).put(req, fresh.clone());
    return fresh;
  })());
});
