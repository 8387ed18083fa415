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
