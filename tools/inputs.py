"""The input cache: fetch the pinned files with npm and pip, check each against its sha256 in runtime.lock.json,
and rewrite that lock file from fresh downloads (`python3 build.py lock`)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from tools.pins import NPM_PINS, WHEEL_PINS, Input, lock_document
from tools.project import LOCK_PATH, BuildError, human_size, log, run, sha256_file
from tools.wheels import wheel_name_part


# Pyodide 314.0.7 runs CPython 3.14 with the 2026_0 ABI; the pure-Python wheels are py3-none-any and
# match these flags too (without --python-version 3.14 pip would pick versions for the local Python).
PIP_TARGET_ARGS = (
    "--no-deps", "--only-binary=:all:", "--python-version", "3.14", "--implementation", "cp",
    "--abi", "cp314", "--platform", "pyemscripten_2026_0_wasm32",
)


def cache_dir() -> Path:
    override = os.environ.get("ONCEHUB_BRIDGE_CACHE")
    return Path(override).expanduser() if override else Path.home() / ".cache" / "oncehub-bridge"


def npm_integrity(path: Path) -> str:
    """The npm `integrity` string (SRI, sha512) of a tarball."""
    h = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(h).decode("ascii")


def npm_pack(specs: list[str], dest: Path) -> list[dict]:
    """`npm pack` the given specs into dest; returns npm's JSON report (filename, integrity, ...)."""
    if not specs:
        return []
    proc = run(["npm", "pack", *specs, "--pack-destination", str(dest), "--json", "--ignore-scripts"],
               cwd=dest)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise BuildError(f"npm pack printed no JSON report:\n{proc.stdout[-2000:]}") from None
    for item in report:
        item.pop("files", None)
    return report


def pip_download(specs: list[str], dest: Path) -> list[Path]:
    """`pip download` the given requirement specs (for Pyodide's platform) into dest."""
    if not specs:
        return []
    run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", *PIP_TARGET_ARGS,
         *specs, "-d", str(dest)])
    return sorted(dest.glob("*.whl"))


def fetch_inputs(inputs: list[Input], dest: Path) -> None:
    """Fetch the files of `inputs` into dest (a fresh directory) with npm and pip."""
    npm = [i for i in inputs if i.kind == "npm"]
    wheels = [i for i in inputs if i.kind == "wheel"]
    if npm:
        t0 = time.monotonic()
        npm_pack([i.spec for i in npm], dest)
        log("fetch", f"npm pack {' '.join(i.spec for i in npm)} ({time.monotonic() - t0:.1f} s)")
    if wheels:
        t0 = time.monotonic()
        pip_download([i.spec for i in wheels], dest)
        log("fetch", f"pip download {' '.join(i.spec for i in wheels)} ({time.monotonic() - t0:.1f} s)")


Fetcher = Callable[[list[Input], Path], None]


