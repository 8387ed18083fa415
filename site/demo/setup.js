/* The demo page's own setup, run before the bridge's loader (like a site's tag snippets would be):
 * - picks the config (the one edited in the inspector, else this page's default) and writes it into the
 *   #oncehub-bridge-config block the loader reads;
 * - defines stub tags (gtag, fbq, analytics, _hsq, lintrk, a callback) that record their calls instead of
 *   sending anything, and watches dataLayer, localStorage and the oncehub:booking DOM event;
 * - holds the redirect for a few seconds (Navigation API) so the inspector can show where it is going.
 * Nothing here is part of the bundle: a customer page gets the same bridge without any of it.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var page = (script && script.getAttribute("data-page")) || "classic";
  var port = Number(location.port || (location.protocol === "https:" ? 443 : 80));
  var bookingOrigin = location.protocol + "//" + location.hostname + ":" + (port + 1);
  var storageKey = "oncehub-demo-config:" + page;
  var listeners = [];

  var REDIRECT_URL = "/thank-you.html?booking={booking_id}&subject={subject}&start={starting_time}&source={source}";
  var TAG_SINKS = [
    { type: "gtag" },
    { type: "meta_pixel" },
    { type: "segment" },
    { type: "hubspot", pii: "raw" },
    { type: "linkedin", conversion_id: 1234567 },
    { type: "custom_event" },
    { type: "callback", "function": "acme.onBooking" },
    { type: "python", module: "/demo/sinks/sales_alert.py", "class": "SalesAlertSink", channel: "#sales" },
    { type: "beacon", url: "/api/bookings" }
  ];

  function defaultConfig() {
    var config = { sinks: [{ type: "data_layer" }, { type: "local_storage" }].concat(TAG_SINKS, [
      { type: "redirect", url: REDIRECT_URL }])};
    // OnceHub itself redirects from the booking page; the confirmation page has no redirect of its own
    if (page === "redirect" || page === "confirmed") config.sinks.pop();
    if (page === "calendar") config = { sources: { booking_calendar: { allowed_origins: [bookingOrigin] } },
                                        sinks: config.sinks };
    return JSON.stringify(config, null, 2);
  }

  // ?demo_runtime=blocked: the bridge finds no Worker, as where its runtime is blocked; a booking then goes to the
  // thank-you page by the loader's own fallback, and that page delivers it (docs/reliability.md)
  if (new URLSearchParams(location.search).get("demo_runtime") === "blocked") window.Worker = undefined;

  var edited = null;
  try { edited = sessionStorage.getItem(storageKey); } catch (e) { /* storage blocked: use the default */ }
  var configText = edited !== null ? edited : defaultConfig();
  var block = document.createElement("script");
  block.type = "application/json";
  block.id = "oncehub-bridge-config";
  block.textContent = configText;
  document.head.appendChild(block);

  /** Tell the inspector about something a sink did (or a moment worth timing). */
  function record(sink, what, detail) {
    var entry = { at: performance.now(), sink: sink, what: what, detail: detail };
    demo.activity.push(entry);
    listeners.forEach(function (fn) { try { fn(entry); } catch (e) { console.warn("[demo] inspector:", e); } });
  }

  function plain(value) {
    try { return JSON.parse(JSON.stringify(value)); } catch (e) { return String(value); }
  }

  // --- stub tags: what a site's GA4, Meta, Segment, HubSpot and LinkedIn snippets would define ----------------

  window.dataLayer = window.dataLayer || [];
  var pushToDataLayer = window.dataLayer.push;
  window.dataLayer.push = function () {
    for (var i = 0; i < arguments.length; i++) {
      var entry = arguments[i];
      // {oncehub: null} before each event clears GTM's merged model (SPEC §4); the event is the row worth showing
      if (entry && typeof entry === "object" && entry.event !== undefined) record("data_layer", "dataLayer.push", plain(entry));
    }
    return pushToDataLayer.apply(this, arguments);
  };
  window.gtag = function () { record("gtag", "gtag", plain([].slice.call(arguments))); };
  window.fbq = function () { record("meta_pixel", "fbq", plain([].slice.call(arguments))); };
  window.analytics = {
    track: function () { record("segment", "analytics.track", plain([].slice.call(arguments))); },
    identify: function () { record("segment", "analytics.identify", plain([].slice.call(arguments))); }
  };
  window._hsq = [];
  window._hsq.push = function () {
    for (var i = 0; i < arguments.length; i++) record("hubspot", "_hsq.push", plain(arguments[i]));
    return Array.prototype.push.apply(this, arguments);
  };
  window.lintrk = function () { record("linkedin", "lintrk", plain([].slice.call(arguments))); };
  window.acme = {
    onBooking: function (event) { record("callback", "acme.onBooking", plain(event)); },
    salesAlert: function (channel, text) { record("python", "acme.salesAlert (SalesAlertSink)", { channel: channel, text: text }); }
  };
  if (navigator.sendBeacon) {
    var sendBeacon = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = function (url, body) {
      if (typeof body === "object" && body && body.text) {
        body.text().then(function (text) {
          var sent = text;
          try { sent = JSON.parse(text); } catch (e) { /* not JSON: show the text */ }
          record("beacon", "navigator.sendBeacon \u2192 " + String(url).replace(location.origin, ""), sent);
        });
      }
      return sendBeacon(url, body);
    };
  }
  ["oncehub:booking", "oncehub:error", "oncehub:funnel"].forEach(function (name) {
    document.addEventListener(name, function (e) { record("custom_event", "document \u2192 " + name, plain(e.detail)); });
  });

  var setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    var result = setItem.apply(this, arguments);
    if (this === window.localStorage) {
      var stored = String(value);
      try { stored = JSON.parse(stored); } catch (e) { /* not JSON: show the text */ }
      var sink = demo.storageKeys().sinks.indexOf(key) !== -1 ? "local_storage" : "attribution";
      record(sink, "localStorage.setItem", { key: key, value: stored });
    }
    return result;
  };

  // --- timing marks: when a booking left the embed (the latency the inspector shows is from here) -------------

  window.addEventListener("message", function (e) {
    if (e.origin === bookingOrigin && e.data && e.data.type === "oncehub.booking.scheduled") {
      demo.bookingSentAt = performance.now();
    }
  });

  // --- the redirect: hold it so the inspector can show it, then go ---------------------------------------------

  var letThrough = false;
  if (window.navigation && typeof window.navigation.addEventListener === "function") {
    window.navigation.addEventListener("navigate", function (e) {
      if (letThrough || e.userInitiated || !e.cancelable || e.navigationType !== "push" || e.hashChange) return;
      e.preventDefault();
      demo.pendingRedirect = e.destination.url;
      record("redirect", "navigate (held by the demo)", { url: e.destination.url });
    });
  }

  var demo = window.OnceHubDemo = {
    page: page,
    // the names (never the values) of the query parameters the page arrived with, before the loader scrubs them
    arrivedWith: page === "confirmed" ? Array.from(new URLSearchParams(location.search).keys()) : [],
    bookingOrigin: bookingOrigin,
    configText: configText,
    configEdited: edited !== null,
    defaultConfig: defaultConfig,
    activity: [],
    bookingSentAt: null,
    pendingRedirect: null,
    onActivity: function (fn) { listeners.push(fn); },
    /** The localStorage keys the running config writes: local_storage sinks' and first-touch attribution's. */
    storageKeys: function () {
      var config = {};
      try { config = JSON.parse(configText) || {}; } catch (e) { /* the loader reports it */ }
      var sinks = (Array.isArray(config.sinks) ? config.sinks : []).filter(function (s) {
        return s && s.type === "local_storage";
      }).map(function (s) { return s.key || "oncehub_bridge"; });
      var attribution = config.attribution || {};
      return { sinks: sinks, attribution: attribution.enabled === false ? null : attribution.key || "oncehub_bridge_attribution" };
    },
    /** Store an edited config for this page (null: back to the default) and reload with it. */
    applyConfig: function (text) {
      try {
        if (text === null) sessionStorage.removeItem(storageKey);
        else sessionStorage.setItem(storageKey, text);
      } catch (e) { /* storage blocked: nothing to apply */ }
      location.reload();
    },
    /** Follow the held redirect now. */
    followRedirect: function () {
      if (!demo.pendingRedirect) return;
      letThrough = true;
      location.assign(demo.pendingRedirect);
    }
  };
})();
