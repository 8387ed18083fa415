// The runtime's host where the page's Content-Security-Policy forbids 'unsafe-eval' (which PyScript needs to start):
// Pyodide itself in a module worker loaded from its own same-origin URL, running the same Python (bridge.worker).
// Bundled as runtime-<hash>/worker.js; speaks {id, name, text} -> {id, ok | error} with runtime.js.
import { loadPyodideAlone as loadPyodide } from "./pyodide/host.mjs"; // with pydantic-core in place, without PyScript

var booting = (async function () {
  var pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", self.location.href).href, stdout: function () {}, stderr: function () {} });
  var pythonRuns = Date.now(); // the start-up's "interpreter" mark, as the PyScript entry takes it
  var exports = pyodide.pyimport("bridge.worker");
  exports.STARTUP_MARKS.set("interpreter", pythonRuns);
  return { start: exports.start, validate_config: exports.validate_config, process: exports.from_javascript(exports.process) };
})();

booting.then(function () { self.postMessage({ ready: true }); },
  function (e) { self.postMessage({ failed: "the runtime failed to load (Pyodide in a worker: " + ((e && e.name) || "Error") + ")" }); });

self.onmessage = function (e) {
  var call = e.data || {};
  booting.then(function (exports) {
    self.postMessage({ id: call.id, ok: exports[call.name](call.text) });
  }).then(null, function (error) {
    // a Python exception here is a bug in the bridge; its text may quote input, so only its type goes back
    self.postMessage({ id: call.id, error: "the runtime failed a call (" + ((error && error.type) || "Error") + ")" });
  });
};
