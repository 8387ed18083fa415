"""The project's own Python environment: `.venv` in the repo, created when missing, filled from
tools/requirements.txt (every package pinned with its hashes) and never the system Python's packages.

`python3 build.py serve` needs it for the docs tool, `test` and `bench` for pytest and Playwright. It is filled once;
later runs only check it, offline.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable

from tools.project import ROOT, TOOLS_DIR, log, run

VENV = ROOT / ".venv"
REQUIREMENTS = TOOLS_DIR / "requirements.txt"

_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:==\s*([^\s;,\\]+))?")


def locked_requirements(path: Path = REQUIREMENTS) -> list[str]:
    """The `name==version` lines of a hash-pinned requirements file (hash and comment lines left out)."""
    pins = []
    for line in path.read_text().splitlines():
        m = _PIN.match(line)
        if m and m.group(2) and not line.lstrip().startswith(("#", "--")):
            pins.append(f"{m.group(1)}=={m.group(2)}")
    return pins


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


def venv_python() -> Path:
    """.venv's python, the environment created first when it is missing."""
    python = VENV / "bin" / "python"
    if not python.exists():
        log("env", f"creating the project environment {VENV.relative_to(ROOT)}/")
        run([sys.executable, "-m", "venv", str(VENV)], capture=False)
    return python


def ensure_environment(step: str = "env") -> Path:
    """.venv with every package of tools/requirements.txt at its pinned version; returns its python."""
    python = venv_python()
    needed = locked_requirements()
    probe = subprocess.run([str(python), "-c", _PROBE, str(ROOT), *needed], capture_output=True, text=True)
    missing = [line for line in probe.stdout.splitlines() if line]
    if probe.returncode == 0 and not missing:
        log(step, f"python packages: all {len(needed)} pinned packages present in .venv")
        return python
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    log(step, f"python packages: installing {REQUIREMENTS.relative_to(ROOT)} into .venv "
              f"(missing: {shown or probe.stderr.strip()[-200:] or 'unknown'})")
    t0 = time.monotonic()
    run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--require-hashes", "--no-deps",
         "-r", str(REQUIREMENTS)], cwd=ROOT, capture=False)
    log(step, f"python packages: installed ({time.monotonic() - t0:.0f} s)")
    return python


# Run inside .venv: print each requirement that it does not satisfy (missing_requirements, run there).
_PROBE = ("import sys; sys.path.insert(0, sys.argv.pop(1)); from tools.environment import missing_requirements; "
          "print(chr(10).join(missing_requirements(sys.argv[1:])))")
