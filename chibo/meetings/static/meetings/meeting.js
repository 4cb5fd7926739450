// The meeting page. HTMX answers a refused change with its section and 409 (someone else
// saved first) or 422 (invalid): show it, and put the focus on the first field in error.
// After a saved change every form on the page names the meeting's new version.
document.body.addEventListener("htmx:beforeSwap", (e) => {
  const status = e.detail.xhr.status;
  if (status === 409 || status === 422) { e.detail.shouldSwap = true; e.detail.isError = false; }
  const version = e.detail.xhr.getResponseHeader("X-Meeting-Version");
  if (version) document.querySelectorAll("input[name=version]").forEach((i) => { i.value = version; });
});

document.body.addEventListener("htmx:afterSettle", (e) => {
  if (e.detail.xhr.status !== 422) return;
  const root = e.target instanceof Element && e.target.isConnected ? e.target : document;
  const invalid = root.querySelector("[aria-invalid=true]") || root.querySelector("[role=alert]");
  if (!invalid) return;
  if (!invalid.matches("input, select, textarea, button")) invalid.setAttribute("tabindex", "-1");
  invalid.focus({ preventScroll: true });
  invalid.scrollIntoView({ block: "center" });
});

// The bar's next step opens its part in place (its body is fetched when it opens).
document.addEventListener("click", (e) => {
  const link = e.target.closest("a[data-part]");
  const part = link && document.getElementById("part-" + link.dataset.part);
  if (!part) return;
  e.preventDefault();
  part.open = true;
  part.scrollIntoView({ block: "start" });
});
