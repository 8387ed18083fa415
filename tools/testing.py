"""Run the test suite and the benchmark: Debian's Chromium and the test packages are installed first if missing,
and site/dist/ is built (`python3 build.py test`, `python3 build.py bench`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from tools.bundle import build, dist_is_stale
from tools.environment import ensure_environment
from tools.project import DIST, ROOT, log, run


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


def test(pytest_args: list[str]) -> int:
    ensure_chromium()
    python = ensure_environment("test")
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
    cmd = [str(ensure_environment("bench")), str(ROOT / "tests" / "bench" / "run_bench.py"), *bench_args]
    log("bench", " ".join(["python3", *(str(Path(c).relative_to(ROOT)) if c.startswith(str(ROOT)) else c
                                        for c in cmd[1:])]))
    return subprocess.call(cmd, cwd=ROOT)
