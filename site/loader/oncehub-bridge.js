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
  var signals = [];        // consent commands not yet sent to the worker, in order
  var scanned = 0;         // dataLayer entries already read for gtag consent commands
  var due = false;         // call the worker even with nothing new: first sync, or a consent wait ends
  var wakeTimer = null, watchTimer = null;
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

  // --- consent: the page's gtag("consent", ...) commands and OnceHubBridge.consent(update) ----------------------

  /** gtag("consent", "default" | "update", {...}) leaves ["consent", command, state] in dataLayer: read new ones. */
  function scanConsent() {
    var dl = window.dataLayer, found = false;
    if (!dl || typeof dl.length !== "number") return false;
    if (dl.length < scanned) scanned = 0; // the page replaced its dataLayer
    for (; scanned < dl.length; scanned++) {
      var entry = dl[scanned];
      if (!entry || typeof entry !== "object" || entry[0] !== "consent") continue;
      var state = jsonCopy(entry[2]);
      if ((entry[1] === "default" || entry[1] === "update") && state && typeof state === "object") {
        signals.push({ command: entry[1], state: state });
        found = true;
      }
    }
    return found;
  }

  /** Follow the worker's answer: call again after wake_ms, and watch dataLayer while consent is awaited. */
  function schedule(response) {
    clearTimeout(wakeTimer);
    if (typeof response.wake_ms === "number") wakeTimer = setTimeout(function () { due = true; flush(); }, response.wake_ms + 20);
    if (response.watch_consent && !watchTimer) watchTimer = setInterval(function () { if (scanConsent()) flush(); }, 200);
    if (!response.watch_consent && watchTimer) { clearInterval(watchTimer); watchTimer = null; }
  }

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
    store: function (effect) {
      if (effect.value == null) window.localStorage.removeItem(effect.key);
      else window.localStorage.setItem(effect.key, effect.value);
    },
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
    var timer = setTimeout(go, effect.timeout_ms != null ? effect.timeout_ms : 1500);
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
    if (!worker || busy) return;
    scanConsent();
    if (queue.length === 0 && signals.length === 0 && !due) return;
    busy = true;
    due = false;
    var batch = queue.splice(0, queue.length);
    var request = { inputs: batch, consent: signals.splice(0, signals.length), storage: storageSnapshot() };
    worker.process(JSON.stringify(request)).then(function (text) {
      var response = JSON.parse(text);
      // page-level effects first (deliveries consent released, first-touch storage), then one result per input
      [response].concat(response.results).forEach(function (result) {
        try { applyResult(result); } catch (e) { log("could not apply a result:", e); }
      });
      schedule(response);
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

  /** Why the runtime cannot run on this page, or "" when it can. PyScript builds code with Function() as it
   *  starts; where the page's Content-Security-Policy forbids that, it would quietly fall back to a public CDN. */
  function runtimeBlocked() {
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") return "this browser lacks WebAssembly or workers";
    try { Function("return 1")(); } catch (e) { return "the page's Content-Security-Policy must allow 'unsafe-eval'"; }
    return "";
  }

  function fail(e) {
    api.status = "failed";
    console.warn("[oncehub-bridge] the runtime could not start; bookings are not tracked:", e && e.message ? e.message : e);
    settle.reject(e);
  }

  function boot() {
    var page = { url: location.href, referrer: document.referrer || null };
    var blocked = runtimeBlocked();
    if (blocked) return fail(new Error(blocked));
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
        due = true; // the first call syncs consent and first-touch attribution even without a booking
        flush();
      });
    }).catch(fail);
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
    /** Update consent state with Consent Mode v2 keys, e.g. {analytics_storage: "granted"}, like gtag's update. */
    consent: function (update) {
      var state = jsonCopy(update);
      if (state && typeof state === "object") { signals.push({ command: "update", state: state }); flush(); }
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
