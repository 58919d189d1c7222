/* The network as drawn, as a picture to download: an SVG drawing of real shapes with its
 * labels as <text>, and a PNG painted from that same drawing, each with the view's title,
 * its legend and the credit. Only what is shown now is drawn: hidden entities stay out.
 * Every string goes in through the DOM (textContent, setAttribute), never as markup. */
(function () {
  "use strict";

  var view = window.repgraphView;
  if (!view) { return; }
  var network = view.network, nodes = view.nodes, edges = view.edges;
  var SVG = "http://www.w3.org/2000/svg";
  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var MARGIN = 40, LEGEND_ROW = 22, LEGEND_COLUMN = 300, HEAD = 64;

  function el(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function colours(node) {
    var c = node.color;
    if (typeof c === "string") { return { fill: c, stroke: "none" }; }
    if (c && c.background) { return { fill: c.background, stroke: c.border || "none" }; }
    return { fill: "#0072B2", stroke: "none" };
  }

  /* vis-network's shapes at size r, as SVG; the same shapes as the legend's icons */
  function shape(node, at) {
    var r = node.size || 14, x = at.x, y = at.y;
    var points = function (list) {
      return list.map(function (p) { return (x + p[0] * r).toFixed(1) + "," + (y + p[1] * r).toFixed(1); }).join(" ");
    };
    var out;
    switch (node.shape) {
      case "square": out = el("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r }); break;
      case "triangle": out = el("polygon", { points: points([[0, -1.1], [1, 0.7], [-1, 0.7]]) }); break;
      case "triangleDown": out = el("polygon", { points: points([[-1, -0.7], [1, -0.7], [0, 1.1]]) }); break;
      case "diamond": out = el("polygon", { points: points([[0, -1.2], [1.2, 0], [0, 1.2], [-1.2, 0]]) }); break;
      case "hexagon": out = el("polygon", { points: points([[-0.5, -0.87], [0.5, -0.87], [1, 0], [0.5, 0.87], [-0.5, 0.87], [-1, 0]]) }); break;
      case "star": out = el("polygon", { points: points([[0, -1.2], [0.3, -0.4], [1.15, -0.4], [0.45, 0.1], [0.7, 0.95], [0, 0.45], [-0.7, 0.95], [-0.45, 0.1], [-1.15, -0.4], [-0.3, -0.4]]) }); break;
      default: out = el("circle", { cx: x, cy: y, r: r });
    }
    var c = colours(node);
    out.setAttribute("fill", c.fill);
    out.setAttribute("stroke", c.stroke);
    out.setAttribute("stroke-width", node.borderWidth || 1.5);
    if (node.shapeProperties && node.shapeProperties.borderDashes) {
      out.setAttribute("stroke-dasharray", node.shapeProperties.borderDashes.join(" "));
    }
    return out;
  }

  function edgeColour(edge) { return (edge.color && edge.color.color) || "#80868B"; }

  /* A curved edge is a quadratic curve through the point vis-network draws at its middle. */
  function edgePath(edge, a, b) {
    var drawn = network.body.edges[edge.id];
    var mid = drawn && drawn.edgeType && drawn.edgeType.getPoint ? drawn.edgeType.getPoint(0.5) : null;
    if (!mid || Math.abs(mid.x - (a.x + b.x) / 2) + Math.abs(mid.y - (a.y + b.y) / 2) < 0.5) {
      return "M" + a.x.toFixed(1) + " " + a.y.toFixed(1) + " L" + b.x.toFixed(1) + " " + b.y.toFixed(1);
    }
    var cx = 2 * mid.x - (a.x + b.x) / 2, cy = 2 * mid.y - (a.y + b.y) / 2;
    return "M" + a.x.toFixed(1) + " " + a.y.toFixed(1) + " Q" + cx.toFixed(1) + " " + cy.toFixed(1) +
      " " + b.x.toFixed(1) + " " + b.y.toFixed(1);
  }

  function arrowHead(defs, colour) {
    var id = "arrow-" + colour.replace(/[^0-9a-zA-Z]/g, "");
    if (!defs.querySelector("#" + id)) {
      var marker = el("marker", { id: id, viewBox: "0 0 10 10", refX: 24, refY: 5, markerWidth: 8,
                                  markerHeight: 8, orient: "auto-start-reverse", markerUnits: "userSpaceOnUse" });
      marker.appendChild(el("path", { d: "M0 0 L10 5 L0 10 z", fill: colour }));
      defs.appendChild(marker);
    }
    return "url(#" + id + ")";
  }

  /* The legend as the page shows it: each entry's icon (already SVG) and its words. */
  function legendEntries() {
    return Array.prototype.map.call(document.querySelectorAll(".legend li"), function (li) {
      var icon = li.querySelector("svg");
      return { icon: icon ? icon.cloneNode(true) : null, text: li.textContent.trim() };
    });
  }

  function title() {
    var h1 = document.querySelector("h1");
    return h1 ? h1.textContent.trim() : document.title;
  }

  function credit() {
    var where = location.origin + location.pathname.replace(/^\/embed\//, "/viz/") + location.search;
    return "Source: repgraph, every link cited. " + where;
  }

  /* The drawing, in the network's own coordinates, framed to what is shown. */
  function drawing() {
    var shown = nodes.get({ filter: function (n) { return !n.hidden; } });
    var ids = shown.map(function (n) { return n.id; });
    var at = network.getPositions(ids);
    var xs = ids.map(function (id) { return at[id].x; }), ys = ids.map(function (id) { return at[id].y; });
    var left = Math.min.apply(null, xs.concat([0])) - 120, right = Math.max.apply(null, xs.concat([0])) + 120;
    var top = Math.min.apply(null, ys.concat([0])) - 40, bottom = Math.max.apply(null, ys.concat([0])) + 50;
    var width = Math.max(right - left, 2 * LEGEND_COLUMN + 2 * MARGIN);
    var legend = legendEntries();
    var columns = Math.max(1, Math.floor((width - 2 * MARGIN) / LEGEND_COLUMN));
    var legendHeight = Math.ceil(legend.length / columns) * LEGEND_ROW + 16;
    var height = HEAD + (bottom - top) + legendHeight + 40;
    var svg = el("svg", { xmlns: SVG, width: Math.round(width), height: Math.round(height),
                          viewBox: "0 0 " + Math.round(width) + " " + Math.round(height),
                          "font-family": FONT });
    svg.appendChild(el("title", {}, title()));
    var defs = el("defs");
    svg.appendChild(defs);
    svg.appendChild(el("rect", { width: "100%", height: "100%", fill: "#ffffff" }));
    svg.appendChild(el("text", { x: MARGIN, y: 34, "font-size": 22, "font-weight": "bold", fill: "#202124" }, title()));
    var counts = document.querySelector(".counts");
    if (counts) {
      svg.appendChild(el("text", { x: MARGIN, y: 56, "font-size": 13, fill: "#3c4043" },
                         counts.textContent.replace(/\s+/g, " ").trim()));
    }
    var graph = el("g", { transform: "translate(" + ((width - (right - left)) / 2 - left).toFixed(1) + "," + (HEAD - top).toFixed(1) + ")" });
    var lines = el("g", { fill: "none" }), marks = el("g"), labels = el("g", { "text-anchor": "middle", "paint-order": "stroke", stroke: "#ffffff", "stroke-width": 4, "stroke-linejoin": "round" });
    var withEdgeLabels = edges.length <= 150;
    edges.get({ filter: function (e) { return !e.hidden && at[e.from] && at[e.to]; } }).forEach(function (edge) {
      var a = at[edge.from], b = at[edge.to], colour = edgeColour(edge);
      var line = el("path", { d: edgePath(edge, a, b), stroke: colour, "stroke-width": 1.4 });
      if (edge.dashes) { line.setAttribute("stroke-dasharray", "6 4"); }
      if (edge.arrows === "to" || (edge.arrows && edge.arrows.to)) { line.setAttribute("marker-end", arrowHead(defs, colour)); }
      lines.appendChild(line);
      if (withEdgeLabels && edge.label) {
        var drawn = network.body.edges[edge.id];
        var mid = drawn && drawn.edgeType ? drawn.edgeType.getPoint(0.5) : { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
        labels.appendChild(el("text", { x: mid.x.toFixed(1), y: (mid.y + 4).toFixed(1), "font-size": 11, fill: "#3c4043" }, edge.label));
      }
    });
    shown.forEach(function (node) {
      marks.appendChild(shape(node, at[node.id]));
      if (node.label) {
        labels.appendChild(el("text", { x: at[node.id].x.toFixed(1), y: (at[node.id].y + (node.size || 14) + 16).toFixed(1),
                                        "font-size": 14, fill: "#202124" }, node.label));
      }
    });
    graph.appendChild(lines);
    graph.appendChild(marks);
    graph.appendChild(labels);
    svg.appendChild(graph);
    var key = el("g", { "font-size": 13, fill: "#202124" });
    var y0 = HEAD + (bottom - top) + 16;
    legend.forEach(function (entry, i) {
      var x = MARGIN + (i % columns) * LEGEND_COLUMN, y = y0 + Math.floor(i / columns) * LEGEND_ROW;
      if (entry.icon) {
        var icon = entry.icon;
        icon.setAttribute("x", x);
        icon.setAttribute("y", y - 12);
        icon.removeAttribute("class");
        key.appendChild(icon);
      }
      key.appendChild(el("text", { x: x + 34, y: y }, entry.text));
    });
    svg.appendChild(key);
    svg.appendChild(el("text", { x: MARGIN, y: height - 16, "font-size": 12, fill: "#3c4043" }, credit()));
    return svg;
  }

  function fileName(extension) {
    var slug = title().normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "network";
    return "repgraph-" + slug + "." + extension;
  }

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  function svgText() { return new XMLSerializer().serializeToString(drawing()); }

  /* The PNG is the SVG painted onto a canvas at twice its size, so both show the same. */
  function png(done) {
    var text = svgText();
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      var ratio = Math.min(2, 16000 / Math.max(image.width, image.height));
      canvas.width = Math.round(image.width * ratio);
      canvas.height = Math.round(image.height * ratio);
      var ctx = canvas.getContext("2d");
      ctx.scale(ratio, ratio);
      ctx.drawImage(image, 0, 0);
      canvas.toBlob(done, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }

  view.svgText = svgText;
  var svgButton = document.getElementById("download-svg");
  var pngButton = document.getElementById("download-png");
  if (svgButton) {
    svgButton.addEventListener("click", function () {
      save(new Blob([svgText()], { type: "image/svg+xml" }), fileName("svg"));
    });
  }
  if (pngButton) {
    pngButton.addEventListener("click", function () {
      png(function (blob) { if (blob) { save(blob, fileName("png")); } });
    });
  }
})();
