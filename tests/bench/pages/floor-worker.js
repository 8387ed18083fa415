// The worker of floor.html: parses each booking's JSON text, does its fixed amount of work, answers the booking id.
importScripts("floor-work.js");
var rounds = 0;

onmessage = function (e) {
  var m = e.data;
  if (m.worker_ms !== undefined) {
    rounds = Math.round(m.worker_ms * roundsPerMs());
    postMessage({ ready: true });
    return;
  }
  var data = JSON.parse(m.text);
  work(rounds);
  postMessage({ id: m.id, booking_id: data.bookingInfo.BookingId[0] });
};
