// The few config values the loader itself needs before (or without) the Python runtime. The runtime validates the
// whole config and reports its problems; here anything unexpected simply falls back to the default.

export var DEFAULT_ORIGINS = ["https://oncehub.com"];

/** The config as text and where it came from: the #oncehub-bridge-config block, window.OnceHubBridgeConfig, or
 *  (asynchronously) the loader's data-config URL. */
export function findConfig(loaderScript) {
  var block = document.getElementById("oncehub-bridge-config");
  if (block) return { text: block.textContent, origin: "inline" };
  var global = window.OnceHubBridgeConfig;
  if (global && typeof global === "object") {
    try { return { text: JSON.stringify(global), origin: "global" }; } catch (e) {
      return { text: null, origin: "global", error: "OnceHubBridgeConfig is not JSON data" };
    }
  }
  var url = loaderScript && loaderScript.getAttribute("data-config");
  if (url) return { url: new URL(url, location.href).href, origin: "url" };
  return { text: null, origin: "default" };
}

export function fetchConfig(found) {
  return fetch(found.url, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.text();
  }).then(function (text) {
    return { text: text, origin: "url" };
  }, function (e) {
    return { text: null, origin: "url", error: found.url + ": " + e.message };
  });
}

function pick(object, key) {
  return object && typeof object === "object" && !Array.isArray(object) ? object[key] : undefined;
}

function number(value, fallback, max) {
  return typeof value === "number" && value >= 0 && value <= max ? value : fallback;
}

/** The loader's settings from a config text. */
export function loaderSettings(text) {
  var raw = null;
  try { raw = text ? JSON.parse(text) : null; } catch (e) { raw = null; }
  var runtime = pick(raw, "runtime"), sources = pick(raw, "sources");
  var calendar = pick(sources, "booking_calendar"), redirectSource = pick(sources, "redirect");
  var origins = pick(calendar, "allowed_origins");
  var sinks = pick(raw, "sinks"), redirect = null;
  (Array.isArray(sinks) ? sinks : []).forEach(function (sink) {
    if (!redirect && pick(sink, "type") === "redirect" && typeof sink.url === "string") redirect = sink;
  });
  var attribution = pick(raw, "attribution") || {}, consent = pick(raw, "consent") || {};
  var start = pick(runtime, "start");
  return {
    start: start === "load" || start === "manual" ? start : "near_embed",
    timeoutMs: number(pick(runtime, "timeout_ms"), 20000, 600000),
    marginPx: number(pick(runtime, "margin_px"), 600, 100000),
    embedSelector: typeof pick(runtime, "embed_selector") === "string" ? runtime.embed_selector : "",
    origins: Array.isArray(origins) ? origins.filter(function (o) { return typeof o === "string"; }) : DEFAULT_ORIGINS,
    redirectSource: redirectSource !== false && pick(redirectSource, "enabled") !== false,
    keepParams: Array.isArray(pick(redirectSource, "keep_params")) ? redirectSource.keep_params : [],
    fallback: redirect && { url: redirect.url, ms: number(redirect.fallback_ms, 3000, 60000) },
    attribution: {
      enabled: attribution.enabled !== false,
      key: typeof attribution.key === "string" && attribution.key ? attribution.key : "oncehub_bridge_attribution",
      maxAgeDays: number(attribution.max_age_days, 90, 730)
    },
    consentOn: typeof consent === "object" && "mode" in consent && consent.mode !== "off",
    debug: pick(raw, "debug") === true
  };
}