def _fetch_into_cache(inputs: list[Input], cache: Path, fetch: Fetcher) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=cache))
    try:
        fetch(inputs, staging)
        for i in inputs:
            got = staging / i.file_name
            if not got.is_file():
                found = ", ".join(sorted(p.name for p in staging.iterdir())) or "nothing"
                raise BuildError(f"fetching {i.spec} did not produce {i.file_name} (got: {found}); "
                                 f"if the file name changed, run `python3 build.py lock`")
            os.replace(got, cache / i.file_name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def hash_mismatch(i: Input, path: Path, actual: str) -> str:
    return (f"sha256 mismatch for {i.file_name} ({i.spec}) at {path}\n"
            f"    expected {i.sha256} (from {LOCK_PATH.name})\n"
            f"    actual   {actual}")


def ensure_inputs(inputs: list[Input], cache: Path,
                  fetch: Fetcher | None = None) -> tuple[dict[str, Path], list[str]]:
    """Make sure every input is in the cache with the sha256 of the lock file.

    A cached file with a wrong hash is deleted and fetched again once; a fetched file with a wrong hash
    is a BuildError naming the file and both hashes. Returns ({input name: cached path}, names of the
    inputs that had to be fetched)."""
    paths: dict[str, Path] = {}
    missing: list[Input] = []
    for i in inputs:
        path = cache / i.file_name
        if path.is_file():
            actual = sha256_file(path)
            if actual == i.sha256:
                log("input", f"{i.file_name:<66} {human_size(path.stat().st_size):>9}  from cache, sha256 ok")
                paths[i.name] = path
                continue
            print(f"warning: {hash_mismatch(i, path, actual)}\n    deleting it and fetching it again",
                  file=sys.stderr, flush=True)
            path.unlink()
        missing.append(i)
    if missing:
        _fetch_into_cache(missing, cache, fetch or fetch_inputs)
        for i in missing:
            path = cache / i.file_name
            actual = sha256_file(path)
            if actual != i.sha256:
                raise BuildError(hash_mismatch(i, path, actual) + "\n    (freshly fetched; the file is left "
                                 "in the cache for inspection and will be re-fetched next time)")
            log("input", f"{i.file_name:<66} {human_size(path.stat().st_size):>9}  fetched, sha256 ok")
            paths[i.name] = path
    for i in inputs:
        if i.kind == "npm" and i.integrity and npm_integrity(paths[i.name]) != i.integrity:
            raise BuildError(f"npm integrity mismatch for {i.file_name}: expected {i.integrity}, "
                             f"actual {npm_integrity(paths[i.name])}")
    return paths, [i.name for i in missing]


def lock(lock_path: Path | None = None, cache: Path | None = None) -> dict:
    """Fetch every pinned input afresh, store it in the cache, and rewrite the lock file."""
    lock_path = lock_path or LOCK_PATH
    cache = cache or cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    inputs: list[Input] = []
    with tempfile.TemporaryDirectory(prefix=".lock-", dir=cache) as tmp:
        staging = Path(tmp)
        report = npm_pack([f"{p.name}@{p.version}" for p in NPM_PINS], staging)
        by_name = {item["name"]: item for item in report}
        for pin in NPM_PINS:
            item = by_name.get(pin.name)
            if item is None or item.get("version") != pin.version:
                raise BuildError(f"npm pack did not report {pin.name}@{pin.version}: {report}")
            path = staging / item["filename"]
            if npm_integrity(path) != item["integrity"]:
                raise BuildError(f"{path.name}: npm reported integrity {item['integrity']}, "
                                 f"the file has {npm_integrity(path)}")
            inputs.append(Input("npm", pin.name, pin.version, path.name, sha256_file(path), item["integrity"]))
        log("lock", f"npm pack: {', '.join(i.file_name for i in inputs)}")

        wheel_dir = staging / "wheels"
        wheel_dir.mkdir()
        files = pip_download([f"{p.name}=={p.version}" for p in WHEEL_PINS], wheel_dir)
        for pin in WHEEL_PINS:
            prefix = f"{wheel_name_part(pin.name)}-{pin.version}-"
            found = [p for p in files if p.name.lower().startswith(prefix)]
            if len(found) != 1:
                raise BuildError(f"pip download gave {len(found)} wheels for {pin.name}=={pin.version}: "
                                 f"{[p.name for p in files]}")
            inputs.append(Input("wheel", pin.name, pin.version, found[0].name, sha256_file(found[0])))
            os.replace(found[0], staging / found[0].name)
        log("lock", f"pip download: {', '.join(i.file_name for i in inputs if i.kind == 'wheel')}")

        for i in inputs:
            os.replace(staging / i.file_name, cache / i.file_name)

    doc = lock_document(inputs)
    old = lock_path.read_text() if lock_path.exists() else None
    new = json.dumps(doc, indent=2) + "\n"
    lock_path.write_text(new)
    state = "unchanged" if old == new else "rewritten"
    log("lock", f"{lock_path.name} {state}: {len(inputs)} inputs ({time.monotonic() - t0:.1f} s)")
    for i in inputs:
        log("lock", f"  {i.file_name:<66} sha256 {i.sha256}")
    return doc
