// "Leave quickly": hide the page at once, open a neutral site in its place (so Back does not
// return here), end the login on the server and clear what this site kept in the browser.
// Without this file the link goes to the app's exit address, which ends the login and sends
// the browser on to the same neutral site. Escape pressed twice does the same as the link.
// Logging out clears the browser's storage too (and the server answers with Clear-Site-Data).
(function () {
  "use strict";

  function clearTraces() {
    [window.localStorage, window.sessionStorage].forEach(function (area) {
      try { area.clear(); } catch (e) { /* blocked: nothing kept there */ }
    });
    try {
      if (window.caches) caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
      if (window.indexedDB && indexedDB.databases) {
        indexedDB.databases().then(function (dbs) { dbs.forEach(function (db) { indexedDB.deleteDatabase(db.name); }); });
      }
    } catch (e) { /* not offered by this browser */ }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-logout], form[action$='/accounts/logout/']")) clearTraces();
  });

  var link = document.querySelector("[data-quick-exit]");
  if (!link) return;
  var lastEscape = 0;

  function token() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }

  function leave(event) {
    if (event) event.preventDefault();
    document.documentElement.classList.add("is-leaving"); // hide the page at once
    try {
      fetch(link.href, {
        method: "POST",
        headers: { "X-CSRFToken": token() },
        credentials: "same-origin",
        keepalive: true // goes on after this page is gone
      }).catch(function () {});
    } catch (e) { /* no fetch: the neutral site still opens */ }
    clearTraces();
    window.location.replace(link.getAttribute("data-neutral") || link.href);
  }

  link.addEventListener("click", function (event) {
    if (event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey) leave(event);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.repeat) return;
    var now = Date.now();
    if (now - lastEscape < 1000) leave(event);
    lastEscape = now;
  });
})();
