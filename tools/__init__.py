"""The build's modules (standard library only); `build.py` at the repo root is the command line that runs them.

project (paths, BuildError, log, run), pins (what the bundle ships, runtime.lock.json), inputs (fetch, verify,
cache, `lock`), wheels (the bridge wheel, pyodide-lock.json), bundle (site/dist/), serve, testing (test, bench),
environment (.venv from tools/requirements.txt), docs (the MkDocs site).
"""
