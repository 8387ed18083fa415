// The shipped runtime's own Python, outside the browser: Pyodide from site/dist/runtime-<hash>/pyodide/ in Node, with
// the bundle's trimmed standard library, its bridge and its pydantic-core, as the browser's worker loads them.
//   node runtime_python.mjs <runtime pyodide dir> <python file>
// Runs the file and prints the value of its last expression (a str).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [dir, file] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(dir + "/pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL: dir + "/", stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
await pyodide.loadPackage(["pydantic-core"], { messageCallback: () => {}, errorCallback: (s) => process.stderr.write(s + "\n") });
process.stdout.write(pyodide.runPython(readFileSync(file, "utf8")) + "\n");
