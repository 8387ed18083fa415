/* Stand-ins for OnceHub's embed scripts on the parent page, pointed at the simulated booking page on the
 * second origin (this page's port + 1):
 * - <div data-so-page="..."> works like so.js for a classic booking page: it embeds the page in an iframe and,
 *   when the page reports a confirmed booking, calls window.SOAfterConfirmationFunction(data) with it.
 * - <div data-oncehub-calendar> embeds a Booking Calendar, which posts its oncehub.* events to this page itself.
 * - <div data-oncehub-redirect> embeds one set to OnceHub's automatic redirect: after a booking it sends the whole
 *   window to /confirmed.html with the booking (name and email included) in the query.
 */
(function () {
  "use strict";
  var bookingOrigin = window.OnceHubDemo.bookingOrigin;

  function embed(holder, mode) {
    var src = new URL(bookingOrigin + "/booking/");
    src.searchParams.set("mode", mode);
    src.searchParams.set("parent", location.origin);
    new URLSearchParams(location.search).forEach(function (value, key) {
      if (key.indexOf("utm_") === 0) src.searchParams.set(key, value); // OnceHub passes the page's UTM on
    });
    var frame = document.createElement("iframe");
    frame.src = src.href;
    frame.title = holder.getAttribute("data-title") || "Booking page";
    frame.className = "booking-frame";
    holder.appendChild(frame);
    return frame;
  }

  var frames = [];
  document.querySelectorAll("[data-so-page]").forEach(function (holder) { frames.push(embed(holder, "classic")); });
  document.querySelectorAll("[data-oncehub-calendar]").forEach(function (holder) { frames.push(embed(holder, "calendar")); });
  document.querySelectorAll("[data-oncehub-redirect]").forEach(function (holder) { frames.push(embed(holder, "redirect")); });

  window.addEventListener("message", function (e) {
    if (e.origin !== bookingOrigin || !e.data || typeof e.data !== "object") return;
    var frame = frames.filter(function (f) { return f.contentWindow === e.source; })[0];
    if (e.data.type === "so-demo.height" && frame) {
      frame.style.height = Math.max(240, Number(e.data.height) || 0) + "px";
    } else if (e.data.type === "so-demo.confirmed") {
      window.OnceHubDemo.bookingSentAt = performance.now();
      if (typeof window.SOAfterConfirmationFunction === "function") window.SOAfterConfirmationFunction(e.data.payload);
    }
  });
})();
