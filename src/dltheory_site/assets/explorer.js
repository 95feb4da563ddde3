// The paper explorer (explorer/): filters, sortable columns and a live count.
// The page without script is the full table; this shows the filters and keeps their
// state in the query string (?tag=...&from=2019&group=...&text=...&rel=...&sort=-year),
// so a filtered view can be shared and survives a reload. Per-row data comes from one
// JSON island (see dltheory_site/explorer.py); filtering only toggles rows' `hidden`.
(function () {
  "use strict";
  // Not "q": Material opens its search dialog for ?q=.
  var PARAMS = ["text", "group", "sub", "tag", "from", "to", "venue", "rel"];
  // Rows drawn at once: laying out thousands of table rows takes the browser hundreds of
  // milliseconds, so longer results show their first rows and a "show all" button.
  var LIMIT = 300;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Authors sort by the first author's surname ("Ada Lovelace and Alan Turing": "lovelace ...").
  function surnameFirst(authors) {
    var first = authors.split(/,| and /)[0].trim();
    return fold(first.split(" ").pop() + " " + authors);
  }

  function indexOf(list) {
    var out = Object.create(null);
    list.forEach(function (value, i) { out[value] = i; });
    return out;
  }

  function setup() {
    var root = document.getElementById("dlt-explorer");
    if (!root || root.hasAttribute("data-dlt-ready")) { return; }
    root.setAttribute("data-dlt-ready", "");
    var data = JSON.parse(document.getElementById("dlt-x-data").textContent);
    var table = document.getElementById("dlt-x-table");
    var body = table.tBodies[0];
    var count = document.getElementById("dlt-x-count");
    var empty = document.getElementById("dlt-x-empty");
    var more = document.getElementById("dlt-x-more");
    var moreButton = more.querySelector("button");
    var moreNote = more.querySelector("span");
    var showAll = false;
    var relNote = document.getElementById("dlt-x-rel-note");
    var controls = {};
    PARAMS.forEach(function (name) {
      controls[name] = root.querySelector("[name='" + name + "']");
    });
    var ids = indexOf(data.ids);
    var groupIds = indexOf(data.groups);
    var subIds = indexOf(data.subs);
    var tagIds = indexOf(data.tags);
    var venueIds = indexOf(data.venues);
    var trs = body.rows;
    var rows = [];
    var targets = Object.create(null);  // row index -> true when some paper builds on it
    for (var i = 0; i < trs.length; i++) {
      var d = data.rows[i];
      var cells = trs[i].cells;
      var groups = d[2].map(function (s) { return data.subGroup[s]; });
      d[4].forEach(function (t) { targets[t] = true; });
      var title = cells[0].textContent;
      var authors = cells[1].textContent;
      rows.push({
        tr: trs[i], index: i, year: d[0], venue: d[1], subs: d[2], tags: d[3], rels: d[4],
        visible: true, groups: groups, title: title, text: fold(title + " " + authors + " " + d[5]),
        keys: {
          title: fold(title), authors: surnameFirst(authors), year: d[0],
          venue: fold(cells[3].textContent), group: data.subGroup[d[2][0]]
        }
      });
    }
    var titleIds = Object.create(null);
    rows.forEach(function (r) { titleIds[r.keys.title] = r.index; });

    function relTarget(value) {
      if (!value) { return -1; }
      if (value in ids) { return ids[value]; }
      var byTitle = titleIds[fold(value.trim())];
      return byTitle === undefined ? null : byTitle;
    }

    function state() {
      var words = fold(controls.text.value).split(/\s+/).filter(Boolean);
      var from = parseInt(controls.from.value, 10);
      var to = parseInt(controls.to.value, 10);
      var pick = function (name, table) {
        var value = controls[name].value;
        return value && value in table ? table[value] : -1;
      };
      return {
        words: words, from: isNaN(from) ? -Infinity : from, to: isNaN(to) ? Infinity : to,
        group: pick("group", groupIds), sub: pick("sub", subIds), tag: pick("tag", tagIds),
        venue: pick("venue", venueIds), rel: relTarget(controls.rel.value.trim())
      };
    }

    function matches(r, s) {
      if (r.year < s.from || r.year > s.to) { return false; }
      if (s.group >= 0 && r.groups.indexOf(s.group) < 0) { return false; }
      if (s.sub >= 0 && r.subs.indexOf(s.sub) < 0) { return false; }
      if (s.tag >= 0 && r.tags.indexOf(s.tag) < 0) { return false; }
      if (s.venue >= 0 && r.venue !== s.venue) { return false; }
      if (s.rel !== null && s.rel >= 0 && r.rels.indexOf(s.rel) < 0) { return false; }
      for (var w = 0; w < s.words.length; w++) {
        if (r.text.indexOf(s.words[w]) < 0) { return false; }
      }
      return true;
    }

    var sortKey = "";
    var sortDown = false;

    function writeUrl() {
      var params = new URLSearchParams();
      PARAMS.forEach(function (name) {
        var value = controls[name].value.trim();
        if (value) { params.set(name, value); }
      });
      if (sortKey) { params.set("sort", (sortDown ? "-" : "") + sortKey); }
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        try {
          window.history.replaceState(window.history.state, "", url);
        } catch (e) {
          // Some browsers refuse to change the address of a page opened from a folder.
        }
      }
    }

    function number(n) { return n.toLocaleString("en"); }

    // Rows in the order shown (the table's order until a column is sorted).
    var order = rows.slice();

    function apply() {
      var s = state();
      var shown = 0;
      var limit = showAll ? Infinity : LIMIT;
      for (var k = 0; k < order.length; k++) {
        var ok = matches(order[k], s);
        if (ok) { shown++; }
        var visible = ok && shown <= limit;
        if (order[k].visible !== visible) {
          order[k].visible = visible;
          order[k].tr.hidden = !visible;
        }
      }
      count.textContent = number(shown) + " of " + number(rows.length) + " papers";
      empty.hidden = shown > 0;
      more.hidden = shown <= limit;
      moreNote.textContent = "The first " + number(LIMIT) + " are shown.";
      moreButton.textContent = "Show all " + number(shown);
      controls.rel.setAttribute("aria-invalid", s.rel === null ? "true" : "false");
      relNote.textContent = s.rel === null ? "No paper with this id or title: not applied." :
        s.rel >= 0 ? "Papers that build on, extend or improve “" + rows[s.rel].title + "”." : "";
      writeUrl();
      return shown;
    }

    var headers = table.tHead.rows[0].cells;

    function sort() {
      order = rows.slice();
      if (sortKey) {
        var sign = sortDown ? -1 : 1;
        order.sort(function (a, b) {
          var x = a.keys[sortKey], y = b.keys[sortKey];
          return (x < y ? -sign : x > y ? sign : 0) || a.index - b.index;
        });
      }
      var fragment = document.createDocumentFragment();
      order.forEach(function (r) { fragment.appendChild(r.tr); });
      body.appendChild(fragment);
      Array.prototype.forEach.call(headers, function (th) {
        if (th.getAttribute("data-key") === sortKey) {
          th.setAttribute("aria-sort", sortDown ? "descending" : "ascending");
        } else {
          th.removeAttribute("aria-sort");
        }
      });
    }

    // Column headings become buttons: sortable by keyboard too.
    Array.prototype.forEach.call(headers, function (th) {
      var key = th.getAttribute("data-key");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dlt-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        if (sortKey === key) {
          sortDown = !sortDown;
        } else {
          sortKey = key;
          sortDown = key === "year";  // newest first is what a reader wants first
        }
        sort();
        apply();
      });
    });

    function read() {
      var params = new URLSearchParams(window.location.search);
      PARAMS.forEach(function (name) {
        var value = params.get(name) || "";
        var control = controls[name];
        if (control.tagName === "SELECT" && value &&
            !control.querySelector("option[value='" + CSS.escape(value) + "']")) {
          value = "";
        }
        control.value = value;
      });
      var wanted = params.get("sort") || "";
      sortDown = wanted.charAt(0) === "-";
      sortKey = wanted.replace(/^-/, "");
      if (!table.querySelector("th[data-key='" + CSS.escape(sortKey) + "']")) { sortKey = ""; }
      if (sortKey) { sort(); }
    }

    var pending = 0;
    function later() {
      showAll = false;
      if (!pending) {
        pending = window.requestAnimationFrame(function () { pending = 0; apply(); });
      }
    }
    PARAMS.forEach(function (name) {
      var control = controls[name];
      control.addEventListener(control.tagName === "SELECT" ? "change" : "input", later);
    });
    // The relation field suggests every paper that another paper builds on (filled once).
    controls.rel.addEventListener("focus", function () {
      var list = document.getElementById("dlt-x-papers");
      if (list.options.length) { return; }
      var fragment = document.createDocumentFragment();
      Object.keys(targets).forEach(function (t) {
        var option = document.createElement("option");
        option.value = data.ids[t];
        option.label = rows[t].title;
        fragment.appendChild(option);
      });
      list.appendChild(fragment);
    });
    document.getElementById("dlt-x-clear").addEventListener("click", function () {
      PARAMS.forEach(function (name) { controls[name].value = ""; });
      showAll = false;
      apply();
    });
    moreButton.addEventListener("click", function () {
      showAll = true;
      apply();
    });
    read();
    document.getElementById("dlt-explorer-filters").hidden = false;
    apply();
    // For tests and the benchmark: apply() filters now and returns the rows shown;
    // ready is when the page was set up (ms since navigation started).
    window.dltExplorer = {
      apply: apply,
      ready: performance.now(),
      showAll: function () { showAll = true; return apply(); }
    };
  }

  // Material's instant navigation swaps pages without a reload: set up on each page shown.
  var pages = typeof document$ !== "undefined" && document$.subscribe ? document$ : null;
  if (pages) { pages.subscribe(setup); } else if (document.readyState !== "loading") { setup(); }
  else { document.addEventListener("DOMContentLoaded", setup); }
})();
