// First-touch attribution on every page that runs the loader, also where the runtime never starts: the URL's utm_*
// parameters and click ids, stored in the runtime's format when nothing valid is stored and consent allows. The
// runtime, when it runs, applies the same rules and also removes what consent denies.

var PARTS = {
  utm_params: { consent: "analytics_storage", keys: ["source", "medium", "campaign", "term", "content"], prefix: "utm_" },
  click_ids: { consent: "ad_storage", keys: ["gclid", "fbclid", "msclkid"], prefix: "" }
};

export function captureFirstTouch(settings, consent) {
  var a = settings.attribution;
  if (!a.enabled || !location.search) return;
  try {
    var params = new URLSearchParams(location.search), stored = {}, changed = false;
    try { stored = JSON.parse(window.localStorage.getItem(a.key) || "{}") || {}; } catch (e) { stored = {}; }
    var now = Date.now();
    Object.keys(PARTS).forEach(function (name) {
      var part = PARTS[name], value = {}, any = false;
      part.keys.forEach(function (key) {
        var v = params.get(part.prefix + key);
        if (v) { value[key] = v; any = true; }
      });
      var old = stored[name], at = old && Date.parse(old.captured_at);
      var valid = old && old.value && at && now - at <= a.maxAgeDays * 86400000;
      if (!any || valid || (settings.consentOn && !consent.granted(part.consent))) return;
      stored[name] = { value: value, captured_at: new Date(now).toISOString().replace(/\.\d+Z$/, "Z") };
      changed = true;
    });
    if (changed) {
      stored.version = 1;
      window.localStorage.setItem(a.key, JSON.stringify(stored));
    }
  } catch (e) { /* storage forbidden or full: nothing is captured */ }
}
