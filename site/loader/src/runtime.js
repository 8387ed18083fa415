// The Python runtime in its own hidden, same-origin realm (so the page's own PyScript and ours never meet), with a
// watchdog: a file that fails, a start that takes longer than timeout_ms, or a call that never settles is "failed".

var PLUGINS_OFF = ["!error", "!codemirror", "!deprecations-manager", "!donkey", "!py-editor", "!py-game", "!py-terminal"];
export var CALL_DEADLINE_MS = 10000;

/** Why the runtime cannot run on this page, or "" when it can. PyScript builds code with Function() as it starts;
 *  where the page's Content-Security-Policy forbids that, it would quietly reach for a public CDN. */
function blockedReason() {
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") return "this browser lacks WebAssembly or workers";
  try { Function("return 1")(); } catch (e) { return "the page's Content-Security-Policy forbids 'unsafe-eval', which the runtime needs"; }
  return "";
}

function deadline(promise, ms, what) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error(what)); }, ms);
    promise.then(function (v) { clearTimeout(timer); resolve(v); }, function (e) { clearTimeout(timer); reject(e); });
  });
}

/** Boot the runtime; resolves with the worker's exported functions, rejects with a PII-free Error. */
export function bootRuntime(runtimeBase, timeoutMs, packages) {
  var blocked = blockedReason();
  if (blocked) return Promise.reject(new Error(blocked));
  var frame = document.createElement("iframe");
  frame.hidden = true;
  frame.title = "oncehub-bridge";
  frame.tabIndex = -1;
  frame.setAttribute("aria-hidden", "true");
  frame.style.cssText = "display:none!important";
  (document.body || document.documentElement).appendChild(frame);
  var realm = frame.contentWindow, doc = frame.contentDocument, failed;
  // document.open() gives the empty frame the page's own URL, so PyScript resolves URLs as it would on the page
  doc.open();
  doc.write("<!doctype html><html><head></head><body></body></html>");
  doc.close();
  var failure = new Promise(function (resolve, reject) { failed = reject; });
  // whatever goes wrong in our realm stays there and ends the start
  realm.addEventListener("error", function (e) { e.preventDefault(); failed(new Error("the runtime failed to load")); }, true);
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
    interpreter: runtimeBase + "pyodide/pyodide.mjs",
    packages: packages,
    packages_cache: "passthrough",
    sync_main_only: true
  }));
  doc.head.appendChild(el);
  var core = doc.createElement("script");
  core.type = "module";
  core.src = runtimeBase + "pyscript/core.js";
  core.onerror = function () { failed(new Error("the runtime failed to load (pyscript/core.js)")); };
  doc.head.appendChild(core);

  var started = new Promise(function (resolve) {
    (function poll() { if (el.xworker) resolve(el.xworker.ready); else if (frame.isConnected) setTimeout(poll, 25); })();
  }).then(function () { return el.xworker.sync; });
  var live = deadline(Promise.race([started, failure]), timeoutMs, "the runtime was not ready within " + timeoutMs + " ms");
  live.then(null, function () { frame.remove(); }); // ends the worker and whatever it still loads
  return live.then(function (sync) {
    return {
      /** Call an exported function with JSON text; rejects when it does not settle within the deadline. */
      call: function (name, text) {
        return deadline(Promise.race([sync[name](text), failure]), CALL_DEADLINE_MS, "the runtime stopped answering");
      },
      stop: function () { frame.remove(); }
    };
  });
}
