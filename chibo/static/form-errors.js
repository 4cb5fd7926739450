// A refused form brings the eye to its first error. The server marks the first invalid field
// of the page `autofocus` and every invalid field aria-invalid (includes/form.html); this
// opens the <details> around it, scrolls it to the middle of the screen (clear of sticky
// bars) and focuses it: on page load, and in a fragment that HTMX swapped in.
(function () {
  "use strict";
  var ERRORS = '[aria-invalid="true"], [data-form-errors]';

  function firstError(root) {
    if (root.matches && root.matches(ERRORS)) return root;
    return root.querySelector('[autofocus][aria-invalid="true"]') || root.querySelector(ERRORS);
  }

  function show(el) {
    for (var d = el.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
      d.open = true;
    }
    el.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = firstError(document);
    if (el) show(el);
  });

  // The event fires on each element the swap put in (the new one for an outerHTML swap).
  document.addEventListener("htmx:afterSwap", function (e) {
    var el = e.target instanceof Element ? firstError(e.target) : null;
    if (el) show(el);
  });
})();
