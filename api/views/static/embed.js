/* On a page that embeds repgraph views (loaded by the embed snippet): sizes each iframe the
 * snippet marked with data-repgraph-embed to the height its embed asks for (frame.js).
 * Only messages from the origin this script was loaded from, sent by the window of a marked
 * iframe, with a finite height, count; the height is kept within 240..2400 px. Without
 * this script the iframe keeps the snippet's fixed ratio. */
(function () {
  "use strict";

  var MIN_HEIGHT = 240;
  var MAX_HEIGHT = 2400;
  var MARKED = "iframe[data-repgraph-embed]";
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var origin = new URL(script.src, window.location.href).origin;
  var listening = "repgraphEmbeds:" + origin;
  if (window[listening]) { return; }  /* the snippet pasted twice: one listener is enough */
  window[listening] = true;

  function markedFrame(source) {
    var frames = document.querySelectorAll(MARKED);
    for (var i = 0; i < frames.length; i += 1) {
      if (source && frames[i].contentWindow === source) { return frames[i]; }
    }
    return null;
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) { return; }
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "repgraph:height") { return; }
    if (typeof data.height !== "number" || !isFinite(data.height)) { return; }
    var frame = markedFrame(event.source);
    if (!frame) { return; }
    var height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, data.height)));
    frame.style.minHeight = "0";  /* the ratio and minimum are for pages without scripts */
    frame.style.aspectRatio = "auto";
    frame.style.height = height + "px";
  });

  /* embeds that said their height before this script ran: ask them again */
  Array.prototype.forEach.call(document.querySelectorAll(MARKED), function (frame) {
    if (frame.contentWindow) {
      frame.contentWindow.postMessage({ type: "repgraph:measure" }, origin);
    }
  });
})();
