// The relation graph page (templates/graph.md): cytoscape (shipped in assets/vendor,
// loaded only on a page with a graph), a search box that centres and highlights a paper,
// filters by group and by relation type, a click that highlights a paper's neighbours
// and lists its relations with a link to its page (a double-click opens the page), and
// colours read from Material's scheme, restyled when the reader toggles dark mode.
// Without script the page shows the same relations as a list. On a paper page, it only
// scrolls a wide neighbourhood picture to the paper.
(function () {
  "use strict";
  var LABEL_PX = 12;      // label size in graph units (12 px at zoom 1)
  var MIN_LABEL_PX = 11;  // labels smaller than this on screen are not drawn
  var LIT_PX = 13;        // highlighted or hovered papers' labels, on screen, at any zoom

  function opaque(colour, under) {
    // "rgba(r, g, b, a)" over an opaque "rgb(...)": the colour a reader sees.
    var c = (colour.match(/[\d.]+/g) || ["0", "0", "0"]).map(Number);
    var u = (under.match(/[\d.]+/g) || ["255", "255", "255"]).map(Number);
    var a = c.length > 3 ? c[3] : 1;
    var mix = [0, 1, 2].map(function (i) { return Math.round(c[i] * a + u[i] * (1 - a)); });
    return "rgb(" + mix.join(",") + ")";
  }

  function scheme(box) {
    var bodyStyle = getComputedStyle(document.body);
    var bg = opaque(bodyStyle.backgroundColor, "rgb(255,255,255)");
    var fg = opaque(getComputedStyle(box).color, bg);
    var probe = document.createElement("span");
    probe.style.color = "var(--md-default-fg-color--light)";
    box.appendChild(probe);
    var light = opaque(getComputedStyle(probe).color, bg);
    probe.style.color = "var(--md-typeset-a-color)";
    var accent = opaque(getComputedStyle(probe).color, bg);
    box.removeChild(probe);
    return { fg: fg, bg: bg, edge: light, accent: accent };
  }

  function seedPositions(nodes, groups) {
    // Each group starts around its own point of a circle, so that the layout keeps the
    // groups apart instead of one tangle.
    var count = {};
    return nodes.map(function (n) {
      var g = Math.max(groups.indexOf(n.group), 0);
      var k = count[g] = (count[g] || 0) + 1;
      var angle = 2 * Math.PI * g / Math.max(groups.length, 1);
      var r = 18 * Math.sqrt(k), t = k * 2.4;
      return { x: 600 * Math.cos(angle) + r * Math.cos(t), y: 600 * Math.sin(angle) + r * Math.sin(t) };
    });
  }

  function styles(colours, relations) {
    var out = [
      { selector: "node", style: {
        "background-color": "data(color)", "label": "data(label)", "width": 16, "height": 16,
        "font-size": LABEL_PX, "text-opacity": 0, "color": colours.fg,
        "text-outline-color": colours.bg, "text-outline-width": 2, "text-valign": "bottom",
        "text-margin-y": 3, "border-width": 1, "border-color": colours.bg } },
      { selector: "node[core = 0]", style: { "opacity": 0.5 } },
      { selector: "edge", style: {
        "width": 1.2, "line-color": colours.edge, "target-arrow-color": colours.edge,
        "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.9 } },
      { selector: ".dlt-hidden", style: { "display": "none" } },
      // Names are drawn only when they are legible: zoomed in far enough (dlt-named),
      // or highlighted or hovered, at a constant size on screen.
      { selector: "node.dlt-named", style: { "text-opacity": 1 } },
      { selector: ".dlt-dim", style: { "opacity": 0.2 } },
      { selector: "node.dlt-dim", style: { "text-opacity": 0 } },
      { selector: "node.dlt-lit, node.dlt-hover", style: {
        "font-size": function () { return LIT_PX / (window.dltGraph ? window.dltGraph.zoom() : 1); },
        "text-opacity": 1, "z-index": 10, "opacity": 1 } },
      { selector: "edge.dlt-lit", style: { "width": 2.5, "opacity": 1, "z-index": 9 } },
      { selector: "node.dlt-picked", style: {
        "border-width": 4, "border-color": colours.accent, "width": 24, "height": 24,
        "font-weight": "bold" } }
    ];
    relations.forEach(function (r) {
      if (!r.dash) { return; }
      out.push({ selector: "edge[type = '" + r.id.replace(/'/g, "") + "']", style: {
        "line-style": "dashed",
        "line-dash-pattern": r.dash.split(" ").map(Number) } });
    });
    return out;
  }

  function shown(eles) {
    // Not hidden by a filter (cytoscape's ":visible" lags behind a batch of changes).
    return eles.not(".dlt-hidden");
  }

  function checked(name) {
    return Array.prototype.filter.call(
      document.querySelectorAll("input[name='" + name + "']"),
      function (box) { return box.checked; }
    ).map(function (box) { return box.value; });
  }

  function text(tag, content) {
    var el = document.createElement(tag);
    el.textContent = content;
    return el;
  }

  function draw(box) {
    var data = JSON.parse(box.getAttribute("data-graph"));
    var groups = Array.prototype.map.call(
      document.querySelectorAll("input[name='dlt-group']"), function (b) { return b.value; });
    var seeds = seedPositions(data.nodes, groups);
    var relations = {};
    data.relations.forEach(function (r) { relations[r.id] = r; });
    var elements = data.nodes.map(function (n, i) {
      return { data: { id: n.id, label: n.label, title: n.title, color: n.color, url: n.url,
                       group: n.group, core: n.core ? 1 : 0 }, position: seeds[i] };
    }).concat(data.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: e.source, target: e.target, type: e.type,
                       label: e.label } };
    }));
    var colours = scheme(box);
    var cy = cytoscape({
      container: box, elements: elements, wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4,
      style: styles(colours, data.relations),
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 12000,
                idealEdgeLength: 70, gravity: 0.4, numIter: 1500 }
    });
    window.dltGraph = cy;
    var info = document.getElementById("dlt-graph-info");
    var status = document.getElementById("dlt-graph-status");
    var input = document.getElementById("dlt-graph-q");

    function restyle() {
      colours = scheme(box);
      cy.style(styles(colours, data.relations));
    }

    function applyFilters() {
      var shownGroups = checked("dlt-group"), shownTypes = checked("dlt-type");
      var allTypes = shownTypes.length === data.relations.length;
      cy.batch(function () {
        cy.nodes().forEach(function (n) {
          n.toggleClass("dlt-hidden", shownGroups.indexOf(n.data("group")) < 0);
        });
        cy.edges().forEach(function (e) {
          var off = shownTypes.indexOf(e.data("type")) < 0 ||
            e.source().hasClass("dlt-hidden") || e.target().hasClass("dlt-hidden");
          e.toggleClass("dlt-hidden", off);
        });
        if (!allTypes) {
          // Only the papers joined by a relation of a ticked type.
          shown(cy.nodes()).forEach(function (n) {
            if (shown(n.connectedEdges()).length === 0) { n.addClass("dlt-hidden"); }
          });
        }
      });
      var nodes = shown(cy.nodes()).length, edges = shown(cy.edges()).length;
      status.hidden = false;
      status.textContent = "Showing " + nodes + " of " + cy.nodes().length + " papers and " +
        edges + " of " + cy.edges().length + " relations.";
      var picked = cy.nodes(".dlt-picked");
      if (picked.length && picked.hasClass("dlt-hidden")) { clear(); }
    }

    function clear() {
      cy.elements().removeClass("dlt-lit dlt-dim dlt-picked");
      info.hidden = true;
      info.textContent = "";
    }

    function describe(node) {
      info.textContent = "";
      var head = document.createElement("p");
      var open = text("a", node.data("label"));
      open.href = node.data("url");
      var strong = document.createElement("strong");
      strong.appendChild(open);
      head.appendChild(strong);
      head.appendChild(document.createTextNode(": " + node.data("title") + ". "));
      var page = text("a", "Open its page");
      page.href = node.data("url");
      head.appendChild(page);
      info.appendChild(head);
      var list = document.createElement("ul");
      shown(node.connectedEdges()).forEach(function (e) {
        var out = e.source().id() === node.id();
        var other = out ? e.target() : e.source();
        var r = relations[e.data("type")] || { label: e.data("label"), inverse: e.data("label") };
        var item = text("li", (out ? r.label : r.inverse) + " ");
        var show = text("button", other.data("label"));
        show.type = "button";
        show.title = "Show " + other.data("label") + " in the graph";
        show.addEventListener("click", function () { pick(other, true); });
        item.appendChild(show);
        item.appendChild(document.createTextNode(": " + other.data("title")));
        list.appendChild(item);
      });
      if (list.childNodes.length) { info.appendChild(list); }
      info.hidden = false;
    }

    function pick(node, centre) {
      cy.batch(function () {
        cy.elements().removeClass("dlt-lit dlt-picked").addClass("dlt-dim");
        var near = shown(node.closedNeighborhood());
        near.removeClass("dlt-dim").addClass("dlt-lit");
        node.addClass("dlt-picked");
      });
      if (centre) {
        // Zoom so that its neighbours fit around it (names drawn: at least zoom 1), and
        // centre the node itself (cy.center would centre it with its label).
        var box = shown(node.closedNeighborhood()).boundingBox(), p = node.position();
        var spread = Math.max(Math.abs(box.x1 - p.x), Math.abs(box.x2 - p.x)) * 2 + 60;
        var tall = Math.max(Math.abs(box.y1 - p.y), Math.abs(box.y2 - p.y)) * 2 + 60;
        var zoom = Math.min(Math.max(Math.min(cy.width() / spread, cy.height() / tall), 1), 2);
        cy.viewport({ zoom: zoom, pan: { x: cy.width() / 2 - p.x * zoom, y: cy.height() / 2 - p.y * zoom } });
      }
      cy.nodes(".dlt-lit").updateStyle();
      describe(node);
    }

    function find(query) {
      var q = query.trim().toLowerCase();
      if (!q) { return null; }
      var best = null, rank = 9;
      cy.nodes().forEach(function (n) {
        var label = n.data("label").toLowerCase(), title = n.data("title").toLowerCase();
        var words = q.replace(/[(),.·—-]+/g, " ").split(/\s+/).filter(Boolean);
        var hay = label.replace(/[()]/g, " ") + " " + title + " " + n.id();
        var r = (label + " · " + title) === q || label === q ? 0 :
          label.indexOf(q) === 0 ? 1 : title.indexOf(q) >= 0 ? 2 :
          words.every(function (w) { return hay.indexOf(w) >= 0; }) ? 3 : 9;
        if (r < rank) { best = n; rank = r; }
      });
      return best;
    }

    function search() {
      var node = find(input.value);
      if (!node) {
        status.hidden = false;
        status.textContent = "No paper matches \u201c" + input.value + "\u201d.";
        return;
      }
      if (node.hasClass("dlt-hidden")) {
        // Show what the reader asked for: tick its group and every relation type.
        document.querySelectorAll("input[name='dlt-type']").forEach(function (b) { b.checked = true; });
        var box = document.querySelector("input[name='dlt-group'][value='" + node.data("group") + "']");
        if (box) { box.checked = true; }
        applyFilters();
      }
      pick(node, true);
      status.textContent = "Found " + node.data("label") + ": " + node.data("title") + ".";
    }

    var list = document.getElementById("dlt-graph-papers");
    cy.nodes().sort(function (a, b) { return a.data("label").localeCompare(b.data("label")); })
      .forEach(function (n) {
        var option = document.createElement("option");
        option.value = n.data("label") + " · " + n.data("title");
        list.appendChild(option);
      });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); search(); }
    });
    input.addEventListener("change", function () { if (find(input.value)) { search(); } });
    document.getElementById("dlt-graph-go").addEventListener("click", search);
    document.getElementById("dlt-graph-reset").addEventListener("click", function () {
      document.querySelectorAll(".dlt-graph-tools input[type='checkbox']").forEach(function (b) {
        b.checked = true;
      });
      input.value = "";
      clear();
      applyFilters();
      cy.fit(shown(cy.nodes()), 20);
    });
    document.querySelectorAll(".dlt-graph-tools input[type='checkbox']").forEach(function (b) {
      b.addEventListener("change", applyFilters);
    });
    cy.on("tap", "node", function (event) { pick(event.target, false); });
    cy.on("tap", function (event) { if (event.target === cy) { clear(); } });
    cy.on("dbltap", "node", function (event) { window.location.href = event.target.data("url"); });
    var named = null;
    function nameByZoom() {
      var on = cy.zoom() * LABEL_PX >= MIN_LABEL_PX;
      if (on !== named) { named = on; cy.nodes().toggleClass("dlt-named", on); }
      cy.nodes(".dlt-lit, .dlt-hover").updateStyle();
    }
    nameByZoom();
    cy.on("zoom", nameByZoom);
    cy.on("mouseover", "node", function (event) { event.target.addClass("dlt-hover").updateStyle(); });
    cy.on("mouseout", "node", function (event) { event.target.removeClass("dlt-hover"); });
    new MutationObserver(function () {
      if (document.body.contains(box)) { restyle(); }
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

    // The script runs: show the tools, fold the list away, hide the static legend.
    document.querySelectorAll(".dlt-graph-tools, .dlt-graph-help").forEach(function (el) {
      el.hidden = false;
    });
    document.querySelectorAll(".dlt-legend").forEach(function (el) { el.hidden = true; });
    // On a phone the filters would fill the screen: folded until asked for.
    var filters = document.getElementById("dlt-graph-filters");
    if (filters && window.matchMedia("(max-width: 44.9375em)").matches) { filters.open = false; }
    var details = document.getElementById("relations");
    if (details) { details.open = false; }
    applyFilters();
    box.setAttribute("data-dlt-ready", "");
  }

  function start() {
    // A paper's neighbourhood scrolls sideways on a narrow screen: start at the paper.
    document.querySelectorAll(".dlt-nb-scroll").forEach(function (el) {
      el.scrollLeft = (el.scrollWidth - el.clientWidth) / 2;
    });
    var box = document.getElementById("dlt-graph");
    if (!box || box.getAttribute("data-dlt-drawn")) { return; }
    box.setAttribute("data-dlt-drawn", "");
    if (typeof cytoscape === "function") { draw(box); return; }
    var script = document.createElement("script");
    script.src = box.getAttribute("data-cytoscape");
    script.onload = function () { draw(box); };
    document.head.appendChild(script);
  }

  // Material's instant navigation (when turned on) swaps pages without a reload.
  var material = typeof document$ !== "undefined" && document$.subscribe;
  if (material) { document$.subscribe(start); return; }
  if (document.readyState !== "loading") { start(); return; }
  document.addEventListener("DOMContentLoaded", start);
})();
