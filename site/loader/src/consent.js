// Consent signals for the runtime: the page's gtag("consent", ...) commands (read from dataLayer) and
// OnceHubBridge.consent(update). The runtime decides what they mean for each sink; the loader keeps a summary only
// to capture first-touch attribution on pages where the runtime never starts.
import { boundedCopy } from "./limits.js";

export function Consent(onSignal) {
  var signals = [], scanned = 0, timer = null, state = {};

  function add(command, value) {
    var copy = boundedCopy(value).value;
    if (!copy || typeof copy !== "object") return;
    signals.push({ command: command, state: copy });
    for (var key in copy) if (copy[key] === "granted" || copy[key] === "denied") state[key] = copy[key];
  }

  /** gtag("consent", "default" | "update", {...}) leaves ["consent", command, state] in dataLayer: read new ones. */
  function scan() {
    var dl = window.dataLayer, before = signals.length;
    if (!dl || typeof dl.length !== "number") return false;
    if (dl.length < scanned) scanned = 0; // the page replaced its dataLayer
    for (; scanned < dl.length; scanned++) {
      var entry = dl[scanned];
      if (entry && typeof entry === "object" && entry[0] === "consent" && (entry[1] === "default" || entry[1] === "update")) add(entry[1], entry[2]);
    }
    return signals.length > before;
  }

  return {
    granted: function (key) { scan(); return state[key] === "granted"; },
    update: function (value) { add("update", value); onSignal(); },
    take: function () { scan(); return signals.splice(0); },
    /** Watch dataLayer while the runtime waits for a consent decision. */
    watch: function (on) {
      if (on && !timer) timer = setInterval(function () { if (scan()) onSignal(); }, 200);
      if (!on && timer) { clearInterval(timer); timer = null; }
    }
  };
}
