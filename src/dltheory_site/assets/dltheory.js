// Render math with the KaTeX that ships with the site (no CDN). Material's instant
// navigation swaps pages without a reload, so render on every page it shows.
(function () {
  "use strict";
  function accessible() {
    // Material's search dialog has no accessible name.
    document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Search");
    });
    // Wide display equations scroll sideways: keyboard users must be able to reach them.
    document.querySelectorAll("div.arithmatex").forEach(function (el) {
      el.setAttribute("tabindex", "0");
    });
  }
  function sortable() {
    if (typeof Tablesort !== "function") { return; }
    document.querySelectorAll(".dlt-table table:not([data-dlt-sortable]):not(.dlt-stats)").forEach(function (t) {
      t.setAttribute("data-dlt-sortable", "");
      new Tablesort(t);
    });
  }
  function render() {
    accessible();
    sortable();
    if (typeof renderMathInElement !== "function") { return; }
    document.querySelectorAll(".arithmatex").forEach(function (el) {
      renderMathInElement(el, {
        delimiters: [
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true }
        ],
        throwOnError: false,
        // Math comes from pull requests. Validation refuses macro definitions and free
        // boxes; these limits hold even if it did not: at most 200 macro expansions per
        // formula (a \def chain drew 45,000 glyphs and froze the tab), no rule, kern or
        // box larger than 5em (a page-sized \rule blanked the page), no \href or
        // \html... (trust), and macros never outlive their formula (a fresh object each).
        maxExpand: 200,
        maxSize: 5,
        trust: false,
        globalGroup: false,
        macros: {}
      });
    });
  }
  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(render);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
