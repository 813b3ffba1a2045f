// "Leave quickly": open a neutral site in place of this page, so Back does not return here.
// The link works on its own without this file; Escape pressed twice does the same.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) return;
  var lastEscape = 0;

  function leave(event) {
    if (event) event.preventDefault();
    document.documentElement.classList.add("is-leaving"); // hide the page at once
    window.location.replace(link.href);
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
