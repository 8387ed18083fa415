// A bounded copy of what the page hands over: size, nesting depth and string length are checked while copying,
// so nothing unbounded ever reaches the Python runtime (whose JSON parser overflows on deep nesting).

export var LIMITS = { bytes: 256 * 1024, depth: 32, string: 8192, items: 1000 };

var LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function Over(code) { this.code = code; }

/** {value} (a JSON-safe copy, like JSON.parse(JSON.stringify(value))) or {error: code}, code one of
 *  payload_too_large, payload_too_deep, payload_cyclic, payload_invalid_text, payload_unreadable. */
export function boundedCopy(value) {
  var budget = LIMITS.bytes, ancestors = [];

  function text(s) {
    if (s.length > LIMITS.string || (budget -= s.length + 2) < 0) throw new Over("payload_too_large");
    if (LONE_SURROGATE.test(s)) throw new Over("payload_invalid_text");
    return s;
  }

  function copy(v, depth) {
    budget -= 4;
    if (v === null || typeof v === "boolean") return v;
    if (typeof v === "number") return isFinite(v) ? v : null;
    if (typeof v === "string") return text(v);
    if (typeof v !== "object") return undefined; // functions, symbols, undefined: left out, as JSON does
    if (typeof v.toJSON === "function") return copy(v.toJSON(), depth);
    if (ancestors.indexOf(v) !== -1) throw new Over("payload_cyclic");
    if (depth >= LIMITS.depth) throw new Over("payload_too_deep");
    ancestors.push(v);
    var out, i, item;
    if (Array.isArray(v)) {
      if (v.length > LIMITS.items) throw new Over("payload_too_large");
      out = [];
      for (i = 0; i < v.length; i++) {
        item = copy(v[i], depth + 1);
        out.push(item === undefined ? null : item);
      }
    } else {
      var keys = Object.keys(v);
      if (keys.length > LIMITS.items) throw new Over("payload_too_large");
      out = {};
      for (i = 0; i < keys.length; i++) {
        item = copy(v[keys[i]], depth + 1);
        if (item !== undefined) out[text(keys[i])] = item;
      }
    }
    ancestors.pop();
    if (budget < 0) throw new Over("payload_too_large");
    return out;
  }

  try {
    return { value: copy(value, 0) };
  } catch (e) {
    return { error: e instanceof Over ? e.code : "payload_unreadable" };
  }
}

/** What a JSON text handed over by the page holds, bounded like boundedCopy; {error: "invalid_json"} if it is
 *  not JSON. */
export function boundedParse(textValue) {
  if (textValue.length > LIMITS.bytes) return { error: "payload_too_large" };
  var parsed;
  try { parsed = JSON.parse(textValue); } catch (e) { return { error: "invalid_json" }; }
  return boundedCopy(parsed);
}
