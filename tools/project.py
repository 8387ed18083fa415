"""Where things are in the repo, and the small helpers every build step shares: BuildError, log, run, hashes, sizes."""

from __future__ import annotations

import hashlib
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
DIST = SITE / "dist"
LOADER_DIR = SITE / "loader"
BRIDGE_DIR = ROOT / "bridge"
LOCK_PATH = ROOT / "runtime.lock.json"
PYPROJECT = ROOT / "pyproject.toml"
TOOLS_DIR = ROOT / "tools"


class BuildError(Exception):
    """A build failure with a message meant for the person running the build."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def human_size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError


def log(step: str, message: str) -> None:
    print(f"[{step}] {message}", flush=True)


def read_pyproject(path: Path = PYPROJECT) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def project_version(path: Path = PYPROJECT) -> str:
    return read_pyproject(path)["project"]["version"]


def run(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None,
        capture: bool = True) -> subprocess.CompletedProcess:
    """Run a command; a failure becomes a BuildError that shows the command and its output."""
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, text=True,
                              stdout=subprocess.PIPE if capture else None,
                              stderr=subprocess.PIPE if capture else None)
    except FileNotFoundError as e:
        raise BuildError(f"cannot run {cmd[0]!r}: {e}") from None
    if proc.returncode != 0:
        detail = ""
        if capture:
            tail = ((proc.stdout or "") + (proc.stderr or "")).strip().splitlines()[-25:]
            detail = "\n    " + "\n    ".join(line[:300] for line in tail)
        raise BuildError(f"command failed (exit {proc.returncode}): {' '.join(cmd)}{detail}")
    return proc
