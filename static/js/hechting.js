// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // After htmx swaps new content in, move focus to an element that asks for it
  // (data-focus-after-swap), so keyboard and screen-reader users know where they are.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target.querySelector("[data-focus-after-swap]");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
})();
