"""Run the test suite and the benchmark: Debian's Chromium and the test packages are installed first if missing,
and site/dist/ is built (`python3 build.py test`, `python3 build.py bench`)."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable

from tools.bundle import build, dist_is_stale
from tools.project import DIST, ROOT, log, read_pyproject, run


CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium: the browser tests and the benchmark drive it (never a downloaded browser)."""


def chromium_args() -> list[str]:
    """Flags for headless Chromium on a machine whose only network is loopback (and root's --no-sandbox)."""
    flags = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync"]
    return flags + (["--no-sandbox"] if os.geteuid() == 0 else [])


def ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        log("test", f"chromium: {CHROMIUM} present")
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sudo = [] if os.geteuid() == 0 or not shutil.which("sudo") else ["sudo", "-n", "-E"]
    t0 = time.monotonic()
    log("test", "chromium: missing, installing the Debian package (apt-get update; apt-get install -y chromium)")
    run([*sudo, "apt-get", "update"], env=env, capture=False)
    run([*sudo, "apt-get", "install", "-y", "chromium"], env=env, capture=False)
    log("test", f"chromium: installed ({time.monotonic() - t0:.0f} s)")


_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:==\s*([^\s;,]+))?")


def missing_requirements(requirements: Iterable[str]) -> list[str]:
    """The requirements (only `name` and `name==version` are checked exactly) that the running Python
    does not satisfy."""
    missing = []
    for req in requirements:
        m = _PIN.match(req)
        if not m:
            continue
        name, pinned = m.group(1), m.group(2)
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(f"{req} (not installed)")
            continue
        if pinned and have != pinned:
            missing.append(f"{req} (have {have})")
    return missing


VENV = ROOT / ".venv"


def venv_python() -> Path:
    """The project's own environment (.venv in the repo), created when missing; the system Python is never touched."""
    python = VENV / "bin" / "python"
    if not python.exists():
        log("test", f"creating the project environment {VENV.relative_to(ROOT)}/")
        run([sys.executable, "-m", "venv", str(VENV)], capture=False)
    return python


def ensure_python_packages() -> Path:
    """Install the pinned test requirements into .venv when they are missing there; returns its python."""
    python = venv_python()
    project = read_pyproject()["project"]
    needed = [project["name"], *project.get("dependencies", ()),
              *project.get("optional-dependencies", {}).get("test", ())]
    probe = subprocess.run([str(python), "-c", _PROBE, str(ROOT), *needed], capture_output=True, text=True)
    missing = [line for line in probe.stdout.splitlines() if line]
    if probe.returncode == 0 and not missing:
        log("test", f"python packages: all {len(needed)} requirements satisfied in .venv")
        return python
    log("test", f"python packages: installing into .venv (missing: {', '.join(missing) or 'unknown'})")
    t0 = time.monotonic()
    run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-e", ".[test]"],
        cwd=ROOT, capture=False)
    log("test", f"python packages: installed ({time.monotonic() - t0:.0f} s)")
    return python


# Run inside .venv: print each requirement that it does not satisfy (missing_requirements, run there).
_PROBE = ("import sys; sys.path.insert(0, sys.argv.pop(1)); from tools.testing import missing_requirements; "
          "print(chr(10).join(missing_requirements(sys.argv[1:])))")


def test(pytest_args: list[str]) -> int:
    ensure_chromium()
    python = ensure_python_packages()
    build()
    cmd = [str(python), "-m", "pytest", *pytest_args]
    log("test", " ".join([".venv/bin/python", *cmd[1:]]))
    return subprocess.call(cmd, cwd=ROOT)


def bench(bench_args: list[str]) -> int:
    """Build if site/dist is missing or older than its inputs, then run tests/bench/run_bench.py (Playwright,
    in its own process so the build imports only the standard library). `bench_args` (e.g. --runs 3) go to it."""
    reason = dist_is_stale()
    if reason:
        log("bench", f"building first: {reason}")
        build()
    else:
        log("bench", f"{DIST.relative_to(ROOT)} is up to date")
    ensure_chromium()
    cmd = [str(ensure_python_packages()), str(ROOT / "tests" / "bench" / "run_bench.py"), *bench_args]
    log("bench", " ".join(["python3", *(str(Path(c).relative_to(ROOT)) if c.startswith(str(ROOT)) else c
                                        for c in cmd[1:])]))
    return subprocess.call(cmd, cwd=ROOT)
