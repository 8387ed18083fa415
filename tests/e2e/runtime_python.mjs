// The shipped runtime's own Python, outside the browser: Pyodide from site/dist/runtime-<hash>/pyodide/ in Node, with
// the bundle's trimmed standard library, its bridge and its pydantic-core, loaded by the bundle's host.mjs as the
// browser's runtime hosts load them.
//   node runtime_python.mjs <runtime pyodide dir> <python file>
// Runs the file and prints the value of its last expression (a str).
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const [dir, file] = process.argv.slice(2);
// host.mjs fetches pydantic-core's files from its own folder: here they are read from disk, with the type a server
// gives them (a .wasm is compiled as it streams in)
globalThis.fetch = async (url) => new Response(readFileSync(fileURLToPath(url)),
  { headers: { "Content-Type": String(url).endsWith(".wasm") ? "application/wasm" : "application/octet-stream" } });
const { loadPyodide } = await import(pathToFileURL(dir + "/host.mjs").href);
const pyodide = await loadPyodide({ indexURL: dir + "/", stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
process.stdout.write(pyodide.runPython(readFileSync(file, "utf8")) + "\n");
