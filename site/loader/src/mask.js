// PII masked for the screen: the debug panel (panel.js) and the demo's inspector (site/demo/inspector.js) show events
// and what each sink did through this one function, so that both hide the same things.

var PII = /^(name|email|phone|mobile_phone|note|customer|customername|customeremail|customerphone|em|ph|fn|ln|email_address|phone_number|guests|attendees)$/i;

/** `value` (any JSON value, found under `key`) with each string under a PII key, and each string with an @ in it,
 *  cut to its first character; sha256 hex shortened. */
export function mask(value, key) {
  if (Array.isArray(value)) return value.map(function (v) { return mask(v, key); });
  if (value && typeof value === "object") {
    var out = {};
    Object.keys(value).forEach(function (k) {
      // a custom field is the booking form's question (shown) and the customer's answer (masked)
      out[k] = key !== "custom_fields" ? mask(value[k], k) : k === "value" ? mask(value[k], "note") : value[k];
    });
    return out;
  }
  if (typeof value !== "string") return value;
  if ((key && PII.test(key)) || /@/.test(value)) return value ? value.charAt(0) + "\u2022\u2022\u2022" : value;
  if (/^[0-9a-f]{64}$/.test(value)) return value.slice(0, 10) + "\u2026";
  return value;
}
