// When to start the runtime: an OnceHub embed near the viewport (also one a tag manager adds late), the page's
// load event, or only OnceHubBridge.start(); a callback, message or booking to process starts it at once.

var EMBEDS = '[id^="SOIDIV_"],[data-so-page],iframe[src*="oncehub.com/"],iframe[src*=".oncehub.com"],[data-oncehub-booking-calendar]';

function selectorFor(settings) {
  var selector = EMBEDS;
  settings.origins.forEach(function (origin) {
    if (/^https?:\/\/[^"\\\]]+$/.test(origin)) selector += ',iframe[src^="' + origin + '/"]';
  });
  return settings.embedSelector ? selector + "," + settings.embedSelector : selector;
}

/** Call start(reason) once, when settings.start says. */
export function scheduleStart(settings, start) {
  if (settings.start === "manual") return;
  if (settings.start === "load" || typeof IntersectionObserver !== "function" || typeof MutationObserver !== "function") {
    var atLoad = function () { setTimeout(function () { start("load"); }, 0); };
    if (document.readyState === "complete") atLoad();
    else window.addEventListener("load", atLoad);
    return;
  }
  var selector = selectorFor(settings), watched = [], done = false;
  try { document.querySelector(selector); } catch (e) { selector = EMBEDS; } // a bad embed_selector
  var near = new IntersectionObserver(function (entries) {
    for (var i = 0; i < entries.length; i++) if (entries[i].isIntersecting) return stop("an embed in view");
  }, { rootMargin: settings.marginPx + "px" });
  function watch(el) {
    if (watched.indexOf(el) === -1) { watched.push(el); near.observe(el); }
  }
  function scan(root) {
    if (root.nodeType !== 1) return;
    if (root.matches(selector)) watch(root);
    var found = root.querySelectorAll(selector);
    for (var i = 0; i < found.length; i++) watch(found[i]);
  }
  var added = new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var nodes = records[i].addedNodes;
      for (var j = 0; j < nodes.length; j++) scan(nodes[j]);
      if (records[i].type === "attributes") scan(records[i].target);
    }
  });
  function stop(reason) {
    if (done) return;
    done = true;
    near.disconnect();
    added.disconnect();
    start(reason);
  }
  added.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["src", "id"] });
  scan(document.documentElement);
  return stop;
}
