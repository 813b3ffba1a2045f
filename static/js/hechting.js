// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // After htmx swaps new content in (the target, or an out-of-band part such as a status line),
  // move focus to an element that asks for it (data-focus-after-swap), so keyboard and
  // screen-reader users know where they are.
  function focusAsked(root) {
    var target = root && root.querySelector("[data-focus-after-swap]");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }
  document.addEventListener("htmx:afterSettle", function (event) { focusAsked(event.target); });
  // Fired on the main swap's elements; the out-of-band target is in the detail.
  document.addEventListener("htmx:oobAfterSwap", function (event) { focusAsked(event.detail.target); });
})();
