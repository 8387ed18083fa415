// The Pyodide that both runtime hosts load (PyScript's `interpreter`, and worker.js): the stock pyodide.mjs, with the
// native packages (pydantic-core) already in its site-packages when loadPyodide resolves. Their files are fetched, and
// their extension module compiled, while Pyodide starts, then written into its file system. Pyodide's own loadPackage
// would do all of that only after the start: fetch the wheel, unzip it in Python, read the extension back and compile
// it (a profile put 125-300 ms of a start there; README: what moving it saves). It uses two parts of the pinned
// Pyodide's Emscripten module, `loadWebAssemblyModule` and `preloadedWasm`, as Emscripten's own preload plugin does: a
// Pyodide without them fails every browser test, and the runtime-vs-CPython test (tests/e2e/runtime_python.mjs loads
// Pyodide through this file).
// Bundled as runtime-<hash>/pyodide/host.mjs, next to pyodide.mjs (PyScript takes the interpreter's folder for Pyodide's).
import { loadPyodide as loadStock, version } from "./pyodide.mjs";

export { version }; // PyScript reads it from the interpreter's module

/* global __SITE__ */
// {dir: Pyodide's site-packages, files: [[path under pyodide/, path in site-packages]], lock: pyodide-lock.json text}

function fetchFile(file) {
  return fetch(new URL(file, import.meta.url)).then(function (response) {
    if (!response.ok) throw new Error("the runtime failed to load (pyodide/" + file + ")");
    if (!/\.wasm$/.test(file)) return response.arrayBuffer();
    // compiled as it downloads (and the compiled code cached with the file) where the server says application/wasm
    return /^application\/wasm\b/.test(response.headers.get("Content-Type") || "")
      ? WebAssembly.compileStreaming(response)
      : response.arrayBuffer().then(function (bytes) { return WebAssembly.compile(bytes); });
  });
}

var files = __SITE__.files.map(function (pair) {
  var file = fetchFile(pair[0]);
  file.then(null, function () {}); // a failure is loadPyodide's, once it is asked for
  return file;
});

export async function loadPyodide(options) {
  var pyodide = await loadStock(Object.assign({}, options, { lockFileContents: __SITE__.lock }));
  var contents = await Promise.all(files), emscripten = pyodide._module;
  for (var i = 0; i < contents.length; i++) {
    var path = __SITE__.dir + "/" + __SITE__.files[i][1];
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    if (contents[i] instanceof WebAssembly.Module) {
      // Python's import only has to find the file; its dlopen takes the library instantiated here under its path
      pyodide.FS.writeFile(path, new Uint8Array(0));
      emscripten.preloadedWasm[path] = await emscripten.loadWebAssemblyModule(contents[i], { loadAsync: true, nodelete: true }, path, {});
    } else {
      pyodide.FS.writeFile(path, new Uint8Array(contents[i]), { canOwn: true });
    }
  }
  return pyodide;
}
