// The journal's small helpers. Everything works without this file; it only keeps words safe.
//
// Drafts: a form with data-draft="<address>" sends its fields to that address while the parent
// types (a second after the last key). The server keeps them sealed (reflect/drafts.py); nothing
// is written to the browser's storage. When the form opens again empty (after a reload, a closed
// tab or a new login) it asks for its draft and puts it back. A draft is dropped when the server
// says it is saved (an element data-draft-clear="<address>") or the parent removes it.
// Session ended: the server answers 401 (not the login page); we show the form's notice.
(function () {
  "use strict";
  var WAIT = 1000;
  var queue = window.Promise ? Promise.resolve() : null;

  function token() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "hidden" && el.type !== "submit" && el.type !== "button" &&
        el.name !== "csrfmiddlewaretoken";
    });
  }

  // The form's fields as the server keeps them: {name: [values]}.
  function snapshot(form) {
    var data = {};
    fieldsOf(form).forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      (data[el.name] = data[el.name] || []).push(el.value);
    });
    return data;
  }

  function apply(form, data) {
    fieldsOf(form).forEach(function (el) {
      var values = data[el.name];
      if (el.type === "checkbox") el.checked = !!values && values.indexOf(el.value) >= 0;
      else if (el.type === "radio") { if (values) el.checked = values.indexOf(el.value) >= 0; }
      else if (values) el.value = values[0];
    });
  }

  function body(data) {
    var params = new URLSearchParams();
    Object.keys(data).sort().forEach(function (name) {
      data[name].forEach(function (value) { params.append(name, value); });
    });
    return params;
  }

  function ended(form) {
    var notice = form && form.querySelector("[data-session-ended]");
    if (notice && notice.hidden) {
      notice.hidden = false;
      notice.focus();
    }
  }

  // Requests go one after the other, so a later state never lands before an earlier one.
  function post(address, params, form, keepalive) {
    queue = queue.then(function () {
      return fetch(address, {
        method: "POST",
        body: params,
        headers: { "X-CSRFToken": token(), Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
        keepalive: !!keepalive
      }).then(function (response) {
        if (response.status === 401 || response.status === 403 || response.type === "opaqueredirect") ended(form);
        else if (response.ok && form) form.setAttribute("data-draft-kept", "");
      }, function () { /* offline: the next change tries again */ });
    });
    return queue;
  }

  function setUp(form) {
    var address = form.getAttribute("data-draft");
    var timer = null;
    var sent = body(snapshot(form)).toString();

    function send(keepalive) {
      window.clearTimeout(timer);
      timer = null;
      var params = body(snapshot(form));
      if (params.toString() === sent || !form.isConnected) return queue;
      sent = params.toString();
      form.removeAttribute("data-draft-kept");
      return post(address, params, form, keepalive);
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(send, WAIT);
    }

    function restore() {
      if (form.hasAttribute("data-draft-bound")) return form.setAttribute("data-draft-checked", "");
      var untouched = sent;
      fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin", redirect: "manual" })
        .then(function (response) { return response.ok ? response.json() : { fields: null }; })
        .then(function (answer) {
          form.setAttribute("data-draft-checked", "");
          // Words typed while we asked are newer than the draft: keep them.
          if (!answer.fields || !form.isConnected || body(snapshot(form)).toString() !== untouched) return;
          var original = snapshot(form);
          apply(form, answer.fields);
          sent = body(snapshot(form)).toString();
          if (sent === body(original).toString()) return;
          form.querySelectorAll("details").forEach(function (d) {
            if (Array.prototype.some.call(d.querySelectorAll("textarea"), function (t) { return t.value.trim(); })) d.open = true;
          });
          var notice = form.querySelector("[data-draft-restored]");
          if (!notice) return;
          notice.hidden = false;
          var discard = notice.querySelector("[data-draft-discard]");
          if (discard) discard.addEventListener("click", function () {
            apply(form, original);
            send();
            notice.hidden = true;
          });
        })
        .catch(function () { /* no draft to give back */ });
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    // A closed tab or a phone put away: send what is waiting now.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && timer !== null) send(true);
    });
    // htmx saves: the draft goes first, so words typed just before are kept even when this is
    // the request in which the session ends. A plain post carries the words itself.
    form.addEventListener("htmx:confirm", function (event) {
      if (timer === null || event.target !== form) return;
      event.preventDefault();
      send().then(function () { event.detail.issueRequest(true); });
    });
    form.addEventListener("submit", function () { window.clearTimeout(timer); timer = null; });
    restore();
  }

  function init(root) {
    if (!queue || !window.fetch || !window.URLSearchParams) return;
    root.querySelectorAll("[data-draft-clear]").forEach(function (el) {
      post(el.getAttribute("data-draft-clear"), new URLSearchParams(), null);
      el.removeAttribute("data-draft-clear");
    });
    root.querySelectorAll("form[data-draft]").forEach(function (form) {
      if (form.hasAttribute("data-draft-ready")) return;
      form.setAttribute("data-draft-ready", "");
      setUp(form);
    });
  }

  function sessionEnded(event) {
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    if (status !== 401 && status !== 403) return;
    var elt = event.detail.elt;
    ended(elt && elt.closest ? elt.closest("form[data-draft]") : null);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
  document.addEventListener("htmx:responseError", sessionEnded);
})();
