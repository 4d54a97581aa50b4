// interdict HTML report: draws each graph from its JSON with dagre (inlined before this
// script), and opens every <details> for printing. The page reads fully without it: the
// graph's tables hold the same parties and links.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var CHAR = 7.3, LINE = 15, PAD = 8, MAX = 40;

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function clip(s) { return s.length > MAX ? s.slice(0, MAX - 1) + "\u2026" : s; }

  // A party's box: its name, its id and roles, and one line per jurisdiction's status.
  function lines(n) {
    var out = [{ text: clip(n.name), cls: "name" }];
    var sub = n.name !== n.id ? n.id : "";
    if (n.roles.length) sub += (sub ? " \u00b7 " : "") + n.roles.join(", ");
    if (sub) out.push({ text: clip(sub), cls: "sub" });
    n.marks.forEach(function (m) {
      var t = m.jurisdiction.toUpperCase() + ": " + m.status.replace("_", " ");
      if (m.detail) t += " " + m.detail;
      out.push({ text: clip(t), cls: "mark " + m.status });
    });
    return out;
  }
  function strongest(n) {
    var order = ["designated", "blocked", "undetermined", "not_blocked"];
    for (var i = 0; i < order.length; i++) {
      if (n.marks.some(function (m) { return m.status === order[i]; })) return order[i];
    }
    return "none";
  }
  function edgeLabel(e) {
    var t = e.kind === "flow" ? "" : e.label;
    if (e.witness.length) t += " (" + e.witness.join(", ").toUpperCase() + ")";
    return t;
  }

  function draw(figure) {
    var data = JSON.parse(figure.querySelector("script.graph-data").textContent);
    var canvas = figure.querySelector(".graph-canvas");
    if (!window.dagre || !data.nodes.length) return;
    var g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: "TB", nodesep: 28, ranksep: 46, edgesep: 16, marginx: 10, marginy: 10 });
    data.nodes.forEach(function (n) {
      var ls = lines(n);
      // Bold lines (the name, the marks) are wider per character.
      var w = Math.max.apply(null, ls.map(function (l) {
        return l.text.length * (l.cls === "sub" ? CHAR - 0.6 : CHAR + 0.4);
      })) + 2 * PAD;
      g.setNode(n.id, { width: w, height: ls.length * LINE + 2 * PAD - 2, lines: ls, data: n });
    });
    data.edges.forEach(function (e, i) {
      var t = edgeLabel(e);
      g.setEdge(e.from, e.to, {
        data: e, text: t, width: t.length * 6.2, height: t ? 14 : 0, labelpos: "c",
        weight: e.kind === "flow" ? 1 : 3
      }, "e" + i);
    });
    dagre.layout(g);
    var size = g.graph();
    var svg = el("svg", {
      viewBox: "0 0 " + Math.ceil(size.width) + " " + Math.ceil(size.height),
      width: Math.ceil(size.width), height: Math.ceil(size.height), "aria-hidden": "true"
    }, canvas);
    var defs = el("defs", {}, svg);
    [["arrow", "#6b7680"], ["arrow-witness", "#8a1111"]].forEach(function (a) {
      var m = el("marker", { id: canvas.id + "-" + a[0], viewBox: "0 0 10 10", refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
      el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: a[1] }, m);
    });
    g.edges().forEach(function (id) {
      var ed = g.edge(id), e = ed.data;
      var grp = el("g", {
        "class": "edge kind-" + e.kind + (e.witness.length ? " witness" : ""),
        "data-from": e.from, "data-to": e.to, "data-kind": e.kind, "data-label": e.label,
        "data-witness": e.witness.join(" ")
      }, svg);
      var d = ed.points.map(function (p, i) { return (i ? "L" : "M") + p.x.toFixed(1) + " " + p.y.toFixed(1); }).join(" ");
      el("path", { d: d, "marker-end": "url(#" + canvas.id + "-" + (e.witness.length ? "arrow-witness" : "arrow") + ")" }, grp);
      if (ed.text) {
        var t = el("text", { x: ed.x, y: ed.y + 4, "text-anchor": "middle" }, grp);
        t.textContent = ed.text;
      }
    });
    g.nodes().forEach(function (id) {
      var nd = g.node(id), n = nd.data;
      var grp = el("g", {
        "class": "node strongest-" + strongest(n), "data-party": n.id,
        "data-marks": n.marks.map(function (m) { return m.jurisdiction + ":" + m.status; }).join(" "),
        transform: "translate(" + (nd.x - nd.width / 2).toFixed(1) + "," + (nd.y - nd.height / 2).toFixed(1) + ")"
      }, svg);
      el("title", {}, grp).textContent = nd.lines.map(function (l) { return l.text; }).join("\n");
      el("rect", { width: nd.width, height: nd.height, rx: 5 }, grp);
      nd.lines.forEach(function (l, i) {
        var t = el("text", { x: PAD, y: PAD + 11 + i * LINE, "class": l.cls }, grp);
        t.textContent = l.text;
      });
    });
    figure.classList.add("drawn");
  }

  document.querySelectorAll("figure.graph-figure").forEach(draw);

  // A printed report shows every reason; the reader's choice is restored afterwards.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
})();
