/* A simulated OnceHub booking page, served from a second origin and embedded in a cross-origin iframe.
 *
 * ?mode=classic   (a classic booking page) tells the parent's embed script "confirmed" with a payload shaped like
 *                 OnceHub's SOAfterConfirmationFunction data; the parent's so.js stand-in calls the function.
 * ?mode=calendar  (a Booking Calendar) posts oncehub.* events to the parent itself: loaded, time slot selected,
 *                 form submitted, then oncehub.booking.scheduled with a booking object.
 * ?parent=<origin> is where messages go (the embed script passes its own origin).
 */
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var mode = ["calendar", "redirect"].indexOf(params.get("mode")) !== -1 ? params.get("mode") : "classic";
  var parentOrigin = /^https?:\/\/[^/]+$/.test(params.get("parent") || "") ? params.get("parent") : "*";
  var PAGE_ZONE = "America/New_York"; // the booking page's own time zone (SOTime)
  var customerZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  var subject = mode === "classic" ? "Product demo - 30-minute meeting" : "Introductory sales call";
  var DURATION = 30;
  var CALENDAR = { id: "BKC-DEMO8DJNDN", host: "USR-DEMOHOST01", url: "https://oncehub.com/acme-demo",
                   name: "Acme Analytics booking calendar", subject: subject, duration_minutes: DURATION };
  var chosen = null;
  var $ = function (id) { return document.getElementById(id); };

  function post(message) {
    if (parent !== window) parent.postMessage(message, parentOrigin);
  }

  function reportHeight() {
    post({ type: "so-demo.height", height: Math.ceil(document.body.getBoundingClientRect().height) });
  }

  /** Wall-clock time of `date` in `zone`, ISO 8601 without offset (as OnceHub's CustomerTime / SOTime). */
  function wallClock(date, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-CA", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute + ":" + parts.second;
  }

  function utcIso(date) { return date.toISOString().slice(0, 19); }

  function randomId(prefix, length) {
    var alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", out = "";
    var bytes = crypto.getRandomValues(new Uint8Array(length));
    for (var i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
    return prefix + out;
  }

  // --- step 1: days and slots ----------------------------------------------------------------------------------

  function nextWeekdays(count) {
    var days = [], d = new Date();
    d.setHours(0, 0, 0, 0);
    while (days.length < count) {
      d.setDate(d.getDate() + 1);
      if (d.getDay() !== 0 && d.getDay() !== 6) days.push(new Date(d));
    }
    return days;
  }

  var TIMES = [[9, 0], [9, 30], [10, 30], [13, 0], [14, 30], [16, 0]];

  function showSlots(day) {
    var slots = $("slots");
    slots.textContent = "";
    TIMES.forEach(function (t) {
      var start = new Date(day);
      start.setHours(t[0], t[1], 0, 0);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "slot";
      button.textContent = start.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      button.setAttribute("aria-label", start.toLocaleString([], { weekday: "long", month: "long", day: "numeric",
                                                                    hour: "2-digit", minute: "2-digit" }));
      button.addEventListener("click", function () { pickSlot(start); });
      slots.appendChild(button);
    });
    reportHeight();
  }

  function showDays() {
    var days = $("days");
    nextWeekdays(5).forEach(function (day, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "day";
      button.setAttribute("aria-pressed", index === 0 ? "true" : "false");
      button.innerHTML = "<span></span><strong></strong>";
      button.firstChild.textContent = day.toLocaleDateString([], { weekday: "short" });
      button.lastChild.textContent = day.toLocaleDateString([], { month: "short", day: "numeric" });
      button.addEventListener("click", function () {
        days.querySelectorAll(".day").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
        button.setAttribute("aria-pressed", "true");
        showSlots(day);
      });
      days.appendChild(button);
    });
    showSlots(nextWeekdays(1)[0]);
  }

  function pickSlot(start) {
    chosen = start;
    $("chosen").textContent = start.toLocaleString([], { weekday: "long", month: "long", day: "numeric",
                                                        hour: "2-digit", minute: "2-digit" });
    $("step-slot").hidden = true;
    $("step-form").hidden = false;
    $("name").focus();
    if (mode === "calendar") {
      post({ type: "oncehub.booking_calendar.time_slot_selected",
             payload: Object.assign({}, CALENDAR, { starting_time: start.toISOString(), customer_timezone: customerZone }) });
    }
    reportHeight();
  }

  // --- step 2: the form ----------------------------------------------------------------------------------------

  function classicPayload(id, form) {
    return {
      errorStatus: 0,
      bookingInfo: {
        Version: "7.35",
        MeetingTimes: [{ UTCTime: utcIso(chosen), CustomerTime: wallClock(chosen, customerZone),
                         SOTime: wallClock(chosen, PAGE_ZONE) }],
        CancelRescheduleLink: "https://go.oncehub.com/acme-demo?Params=" + id.slice(5),
        Note: form.note || null,
        CalendarEvent: { ICS: "https://app.oncehub.com/scheduleonce/download.aspx?mid=" + id.slice(5) + "&type=1",
                         VCS: "https://app.oncehub.com/scheduleonce/download.aspx?mid=" + id.slice(5) + "&type=3" },
        statusCode: "1",
        Message: null,
        CustomerName: form.name,
        CustomerEmail: form.email,
        CustomerPhone: form.phone,
        EventTypeName: subject,
        BookingId: [id]
      }
    };
  }

  function utmFromParent() {
    var utm = {};
    ["source", "medium", "campaign", "term", "content"].forEach(function (key) {
      utm[key] = params.get("utm_" + key) || null;
    });
    return utm;
  }

  function bookingObject(id, form) {
    var now = new Date().toISOString().slice(0, 19) + "Z";
    return {
      object: "booking",
      id: id,
      tracking_id: randomId("", 8),
      subject: subject,
      status: "scheduled",
      creation_time: now,
      starting_time: chosen.toISOString().slice(0, 19) + "Z",
      last_updated_time: now,
      owner: CALENDAR.host,
      duration_minutes: DURATION,
      customer_timezone: customerZone,
      virtual_conferencing: { join_url: "https://meet.example.com/acme-" + id.slice(5).toLowerCase() },
      location_description: "Video call",
      form_submission: { name: form.name, email: form.email, phone: form.phone, mobile_phone: "", note: form.note || null,
                         company: null, guests: [], custom_fields: [{ name: "Team size", value: "10-50 people" }] },
      booking_page: null,
      master_page: null,
      event_type: "ET-DEMO7NC41G",
      booking_calendar: CALENDAR.id,
      utm_params: utmFromParent(),
      cancel_url: "https://oncehub.com/m/" + id + "/cancel",
      reschedule_url: "https://oncehub.com/m/" + id
    };
  }

  function submit(event) {
    event.preventDefault();
    var form = { name: $("name").value.trim(), email: $("email").value.trim(), phone: $("phone").value.trim(),
                 note: $("note").value.trim() };
    var problem = !form.name ? "Please enter your name." :
      !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(form.email) ? "Please enter a valid email address." : "";
    $("form-error").hidden = !problem;
    $("form-error").textContent = problem;
    if (problem) { reportHeight(); return; }
    var id = randomId("BKNG-", 12);
    if (mode === "redirect") {
      // OnceHub's "automatic redirect" with "send booking confirmation data to redirect page": the whole window
      // goes to the site's confirmation page with the booking, name and email included, in the query
      var booking = bookingObject(id, form), query = new URLSearchParams();
      query.set("booking_calendar", CALENDAR.id);
      query.set("subject", subject);
      query.set("status", "scheduled");
      query.set("customer_timezone", booking.customer_timezone);
      query.set("id", id);
      query.set("creation_time", booking.creation_time);
      query.set("starting_time", booking.starting_time);
      query.set("name", form.name);
      query.set("email", form.email);
      if (form.phone) query.set("phone", form.phone);
      query.set("meeting_reason", "Product demo"); // a custom field of the booking form
      if (parentOrigin !== "*") window.top.location.href = parentOrigin + "/confirmed.html?" + query.toString();
      return;
    }
    if (mode === "calendar") {
      post({ type: "oncehub.form.submitted", payload: { id: CALENDAR.id, subject: subject } });
      post({ type: "oncehub.booking.scheduled", payload: bookingObject(id, form) });
    } else {
      post({ type: "so-demo.confirmed", payload: classicPayload(id, form) });
    }
    $("booking-id").textContent = id;
    $("step-form").hidden = true;
    $("step-done").hidden = false;
    reportHeight();
  }

  $("subject").textContent = mode === "classic" ? "Product demo" : "Introductory sales call";
  $("zone").textContent = customerZone.replace(/_/g, " ");
  $("origin").textContent = location.origin;
  $("change").addEventListener("click", function () {
    $("step-form").hidden = true;
    $("step-slot").hidden = false;
    reportHeight();
  });
  $("step-form").addEventListener("submit", submit);
  showDays();
  if (mode === "calendar") post({ type: "oncehub.booking_calendar.loaded", payload: CALENDAR });
  window.addEventListener("resize", reportHeight);
})();
