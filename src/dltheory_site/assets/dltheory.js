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
  function graph() {
    var box = document.getElementById("dlt-graph");
    if (!box || typeof cytoscape !== "function" || box.getAttribute("data-dlt-drawn")) { return; }
    box.setAttribute("data-dlt-drawn", "");
    var data = JSON.parse(box.getAttribute("data-graph"));
    var elements = data.nodes.map(function (n) {
      return { data: { id: n.id, label: n.label, color: n.color, url: n.url,
                       core: n.core ? 1 : 0 } };
    }).concat(data.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: e.source, target: e.target, type: e.type } };
    }));
    var cy = cytoscape({
      container: box,
      elements: elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: { "background-color": "data(color)", "label": "data(label)",
          "font-size": 9, "width": 14, "height": 14, "color": "#555" } },
        { selector: "node[core = 0]", style: { "opacity": 0.45 } },
        { selector: "edge", style: { "width": 1, "line-color": "#999", "target-arrow-color": "#999",
          "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.7 } },
        { selector: "edge[type = 'contradicts']", style: { "line-color": "#D55E00",
          "target-arrow-color": "#D55E00", "line-style": "dashed" } }
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 8000,
                idealEdgeLength: 60, numIter: 1000 }
    });
    cy.on("tap", "node", function (event) {
      window.location.href = event.target.data("url");
    });
    window.dltGraph = cy;
  }
  function render() {
    accessible();
    sortable();
    graph();
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
