/*! oncehub-bridge | the loader: catch, bound, queue, start the Python runtime when needed, apply its effects. */
import { findConfig, fetchConfig, loaderSettings } from "./config.js";
import { hookCallback, messageInput, isBooking } from "./sources.js";
import { takeRedirect } from "./redirect_source.js";
import { scheduleStart } from "./start.js";
import { Handover, fallbackTarget } from "./handover.js";
import { Consent } from "./consent.js";
import { captureFirstTouch } from "./attribution.js";

/* global __VERSION__, __RUNTIME_DIR__ */
(function () {
  if (window.OnceHubBridge && window.OnceHubBridge.version) return; // loaded twice: the first one wins

  var loaderScript = document.currentScript;
  var base = new URL(".", loaderScript && loaderScript.src ? loaderScript.src : location.href).href;
  var pageId = Math.random().toString(36).slice(2) + Date.now().toString(36);
  var debug = /[?&]oncehub_bridge_debug=1(&|$)/.test(location.search);
  function log() {
    if (debug) console.info.apply(console, ["[oncehub-bridge]"].concat([].slice.call(arguments)));
  }

  var found = findConfig(loaderScript);
  var settings = loaderSettings(found.text);
  debug = debug || settings.debug;
  var configReady = found.url ? fetchConfig(found) : Promise.resolve(found);
  var early = [];           // messages that came before a data-config file told the allowed origins
  var queue = [];           // {id, input} waiting for the runtime, in arrival order
  var fallbacks = {};       // id -> timer of the fallback redirect
  var busy = false, due = false, wakeTimer = null, runtime = null, storageKeys = [];
  var listeners = { booking: [], error: [], funnel: [] };
  var handover = Handover(pageId);
  var navigated = false;
  function navigate(url, why) {
    if (navigated) return;
    navigated = true;
    log(why + ": to " + url);
    try { window.location.assign(url); } catch (e) { log(e); }
  }
  var consent = Consent(function () { captureFirstTouch(settings, consent); flush(); });
  var settle = {};
  var ready = new Promise(function (resolve, reject) { settle.resolve = resolve; settle.reject = reject; });
  ready.catch(function () {}); // a failed start is reported by status and error, never as an unhandled rejection
  var counter = 0;

  function fallbackRedirect(why) {
    var target = settings.fallback && fallbackTarget(settings.fallback.url);
    if (target) navigate(target, "fallback (" + why + ")");
  }

  function intake(input, keepAs) {
    var entry = { id: pageId + "-" + (counter++), input: input };
    var booking = isBooking(input);
    queue.push(entry);
    start(booking ? "a booking" : "a message");
    flush(); // first: the runtime works on the booking while it is kept, in this same task, before any answer
    if (booking) {
      handover.keep({ id: entry.id, input: keepAs || input });
      if (settings.fallback) {
        fallbacks[entry.id] = setTimeout(function () { fallbackRedirect("runtime too late"); },
          api.status === "failed" ? 0 : settings.fallback.ms);
      }
    }
  }

  function settleResult(result) {
    try { runtime.apply(result); } catch (e) { log(e); }
  }

  function storageSnapshot() {
    var snapshot = {};
    storageKeys.forEach(function (key) {
      try { snapshot[key] = window.localStorage.getItem(key); } catch (e) { snapshot[key] = null; }
    });
    return snapshot;
  }

  function flush() {
    if (!runtime || busy) return;
    var signals = consent.take();
    if (queue.length === 0 && signals.length === 0 && !due) return;
    busy = true;
    due = false;
    var batch = queue.splice(0, 50);
    var request = { inputs: batch.map(function (e) { return e.input; }), consent: signals, storage: storageSnapshot() };
    runtime.call("process", JSON.stringify(request)).then(function (text) {
      if (!runtime) return;
      var response = JSON.parse(text);
      settleResult(response);
      batch.forEach(function (entry, i) {
        clearTimeout(fallbacks[entry.id]);
        if (handover.owns(entry.id) === false) return log("another page has it");
        settleResult(response.results[i] || {}); // the booking's effects first, the bookkeeping after them
        handover.done(entry.id);
      });
      clearTimeout(wakeTimer);
      if (typeof response.wake_ms === "number") wakeTimer = setTimeout(function () { due = true; flush(); }, response.wake_ms + 20);
      consent.watch(!!response.watch_consent);
      busy = false;
      flush();
    }, function (e) {
      queue = batch.concat(queue); // still kept for the next page
      fail(e);
    });
  }

  function fail(e) {
    if (api.status === "failed") return;
    api.status = "failed";
    api.error = e && e.message ? e.message : String(e);
    if (runtime) runtime.stop();
    runtime = null;
    console.warn("[oncehub-bridge] runtime failed (" + api.error + "): bookings go to the next page");
    settle.reject(new Error(api.error));
    if (queue.some(function (entry) { return isBooking(entry.input); })) fallbackRedirect(api.error);
  }

  function start(reason) {
    if (api.status !== "idle") return ready;
    api.status = "loading";
    log("starting the runtime: " + reason);
    var page = { url: location.href, referrer: document.referrer || null };
    var runtimeBase = base + __RUNTIME_DIR__ + "/";
    var booted = import(runtimeBase + "boot.js").then(function (boot) {
      return boot.bootRuntime(runtimeBase, settings.timeoutMs, navigate, log, listeners);
    }, function () { throw new Error("the runtime failed to load (boot.js)"); });
    Promise.all([configReady, booted]).then(function (both) {
      var config = both[0], live = both[1];
      var request = { config: config.text, config_origin: config.origin, config_fetch_error: config.error || null, page: page };
      return live.call("start", JSON.stringify(request)).then(function (text) {
        var report = JSON.parse(text);
        (report.problems || []).forEach(function (problem) { console.error("[oncehub-bridge] config: " + problem); });
        debug = debug || !!report.debug;
        storageKeys = report.storage_keys || [];
        (report.log || []).forEach(function (line) { log(line); });
        runtime = live;
        api.status = "ready";
        settle.resolve(api);
        due = true; // the first call syncs consent and first-touch attribution even without a booking
        flush();
      });
    }).then(null, fail);
    return ready;
  }

  var api = {
    version: __VERSION__,
    _page: pageId, // internal: what the loaders in this tab's other frames read (livePages)
    status: "idle",
    error: null,
    ready: ready,
    start: function () { return start("start()"); },
    on: function (kind, fn) {
      if (!listeners[kind]) throw new TypeError("unknown kind " + kind);
      if (typeof fn === "function") listeners[kind].push(fn);
      return api;
    },
    /** Update consent state with Consent Mode v2 keys, e.g. {analytics_storage: "granted"}, like gtag's update. */
    consent: function (update) { consent.update(update); return api; },
    /** The problems a config text would report on this page (a list of strings), without applying it. */
    validateConfig: function (text) {
      return start("validateConfig").then(function () { return runtime.call("validate_config", String(text)); })
        .then(function (answer) { return JSON.parse(answer).problems; });
    }
  };
  window.OnceHubBridge = api;

  // Synchronously, before any script after us runs: the redirect's personal parameters leave the URL, and
  // SOAfterConfirmationFunction exists.
  var redirect = takeRedirect(settings);
  hookCallback(intake);
  window.addEventListener("message", function (e) {
    if (found.url && !configReady.done) { early.push(e); return; }
    var input = messageInput(e, settings.origins);
    if (input) intake(input);
  });
  /** The page ids of the other loaders open in this tab, in its frames of this origin. */
  function livePages() {
    var ids = [];
    (function walk(w) {
      try {
        for (var i = 0; i < w.length; i++) walk(w[i]);
        if (w !== window && w.OnceHubBridge) ids.push(w.OnceHubBridge._page);
      } catch (e) { /* a frame of another origin (its own frames are walked first), or one just gone */ }
    })(window.top);
    return ids;
  }
  function adoptKept() { // what the previous page left; also on coming back from the back-forward cache, as the page
    // the visitor left for may have taken this page's bookings over without delivering them
    handover.adopt(livePages).forEach(function (kept) {
      log("kept by an earlier page");
      queue.push({ id: kept.id, input: kept.input }); // one this page has queued already is applied once: see flush
    });
    if (queue.length) start("a booking");
    flush();
  }
  adoptKept();
  window.addEventListener("pageshow", function (e) { if (e.persisted) adoptKept(); });
  if (redirect) intake(redirect.input, redirect.safe);
  function whenConfigured() {
    captureFirstTouch(settings, consent);
    scheduleStart(settings, start);
  }
  if (!found.url) return whenConfigured();
  configReady.then(function (config) {
    settings = loaderSettings(config.text);
    debug = debug || settings.debug;
    configReady.done = true;
    early.splice(0).forEach(function (e) { var input = messageInput(e, settings.origins); if (input) intake(input); });
    whenConfigured();
  });
})();
