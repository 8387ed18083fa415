// The Python runtime in its own hidden, same-origin realm (so the page's own PyScript and ours never meet), with a
// watchdog: a file that fails, a start that takes longer than timeout_ms, or a call that never settles is "failed".
// Where the page's Content-Security-Policy forbids 'unsafe-eval', which PyScript needs, Pyodide runs in a plain
// module worker instead (worker.js). Bundled on its own (runtime-<hash>/boot.js) and imported by the loader only
// when the runtime starts.
import { Effects } from "./effects.js";

var PLUGINS_OFF = ["!error", "!codemirror", "!deprecations-manager", "!donkey", "!py-editor", "!py-game", "!py-terminal"];
export var CALL_DEADLINE_MS = 10000;

function evalAllowed() {
  try { return Function("return 1")() === 1; } catch (e) { return false; }
}

/** A start that threw: named by the error's type only (its message could quote anything). */
function loadFailure(e) {
  return new Error("the runtime failed to load (" + (e && e.name) + ")");
}

function deadline(promise, ms, what) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error(what)); }, ms);
    promise.then(function (v) { clearTimeout(timer); resolve(v); }, function (e) { clearTimeout(timer); reject(e); });
  });
}

/* global __PRELOAD__ */
/** Asks for every file PyScript's worker will fetch, all at once, before the start: resolves once each has answered
 *  200, rejects naming the first that did not.
 *  - Large files (the wasm files, the Python files): HEAD, so that each body is fetched once, by the worker
 *    (a cached file answers from the browser's cache). A GET let go after its answer leaves no cache entry:
 *    measured, the worker then fetched every large file a second time, and the cold start was about 0.1 s slower.
 *    A server that refuses HEAD (405, 501) is asked with GET instead.
 *  - Small files (the entry, pydantic-core's Python): GET, read whole, so the worker finds them in the cache.
 *  - PyScript's modules and Pyodide's entries: modulepreload into the realm.
 *  Each would otherwise be fetched only once the one before it has run, a round trip each: over the benchmark's
 *  slow link (100 ms, 20 Mbit/s) a cold start took 4.4 s that way and 3.8 s with all of them at once. */
function preload(runtimeBase, realm) {
  function answer(url, method, whole) {
    return realm.fetch(url, { method: method }).then(function (response) {
      if (method === "HEAD" && (response.status === 405 || response.status === 501)) return answer(url, "GET", false);
      if (response.ok && whole) return response.arrayBuffer();
      if (response.body) response.body.cancel().then(null, function () {});
      if (!response.ok) throw new Error();
    });
  }
  function check(file, method, whole) {
    return answer(runtimeBase + file, method, whole).then(null, function () {
      throw new Error("the runtime failed to load (" + file + ")");
    });
  }
  var doc = realm.document;
  __PRELOAD__.modules.forEach(function (file) {
    var link = doc.createElement("link");
    link.rel = "modulepreload";
    link.href = runtimeBase + file;
    doc.head.appendChild(link);
  });
  return Promise.all(__PRELOAD__.large.map(function (file) { return check(file, "HEAD", false); })
    .concat(__PRELOAD__.small.map(function (file) { return check(file, "GET", true); })));
}

