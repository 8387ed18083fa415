/* The thank-you page: show the parameters the redirect sink filled in, and what local_storage remembered. */
(function () {
  "use strict";
  var list = document.getElementById("params");
  var query = new URLSearchParams(location.search);
  var count = 0;
  query.forEach(function (value, key) {
    var row = document.createElement("div");
    var dt = document.createElement("dt");
    var dd = document.createElement("dd");
    dt.textContent = key;
    dd.textContent = value || "(empty)";
    dd.id = "param-" + key;
    row.appendChild(dt);
    row.appendChild(dd);
    list.appendChild(row);
    count++;
  });
  // A booking handed over by the booking page (its runtime failed or was too late): the loader's fallback redirect
  // left the placeholders empty, and this page's runtime delivers the kept booking once.
  if (window.OnceHubBridge) {
    OnceHubBridge.on("booking", function (event) {
      document.getElementById("handover").hidden = false;
      document.getElementById("lead").textContent = "The loader's own fallback redirect sent you here, with the " +
        "URL template's placeholders left empty: the booking page could not process the booking.";
      document.getElementById("handover-text").textContent = "booking " + (event.booking_id || "(no id)") +
        " (\u201c" + (event.subject || "") + "\u201d), handed over by the booking page, whose runtime could not " +
        "run: it was kept in sessionStorage and pushed to this page's dataLayer, once.";
    });
  }
  if (!count) list.outerHTML = "<p>No parameters: open this page through a booking on the demo.</p>";
  if (query.get("source") === "booking_calendar") document.getElementById("back").href = "/calendar.html";
  try {
    var stored = JSON.parse(localStorage.getItem("oncehub_bridge") || "null");
    if (stored && stored.bookings) {
      document.getElementById("remembered").textContent = "localStorage \"oncehub_bridge\" remembers " +
        stored.bookings.length + " booking" + (stored.bookings.length === 1 ? "" : "s") + " for this visitor.";
    }
  } catch (e) { /* nothing stored, or not JSON */ }
})();
