/* Draws a network view from the inert JSON in #view-data and shows details on click.
 * Everything from the data is inserted with textContent or as attributes set through
 * the DOM, never as HTML. Links are only ever http(s) source URLs or same-origin paths. */
(function () {
  "use strict";

  var dataElement = document.getElementById("view-data");
  var container = document.getElementById("network");
  if (!dataElement || !container || typeof vis === "undefined") { return; }
  var data = JSON.parse(dataElement.textContent);
  var embedded = document.body.classList.contains("embed");
  /* scripts after this one read the shared state from window.repgraphView */
  var panelBody = document.getElementById("panel-body");
  var panelHeading = document.getElementById("panel-heading");

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  /* what the other scripts of the page (explore.js, picture.js, touch.js) work on */
  var view = window.repgraphView = {
    network: network, data: data, nodes: nodes, edges: edges, embedded: false, show: null
  };

  network.once("afterDrawing", function () {
    document.body.setAttribute("data-ready", "true");
  });
  network.fit({ animation: false });

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    return el;
  }

  function webUrl(value) {
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }

  function sameOrigin(path) {
    return typeof path === "string" && path.charAt(0) === "/" && path.charAt(1) !== "/";
  }

  function renderRecord(record) {
    var fragment = document.createDocumentFragment();
    fragment.appendChild(element("p", "panel-kind", record.kind));
    fragment.appendChild(element("h3", "panel-title", record.heading));
    if (record.facts.length) {
      var list = element("dl", "facts");
      record.facts.forEach(function (fact) {
        list.appendChild(element("dt", null, fact[0]));
        list.appendChild(element("dd", null, fact[1]));
      });
      fragment.appendChild(list);
    }
    fragment.appendChild(element("h4", null, record.citations.length ? "Sources" : "No sources recorded"));
    var cites = element("ol", "citations");
    record.citations.forEach(function (citation) {
      var item = element("li");
      if (sameOrigin(citation.href)) {
        /* the reader, at the cited paragraph */
        var cite = element("a", "cite-link", citation.text);
        cite.href = citation.href;
        if (embedded) { cite.target = "_blank"; cite.rel = "noopener"; }
        item.appendChild(cite);
      } else {
        item.appendChild(document.createTextNode(citation.text));
      }
      var href = citation.url ? webUrl(citation.url) : null;
      if (href) {
        item.appendChild(document.createTextNode(" · "));
        var link = element("a", "source-link", "source");
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        item.appendChild(link);
      }
      var words = data.excerpts ? data.excerpts[citation.href] : null;
      if (typeof words === "string" && words) {
        /* the opening words of the cited paragraph, as the reader's page shows them */
        item.appendChild(element("blockquote", "excerpt", words));
      }
      cites.appendChild(item);
    });
    fragment.appendChild(cites);
    if (record.links.length) {
      var links = element("ul", "panel-links");
      record.links.forEach(function (pair) {
        if (!sameOrigin(pair[1])) { return; }
        var li = element("li");
        var a = element("a", null, pair[0]);
        a.href = pair[1];
        if (embedded) { a.target = "_blank"; a.rel = "noopener"; }
        li.appendChild(a);
        links.appendChild(li);
      });
      fragment.appendChild(links);
    }
    panelBody.replaceChildren(fragment);
    panelBody.setAttribute("data-showing", record.heading);
  }

  /* Show a node's ("n:id") or an edge's ("e:id") details; explore.js listens for the
   * event to offer what can be done with a node. */
  function show(key) {
    var record = data.details[key];
    if (!record) { return; }
    renderRecord(record);
    document.dispatchEvent(new CustomEvent("repgraph:show", { detail: key }));
  }
  view.show = show;
  view.embedded = embedded;

  network.on("click", function (params) {
    if (params.nodes.length) { show("n:" + params.nodes[0]); }
    else if (params.edges.length) { show("e:" + params.edges[0]); }
  });

  /* An accessible way in: every entity as a button that selects it and shows its details. */
  var entityList = document.getElementById("entity-list");
  if (entityList) {
    data.nodes.forEach(function (node) {
      var li = element("li");
      var button = element("button", "link-button", node.label);
      button.type = "button";
      button.addEventListener("click", function () {
        network.selectNodes([node.id]);
        network.focus(node.id, { scale: 1.2, animation: false });
        show("n:" + node.id);
        panelHeading.focus();
      });
      li.appendChild(button);
      entityList.appendChild(li);
    });
  }

  var copyButton = document.getElementById("copy-snippet");
  var snippet = document.getElementById("embed-snippet");
  if (copyButton && snippet) {
    copyButton.addEventListener("click", function () {
      var status = document.getElementById("copy-status");
      snippet.select();
      var done = function () { status.textContent = "Copied."; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(snippet.value).then(done, function () {
          status.textContent = "Select the code and copy it.";
        });
      } else {
        status.textContent = "Select the code and copy it.";
      }
    });
  }
})();
