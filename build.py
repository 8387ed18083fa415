#!/usr/bin/env python3
"""Build tooling for oncehub-bridge (Python standard library only).

    python3 build.py [build]     assemble site/dist/ from the pinned inputs in runtime.lock.json
    python3 build.py lock        re-fetch every input and rewrite runtime.lock.json
    python3 build.py serve       build, then serve site/ (demo at /, bundle at /dist/)
    python3 build.py test        install what the tests need if missing, build, run pytest
    python3 build.py bench       build if needed, then benchmark the bundle against hand-written JS
                                 (tests/bench/run_bench.py; --runs N cold runs per page, default 5)

Inputs are fetched once with the ordinary registry clients (`npm pack`, `pip download`) into a cache
outside the repo (~/.cache/oncehub-bridge, or $ONCEHUB_BRIDGE_CACHE) and checked against the sha256 in
runtime.lock.json on every build, so a rebuild is offline and takes seconds.

Other code may `import build` and use `start_server`, `build_wheel`, `make_pyodide_lock`, ... .
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import http.server
import importlib.metadata
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parent
SITE = ROOT / "site"
DIST = SITE / "dist"
LOADER_DIR = SITE / "loader"
BRIDGE_DIR = ROOT / "bridge"
LOCK_PATH = ROOT / "runtime.lock.json"
PYPROJECT = ROOT / "pyproject.toml"

LOADER_JS = "oncehub-bridge.js"
WORKER_PY = "oncehub-bridge-worker.py"
VERSION_PLACEHOLDER = "__ONCEHUB_BRIDGE_VERSION__"


# --------------------------------------------------------------------------------------------------
# What the bundle ships. Changing a version here requires `python3 build.py lock`.


@dataclass(frozen=True)
class NpmPin:
    name: str
    version: str


@dataclass(frozen=True)
class WheelPin:
    name: str  # normalized project name, also the key in the generated pyodide-lock.json
    version: str
    depends: tuple[str, ...] = ()


NPM_PINS = (
    NpmPin("@pyscript/core", "0.7.31"),
    NpmPin("pyodide", "314.0.7"),
)

WHEEL_PINS = (
    WheelPin("pydantic", "2.14.3",
             depends=("pydantic-core", "typing-extensions", "typing-inspection", "annotated-types")),
    WheelPin("pydantic-core", "2.50.4", depends=("typing-extensions",)),
    WheelPin("typing-extensions", "4.16.0"),
    WheelPin("typing-inspection", "0.4.5", depends=("typing-extensions",)),
    WheelPin("annotated-types", "0.8.0"),
)

# The wheel of this repo's bridge/ package, built by build.py itself.
BRIDGE_DIST_NAME = "oncehub-bridge"
BRIDGE_DEPENDS = ("pydantic",)

# Pyodide 314.0.7 runs CPython 3.14 with the 2026_0 ABI; the pure-Python wheels are py3-none-any and
# match these flags too (without --python-version 3.14 pip would pick versions for the local Python).
PIP_TARGET_ARGS = (
    "--no-deps", "--only-binary=:all:", "--python-version", "3.14", "--implementation", "cp",
    "--abi", "cp314", "--platform", "pyemscripten_2026_0_wasm32",
)

# Files taken from the npm packages (paths inside the tarball, below "package/").
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
PYODIDE_STOCK_LOCK = "pyodide-lock.json"

# Fixed timestamp of every entry of the bridge wheel (the earliest a zip file can hold).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class BuildError(Exception):
    """A build failure with a message meant for the person running the build."""


# --------------------------------------------------------------------------------------------------
# Small helpers


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def npm_integrity(path: Path) -> str:
    """The npm `integrity` string (SRI, sha512) of a tarball."""
    h = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(h).decode("ascii")


def human_size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError


def log(step: str, message: str) -> None:
    print(f"[{step}] {message}", flush=True)


def normalize_name(name: str) -> str:
    """PEP 503 normalization, as Pyodide's canonicalizePackageName does."""
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_name_part(name: str) -> str:
    """A project name as it appears in a wheel file name (PEP 427 escaping)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def cache_dir() -> Path:
    override = os.environ.get("ONCEHUB_BRIDGE_CACHE")
    return Path(override).expanduser() if override else Path.home() / ".cache" / "oncehub-bridge"


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
            detail = "\n    " + "\n    ".join(tail)
        raise BuildError(f"command failed (exit {proc.returncode}): {' '.join(cmd)}{detail}")
    return proc


# --------------------------------------------------------------------------------------------------
# The lock file and the input cache
#
# runtime.lock.json:
#   {"npm":    {"<name>": {"version", "file_name", "sha256", "integrity"}},
#    "wheels": {"<name>": {"version", "file_name", "sha256"}}}


@dataclass
class Input:
    """One fetched file the bundle is made from, as recorded in the lock file."""
    kind: str  # "npm" or "wheel"
    name: str
    version: str
    file_name: str
    sha256: str
    integrity: str | None = None

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}" if self.kind == "npm" else f"{self.name}=={self.version}"


def load_lock(path: Path | None = None) -> dict:
    path = path or LOCK_PATH
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise BuildError(f"{path.name} is missing: run `python3 build.py lock` to create it") from None
    except json.JSONDecodeError as e:
        raise BuildError(f"{path.name} is not valid JSON: {e}") from None


def lock_inputs(lock: dict) -> list[Input]:
    """The inputs of the lock file, checked against the pins of this script (same names, same
    versions), in pin order."""
    inputs = []
    for kind, section, pins in (("npm", "npm", NPM_PINS), ("wheel", "wheels", WHEEL_PINS)):
        entries = lock.get(section, {})
        pinned = {p.name for p in pins}
        extra = sorted(set(entries) - pinned)
        if extra:
            raise BuildError(f"{LOCK_PATH.name} lists {section} not pinned in build.py: {', '.join(extra)}; "
                             "run `python3 build.py lock`")
        for pin in pins:
            entry = entries.get(pin.name)
            if entry is None or entry.get("version") != pin.version:
                have = entry.get("version") if entry else "nothing"
                raise BuildError(f"{LOCK_PATH.name} is out of date for {pin.name}: it has {have}, "
                                 f"build.py pins {pin.version}; run `python3 build.py lock`")
            inputs.append(Input(kind, pin.name, pin.version, entry["file_name"], entry["sha256"],
                                entry.get("integrity")))
    return inputs


def lock_document(inputs: Iterable[Input]) -> dict:
    doc: dict = {
        "_comment": "Written by `python3 build.py lock`; `python3 build.py` checks every input against it.",
        "npm": {},
        "wheels": {},
    }
    for i in inputs:
        entry = {"version": i.version, "file_name": i.file_name, "sha256": i.sha256}
        if i.kind == "npm":
            entry["integrity"] = i.integrity
            doc["npm"][i.name] = entry
        else:
            doc["wheels"][i.name] = entry
    return doc


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


# --------------------------------------------------------------------------------------------------
# The bridge wheel


def _package_files(pkg_dir: Path) -> list[Path]:
    """The files of a package directory that belong in a wheel: no caches, no hidden files."""
    files = []
    for path in pkg_dir.rglob("*"):
        rel = path.relative_to(pkg_dir)
        if any(part == "__pycache__" or part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix not in (".pyc", ".pyo") and not path.name.endswith("~"):
            files.append(path)
    return files


def _zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so the mode below means the same everywhere
    info.external_attr = 0o100644 << 16
    return info


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def build_wheel(pkg_dir: Path, out_dir: Path, *, dist_name: str, version: str,
                requires: Iterable[str] = (), requires_python: str | None = None,
                summary: str | None = None) -> Path:
    """Build a pure-Python wheel of the package directory `pkg_dir` (its import name is the directory
    name) into out_dir. Deterministic: sorted entries, fixed timestamps and modes."""
    pkg_dir = Path(pkg_dir)
    if not (pkg_dir / "__init__.py").is_file():
        raise BuildError(f"{pkg_dir} is not a Python package (no __init__.py)")
    import_name = pkg_dir.name
    stem = f"{wheel_name_part(dist_name)}-{version}"
    dist_info = f"{stem}.dist-info"

    contents: list[tuple[str, bytes]] = sorted(
        (f"{import_name}/{p.relative_to(pkg_dir).as_posix()}", p.read_bytes()) for p in _package_files(pkg_dir))

    metadata = ["Metadata-Version: 2.1", f"Name: {dist_name}", f"Version: {version}"]
    if summary:
        metadata.append(f"Summary: {summary}")
    if requires_python:
        metadata.append(f"Requires-Python: {requires_python}")
    metadata += [f"Requires-Dist: {r}" for r in requires]
    wheel_meta = ["Wheel-Version: 1.0", "Generator: oncehub-bridge build.py", "Root-Is-Purelib: true",
                  "Tag: py3-none-any"]
    contents += [
        (f"{dist_info}/METADATA", ("\n".join(metadata) + "\n").encode()),
        (f"{dist_info}/WHEEL", ("\n".join(wheel_meta) + "\n").encode()),
        (f"{dist_info}/top_level.txt", f"{import_name}\n".encode()),
    ]
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in contents)
    contents.append((f"{dist_info}/RECORD", (record + f"{dist_info}/RECORD,,\n").encode()))

    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{stem}-py3-none-any.whl"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in contents:
            zf.writestr(_zip_entry(name), data, compresslevel=9)
    out.write_bytes(buf.getvalue())
    return out


def build_bridge_wheel(out_dir: Path, pkg_dir: Path = BRIDGE_DIR, pyproject: Path = PYPROJECT) -> Path:
    project = read_pyproject(pyproject)["project"]
    if not pkg_dir.is_dir():
        raise BuildError(f"the bridge package is missing: {pkg_dir} does not exist")
    return build_wheel(pkg_dir, out_dir, dist_name=project["name"], version=project["version"],
                       requires=project.get("dependencies", ()),
                       requires_python=project.get("requires-python"), summary=project.get("description"))


# --------------------------------------------------------------------------------------------------
# The generated pyodide-lock.json


def wheel_info(path: Path) -> dict:
    """Name (from METADATA), version and top-level import names of a wheel."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        meta_name = next(n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        fields: dict[str, str] = {}
        for line in zf.read(meta_name).decode("utf-8").splitlines():
            if not line.strip():
                break  # end of headers
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
    imports = set()
    for n in names:
        top = n.split("/", 1)[0]
        if top.endswith((".dist-info", ".data")):
            continue
        if "/" in n:
            imports.add(top)
        elif top.endswith(".py"):
            imports.add(top[:-3])
        elif top.endswith(".so"):
            imports.add(top.split(".", 1)[0])
    return {"name": fields["Name"], "version": fields["Version"], "imports": sorted(imports)}


