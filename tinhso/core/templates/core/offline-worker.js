// Tỉnh Số — the service worker of one offline form (scope: {{ page }}), so the form opens with no network
// at all once it has been opened online. It keeps exactly two kinds of things: the form page itself
// ({{ page }}, network first, the kept copy only when there is no network; dropped when the server answers
// with a redirect, e.g. after logging out) and the static files ({{ static }}…) that page uses. It controls
// no other page and keeps nothing else. Submissions still go through the page's script (core/offline-form.js).
// Served by tinhso.core.views.offline_worker from beside the page, with no-cache (see docs/development.md).
"use strict";
var PAGE = "{{ page|escapejs }}";
var STATIC = "{{ static|escapejs }}";
var PREFIX = "tinhso-offline-" + PAGE + "-";
var CACHE = PREFIX + "v1";

function ours(url) {
  return url.origin === self.location.origin && (url.pathname === PAGE || url.pathname.indexOf(STATIC) === 0);
}
function keepPage(response) {
  return caches.open(CACHE).then(function (cache) {
    if (response.ok && !response.redirected && response.type === "basic") { return cache.put(PAGE, response); }
    if (response.type === "opaqueredirect" || response.redirected) { return cache.delete(PAGE); }
  });
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0 && name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// The page lists what it was built from (its scripts, styles, icons); the page itself is fetched again.
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.keep) || [];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (address) {
      var url = new URL(address, self.location.href);
      if (!ours(url)) { return null; }
      if (url.pathname === PAGE) {
        return fetch(PAGE, { credentials: "same-origin", redirect: "manual" }).then(keepPage, function () { return null; });
      }
      return fetch(url.href).then(function (response) {
        return response.ok ? cache.put(url.href, response) : null;
      }, function () { return null; });
    }));
  }).then(function () {
    if (event.source) { event.source.postMessage({ kept: true }); }
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  // the outbox's posts go to the network as before
  var url = new URL(request.url);
  if (!ours(url)) { return; }
  if (url.pathname === PAGE) {
    if (request.mode !== "navigate") { return; }
    event.respondWith(fetch(request).then(function (response) {
      event.waitUntil(keepPage(response.clone()));
      return response;
    }, function () {
      return caches.match(PAGE).then(function (kept) { return kept || Response.error(); });
    }));
    return;
  }
  event.respondWith(caches.match(request).then(function (kept) {
    return kept || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(request, copy); }));
      }
      return response;
    });
  }));
});
