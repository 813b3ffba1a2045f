// Drafts, without leaving words in the browser: a form[data-draft="<address>"] sends its fields
// there a second after the last key; the server keeps them sealed (reflect/drafts.py). An empty
// form asks for its draft and puts it back. [data-draft-clear="<address>"]: saved, drop it.
// A 401 (session ended) shows the form's notice. Everything works without this file.
(function () {
  "use strict";
  var queue = window.Promise && Promise.resolve();
  var some = Array.prototype.some;

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !/^(hidden|submit|button)$/.test(el.type);
    });
  }

  // {name: [values]}, as the server keeps it.
  function snapshot(form) {
    var data = {};
    fieldsOf(form).forEach(function (el) {
      if (!/^(checkbox|radio)$/.test(el.type) || el.checked) (data[el.name] = data[el.name] || []).push(el.value);
    });
    return data;
  }

  function apply(form, data) {
    fieldsOf(form).forEach(function (el) {
      var v = data[el.name];
      if (el.type === "checkbox") el.checked = !!v && v.indexOf(el.value) >= 0;
      else if (el.type === "radio") { if (v) el.checked = v.indexOf(el.value) >= 0; }
      else if (v) el.value = v[0];
    });
  }

  function body(data) {
    var params = new URLSearchParams();
    Object.keys(data).forEach(function (name) {
      data[name].forEach(function (value) { params.append(name, value); });
    });
    return params;
  }

  function ended(form) {
    var notice = form && form.querySelector("[data-session-ended]");
    if (notice && notice.hidden) { notice.hidden = false; notice.focus(); }
  }

  // redirect "manual": signed out, we get no log-in page.
  function ask(address, init) {
    init.credentials = "same-origin";
    init.redirect = "manual";
    return fetch(address, init);
  }

  // One after the other, so an older state never lands after a newer one.
  function post(address, params, form, keepalive, failed) {
    params.append("csrfmiddlewaretoken", JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]);
    return (queue = queue.then(function () {
      return ask(address, { method: "POST", body: params, keepalive: !!keepalive }).then(function (r) {
        if (r.status === 401 || r.status === 403 || r.type === "opaqueredirect") ended(form);
        else if (r.ok && form) form.setAttribute("data-draft-kept", "");
      }, failed || function () {});
    }));
  }

  function setUp(form) {
    var address = form.getAttribute("data-draft");
    var timer = null;
    var state = function () { return JSON.stringify(snapshot(form)); };
    var sent = state();
    var untouched = sent;

    function send(keepalive) {
      window.clearTimeout(timer);
      timer = null;
      if (state() === sent || !form.isConnected) return queue;
      sent = state();
      form.removeAttribute("data-draft-kept");
      // Offline: sent again when the connection is back.
      return post(address, body(snapshot(form)), form, keepalive, function () { sent = null; });
    }

    function restore(answer) {
      form.setAttribute("data-draft-checked", "");
      // Typed while we asked? Those words are newer.
      if (!answer.fields || !form.isConnected || state() !== untouched) return;
      var original = snapshot(form);
      apply(form, answer.fields);
      if ((sent = state()) === untouched) return;
      form.querySelectorAll("details").forEach(function (d) {
        if (some.call(d.querySelectorAll("textarea"), function (t) { return t.value.trim(); })) d.open = true;
      });
      var notice = form.querySelector("[data-draft-restored]");
      var discard = notice && notice.querySelector("[data-draft-discard]");
      if (!notice) return;
      notice.hidden = false;
      if (discard) discard.addEventListener("click", function () {
        apply(form, original);
        send();
        notice.hidden = true;
      });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(send, 1000);
    }

    window.addEventListener("online", function () { send(); });
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    // A tab closed, a phone put away: send now.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && timer !== null) send(true);
    });
    // An htmx save waits for the draft: kept even if the session ends in that request.
    form.addEventListener("htmx:confirm", function (event) {
      if (timer === null || event.target !== form) return;
      event.preventDefault();
      send().then(function () { event.detail.issueRequest(true); });
    });
    form.addEventListener("submit", function () { window.clearTimeout(timer); timer = null; });

    if (form.hasAttribute("data-draft-bound")) return form.setAttribute("data-draft-checked", "");
    ask(address, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(restore)
      .catch(function () { /* no draft to give back */ });
  }

  function init(root) {
    if (!queue || !window.fetch || !window.URLSearchParams) return;
    root.querySelectorAll("[data-draft-clear]").forEach(function (el) {
      post(el.getAttribute("data-draft-clear"), new URLSearchParams(), null);
      el.removeAttribute("data-draft-clear");
    });
    root.querySelectorAll("form[data-draft]:not([data-draft-ready])").forEach(function (form) {
      form.setAttribute("data-draft-ready", "");
      setUp(form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
  document.addEventListener("htmx:responseError", function (event) {
    var d = event.detail, status = d && d.xhr ? d.xhr.status : 0;
    if ((status === 401 || status === 403) && d.elt.closest) ended(d.elt.closest("form[data-draft]"));
  });
})();

// Near a field's limit, a counter says how much room is left. Nothing is ever cut: a text that is
// too long gets the server's message and stays in the form. The live region speaks only when the
// state changes (near the limit, over it, back within), never at every key.
(function () {
  "use strict";
  var NEAR = 0.9;

  // As the server counts: characters (not UTF-16 halves), a line break sent as two.
  function size(value) {
    return Array.from(value).length + (value.match(/\n/g) || []).length;
  }

  function setUp(counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    var limit = field && parseInt(field.getAttribute("data-limit"), 10);
    if (!limit) return;
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    counter.parentNode.insertBefore(live, counter.nextSibling);
    var state = null;

    function update() {
      var length = size(field.value);
      var next = length > limit ? "over" : length >= limit * NEAR ? "near" : "";
      var text = next ? counter.getAttribute(next === "over" ? "data-over" : "data-left") : "";
      counter.textContent = text.replace("%(count)s", Math.abs(limit - length));
      counter.hidden = !next;
      counter.classList.toggle("counter--over", next === "over");
      if (state !== null && next !== state) live.textContent = counter.textContent;
      state = next;
    }

    field.addEventListener("input", update);
    update();
  }

  function init(root) {
    root.querySelectorAll("[data-counter-for]:not([data-counter-ready])").forEach(function (counter) {
      counter.setAttribute("data-counter-ready", "");
      setUp(counter);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
})();