/** PyScript in a hidden same-origin iframe: {started: Promise of the call function, failure, stop}. */
function pyscriptHost(runtimeBase, timings) {
  var frame = document.createElement("iframe");
  frame.hidden = true;
  frame.title = "oncehub-bridge";
  frame.tabIndex = -1;
  frame.setAttribute("aria-hidden", "true");
  frame.style.setProperty("display", "none", "important");
  (document.body || document.documentElement).appendChild(frame);
  var realm = frame.contentWindow, doc = frame.contentDocument, failed;
  // document.open() gives the empty frame the page's own URL, so PyScript resolves URLs as it would on the page
  doc.open();
  doc.write("<!doctype html><html><head></head><body></body></html>");
  doc.close();
  var failure = new Promise(function (resolve, reject) { failed = reject; });
  // whatever goes wrong in our realm stays there and ends the start; a file that failed (a module of PyScript's, a
  // modulepreload) is named
  realm.addEventListener("error", function (e) {
    e.preventDefault();
    var url = e.target && (e.target.src || e.target.href);
    var file = typeof url === "string" && url.indexOf(runtimeBase) === 0 ? " (" + url.slice(runtimeBase.length) + ")" : "";
    failed(new Error("the runtime failed to load" + file));
  }, true);
  realm.addEventListener("unhandledrejection", function (e) { e.preventDefault(); failed(new Error("the runtime failed to load")); });

  ["py-config", "mpy-config"].forEach(function (tag) { // PyScript reads both to decide which plugins to load
    var config = doc.createElement(tag);
    config.setAttribute("type", "json");
    config.textContent = JSON.stringify({ plugins: PLUGINS_OFF });
    doc.head.appendChild(config);
  });
  var el = doc.createElement("script");
  el.type = "py";
  el.setAttribute("worker", "");
  el.setAttribute("name", "oncehub-bridge");
  el.src = runtimeBase + "oncehub-bridge-worker.py";
  el.setAttribute("config", JSON.stringify({
    interpreter: runtimeBase + "pyodide/host.mjs", // Pyodide with pydantic-core in place (pyodide_host.js)
    sync_main_only: true
  }));
  var core = doc.createElement("script");
  core.type = "module";
  core.src = runtimeBase + "pyscript/core.js";
  // PyScript's worker does not report a file it cannot fetch (it leaves an uncaught error and never gets ready),
  // so each of its files is asked for here first, all at once (starting PyScript alongside was measured no faster on
  // 2 cores, and would let its worker meet a failed file)
  // in a task of its own, after the frame's: on a slow machine, the frame, the preload and the module that runs them
  // made one task of 53-84 ms, a long task that blocked the page (the benchmark's total blocking time)
  setTimeout(function () {
    if (!frame.isConnected) return;
    try {
      preload(runtimeBase, realm).then(function () {
        timings.files = mark();
        doc.head.appendChild(el);
        doc.head.appendChild(core);
      }, failed);
    } catch (e) {
      failed(loadFailure(e));
    }
  }, 0);

  var started = new Promise(function (resolve) {
    (function poll() {
      if (!el.xworker) return frame.isConnected && setTimeout(poll, 25);
      // a start that fails in PyScript's worker (a file it could not fetch, Pyodide itself) is an error event, which
      // PyScript would print on the page (console.error): here it ends the start, and its text (the worker's, which
      // could quote anything) stays out of OnceHubBridge.error
      function inWorker() { return new Error("the runtime failed to load (in PyScript's worker)"); }
      el.xworker.onerror = function () { failed(inWorker()); };
      resolve(el.xworker.ready.then(null, function () { throw inWorker(); }));
    })();
  }).then(function () {
    var sync = el.xworker.sync;
    return function (name, text) { return sync[name](text); };
  });
  return { started: started, failure: failure, stop: function () { frame.remove(); } };
}

/** Pyodide in a module worker from its own URL (no eval needed): the same {started, failure, stop}. */
function workerHost(runtimeBase) {
  var worker = new Worker(runtimeBase + "worker.js", { type: "module" });
  var pending = {}, next = 0, failed, up;
  var failure = new Promise(function (resolve, reject) { failed = reject; });
  var started = new Promise(function (resolve) { up = resolve; });
  worker.onerror = function (e) { e.preventDefault(); failed(new Error("the runtime failed to load (worker.js)")); };
  worker.onmessage = function (e) {
    var m = e.data || {};
    if (m.ready) return up(function (name, text) {
      return new Promise(function (resolve, reject) { pending[++next] = [resolve, reject]; worker.postMessage({ id: next, name: name, text: text }); });
    });
    if (m.failed) return failed(new Error(m.failed));
    var settle = pending[m.id];
    delete pending[m.id];
    if (settle) m.error ? settle[1](new Error(m.error)) : settle[0](m.ok);
  };
  return { started: started, failure: failure, stop: function () { worker.terminate(); } };
}

var MODULE_BYTES = 256 * 1024;

/** The start request with the text of each custom sink module it names (SPEC §7): fetched from this page's own
 *  origin only (any other is never requested; Python reports it), at most 256 KB each. */
