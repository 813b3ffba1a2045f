// The journal's small helpers. Everything works without this file; it only keeps words safe.
//
// Drafts: a form with data-draft="<key>" is copied to localStorage while the parent types
// (this device only). The copy is put back when the form is shown again empty (after a reload or
// a new login) and forgotten when the server says it is saved (an element data-draft-clear="<key>").
// Session ended: htmx gets 401 (not the login page); we show the form's "log in again" notice.
(function () {
  "use strict";
  var PREFIX = "hechting:draft:";

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "hidden" && el.type !== "submit" && el.type !== "button" &&
        el.name !== "csrfmiddlewaretoken";
    });
  }

  function snapshot(form) {
    var data = {};
    fieldsOf(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") data[el.name + "=" + el.value] = el.checked;
      else data[el.name] = el.value;
    });
    return data;
  }

  // The form's values, or null when it holds no words worth keeping.
  function collect(form) {
    var words = Array.prototype.some.call(form.querySelectorAll("textarea"), function (t) {
      return t.value.trim();
    });
    return words ? snapshot(form) : null;
  }

  function apply(form, data) {
    fieldsOf(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        var key = el.name + "=" + el.value;
        if (key in data) el.checked = data[key];
      } else if (el.name in data) {
        el.value = data[el.name];
      }
    });
  }

  function save(form) {
    var s = store();
    // A form replaced by a swap (after a save) must not write its old words back.
    if (!s || !form.isConnected) return;
    var key = PREFIX + form.getAttribute("data-draft");
    var data = collect(form);
    try {
      if (data) s.setItem(key, JSON.stringify(data));
      else s.removeItem(key);
    } catch (e) { /* storage full or blocked: nothing to do */ }
  }

  function forget(key) {
    var s = store();
    if (s) s.removeItem(PREFIX + key);
  }

  function same(draft, current) {
    return Object.keys(draft).every(function (k) { return !(k in current) || draft[k] === current[k]; });
  }

  function restore(form) {
    var s = store();
    if (!s || form.hasAttribute("data-draft-bound")) return;
    var raw = s.getItem(PREFIX + form.getAttribute("data-draft"));
    if (!raw) return;
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { return; }
    var original = snapshot(form);
    if (same(draft, original)) return;
    apply(form, draft);
    form.querySelectorAll("details").forEach(function (d) {
      if (d.querySelector("textarea") && Array.prototype.some.call(
        d.querySelectorAll("textarea"), function (t) { return t.value.trim(); })) d.open = true;
    });
    var notice = form.querySelector("[data-draft-restored]");
    if (notice) {
      notice.hidden = false;
      var discard = notice.querySelector("[data-draft-discard]");
      if (discard) discard.addEventListener("click", function () {
        apply(form, original);
        forget(form.getAttribute("data-draft"));
        notice.hidden = true;
      });
    }
  }

  function init(root) {
    root.querySelectorAll("[data-draft-clear]").forEach(function (el) {
      forget(el.getAttribute("data-draft-clear"));
      el.removeAttribute("data-draft-clear");
    });
    root.querySelectorAll("form[data-draft]").forEach(function (form) {
      if (form.hasAttribute("data-draft-ready")) return;
      form.setAttribute("data-draft-ready", "");
      restore(form);
      var timer = null;
      var later = function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { save(form); }, 300);
      };
      form.addEventListener("input", later);
      form.addEventListener("change", later);
      form.addEventListener("submit", function () {
        window.clearTimeout(timer);
        save(form);
      });
    });
  }

  function sessionEnded(event) {
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    if (status !== 401 && status !== 403) return;
    var elt = event.detail.elt;
    var form = elt && (elt.closest ? elt.closest("form[data-draft]") : null);
    if (!form) return;
    save(form);
    var notice = form.querySelector("[data-session-ended]");
    if (notice) {
      notice.hidden = false;
      notice.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
  document.addEventListener("htmx:responseError", sessionEnded);
})();
