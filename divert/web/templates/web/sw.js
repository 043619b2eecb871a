// divert's service worker, served from /sw.js so that it controls the whole site.
//
// It keeps only the app's shell: static files and the offline page, which holds no
// participant's data. Pages and API answers are never stored here: a phone may be shared,
// and a cached page is a disclosure. Contacts logged offline wait in the page's IndexedDB
// queue (static/web/offline.js), not here.
"use strict";

const CACHE = "divert-shell-{{ version }}";
const OFFLINE = "{{ offline_url }}";
const SHELL = [
  OFFLINE,{% for url in static_urls %}
  "{{ url }}",{% endfor %}
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // posts go to the network, or fail to the page's queue
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Network first; offline, the shell (which reads the address to offer the contact form).
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    // Fresh when online (and kept fresh), the stored copy when not.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request))
    );
  }
  // Anything else (pages' data, the API) is not touched: never stored.
});
