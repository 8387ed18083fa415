// The two live sources: calls of SOAfterConfirmationFunction (chained with the page's own function) and oncehub.*
// messages (the origin is checked before anything is read or copied).
import { boundedCopy, boundedParse, LIMITS } from "./limits.js";

var CALLBACK = "SOAfterConfirmationFunction";
var MAX_TYPE = 100;

/** A callback input: the bounded copy of the argument, or an error marker the runtime turns into an error event. */
export function callbackInput(args) {
  if (args.length === 0 || args[0] === undefined) return { kind: "callback", has_argument: false };
  var data = args[0];
  var copy = typeof data === "string" ? boundedParse(data) : boundedCopy(data);
  return copy.error ? { kind: "callback", has_argument: true, error: copy.error }
    : { kind: "callback", has_argument: true, data: copy.value };
}

/** Define SOAfterConfirmationFunction now; the page's own one (before or after us) keeps being called. */
export function hookCallback(onInput) {
  var pageCallback = typeof window[CALLBACK] === "function" ? window[CALLBACK] : null;
  function onConfirmation() {
    try { onInput(callbackInput(arguments)); } catch (e) { /* never in the way of the page's own function */ }
    if (pageCallback) return pageCallback.apply(this, arguments);
  }
  // An accessor keeps us in front of a function the page assigns later. A function the page already declared
  // (`function SOAfterConfirmationFunction`) is a non-configurable global: it can only be overwritten.
  var existing = Object.getOwnPropertyDescriptor(window, CALLBACK);
  if (!existing || existing.configurable) {
    Object.defineProperty(window, CALLBACK, {
      configurable: true,
      enumerable: true,
      get: function () { return onConfirmation; },
      set: function (fn) { if (fn !== onConfirmation) pageCallback = typeof fn === "function" ? fn : null; }
    });
  } else {
    window[CALLBACK] = onConfirmation;
  }
  // A later `function SOAfterConfirmationFunction` declaration replaces the property: chain it, come back first.
  function rewrap() {
    var current = window[CALLBACK];
    if (current !== onConfirmation && typeof current === "function") {
      pageCallback = current;
      window[CALLBACK] = onConfirmation;
    }
  }
  document.addEventListener("DOMContentLoaded", rewrap);
  window.addEventListener("load", rewrap);
}

/** A message input for an oncehub.* message from an allowed origin, or null for anything else. */
export function messageInput(event, origins) {
  if (origins.indexOf(event.origin) === -1) return null; // before touching the data
  var data = event.data, type, input = { kind: "message", origin: event.origin };
  if (typeof data === "string") {
    if (data.indexOf("oncehub.") === -1) return null;
    if (data.length > LIMITS.bytes) { input.error = "payload_too_large"; return input; }
    try { data = JSON.parse(data); } catch (e) { return null; }
  }
  try { type = data && typeof data === "object" ? data.type : null; } catch (e) { return null; }
  if (typeof type !== "string" || type.indexOf("oncehub.") !== 0) return null;
  input.booking = type === "oncehub.booking.scheduled";
  var copy = type.length > MAX_TYPE ? { error: "payload_invalid_type" } : boundedCopy(data);
  if (copy.error) input.error = copy.error; else input.data = copy.value;
  return input;
}

/** Whether an input is a booking (kept for the next page, and followed by the fallback redirect). */
export function isBooking(input) {
  if (input.kind === "callback" || input.kind === "redirect") return true;
  return input.kind === "message" && input.booking;
}
