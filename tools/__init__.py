"""The build's modules (standard library only); `build.py` at the repo root is the command line that runs them.

project (paths, BuildError, log, run), pins (what the bundle ships, runtime.lock.json), inputs (fetch, verify,
cache, `lock`), wheels (pydantic-core's files as the runtime installs them), bundle (site/dist/), serve, testing
(test, bench), environment (.venv from tools/requirements.txt), docs (the MkDocs site).
"""
