/* Inside an embed (/embed/...): tells the page that frames it how tall the embed wants to be,
 * so that embed.js on that page can size the iframe. The embed wants its header, a network
 * area whose height depends only on the width (--embed-network in site.css), and its legend
 * and credit. It says so on load, whenever its width changes, and when the page asks (its
 * embed.js may start after this did). The height is not secret: any page may read it. */
(function () {
  "use strict";

  if (window.parent === window) { return; }
  var main = document.getElementById("main");
  var area = main ? main.querySelector(".view-layout") : null;
  if (!area) { return; }
  var lastHeight = null;

  function outerHeight(el) {
    var style = window.getComputedStyle(el);
    return el.getBoundingClientRect().height + parseFloat(style.marginTop) +
      parseFloat(style.marginBottom);
  }

  /* Everything but the network area as it is laid out now (it does not depend on the
   * iframe's height), plus the area's wanted height; null where the browser does not
   * resolve the registered --embed-network to pixels (the iframe then keeps its ratio). */
  function wantedHeight() {
    var wanted = parseFloat(window.getComputedStyle(area).getPropertyValue("--embed-network"));
    if (!isFinite(wanted)) { return null; }
    var style = window.getComputedStyle(main);
    var total = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + wanted;
    Array.prototype.forEach.call(main.children, function (child) {
      if (child !== area) { total += outerHeight(child); }
    });
    return Math.ceil(total);
  }

  function post() {
    var height = wantedHeight();
    if (height !== null) {
      window.parent.postMessage({ type: "repgraph:height", height: height }, "*");
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "repgraph:measure") {
      post();
    }
  });

  /* Posted again whenever the wanted height changes: a new width, or a part around the
   * network opening or closing (the text tables, the relatives table). */
  function onResize() {
    var height = wantedHeight();
    if (height !== lastHeight) {
      lastHeight = height;
      post();
    }
  }

  if (typeof ResizeObserver === "function") {
    var watch = new ResizeObserver(onResize);
    watch.observe(document.documentElement);
    Array.prototype.forEach.call(main.children, function (child) {
      if (child !== area) { watch.observe(child); }
    });
  } else {
    window.addEventListener("resize", onResize);
  }
  onResize();
})();
