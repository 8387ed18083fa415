// Build step run by tools/runtime.py in Node: Pyodide's own CPython records which modules the bridge imports
// (tools/runtime_exercise.py plus PyScript's own imports) and what the standard library compiles meanwhile, and
// compiles the modules to .pyc, trimmed and uncompressed.
//   node pyodide_build.mjs <job.json>
// job: {pyodide_dir, work_dir (mounted at /work), wheels: [...paths under work_dir], bridge_parent, pyscript_imports,
//       sitecustomize, env, out_zip, repack: [{src, dest}]}  (paths in the job are relative to work_dir)
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { loadPyodide } = await import(pathToFileURL(job.pyodide_dir + "/pyodide.mjs").href);
// What the standard library compiles is recorded from the first line of Python on, Pyodide's own start included
// (bridge/_precompiled.py): a sitecustomize, which Python's `site` runs before Pyodide's Python, starts the recording.
// Its module is loaded by path, so that the package's own imports, which make dataclasses and ForwardRefs, are
// recorded too.
const RECORD = [
  "import importlib.util, sys",
  "spec = importlib.util.spec_from_file_location('bridge._precompiled', " +
    JSON.stringify(`/work/${job.bridge_parent}/bridge/_precompiled.py`) + ")",
  "module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)",
  "spec.loader.exec_module(module)",
  "module.record()",
].join("\n");
// -OO as the runtime's .pyc are compiled (no docstrings), and the runtime's environment: the code paths the recording
// sees are the runtime's (a dataclass without a docstring gets one made from its signature, with a pattern of `re`'s;
// pydantic's plugin search is off)
const pyodide = await loadPyodide({
  args: ["-OO"], env: job.env, indexURL: job.pyodide_dir + "/",
  stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n"),
  fsInit: (FS, { sitePackages }) => {
    FS.mkdirTree("/work");
    FS.mount(FS.filesystems.NODEFS, { root: job.work_dir }, "/work");
    FS.mkdirTree(sitePackages);
    FS.writeFile(sitePackages + "/sitecustomize.py", RECORD);
  },
});
// the modules of Pyodide's own start, before anything of the build's (tools/pyodide_compile.py)
pyodide.runPython("import sys\nSTARTED = frozenset(sys.modules)");
for (const wheel of job.wheels) await pyodide.loadPackage(job.work_dir + "/" + wheel, { messageCallback: () => {} });
pyodide.globals.set("job_json", JSON.stringify(job));
const report = await pyodide.runPythonAsync(readFileSync(new URL("./pyodide_compile.py", import.meta.url), "utf8"));
process.stdout.write(report + "\n");
