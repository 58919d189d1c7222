/* A view inside an article must not trap the reader's scrolling. In an embed, and on any
 * page read with a finger, a guard lies over the network: a one-finger swipe scrolls the
 * page as if the network were not there; a tap (or a click) hands the network the
 * gestures until the reader moves on; two fingers pan and zoom it at once. The "Fit to
 * view" button brings back a network dragged out of sight. */
(function () {
  "use strict";

  var view = window.repgraphView;
  if (!view) { return; }
  var network = view.network;
  var fit = document.getElementById("fit-view");
  if (fit) {
    fit.hidden = false;
    fit.addEventListener("click", function () { network.fit({ animation: false }); });
  }

  var guard = document.getElementById("touch-guard");
  var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  if (!guard || !(view.embedded || coarse)) { return; }
  var canvas = document.querySelector("#network canvas");

  function arm() { guard.hidden = false; document.body.removeAttribute("data-exploring"); }
  function disarm() { guard.hidden = true; document.body.setAttribute("data-exploring", "true"); }
  arm();
  view.armGuard = arm;

  /* The tap or click that lifts the guard also selects what lies under it. */
  guard.addEventListener("click", function (event) {
    disarm();
    if (!canvas || !event.clientX) { return; }
    var box = canvas.getBoundingClientRect();
    var at = { x: event.clientX - box.left, y: event.clientY - box.top };
    var node = network.getNodeAt(at);
    var edge = node === undefined ? network.getEdgeAt(at) : undefined;
    if (node !== undefined) { network.selectNodes([node]); view.show("n:" + node); }
    else if (edge !== undefined) { network.selectEdges([edge]); view.show("e:" + edge); }
  });

  /* Leaving the network gives the page its gestures back: in an embed the frame loses
   * focus when the reader touches the article; on a page, a touch elsewhere. */
  window.addEventListener("blur", function () { if (view.embedded) { arm(); } });
  document.addEventListener("touchstart", function (event) {
    var frame = document.querySelector(".network-stage");
    if (frame && !frame.contains(event.target)) { arm(); }
  }, { passive: true });

  /* Two fingers on the guard: pan and zoom about the point between them. */
  var pinch = null;
  function middle(touches) {
    var box = canvas.getBoundingClientRect();
    return {
      x: (touches[0].clientX + touches[1].clientX) / 2 - box.left,
      y: (touches[0].clientY + touches[1].clientY) / 2 - box.top,
      spread: Math.hypot(touches[0].clientX - touches[1].clientX,
                         touches[0].clientY - touches[1].clientY) || 1
    };
  }
  guard.addEventListener("touchstart", function (event) {
    if (event.touches.length !== 2 || !canvas) { pinch = null; return; }
    var at = middle(event.touches);
    pinch = { anchor: network.DOMtoCanvas({ x: at.x, y: at.y }), spread: at.spread,
              scale: network.getScale() };
    event.preventDefault();
  }, { passive: false });
  guard.addEventListener("touchmove", function (event) {
    if (!pinch || event.touches.length !== 2) { return; }
    event.preventDefault();
    var at = middle(event.touches);
    var scale = Math.min(10, Math.max(0.02, pinch.scale * at.spread / pinch.spread));
    var box = canvas.getBoundingClientRect();
    /* keep the canvas point first under the fingers under them now */
    network.moveTo({
      position: { x: pinch.anchor.x + (box.width / 2 - at.x) / scale,
                  y: pinch.anchor.y + (box.height / 2 - at.y) / scale },
      scale: scale, animation: false
    });
  }, { passive: false });
  guard.addEventListener("touchend", function (event) {
    if (event.touches.length < 2) { pinch = null; }
  });
})();
