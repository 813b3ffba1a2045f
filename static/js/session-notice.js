// A polite notice a few minutes before the server logs out a quiet session, and a note when
// it has. The server decides (hechting/accounts/sessions.py); this file only asks it how long
// is left, so another tab's activity counts too. Nothing on the page is reloaded or cleared.
(function () {
  "use strict";
  var region = document.querySelector("[data-idle-notice]");
  if (!region || !window.fetch) return;
  var timeout = Number(region.dataset.timeout) * 1000;
  var warning = Number(region.dataset.warning) * 1000;
  var warningBox = region.querySelector("[data-idle-warning]");
  var endedBox = region.querySelector("[data-idle-ended]");
  var timer = null;

  function later(fn, ms) {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, Math.max(ms, 1000));
  }

  function show(box) {
    warningBox.hidden = box !== warningBox;
    endedBox.hidden = box !== endedBox;
  }

  function check() {
    fetch(region.dataset.statusUrl, {
      headers: { "X-Hechting-Session-Check": "1", Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
      redirect: "manual" // sent to log in: the session has ended
    })
      .then(function (response) {
        return response.ok ? response.json() : { signed_in: false, seconds_left: 0 };
      })
      .then(function (status) {
        var left = status.seconds_left * 1000;
        if (!status.signed_in || left <= 0) {
          show(endedBox);
        } else if (left > warning) {
          show(null);
          later(check, left - warning);
        } else {
          if (warningBox.hidden && endedBox.hidden) show(warningBox);
          later(check, left + 1000);
        }
      })
      .catch(function () { later(check, 60000); });
  }

  function restart() {
    show(null);
    later(check, timeout - warning);
  }

  warningBox.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(warningBox.action, {
      method: "POST",
      body: new FormData(warningBox),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual" // a redirect means the session has already ended
    })
      .then(function (response) { if (response.ok) restart(); else show(endedBox); })
      .catch(function () { later(check, 1000); });
  });
  region.querySelectorAll("[data-idle-dismiss]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest(".session-notice__box").hidden = true; });
  });
  // Every htmx request is activity on the server: start counting again.
  document.addEventListener("htmx:afterRequest", restart);
  restart();
})();
