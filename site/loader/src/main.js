/*! oncehub-bridge | the loader: catch, bound, queue, start the Python runtime when needed, apply its effects. */
import { findConfig, fetchConfig, loaderSettings } from "./config.js";
import { hookCallback, messageInput, isBooking } from "./sources.js";
import { takeRedirect } from "./redirect_source.js";
import { scheduleStart } from "./start.js";
import { bootRuntime } from "./runtime.js";
import { Handover } from "./handover.js";
import { Effects, fallbackTarget } from "./effects.js";
import { Consent } from "./consent.js";
import { captureFirstTouch } from "./attribution.js";

/* global __VERSION__, __RUNTIME_DIR__, __RUNTIME_PACKAGES__ */
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
  var results = {};         // id -> true once processed here
  var fallbacks = {};       // id -> timer of the fallback redirect
  var busy = false, due = false, wakeTimer = null, runtime = null, storageKeys = [];
  var listeners = { booking: [], error: [], funnel: [] };
  var handover = Handover(pageId);
  var effects = Effects(log);
  var consent = Consent(function () { captureFirstTouch(settings, consent); flush(); });
  var settle = {};
  var ready = new Promise(function (resolve, reject) { settle.resolve = resolve; settle.reject = reject; });
  ready.catch(function () {}); // a failed start is reported by status and error, never as an unhandled rejection
  var counter = 0;

  function fallbackRedirect(why) {
    var target = settings.fallback && fallbackTarget(settings.fallback.url);
    if (target && !effects.navigated) effects.navigate(target, "fallback (" + why + ")");
  }

  function intake(input, keepAs) {
    var entry = { id: pageId + "-" + (counter++), input: input };
    var booking = isBooking(input);
    if (booking) {
      handover.keep({ id: entry.id, input: keepAs || input });
      if (settings.fallback) {
        fallbacks[entry.id] = setTimeout(function () { fallbackRedirect("the runtime did not process the booking in time"); },
          api.status === "failed" ? 0 : settings.fallback.ms);
      }
    }
    queue.push(entry);
    start(booking ? "a booking to process" : "an OnceHub message");
    flush();
  }

  function emit(item) {
    (listeners[item.kind] || []).forEach(function (fn) {
      try { fn(item.event, item.name); } catch (e) { log("an on(\"" + item.kind + "\") listener threw:", e); }
    });
  }

  function applyResult(result) {
    (result.log || []).forEach(function (line) { log(line); });
    (result.events || []).forEach(emit);
    effects.run(result.effects);
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
      var response = JSON.parse(text);
      try { applyResult(response); } catch (e) { log("could not apply a result:", e); }
      batch.forEach(function (entry, i) {
        clearTimeout(fallbacks[entry.id]);
        if (handover.owns(entry.id) === false) return log("a booking was taken over by another page");
        handover.done(entry.id);
        try { applyResult(response.results[i] || {}); } catch (e) { log("could not apply a result:", e); }
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
    console.warn("[oncehub-bridge] the runtime is unavailable (" + api.error + "); bookings are kept for the next page");
    settle.reject(new Error(api.error));
    if (queue.some(function (entry) { return isBooking(entry.input); })) fallbackRedirect(api.error);
  }

  function start(reason) {
    if (api.status !== "idle") return ready;
    api.status = "loading";
    log("starting the runtime: " + reason);
    var page = { url: location.href, referrer: document.referrer || null };
    Promise.all([configReady, bootRuntime(base + __RUNTIME_DIR__ + "/", settings.timeoutMs, __RUNTIME_PACKAGES__)]).then(function (both) {
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
    status: "idle",
    error: null,
    ready: ready,
    start: function () { return start("OnceHubBridge.start()"); },
    on: function (kind, fn) {
      if (!listeners[kind]) throw new TypeError("OnceHubBridge.on: unknown kind " + kind + " (booking, error, funnel)");
      if (typeof fn === "function") listeners[kind].push(fn);
      return api;
    },
    /** Update consent state with Consent Mode v2 keys, e.g. {analytics_storage: "granted"}, like gtag's update. */
    consent: function (update) { consent.update(update); return api; },
    /** The problems a config text would report on this page (a list of strings), without applying it. */
    validateConfig: function (text) {
      return start("OnceHubBridge.validateConfig()").then(function () { return runtime.call("validate_config", String(text)); })
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
  handover.adopt().forEach(function (kept) {
    log("delivering a booking the previous page could not process");
    queue.push({ id: kept.id, input: kept.input });
  });
  if (redirect) intake(redirect.input, redirect.safe);
  if (queue.length) start("a booking to process");
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
