/*! oncehub-bridge __ONCEHUB_BRIDGE_VERSION__ | the loader: catch, queue, boot the Python worker, apply its effects. */
(function () {
  "use strict";
  if (window.OnceHubBridge && window.OnceHubBridge.version) return; // loaded twice: the first one wins

  var VERSION = "__ONCEHUB_BRIDGE_VERSION__";
  var CALLBACK = "SOAfterConfirmationFunction";
  var PLUGINS_OFF = ["!error", "!codemirror", "!deprecations-manager", "!donkey", "!py-editor", "!py-game", "!py-terminal"];
  var loaderScript = document.currentScript;
  var base = new URL(".", loaderScript && loaderScript.src ? loaderScript.src : location.href).href;

  var queue = [];          // inputs waiting for the worker, in arrival order
  var busy = false;        // one process() call in flight at a time keeps the order
  var worker = null;       // the worker's exported functions once it is live
  var storageKeys = [];
  var debug = /[?&]oncehub_bridge_debug=1(&|$)/.test(location.search);
  var navigated = false;
  var listeners = { booking: [], error: [], funnel: [] };
  var settle = {};
  var ready = new Promise(function (resolve, reject) { settle.resolve = resolve; settle.reject = reject; });
  ready.catch(function () {}); // a failed start is reported by status, never as an unhandled rejection

  function log() {
    if (debug) console.info.apply(console, ["[oncehub-bridge]"].concat([].slice.call(arguments)));
  }

  /** A JSON-safe copy of what the page handed us, or undefined when it cannot be copied. */
  function jsonCopy(value) {
    try { return JSON.parse(JSON.stringify(value)); } catch (e) { return undefined; }
  }

  function callbackInput(args) {
    if (args.length === 0 || args[0] === undefined) return { kind: "callback", has_argument: false };
    var data = jsonCopy(args[0]);
    if (data === undefined) return { kind: "callback", has_argument: true, unserializable: true };
    return { kind: "callback", has_argument: true, data: data };
  }

  function enqueue(input) {
    queue.push(input);
    flush();
  }

  // --- sources: the classic callback and Booking Calendar messages ---------------------------------------------

  var pageCallback = typeof window[CALLBACK] === "function" ? window[CALLBACK] : null;

  function onConfirmation() {
    try { enqueue(callbackInput(arguments)); } catch (e) { log("could not queue a booking", e); }
    if (pageCallback) return pageCallback.apply(this, arguments);
  }

  // An accessor keeps us in front of a function the page assigns later. A function the page already declared
  // (`function SOAfterConfirmationFunction`) is a non-configurable global: it can only be overwritten.
  var existing = Object.getOwnPropertyDescriptor(window, CALLBACK);
  if (!existing || existing.configurable) {
    Object.defineProperty(window, CALLBACK, {
      configurable: true,
      enumerable: true,
      get: function () { return onConfirmation; },
      set: function (fn) { if (fn !== onConfirmation) pageCallback = typeof fn === "function" ? fn : null; }
    });
  } else {
    window[CALLBACK] = onConfirmation;
  }

  // A page that declares `function SOAfterConfirmationFunction` in a later script replaces the property:
  // take its function as the one to chain and put ours back in front of it.
  function rewrapPageCallback() {
    var current = window[CALLBACK];
    if (current !== onConfirmation && typeof current === "function") {
      pageCallback = current;
      window[CALLBACK] = onConfirmation;
    }
  }
  document.addEventListener("DOMContentLoaded", rewrapPageCallback);
  window.addEventListener("load", rewrapPageCallback);

  window.addEventListener("message", function (e) {
    var data = e.data;
    if (typeof data === "string" && data.indexOf("oncehub.") !== -1) {
      try { data = JSON.parse(data); } catch (err) { return; }
    }
    if (!data || typeof data !== "object" || typeof data.type !== "string" || data.type.indexOf("oncehub.") !== 0) return;
    var copy = jsonCopy(data);
    if (copy !== undefined) enqueue({ kind: "message", origin: e.origin, data: copy });
  });

  // --- effects: the small vocabulary the Python side speaks ---------------------------------------------------

  function globalAt(path) {
    var parts = path.split("."), owner = null, value = window;
    for (var i = 0; i < parts.length; i++) {
      if (value == null) return { owner: null, value: undefined };
      owner = value;
      value = value[parts[i]];
    }
    return { owner: owner, value: value };
  }

  var apply = {
    push: function (effect) {
      var target = window[effect.target];
      if (!target) target = window[effect.target] = [];
      target.push(effect.value);
    },
    store: function (effect) { window.localStorage.setItem(effect.key, effect.value); },
    dispatch: function (effect) { document.dispatchEvent(new CustomEvent(effect.name, { detail: effect.detail })); },
    call: function (effect) {
      var fn = globalAt(effect.path);
      if (typeof fn.value !== "function") { log(effect.sink + ": skipped, " + effect.path + " is not defined"); return; }
      return fn.value.apply(fn.owner, effect.args || []);
    }
  };

  /** Apply one effect; a failure is logged (debug) and affects nothing else. Returns a promise when the effect has one. */
  function attempt(effect) {
    try {
      var outcome = apply[effect.op](effect);
      if (outcome && typeof outcome.then === "function") return outcome;
    } catch (e) {
      log(effect.sink + ": " + effect.op + " failed:", e);
    }
  }

  function navigateOnce(effect, pending) {
    if (navigated) return;
    var go = function () {
      if (navigated) return;
      navigated = true;
      log(effect.sink + ": redirecting to " + effect.url);
      try { window.location.assign(effect.url); } catch (e) { log(effect.sink + ": redirect failed:", e); }
    };
    var timer = setTimeout(go, effect.timeout_ms || 1500);
    Promise.all(pending.map(function (p) { return p.then(null, function () {}); })).then(function () {
      clearTimeout(timer);
      go();
    });
  }

  function emit(item) {
    (listeners[item.kind] || []).forEach(function (fn) {
      try { fn(item.event, item.name); } catch (e) { log("an on(\"" + item.kind + "\") listener threw:", e); }
    });
  }

  function applyResult(result) {
    (result.log || []).forEach(function (line) { log(line); });
    (result.events || []).forEach(emit);
    var pending = [], navigation = null;
    (result.effects || []).forEach(function (effect) {
      if (effect.op === "navigate") navigation = navigation || effect;
      else if (apply[effect.op]) { var p = attempt(effect); if (p) pending.push(p); }
    });
    if (navigation) navigateOnce(navigation, pending);
  }

  function storageSnapshot() {
    var snapshot = {};
    storageKeys.forEach(function (key) {
      try { snapshot[key] = window.localStorage.getItem(key); } catch (e) { snapshot[key] = null; }
    });
    return snapshot;
  }

  function flush() {
    if (!worker || busy || queue.length === 0) return;
    busy = true;
    var batch = queue.splice(0, queue.length);
    worker.process(JSON.stringify({ inputs: batch, storage: storageSnapshot() })).then(function (text) {
      JSON.parse(text).results.forEach(function (result) {
        try { applyResult(result); } catch (e) { log("could not apply a result:", e); }
      });
    }).catch(function (e) {
      log("the worker could not process " + batch.length + " input(s):", e);
    }).then(function () {
      busy = false;
      flush();
    });
  }

  // --- boot: config, the PyScript worker, start() -------------------------------------------------------------

  function readConfig() {
    var block = document.getElementById("oncehub-bridge-config");
    if (block) return Promise.resolve({ config: block.textContent, config_origin: "inline" });
    var url = loaderScript && loaderScript.getAttribute("data-config");
    if (!url) return Promise.resolve({ config: null, config_origin: "default" });
    return fetch(new URL(url, location.href).href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (text) {
      return { config: text, config_origin: "url" };
    }, function (e) {
      return { config: null, config_origin: "url", config_fetch_error: "could not load data-config " + url + ": " + e.message };
    });
  }

  function hiddenConfigElement(tag) {
    if (document.querySelector(tag)) return; // the page runs PyScript itself: leave its config alone
    var el = document.createElement(tag);
    el.setAttribute("type", "json");
    el.hidden = true;
    el.textContent = JSON.stringify({ plugins: PLUGINS_OFF });
    document.head.appendChild(el);
  }

  function bootWorker() {
    hiddenConfigElement("py-config");
    hiddenConfigElement("mpy-config");
    var el = document.createElement("script");
    el.type = "py";
    el.setAttribute("worker", "");
    el.setAttribute("name", "oncehub-bridge");
    el.src = base + "oncehub-bridge-worker.py";
    el.setAttribute("config", JSON.stringify({
      interpreter: base + "pyodide/pyodide.mjs",
      packages: ["pydantic", "oncehub-bridge"],
      packages_cache: "passthrough",
      sync_main_only: true
    }));
    document.head.appendChild(el);
    return import(base + "pyscript/core.js").then(function () {
      return new Promise(function (resolve) {
        (function poll() { if (el.xworker) resolve(el.xworker.ready); else setTimeout(poll, 25); })();
      });
    }).then(function () { return el.xworker.sync; });
  }

  function boot() {
    var page = { url: location.href, referrer: document.referrer || null };
    Promise.all([readConfig(), bootWorker()]).then(function (both) {
      var request = both[0];
      request.page = page;
      return both[1].start(JSON.stringify(request)).then(function (text) {
        var report = JSON.parse(text);
        (report.problems || []).forEach(function (problem) { console.error("[oncehub-bridge] config: " + problem); });
        debug = debug || !!report.debug;
        storageKeys = report.storage_keys || [];
        (report.log || []).forEach(function (line) { log(line); });
        worker = both[1];
        api.status = "ready";
        settle.resolve(api);
        flush();
      });
    }).catch(function (e) {
      api.status = "failed";
      console.warn("[oncehub-bridge] the runtime could not start; bookings are not tracked:", e && e.message ? e.message : e);
      settle.reject(e);
    });
  }

  var api = {
    version: VERSION,
    status: "loading",
    ready: ready,
    on: function (kind, fn) {
      if (!listeners[kind]) throw new TypeError("OnceHubBridge.on: unknown kind " + kind + " (booking, error, funnel)");
      if (typeof fn === "function") listeners[kind].push(fn);
      return api;
    },
    /** The problems a config text would report on this page (a list of strings), without applying it. */
    validateConfig: function (text) {
      return ready.then(function () { return worker.validate_config(String(text)); })
        .then(function (answer) { return JSON.parse(answer).problems; });
    }
  };
  window.OnceHubBridge = api;

  // Start after the host page has loaded so the runtime never competes with the page's own resources.
  if (document.readyState === "complete") setTimeout(boot, 0);
  else window.addEventListener("load", function () { setTimeout(boot, 0); });
})();
