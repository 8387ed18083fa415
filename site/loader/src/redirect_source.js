// OnceHub's automatic redirect with booking data: on a page whose URL has that shape, every parameter but the
// non-personal ones leaves the address bar at once; the whole set stays in memory only, for the runtime.

var CALENDAR = ["id", "booking_calendar", "subject", "status", "customer_timezone", "creation_time", "starting_time"];
var CLASSIC = ["subject", "bookingPage", "creationTime", "meetingTime", "timeZone", "utcOffset"];
var SITE = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "gclid", "fbclid", "msclkid",
  "oncehub_bridge_debug"];
var SEEN_KEY = "oncehub_bridge_redirects";

/** "calendar", "classic" or null: which of OnceHub's parameter sets the query carries. */
export function redirectShape(params) {
  if (/^BKNG-/.test(params.get("id") || "") && (params.has("booking_calendar") || params.has("starting_time"))) return "calendar";
  if (params.has("meetingTime") && (params.has("creationTime") || params.has("bookingPage"))) return "classic";
  return null;
}

function seenKey(shape, params) {
  return shape === "calendar" ? params.get("id")
    : "classic:" + [params.get("creationTime"), params.get("meetingTime"), params.get("bookingPage")].join("|");
}

function seen() {
  try { return JSON.parse(window.sessionStorage.getItem(SEEN_KEY) || "[]"); } catch (e) { return []; }
}

/** Scrub the URL; the redirect input (once per booking per session), or null. */
export function takeRedirect(settings) {
  if (!settings.redirectSource || !location.search) return null;
  var params = new URLSearchParams(location.search), shape = redirectShape(params);
  if (!shape) return null;
  var keep = (shape === "calendar" ? CALENDAR : CLASSIC).concat(SITE, settings.keepParams);
  var pairs = [], kept = new URLSearchParams();
  params.forEach(function (value, name) {
    pairs.push([name, value]);
    if (keep.indexOf(name) !== -1) kept.append(name, value);
  });
  var query = kept.toString();
  try {
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  } catch (e) { /* a sandboxed document may refuse: nothing else to do */ }
  var key = seenKey(shape, params), list = seen();
  if (list.indexOf(key) !== -1) return null; // a reload, back, or the same link again: not a second booking
  try { window.sessionStorage.setItem(SEEN_KEY, JSON.stringify(list.concat([key]).slice(-50))); } catch (e) { /* in memory only */ }
  return {
    input: { kind: "redirect", shape: shape, params: pairs },
    // what may be kept for the next page if this one cannot process it: the non-personal parameters only
    safe: { kind: "redirect", shape: shape, params: pairs.filter(function (p) { return keep.indexOf(p[0]) !== -1; }) }
  };
}
