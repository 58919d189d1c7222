/* Home page search: asks /api/search on this origin and lists results with DOM APIs only. */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !input || !results) { return; }
  var timer = null;
  var latest = 0;

  function render(items, similar) {
    var found = items.length;
    var fragment = document.createDocumentFragment();
    if (similar.length) {
      var heading = document.createElement("li");
      heading.className = "results-heading";
      heading.textContent = items.length ? "Similar names" : "No match; similar names:";
      items = items.concat([heading], similar);
    }
    items.forEach(function (item) {
      if (item.nodeType) { fragment.appendChild(item); return; }
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = "/entities/" + encodeURIComponent(item.id);
      link.textContent = item.name;
      li.appendChild(link);
      var kind = document.createElement("span");
      kind.className = "result-kind";
      kind.textContent = item.kind;
      li.appendChild(kind);
      if (item.aliases && item.aliases.length) {
        var aliases = document.createElement("span");
        aliases.className = "result-aliases";
        aliases.textContent = "also " + item.aliases.join(", ");
        li.appendChild(aliases);
      }
      fragment.appendChild(li);
    });
    results.replaceChildren(fragment);
    status.textContent = (found ? found + " found" : "Nothing found") +
      (similar.length ? ", and " + similar.length + " similar names." : ".");
  }

  function search() {
    var q = input.value.trim();
    if (!q) { results.replaceChildren(); status.textContent = ""; return; }
    var ticket = ++latest;
    fetch("/api/search?" + new URLSearchParams({ q: q, limit: "10" }), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("search failed: " + response.status); }
      return response.json();
    }).then(function (body) {
      if (ticket === latest) { render(body.items || [], body.similar || []); }
    }).catch(function () {
      if (ticket === latest) { status.textContent = "Search is unavailable right now."; }
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; search(); }
})();
