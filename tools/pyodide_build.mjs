// Build step run by tools/runtime.py in Node: Pyodide's own CPython records which modules the bridge imports
// (tools/runtime_exercise.py plus PyScript's own imports) and compiles them to .pyc, trimmed and uncompressed.
//   node pyodide_build.mjs <job.json>
// job: {pyodide_dir, work_dir (mounted at /work), wheels: [...paths under work_dir], bridge_parent, pyscript_imports,
//       out_zip, repack: [{src, dest}]}  (paths in the job are relative to work_dir)
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { loadPyodide } = await import(pathToFileURL(job.pyodide_dir + "/pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL: job.pyodide_dir + "/", stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
pyodide.FS.mkdirTree("/work");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: job.work_dir }, "/work");
for (const wheel of job.wheels) await pyodide.loadPackage(job.work_dir + "/" + wheel, { messageCallback: () => {} });
pyodide.globals.set("job_json", JSON.stringify(job));
const report = await pyodide.runPythonAsync(readFileSync(new URL("./pyodide_compile.py", import.meta.url), "utf8"));
process.stdout.write(report + "\n");
