// The effect vocabulary the Python side speaks, applied on the page; navigation last, through the loader (once).

export function Effects(log, navigate) {
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
      if (effect.reset) { var reset = {}; reset[effect.reset] = null; target.push(reset); }
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
    },
    /** The event to the site's own endpoint, queued by the browser so that it survives a navigation right after.
     *  text/plain needs no CORS preflight; a refused beacon (over the browser's quota) goes by fetch keepalive. */
    beacon: function (effect) {
      var body = JSON.stringify(effect.body), type = "text/plain;charset=UTF-8";
      var queued = false;
      try { queued = navigator.sendBeacon(effect.url, new Blob([body], { type: type })); } catch (e) { queued = false; }
      if (!queued) {
        fetch(effect.url, { method: "POST", body: body, keepalive: true, credentials: "same-origin",
          headers: { "Content-Type": type } }).then(null, function (e) { log(effect.sink + ": beacon failed:", e); });
      }
    }
  };

  /** Apply one effect; a failure is logged (debug) and affects nothing else. A promise when the effect has one. */
  function attempt(effect) {
    try {
      var outcome = apply[effect.op](effect);
      if (outcome && typeof outcome.then === "function") return outcome;
    } catch (e) {
      log(effect.sink + ": " + effect.op + " failed:", e);
    }
  }

  return {
    /** Apply a list of effects; the first navigate waits for the others' promises or its timeout_ms. */
    run: function (effects) {
      var pending = [], navigation = null;
      (effects || []).forEach(function (effect) {
        if (effect.op === "navigate") navigation = navigation || effect;
        else if (apply[effect.op]) { var p = attempt(effect); if (p) pending.push(p); }
      });
      if (!navigation) return;
      var go = function () { navigate(navigation.url, navigation.sink); };
      var timer = setTimeout(go, navigation.timeout_ms != null ? navigation.timeout_ms : 1500);
      Promise.all(pending.map(function (p) { return p.then(null, function () {}); })).then(function () {
        clearTimeout(timer);
        go();
      });
    }
  };
}
