// Behaviour that templates ask for with data- attributes, so that no page carries inline
// script (the Content-Security-Policy allows none, chibo/settings.py): a select that submits
// its form when changed, a form that asks for confirmation, a progress bar's width.
(function () {
  "use strict";

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el instanceof Element && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form instanceof Element ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) e.preventDefault();
  });

  // The policy refuses style="" attributes but not a width set through the DOM.
  function bars(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-progress")) || 0));
      bar.style.width = value + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { bars(document); });
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.target instanceof Element) bars(e.target.parentElement || e.target);
  });
})();
