/* energieplanner HTML report: sortable tables, the site filter and the interactive map.
   Plain JavaScript; the map uses Leaflet (inlined before this script when the page has a map).
   Texts from the data (site names, …) only ever reach the page as text nodes, never as HTML. */
(function () {
  "use strict";

  var collator = new Intl.Collator("nl", { numeric: true, sensitivity: "base" });
  var EMPTY = { "": true, "–": true, "-": true, "—": true };

  /* ---------------------------------------------------------------- sorting */

  // Numbers (by their value), then other text, then empty cells; empty cells stay last either way.
  function sortKey(text, value, i) {
    text = text.trim();
    if (EMPTY[text] === true) return { g: 2, n: 0, t: "", i: i };
    if (value !== null && value !== undefined && value !== "") return { g: 0, n: Number(value), t: text, i: i };
    return { g: 1, n: 0, t: text, i: i };
  }

  function compare(a, b, dir) {
    if (a.g !== b.g) return a.g - b.g;
    var c = a.g === 0 ? a.n - b.n : a.g === 1 ? collator.compare(a.t, b.t) : 0;
    return c !== 0 ? dir * c : a.i - b.i; // ties keep the report's order
  }

  // The header's next state (ascending first, then reversing) and its aria-sort.
  function nextSort(table, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.querySelectorAll("th[aria-sort]"), function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    return ascending ? 1 : -1;
  }

  function onHeaderClick(table, sort) {
    table.tHead.addEventListener("click", function (event) {
      var button = event.target.closest("button.sort");
      if (!button) return;
      var th = button.closest("th");
      sort(th.cellIndex, th.classList.contains("num"), nextSort(table, th));
    });
  }

  // A report table: its rows are in the page, a few dozen at most.
  function initTable(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    onHeaderClick(table, function (col, numeric, dir) {
      var keyed = rows.map(function (row, i) {
        var cell = row.cells[col];
        return { row: row, k: sortKey(cell ? cell.textContent : "", numeric && cell ? cell.getAttribute("data-v") : null, i) };
      });
      keyed.sort(function (a, b) { return compare(a.k, b.k, dir); });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (k) { fragment.appendChild(k.row); });
      body.appendChild(fragment);
    });
  }

  /* ---------------------------------------------------------------- site table */

  // Sorted, filtered and paged from its data: the page holds one page of rows at a time.
  function initSiteTable(table, data) {
    var input = document.getElementById("site-filter");
    var plan = document.getElementById("site-plan");
    var count = document.getElementById("site-count");
    var pager = document.querySelector("#sites .pager");
    var body = table.tBodies[0];
    var n = data.rows.length;
    var order = data.rows.map(function (_, i) { return i; }); // sorted row indices
    var shown = order;                                          // … that pass the filters
    var first = 0;
    var texts = null;
    var timer = 0;
    var fmt = function (x) { return x.toLocaleString("en"); };

    function text(cell) { return typeof cell === "string" ? cell : cell[0]; }

    function render() {
      var fragment = document.createDocumentFragment();
      shown.slice(first, first + data.pageRows).forEach(function (r) {
        var tr = document.createElement("tr");
        data.rows[r].forEach(function (cell, j) {
          var td = document.createElement("td");
          if (data.numeric[j]) {
            td.className = "num";
            if (typeof cell !== "string") td.setAttribute("data-v", cell[1]);
          }
          if (j === data.link && data.onMap[r]) {
            var a = el("a", "to-map", text(cell));
            a.href = "#map";
            a.title = "show on the map";
            td.appendChild(a);
          } else {
            td.textContent = text(cell);
          }
          tr.appendChild(td);
        });
        fragment.appendChild(tr);
      });
      body.textContent = "";
      body.appendChild(fragment);
      var last = Math.min(first + data.pageRows, shown.length);
      var of = shown.length === n ? fmt(n) : fmt(shown.length) + " (of " + fmt(n) + ")";
      count.textContent = shown.length <= data.pageRows ? of + " sites"
        : "rows " + fmt(first + 1) + "–" + fmt(last) + " of " + of;
      if (!shown.length) count.textContent = "no site matches (of " + fmt(n) + ")";
      pager.hidden = shown.length <= data.pageRows;
      pager.querySelector("[data-page='-1']").disabled = first === 0;
      pager.querySelector("[data-page='1']").disabled = last >= shown.length;
    }

    function filter() {
      texts = texts || data.rows.map(function (row) { return row.map(text).join(" ").toLowerCase(); });
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var wanted = plan.value;
      shown = order.filter(function (r) {
        return (!wanted || data.plan[r] === wanted) &&
          terms.every(function (t) { return texts[r].indexOf(t) >= 0; });
      });
      first = 0;
      render();
    }

    onHeaderClick(table, function (col, numeric, dir) {
      var keys = data.rows.map(function (row, i) {
        var cell = row[col];
        return sortKey(text(cell), numeric && typeof cell !== "string" ? cell[1] : null, i);
      });
      order = order.slice().sort(function (a, b) { return compare(keys[a], keys[b], dir); });
      filter();
    });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(filter, 120); });
    plan.addEventListener("change", filter);
    pager.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-page]");
      if (!button) return;
      first = Math.max(0, first + Number(button.getAttribute("data-page")) * data.pageRows);
      render();
      table.closest(".table-wrap").scrollTop = 0;
    });
    if (n > data.pageRows) render(); // sets the pager's buttons
  }

  function initTables() {
    var siteData = document.getElementById("site-data");
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      if (table.id === "site-table" && siteData) initSiteTable(table, JSON.parse(siteData.textContent));
      else initTable(table);
    });
  }

  /* ---------------------------------------------------------------- map */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function escapeHtml(text) { // Leaflet's layer control inserts its labels as HTML
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function sitePopup(p, data) {
    var box = el("div", "popup");
    box.appendChild(el("strong", "", p.id + (p.n ? " " + p.n : "")));
    var dl = el("dl");
    function row(label, value) {
      if (!value) return;
      dl.appendChild(el("dt", "", label));
      dl.appendChild(el("dd", "", value));
    }
    row("kind", data.kindLabels[p.k] || p.k);
    row("in the plan", data.inPlanAs[p.p] || p.p);
    row("status", p.s);
    row("capacity", p.mw && p.mw + " MW");
    row("yield", p.gwh && p.gwh + " GWh/yr");
    row("area", p.ha && p.ha + " ha");
    row("investment", p.eur && p.eur + " M€");
    row("landscape", p.l);
    row("gemeente", p.g);
    if (p.r) row("excluded because", (data.reasons[p.r] || p.r) + (p.d ? " (" + p.d + ")" : ""));
    box.appendChild(dl);
    return box;
  }

  function areaTooltip(p, key) {
    var parts = [p[key], p.n].filter(Boolean);
    return el("span", "", parts.join(": "));
  }

  function styleOf(spec, feature) {
    var style = Object.assign({}, spec.style);
    if (spec.fillBy) style.fillColor = spec.fillBy.colours[feature.properties[spec.fillBy.key]] || style.fillColor;
    return style;
  }

  function initMap() {
    var holder = document.getElementById("map-data");
    var container = document.getElementById("leaflet-map");
    if (!holder || !container || typeof L === "undefined") return;
    var data = JSON.parse(holder.textContent);
    var map = L.map(container, { zoomSnap: 0.5, maxZoom: 19, keyboard: true });
    Object.keys(data.panes).forEach(function (name) { map.createPane(name).style.zIndex = data.panes[name]; });
    if (data.tiles) {
      L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: data.tiles.maxZoom }).addTo(map);
    }
    var overlays = {};
    var sites = {}; // site id → its layer, for the links in the site table
    var points = []; // turbines: circles that grow as one zooms in
    function radius() { return Math.max(2.5, Math.min(7, (map.getZoom() || 12) - 7)); }
    data.layers.forEach(function (spec) {
      var layer = L.geoJSON(spec.data, {
        pane: spec.pane,
        style: function (feature) { return styleOf(spec, feature); },
        pointToLayer: function (feature, latlng) {
          var point = L.circleMarker(latlng, Object.assign({ pane: spec.pane, radius: radius() },
            styleOf(spec, feature)));
          points.push(point);
          return point;
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          if (spec.sites) {
            sites[p.id] = layer;
            layer.bindPopup(function () { return sitePopup(p, data); }, { maxWidth: 320 });
          }
        }
      });
      if (spec.sites) {
        layer.bindTooltip(function (l) {
          var p = l.feature.properties;
          return el("span", "", p.id + (p.n ? " " + p.n : ""));
        }, { sticky: true, direction: "top" });
      } else if (spec.tooltip) {
        layer.bindTooltip(function (l) { return areaTooltip(l.feature.properties, spec.tooltip); }, { sticky: true });
      }
      if (spec.show) layer.addTo(map);
      overlays[escapeHtml(spec.label)] = layer;
    });
    L.control.layers(null, overlays, { collapsed: container.clientWidth < 640 }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    map.on("zoomend", function () {
      var r = radius();
      points.forEach(function (p) { p.setRadius(r); });
    });
    if (data.bounds) map.fitBounds(data.bounds, { padding: [16, 16], maxZoom: 16 });

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.to-map");
      var layer = link && sites[link.textContent];
      if (!layer) return;
      event.preventDefault();
      container.scrollIntoView({ block: "center" });
      var group = Object.keys(overlays).map(function (k) { return overlays[k]; })
        .filter(function (g) { return g.hasLayer(layer); })[0];
      if (group && !map.hasLayer(group)) group.addTo(map);
      if (layer.getBounds) map.fitBounds(layer.getBounds(), { maxZoom: 16 });
      else map.setView(layer.getLatLng(), Math.max(map.getZoom(), 15));
      layer.openPopup();
    });
    window.energieMap = { map: map, sites: sites }; // for tests and the curious
  }

  initTables();
  initMap();
})();