def make_pyodide_lock(info: dict, wheels: Iterable[tuple[Path, Iterable[str]]]) -> dict:
    """A pyodide-lock.json that lists exactly `wheels` ((path of the shipped file, depends) pairs),
    with the `info` section of the stock lock file."""
    packages = {}
    for path, depends in wheels:
        meta = wheel_info(path)
        key = normalize_name(meta["name"])
        packages[key] = {
            "name": meta["name"],
            "version": meta["version"],
            "file_name": path.name,
            "install_dir": "site",
            "sha256": sha256_file(path),
            "package_type": "package",
            "imports": meta["imports"],
            "depends": sorted(normalize_name(d) for d in depends),
            "unvendored_tests": False,
            "shared_library": False,
        }
    for key, pkg in packages.items():
        unknown = [d for d in pkg["depends"] if d not in packages]
        if unknown:
            raise BuildError(f"pyodide-lock.json: {key} depends on {unknown}, which the bundle does not ship")
    return {"info": info, "packages": dict(sorted(packages.items()))}


# --------------------------------------------------------------------------------------------------
# Assembling site/dist/


def _copy_from_tar(tf: tarfile.TarFile, member: tarfile.TarInfo, dest: Path) -> int:
    src = tf.extractfile(member)
    if src is None:
        raise BuildError(f"{member.name} in the npm package is not a regular file")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out)
    return member.size


