// Passkeys with allauth's own scripts under a strict CSP: the settings come from a JSON data
// block (never executed), the controls appear only where the browser supports passkeys.
(function () {
  "use strict";
  var settingsBlock = document.getElementById("passkey-settings");
  if (!settingsBlock || !window.allauth || !window.webauthnJSON) return;
  if (!window.webauthnJSON.supported()) return;
  var settings = JSON.parse(settingsBlock.textContent);
  var ids = settings.ids;
  var forms = window.allauth.webauthn.forms;

  document.querySelectorAll("[data-webauthn-only]").forEach(function (el) { el.hidden = false; });
  document.querySelectorAll("[data-webauthn-missing]").forEach(function (el) { el.hidden = true; });

  var error = document.querySelector("[data-webauthn-error]");
  document.addEventListener("allauth.error", function (event) {
    event.preventDefault();
    if (error) error.hidden = false;
  });

  if (settings.mode === "addForm") {
    forms.addForm({ ids: { add: ids.button, passwordless: ids.passwordless || undefined, credential: ids.credential, data: ids.data } });
  } else if (settings.mode === "authenticateForm") {
    forms.authenticateForm({ ids: { authenticate: ids.button, credential: ids.credential, data: ids.data } });
  }
})();
