// The print button of the session brief: shown only when JavaScript can print (no inline script).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