function withModules(requestText) {
  var request = JSON.parse(requestText), paths = [], config = null;
  try { config = JSON.parse(request.config || "null"); } catch (e) { config = null; }
  (config && Array.isArray(config.sinks) ? config.sinks : []).forEach(function (sink) {
    if (sink && sink.type === "python" && typeof sink.module === "string" && paths.indexOf(sink.module) === -1) paths.push(sink.module);
  });
  if (!paths.length) return Promise.resolve(requestText);
  return Promise.all(paths.map(function (path) {
    var url = null;
    try { url = new URL(path, location.href); } catch (e) { url = null; }
    if (!url || url.origin !== location.origin || !/\.py$/.test(url.pathname)) return [path, { error: "not on this page's origin" }];
    return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (text) {
      return [path, text.length > MODULE_BYTES ? { error: "larger than 256 KB" } : { text: text }];
    }, function (e) { return [path, { error: e && e.message ? e.message : "network error" }]; });
  })).then(function (pairs) {
    request.modules = {};
    pairs.forEach(function (pair) { request.modules[pair[0]] = pair[1]; });
    return JSON.stringify(request);
  });
}

function mark() { return Math.round(performance.now()); }

/** The start-up marks (ms after navigation start) once the start has answered, from the Python side's wall-clock
 *  marks: "interpreter" (Pyodide and pydantic-core are loaded, Python runs the entry) and "imported" (the bridge and
 *  pydantic are imported). */
function recordMarks(timings, marks) {
  ["interpreter", "imported"].forEach(function (name) {
    if (marks && typeof marks[name] === "number") timings[name] = Math.round(marks[name] - performance.timeOrigin);
  });
  timings.ready = mark();
}

/** Boot the runtime; resolves with {call, stop, apply}, rejects with a PII-free Error. */
export function bootRuntime(runtimeBase, timeoutMs, navigate, log, listeners) {
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    return Promise.reject(new Error("this browser lacks WebAssembly or workers"));
  }
  var host, pyscript = evalAllowed();
  // OnceHubBridge.timings: when the runtime's host began, its files were in, Python ran, the bridge was imported,
  // and the start answered (ms after navigation start)
  var timings = { host: mark() };
  if (window.OnceHubBridge) window.OnceHubBridge.timings = timings;
  try { host = pyscript ? pyscriptHost(runtimeBase, timings) : workerHost(runtimeBase); } catch (e) {
    return Promise.reject(loadFailure(e));
  }
  if (!pyscript) log("the page's Content-Security-Policy forbids 'unsafe-eval': Pyodide runs in a plain worker");
  var effects = Effects(log, navigate);
  /** One result of the protocol: its debug lines, its events for on() subscribers, its effects. */
  var panel = null;
  function apply(result) {
    (result.log || []).forEach(function (line) { log(line); });
    if (panel) {
      (result.events || []).forEach(panel.event);
      panel.effects(result.effects);
      panel.status();
    }
    (result.events || []).forEach(function (item) {
      (listeners[item.kind] || []).forEach(function (fn) {
        try { fn(item.event, item.name); } catch (e) { log("an on(\"" + item.kind + "\") listener threw:", e); }
      });
    });
    effects.run(result.effects);
  }
  /** The start's answer: its marks go into the timings; in debug mode the panel comes. */
  function started(answer) {
    var report = {};
    try { report = JSON.parse(answer) || {}; } catch (e) { report = {}; }
    recordMarks(timings, report.marks);
    if (report.debug === true) showPanel(runtimeBase);
  }
  /** The debug panel (panel.js), only in debug mode. */
  function showPanel(base) {
    import(base + "panel.js").then(function (module) {
      panel = module.mountPanel(window.OnceHubBridge);
      setTimeout(panel.status, 0);
    }, function () { log("the debug panel did not load"); });
  }
  var live = deadline(Promise.race([host.started, host.failure]), timeoutMs, "the runtime was not ready within " + timeoutMs + " ms");
  live.then(null, host.stop); // ends the worker and whatever it still loads
  return live.then(function (call) {
    return {
      /** Call an exported function with JSON text; rejects when it does not settle within the deadline. */
      call: function (name, text) {
        function send(ready) {
          return deadline(Promise.race([call(name, ready), host.failure]), CALL_DEADLINE_MS, "the runtime stopped answering");
        }
        // sent at once (a booking crosses while the page still keeps it, main.js); a throw becomes a rejection
        var reply = name === "start" ? withModules(text).then(send) : new Promise(function (sent) { sent(send(text)); });
        return reply.then(function (answer) {
          if (name === "start") started(answer);
          return answer;
        });
      },
      stop: host.stop,
      apply: apply
    };
  });
}
