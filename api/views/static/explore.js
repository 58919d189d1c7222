/* Exploring a view step by step: expand a node in place, hide it, pin it, collapse a hub
 * into a badge, and find an entity by name. Generic actors (a whole state's authorities)
 * start collapsed: their links reach nearly everyone and would bury the rest.
 * Runs after view.js, on the state it leaves in window.repgraphView. */
(function () {
  "use strict";

  var view = window.repgraphView;
  if (!view) { return; }
  var network = view.network, data = view.data, nodes = view.nodes, edges = view.edges;
  var tools = document.getElementById("view-tools");
  var actions = document.getElementById("node-actions");
  var status = document.getElementById("tool-status");
  var showHidden = document.getElementById("show-hidden");
  var hiddenByReader = {};  /* id -> true: hidden with "Hide" */
  var pinned = {};          /* id -> the border width the node had */
  var collapsed = {};       /* hub id -> {nodes: [...], edges: [...]} it hid */
  var expanded = {};        /* id -> true once its step has been added */
  var selected = null;
  if (tools) { tools.hidden = false; }

  function say(text) { if (status) { status.textContent = text; } }

  function visibleNeighbours(id) {
    return network.getConnectedNodes(id).filter(function (other) {
      var node = nodes.get(other);
      return node && !node.hidden;
    });
  }

  /* Hide a hub's links, and the entities only it connects to, behind a badge with their
   * number; links to the view's centre and to pinned entities stay. */
  function collapse(hub) {
    if (collapsed[hub]) { return 0; }
    var keep = function (id) { return id === data.centre || pinned[id]; };
    var hideNodes = visibleNeighbours(hub).filter(function (other) {
      return !keep(other) && visibleNeighbours(other).every(function (n) { return n === hub; });
    });
    var hideEdges = network.getConnectedEdges(hub).filter(function (edgeId) {
      var edge = edges.get(edgeId);
      return edge && !edge.hidden && !keep(edge.from === hub ? edge.to : edge.from);
    });
    collapsed[hub] = { nodes: hideNodes, edges: hideEdges };
    nodes.update(hideNodes.map(function (id) { return { id: id, hidden: true }; }));
    edges.update(hideEdges.map(function (id) { return { id: id, hidden: true }; }));
    return hideEdges.length;
  }

  function open(hub) {
    var was = collapsed[hub];
    if (!was) { return; }
    delete collapsed[hub];
    nodes.update(was.nodes.filter(function (id) { return !hiddenByReader[id]; })
      .map(function (id) { return { id: id, hidden: false }; }));
    edges.update(was.edges.map(function (id) { return { id: id, hidden: false }; }));
  }

  /* The badge: how many links a collapsed hub holds, drawn beside it on the canvas. */
  network.on("afterDrawing", function (ctx) {
    var hubs = Object.keys(collapsed).filter(function (id) {
      return collapsed[id].edges.length && nodes.get(id) && !nodes.get(id).hidden;
    });
    if (!hubs.length) { return; }
    var at = network.getPositions(hubs);
    ctx.save();
    ctx.font = "bold 12px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    hubs.forEach(function (id) {
      var text = "+" + collapsed[id].edges.length;
      var r = Math.max(10, ctx.measureText(text).width / 2 + 5);
      var x = at[id].x + 16, y = at[id].y - 16;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = "#202124";
      ctx.fill();
      ctx.fillStyle = "#ffffff";
      ctx.fillText(text, x, y);
    });
    ctx.restore();
  });
  view.collapsed = collapsed;

  function hide(id) {
    hiddenByReader[id] = true;
    nodes.update({ id: id, hidden: true });
    network.unselectAll();
    refreshHidden();
  }

  function refreshHidden() {
    var count = Object.keys(hiddenByReader).length;
    if (!showHidden) { return; }
    showHidden.hidden = count === 0;
    showHidden.textContent = "Show hidden (" + count + ")";
  }

  if (showHidden) {
    showHidden.addEventListener("click", function () {
      nodes.update(Object.keys(hiddenByReader).map(function (id) { return { id: id, hidden: false }; }));
      hiddenByReader = {};
      refreshHidden();
      say("Every hidden entity is shown again.");
    });
  }

  function pin(id) {
    var node = nodes.get(id);
    if (pinned[id] !== undefined) {
      nodes.update({ id: id, fixed: false, borderWidth: pinned[id] });
      delete pinned[id];
    } else {
      pinned[id] = node.borderWidth === undefined ? null : node.borderWidth;
      nodes.update({ id: id, fixed: { x: true, y: true }, borderWidth: 4 });
    }
  }

  /* New entities go on a ring around the one expanded, clear of its current neighbours. */
  function place(around, count) {
    var centre = network.getPositions([around])[around];
    var radius = 140 + 9 * count;
    return function (index) {
      var angle = (2 * Math.PI * index) / Math.max(count, 1) + 0.3;
      return { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
    };
  }

  function addStep(id, step) {
    Object.assign(data.details, step.details);
    data.excerpts = Object.assign(data.excerpts || {}, step.excerpts);
    var fresh = step.nodes.filter(function (n) { return !nodes.get(n.id); });
    var where = place(id, fresh.length);
    nodes.add(fresh.map(function (n, i) { var at = where(i); n.x = at.x; n.y = at.y; return n; }));
    var reopened = step.nodes.filter(function (n) {
      var have = nodes.get(n.id);
      return have && have.hidden && !hiddenByReader[n.id];
    });
    nodes.update(reopened.map(function (n) { return { id: n.id, hidden: false }; }));
    var links = step.edges.filter(function (e) { return !edges.get(e.id); });
    edges.add(links);
    step.generic.forEach(function (g) { if (g !== id && fresh.some(function (n) { return n.id === g; })) { collapse(g); } });
    expanded[id] = true;
    return [fresh.length, links.length];
  }

  function expand(id) {
    if (collapsed[id]) { open(id); }
    say("Expanding…");
    return fetch("/viz/expand/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { throw new Error(body.detail || response.statusText); }
          return body;
        });
      })
      .then(function (step) {
        var added = addStep(id, step);
        say("Added " + added[0] + (added[0] === 1 ? " entity" : " entities") + " and " +
            added[1] + (added[1] === 1 ? " relationship." : " relationships."));
        refreshActions();
        document.body.setAttribute("data-expanded", id);
      })
      .catch(function (error) { say("Could not expand: " + error.message); });
  }
  view.expand = expand;

  function refreshActions() {
    if (!actions) { return; }
    var node = selected && nodes.get(selected);
    actions.hidden = !node;
    if (!node) { return; }
    var button = function (name) { return actions.querySelector("[data-action='" + name + "']"); };
    button("expand").disabled = !!expanded[selected];
    button("expand").textContent = expanded[selected] ? "Expanded" : "Expand";
    button("pin").setAttribute("aria-pressed", String(pinned[selected] !== undefined));
    button("pin").textContent = pinned[selected] !== undefined ? "Unpin" : "Pin";
    var isCollapsed = !!collapsed[selected];
    button("collapse").setAttribute("aria-pressed", String(isCollapsed));
    button("collapse").textContent = isCollapsed
      ? "Open " + collapsed[selected].edges.length + " links" : "Collapse links";
  }

  document.addEventListener("repgraph:show", function (event) {
    var key = event.detail;
    selected = key.indexOf("n:") === 0 ? key.slice(2) : null;
    refreshActions();
  });

  if (actions) {
    actions.addEventListener("click", function (event) {
      var name = event.target.getAttribute && event.target.getAttribute("data-action");
      if (!name || !selected) { return; }
      var id = selected;
      if (name === "expand") { expand(id); }
      else if (name === "hide") {
        hide(id);
        selected = null;
        say("Hidden. “Show hidden” brings it back.");
      } else if (name === "pin") { pin(id); }
      else if (name === "collapse") {
        if (collapsed[id]) { open(id); } else { collapse(id); }
      }
      refreshActions();
    });
  }

  /* Find: names and aliases, ignoring case and accents; each search goes to the next match. */
  function folded(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var findForm = document.getElementById("find-form");
  var last = { query: null, index: -1 };
  if (findForm) {
    findForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = folded(document.getElementById("find").value.trim());
      if (!query) { return; }
      var matches = nodes.getIds().filter(function (id) {
        var record = data.details["n:" + id];
        var names = [nodes.get(id).label || ""];
        if (record) {
          names.push(record.heading);
          record.facts.forEach(function (f) { if (f[0] === "Also known as") { names.push(f[1]); } });
        }
        return names.some(function (n) { return folded(n).indexOf(query) !== -1; });
      });
      if (!matches.length) { say("Nothing in this view matches."); return; }
      last.index = last.query === query ? (last.index + 1) % matches.length : 0;
      last.query = query;
      var id = matches[last.index];
      if (nodes.get(id).hidden) {
        delete hiddenByReader[id];
        nodes.update({ id: id, hidden: false });
        refreshHidden();
      }
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
      view.show("n:" + id);
      say((last.index + 1) + " of " + matches.length + ": " + data.details["n:" + id].heading);
    });
  }

  (data.generic || []).forEach(collapse);
})();
