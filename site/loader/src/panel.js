// The debug view on the site owner's own page (?oncehub_bridge_debug=1 or "debug": true): status, start-up timings,
// each event and what each sink did, PII masked. In a closed shadow root so that the page's CSS cannot touch it.
// Bundled as runtime-<hash>/panel.js and imported by boot.js only in debug mode: without debug it costs no byte.

import { mask } from "./mask.js";

var CSS = ".p{width:340px;max-height:60vh;overflow:auto;" +
  "font:12px/1.4 system-ui,sans-serif;color:#14171f;background:#fff;border:1px solid #c9cfdb;border-radius:10px;" +
  "box-shadow:0 6px 24px rgba(0,0,0,.18)}" +
  "header{display:flex;justify-content:space-between;align-items:center;padding:8px 10px;background:#f3f5f9;" +
  "position:sticky;top:0}" +
  "button{font:inherit;border:1px solid #c9cfdb;background:#fff;border-radius:6px;padding:2px 8px;cursor:pointer}" +
  "ol{list-style:none;margin:0;padding:0 10px 10px}li{border-top:1px solid #eef0f4;padding:6px 0}" +
  "b{font-weight:600}code,pre{font:11px/1.35 ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:anywhere}" +
  "pre{margin:4px 0 0;background:#f7f8fb;padding:4px;border-radius:4px}.s{color:#5b6475}";

var STAGES = [["host", "runtime host"], ["files", "files found"], ["interpreter", "Python running"],
  ["imported", "bridge imported"], ["ready", "ready"]];

/** Mount the panel; returns {event(item), effects(list), status()} for boot.js to feed. */
export function mountPanel(bridge) {
  var host = document.createElement("oncehub-bridge-debug");
  host.setAttribute("data-oncehub-bridge-debug", "");
  // inline !important beats the page's own !important rules on the one element of ours in its DOM
  [["all", "initial"], ["display", "block"], ["position", "fixed"], ["right", "12px"], ["bottom", "12px"],
    ["z-index", "2147483647"], ["visibility", "visible"]].forEach(function (rule) {
    host.style.setProperty(rule[0], rule[1], "important");
  });
  var root = host.attachShadow({ mode: "closed" });
  root.innerHTML = "<style>" + CSS + "</style><section class='p' role='region' aria-label='oncehub-bridge debug'>" +
    "<header><b>oncehub-bridge debug</b><span><span id='st' role='status'></span> <button id='x' type='button'>" +
    "Hide</button></span></header><ol id='ev' aria-label='Events'></ol></section>";
  var status = root.getElementById("st"), list = root.getElementById("ev"), current = null;
  root.getElementById("x").onclick = function () { host.remove(); };
  (document.body || document.documentElement).appendChild(host);

  function row(title, detail) {
    var li = document.createElement("li");
    var head = document.createElement("div");
    head.textContent = title;
    li.appendChild(head);
    if (detail !== undefined) {
      var pre = document.createElement("pre");
      pre.textContent = JSON.stringify(mask(detail), null, 1);
      li.appendChild(pre);
    }
    list.insertBefore(li, list.firstChild);
    return li;
  }

  var panel = {
    status: function () {
      var t = bridge.timings && bridge.timings.ready !== undefined ? ", ready " + bridge.timings.ready + " ms after navigation" : "";
      status.textContent = bridge.status + t + (bridge.error ? " (" + bridge.error + ")" : "");
    },
    event: function (item) {
      current = row(item.kind + ": " + item.name, item.event);
    },
    effects: function (effects) {
      (effects || []).forEach(function (e) {
        var line = document.createElement("div");
        line.className = "s";
        line.textContent = e.sink + " \u2192 " + e.op + " " + (e.target || e.path || e.key || e.name || e.url || "");
        (current || row("page")).appendChild(line);
      });
    }
  };
  panel.status();
  var marks = bridge.timings || {};
  row("started: " + bridge.version + "; start-up, ms after navigation: " + STAGES.filter(function (stage) {
    return marks[stage[0]] !== undefined;
  }).map(function (stage) { return stage[1] + " " + marks[stage[0]]; }).join(", "));
  return panel;
}
