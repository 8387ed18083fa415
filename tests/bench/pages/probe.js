/* Benchmark probe, loaded first by both benchmark pages (same file, same cost for both).
 * - wraps dataLayer.push so every push is time-stamped with performance.now();
 * - lets the runner wait for the push that carries a given booking id;
 * - window.__bench.mark(name) records performance.now() once per name.
 * The long-task observer is not here: the runner installs it as an init script, before any page script. */
(function () {
  "use strict";
  var bench = window.__bench = window.__bench || {};
  bench.marks = bench.marks || {};
  bench.pushes = [];
  var waiters = [];

  bench.mark = function (name) {
    if (bench.marks[name] == null) bench.marks[name] = performance.now();
  };

  var dataLayer = window.dataLayer = window.dataLayer || [];
  var push = dataLayer.push;
  dataLayer.push = function () {
    var t = performance.now();
    var result = push.apply(this, arguments);
    for (var a = 0; a < arguments.length; a++) {
      bench.pushes.push({ t: t, event: arguments[a] && arguments[a].event });
      if (waiters.length) {
        var text;
        try { text = JSON.stringify(arguments[a]); } catch (e) { text = ""; }
        for (var i = waiters.length - 1; i >= 0; i--) {
          if (text.indexOf(waiters[i].id) !== -1) { waiters[i].resolve(t); waiters.splice(i, 1); }
        }
      }
    }
    return result;
  };

  /** Resolve with the performance.now() of the dataLayer push that mentions `id`, or null after timeoutMs. */
  bench.waitForPush = function (id, timeoutMs) {
    return new Promise(function (resolve) {
      var waiter = { id: id, resolve: resolve };
      waiters.push(waiter);
      setTimeout(function () {
        var i = waiters.indexOf(waiter);
        if (i !== -1) { waiters.splice(i, 1); resolve(null); }
      }, timeoutMs);
    });
  };

  /** Call SOAfterConfirmationFunction once per payload, awaiting each, and return the latencies (ms) from the
   * call to the matching dataLayer push (null when it never came). */
  bench.bookings = async function (payloads, timeoutMs) {
    var latencies = [];
    for (var i = 0; i < payloads.length; i++) {
      var id = payloads[i].bookingInfo.BookingId[0];
      var pushed = bench.waitForPush(id, timeoutMs);
      var t0 = performance.now();
      window.SOAfterConfirmationFunction(payloads[i]);
      var t1 = await pushed;
      latencies.push(t1 == null ? null : t1 - t0);
    }
    return latencies;
  };

  document.addEventListener("DOMContentLoaded", function () { bench.mark("domcontentloaded"); });
  window.addEventListener("load", function () { bench.mark("load"); });
})();