def copy_pyscript(tgz: Path, dest: Path) -> tuple[int, int]:
    """The @pyscript/core package's dist/ folder: every .js file and core.css, no source maps."""
    count = size = 0
    with tarfile.open(tgz, "r:gz") as tf:
        for m in tf.getmembers():
            rel = m.name.removeprefix("package/dist/")
            if not m.isfile() or rel == m.name or ".." in rel.split("/"):
                continue
            if rel.endswith(".js") or rel == "core.css":
                size += _copy_from_tar(tf, m, dest / rel)
                count += 1
    if not (dest / "core.js").is_file():
        raise BuildError(f"{tgz.name} has no dist/core.js")
    return count, size


def copy_pyodide(tgz: Path, dest: Path) -> tuple[int, dict]:
    """Pyodide's core files into dest; returns their size and the stock pyodide-lock.json."""
    size = 0
    with tarfile.open(tgz, "r:gz") as tf:
        for name in PYODIDE_FILES:
            try:
                member = tf.getmember(f"package/{name}")
            except KeyError:
                raise BuildError(f"{tgz.name} has no {name}") from None
            size += _copy_from_tar(tf, member, dest / name)
        stock = json.load(tf.extractfile(tf.getmember(f"package/{PYODIDE_STOCK_LOCK}")))
    return size, stock


