// The Pyodide that both runtime hosts load (PyScript's `interpreter`, and worker.js): the stock pyodide.mjs, with the
// native packages (pydantic-core) already in its site-packages when loadPyodide resolves. Their files are fetched, and
// their extension module compiled, while Pyodide starts, then written into its file system. Pyodide's own loadPackage
// would do all of that only after the start: fetch the wheel, unzip it in Python, read the extension back and compile
// it (a profile put 125-300 ms of a start there; docs/performance.md: what moving it saves). It uses two parts of the
// pinned Pyodide's Emscripten module, `loadWebAssemblyModule` and `preloadedWasm`, as Emscripten's own preload plugin
// does: a Pyodide without them fails every browser test, and the runtime-vs-CPython test (tests/e2e/runtime_python.mjs
// loads Pyodide through this file).
// Bundled as runtime-<hash>/pyodide/host.mjs, next to pyodide.mjs (PyScript takes the interpreter's folder for Pyodide's).
import { loadPyodide as loadStock, version } from "./pyodide.mjs";

export { version }; // PyScript reads it from the interpreter's module

/* global __SITE__ */
// {dir: Pyodide's site-packages, files: [[path under pyodide/, path in site-packages]], lock: pyodide-lock.json text,
//  pyscript_pycache: the runtime zip's entry with the .pyc of PyScript's own package}

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

// PyScript writes its own Python package into the working directory as source at every start, and imports it from
// there: its modules' .pyc, compiled at build time (tools/pyodide_compile.py), go into the package's __pycache__
// first. Each is checked against the source PyScript writes; one that does not match is compiled as before.
var PLACE_PYSCRIPT_PYCACHE = [
  "import marshal, os, sys, zipimport",
  "_zip = zipimport.zipimporter(next(p for p in sys.path if p.endswith('.zip')))",
  "for _name, _data in marshal.loads(_zip.get_data(" + JSON.stringify(__SITE__.pyscript_pycache) + ")).items():",
  "    os.makedirs(os.path.dirname(_name), exist_ok=True)",
  "    with open(_name, 'wb') as _f:",
  "        _f.write(_data)"
].join("\n");

/** The Pyodide PyScript's interpreter setting loads. */
export function loadPyodide(options) {
  return load(options).then(function (pyodide) {
    var scratch = pyodide.toPy({});
    try {
      pyodide.runPython(PLACE_PYSCRIPT_PYCACHE, { globals: scratch });
    } catch (e) {
      // without them PyScript compiles its package, as it would anyway
    } finally {
      scratch.destroy();
    }
    return pyodide;
  });
}

/** The Pyodide the plain worker runs (no PyScript). */
export { load as loadPyodideAlone };

/** A JavaScript function of one string that calls the Python callable `py` with the string's UTF-8 bytes: a view of
 *  a buffer kept from call to call (valid during the call only), so that a call allocates no array buffer. Pyodide
 *  copies a string handed to Python into a new array of 4 bytes a character first (bridge/worker.py,
 *  `from_javascript`). Python reaches it as `_oncehub_bridge_host.utf8_caller`. */
function utf8Caller(py) {
  var encoder = new TextEncoder(), scratch = new Uint8Array(1 << 16);
  return function (text) {
    text = String(text);
    if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3); // UTF-8: at most 3 bytes a unit
    return py(scratch.subarray(0, encoder.encodeInto(text, scratch).written));
  };
}

/** Python's way to call `fn` (a function of utf8Caller's) as the page does: its answer stays in JavaScript (only its
 *  length comes back), since a string handed back to Python would be copied into a new array first. */
function callAsThePage(fn, text) {
  return fn(text).length;
}

async function load(options) {
  var pyodide = await loadStock(Object.assign({}, options, {
    lockFileContents: __SITE__.lock,
    env: Object.assign({}, options && options.env, __SITE__.env)  // RUNTIME_ENV in tools/runtime.py
  }));
  pyodide.registerJsModule("_oncehub_bridge_host", { utf8_caller: utf8Caller, call_as_the_page: callAsThePage });
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
