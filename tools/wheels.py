"""The pyodide-lock.json that lists every wheel the bundle ships, and what it reads from a wheel."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Iterable

from tools.project import BuildError, sha256_file


def normalize_name(name: str) -> str:
    """PEP 503 normalization, as Pyodide's canonicalizePackageName does."""
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_name_part(name: str) -> str:
    """A project name as it appears in a wheel file name (PEP 427 escaping)."""
    return re.sub(r"[-_.]+", "_", name).lower()


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