def write_manifest(dist: Path, version: str) -> dict:
    files = {}
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        rel = path.relative_to(dist).as_posix()
        if rel != "manifest.json":
            files[rel] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    manifest = {"name": BRIDGE_DIST_NAME, "version": version, "files": files}
    (dist / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def build(dist: Path = DIST, *, cache: Path | None = None, bridge_dir: Path = BRIDGE_DIR,
          loader_dir: Path = LOADER_DIR) -> dict:
    """Assemble site/dist/ from the pinned, verified inputs. Returns the manifest."""
    t_start = time.monotonic()
    cache = cache or cache_dir()
    version = project_version()
    log("build", f"oncehub-bridge {version}, cache {cache}")

    inputs = lock_inputs(load_lock())
    paths, fetched = ensure_inputs(inputs, cache)
    origin = f"{len(fetched)} fetched" if fetched else "all from cache (offline)"
    log("build", f"{len(inputs)} inputs verified against {LOCK_PATH.name}, {origin} "
                 f"({time.monotonic() - t_start:.2f} s)")

    for name in (LOADER_JS, WORKER_PY):
        if not (loader_dir / name).is_file():
            raise BuildError(f"{loader_dir / name} is missing")

    t0 = time.monotonic()
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)

    js = (loader_dir / LOADER_JS).read_text(encoding="utf-8")
    (dist / LOADER_JS).write_text(js.replace(VERSION_PLACEHOLDER, version), encoding="utf-8")
    shutil.copyfile(loader_dir / WORKER_PY, dist / WORKER_PY)
    log("dist", f"{LOADER_JS} ({human_size((dist / LOADER_JS).stat().st_size)}, version placeholder "
                f"replaced {js.count(VERSION_PLACEHOLDER)}x), {WORKER_PY} "
                f"({human_size((dist / WORKER_PY).stat().st_size)})")

    npm = {i.name: i for i in inputs if i.kind == "npm"}
    t1 = time.monotonic()
    count, size = copy_pyscript(paths["@pyscript/core"], dist / "pyscript")
    log("dist", f"pyscript/: {count} files, {human_size(size)} from {npm['@pyscript/core'].file_name} "
                f"({time.monotonic() - t1:.2f} s)")

    t1 = time.monotonic()
    pyodide_dir = dist / "pyodide"
    size, stock_lock = copy_pyodide(paths["pyodide"], pyodide_dir)
    log("dist", f"pyodide/: {len(PYODIDE_FILES)} core files, {human_size(size)} from "
                f"{npm['pyodide'].file_name} ({time.monotonic() - t1:.2f} s)")

    t1 = time.monotonic()
    shipped: list[tuple[Path, tuple[str, ...]]] = []
    for pin in WHEEL_PINS:
        src = paths[pin.name]
        shutil.copyfile(src, pyodide_dir / src.name)
        shipped.append((pyodide_dir / src.name, pin.depends))
    bridge_whl = build_bridge_wheel(pyodide_dir, bridge_dir)
    shipped.append((bridge_whl, BRIDGE_DEPENDS))
    log("dist", f"pyodide/{bridge_whl.name}: {human_size(bridge_whl.stat().st_size)}, "
                f"sha256 {sha256_file(bridge_whl)[:16]}... ({time.monotonic() - t1:.2f} s)")

    pyodide_lock = make_pyodide_lock(stock_lock["info"], shipped)
    (pyodide_dir / PYODIDE_STOCK_LOCK).write_text(json.dumps(pyodide_lock, indent=2) + "\n")
    log("dist", f"pyodide/{PYODIDE_STOCK_LOCK}: {len(pyodide_lock['packages'])} packages "
                f"({', '.join(pyodide_lock['packages'])})")

    manifest = write_manifest(dist, version)
    total = sum(f["size"] for f in manifest["files"].values())
    log("dist", f"manifest.json: {len(manifest['files'])} files, {human_size(total)} "
                f"({time.monotonic() - t0:.2f} s to assemble)")
    log("build", f"done: {dist.relative_to(ROOT) if dist.is_relative_to(ROOT) else dist} "
                 f"in {time.monotonic() - t_start:.2f} s")
    return manifest


# --------------------------------------------------------------------------------------------------
# Serving


MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".whl": "application/octet-stream",
    ".zip": "application/octet-stream",
    ".json": "application/json",
    ".py": "text/plain",
    ".html": "text/html",
    ".css": "text/css",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".toml": "text/plain",
    "": "application/octet-stream",
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with fixed MIME types and no caching; logs only errors."""

    extensions_map = MIME_TYPES

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?", 1)[0] == "/favicon.ico" and not (Path(self.directory) / "favicon.ico").exists():
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def log_request(self, code="-", size="-") -> None:
        pass

    def log_message(self, format: str, *args) -> None:  # only reached through log_error
        sys.stderr.write(f"[serve] {self.address_string()} {format % args}\n")


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a browser closing a connection mid-transfer is not an error
        super().handle_error(request, client_address)


def start_server(root: Path | str = SITE, host: str = "127.0.0.1",
                 port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `root` in a daemon thread. Returns (server, base_url) with base_url like
    "http://127.0.0.1:43210" (no trailing slash). Stop it with server.shutdown(); server.server_close()."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server_class = QuietServer
    if ":" in host:  # an IPv6 address
        server_class = type("QuietServer6", (QuietServer,), {"address_family": socket.AF_INET6})
    server = server_class((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {root}", daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    url_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    return server, f"http://{url_host}:{bound_port}"


def serve(host: str, port: int) -> None:
    build()
    server, base = start_server(SITE, host, port)
    log("serve", f"serving {SITE.relative_to(ROOT)}/ at {base}/ (bundle at {base}/dist/); Ctrl-C stops")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------------------------------
# Tests


def ensure_chromium() -> None:
    if Path("/usr/bin/chromium").exists():
        log("test", "chromium: /usr/bin/chromium present")
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


def ensure_python_packages() -> None:
    project = read_pyproject()["project"]
    needed = [project["name"], *project.get("dependencies", ()),
              *project.get("optional-dependencies", {}).get("test", ())]
    missing = missing_requirements(needed)
    if not missing:
        log("test", f"python packages: all {len(needed)} requirements satisfied")
        return
    log("test", f"python packages: installing (missing: {', '.join(missing)})")
    t0 = time.monotonic()
    run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-e", ".[test]"],
        cwd=ROOT, capture=False)
    log("test", f"python packages: installed ({time.monotonic() - t0:.0f} s)")


def test(pytest_args: list[str]) -> int:
    ensure_chromium()
    ensure_python_packages()
    build()
    cmd = [sys.executable, "-m", "pytest", *pytest_args]
    log("test", " ".join(["python3", *cmd[1:]]))
    return subprocess.call(cmd, cwd=ROOT)


def dist_is_stale(dist: Path = DIST) -> str | None:
    """Why site/dist needs a rebuild (missing, or an input newer than its manifest), or None."""
    manifest = dist / "manifest.json"
    if not (dist / LOADER_JS).is_file() or not manifest.is_file():
        return f"{dist.relative_to(ROOT) if dist.is_relative_to(ROOT) else dist} is not built"
    built = manifest.stat().st_mtime
    inputs = [LOCK_PATH, PYPROJECT, Path(__file__).resolve(),
              *(p for p in BRIDGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts),
              *(p for p in LOADER_DIR.iterdir() if p.is_file())]
    newer = [p for p in inputs if p.stat().st_mtime > built]
    if newer:
        return f"{newer[0].relative_to(ROOT)} changed since the last build"
    return None


def bench(bench_args: list[str]) -> int:
    """Build if site/dist is missing or older than its inputs, then run tests/bench/run_bench.py (Playwright,
    in its own process so this file imports only the standard library). `bench_args` (e.g. --runs 3) go to it."""
    reason = dist_is_stale()
    if reason:
        log("bench", f"building first: {reason}")
        build()
    else:
        log("bench", f"{DIST.relative_to(ROOT)} is up to date")
    cmd = [sys.executable, str(ROOT / "tests" / "bench" / "run_bench.py"), *bench_args]
    log("bench", " ".join(["python3", *(str(Path(c).relative_to(ROOT)) if c.startswith(str(ROOT)) else c
                                        for c in cmd[1:])]))
    return subprocess.call(cmd, cwd=ROOT)


# --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("build", help="assemble site/dist/ (the default)")
    sub.add_parser("lock", help="re-fetch every input and rewrite runtime.lock.json")
    p_serve = sub.add_parser("serve", help="build, then serve site/")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--host", default="127.0.0.1")
    sub.add_parser("test", help="install what the tests need if missing, build, run pytest "
                                "(extra arguments go to pytest)")
    sub.add_parser("bench", add_help=False, help="build if needed, then benchmark the bundle against a hand-written JS handler "
                                 "(extra arguments go to tests/bench/run_bench.py, e.g. --runs 3)")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("test", "bench"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")

    try:
        if args.command in (None, "build"):
            build()
        elif args.command == "lock":
            lock()
        elif args.command == "serve":
            try:
                serve(args.host, args.port)
            except OSError as e:
                raise BuildError(f"cannot serve on {args.host}:{args.port}: {e}") from None
        elif args.command == "test":
            return test(extra)
        elif args.command == "bench":
            return bench(extra)
    except BuildError as e:
        print(f"build.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
