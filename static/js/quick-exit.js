// "Leave quickly" (the link, or Escape twice): hide the page, put the neutral site in its place
// in the history, clear this site's storage and end the login (a POST that outlives the page).
// Without this file the link goes to the exit address, which does the last two. Logging out
// clears the storage too (the server also answers both with Clear-Site-Data).
(function () {
  "use strict";
  function clearTraces() {
    try {
      localStorage.clear();
      sessionStorage.clear();
      caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
      indexedDB.databases().then(function (dbs) { dbs.forEach(function (db) { indexedDB.deleteDatabase(db.name); }); });
    } catch (e) { /* not offered here: the server's header does the rest */ }
  }

  document.addEventListener("submit", function (event) {
    if (event.target.matches("form[action$='/accounts/logout/']")) clearTraces();
  });

  var link = document.querySelector("[data-quick-exit]");
  var lastEscape = 0;
  if (!link) return;

  function leave(event) {
    event.preventDefault();
    document.documentElement.classList.add("is-leaving"); // hidden at once
    try {
      var token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
      fetch(link.href, { method: "POST", headers: { "X-CSRFToken": token }, credentials: "same-origin", keepalive: true });
    } catch (e) { /* the neutral site opens all the same */ }
    clearTraces();
    window.location.replace(link.getAttribute("data-neutral"));
  }

  link.addEventListener("click", function (event) {
    if (event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey) leave(event);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.repeat) return;
    if (Date.now() - lastEscape < 1000) leave(event);
    lastEscape = Date.now();
  });
})();
