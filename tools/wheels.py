"""The deterministic wheel of this repo's bridge/ package, and the pyodide-lock.json that lists every wheel the
bundle ships."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Iterable

from tools.project import BRIDGE_DIR, PYPROJECT, BuildError, read_pyproject, sha256_file

# The wheel of this repo's bridge/ package, built by build_bridge_wheel below.
BRIDGE_DIST_NAME = "oncehub-bridge"
BRIDGE_DEPENDS = ("pydantic",)

# Fixed timestamp of every entry of the bridge wheel (the earliest a zip file can hold).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def normalize_name(name: str) -> str:
    """PEP 503 normalization, as Pyodide's canonicalizePackageName does."""
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_name_part(name: str) -> str:
    """A project name as it appears in a wheel file name (PEP 427 escaping)."""
    return re.sub(r"[-_.]+", "_", name).lower()


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
