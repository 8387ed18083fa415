// The fixed amount of work of floor.html's stand-in, loaded by the page and by its worker (floor-worker.js).

/** n rounds of arithmetic and small objects: the same amount of work each time, however long it takes. */
function work(n) {
  var x = 1, kept = [];
  for (var i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483647;
    if (i % 64 === 0) kept.push({ x: x, s: "k" + (x % 1000) });
  }
  return kept.length + x;
}

/** How many rounds of work take one millisecond here: the median of 5 trials of at least 10 ms each. */
function roundsPerMs() {
  var rates = [];
  for (var t = 0; t < 5; t++) {
    var n = 20000, t0 = performance.now(), ms = 0;
    for (;;) {
      work(n);
      ms = performance.now() - t0;
      if (ms >= 10) break;
      n *= 2;
      t0 = performance.now();
    }
    rates.push(n / ms);
  }
  return rates.sort(function (a, b) { return a - b; })[2];
}
