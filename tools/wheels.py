"""What the bundle takes from a wheel: the importable files of a native package, as the runtime host installs them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tools.project import BuildError

SITE_DIR = "site-packages"
"""Under the runtime's pyodide/ folder: the native packages' files, as they go into Pyodide's site-packages."""


def wheel_name_part(name: str) -> str:
    """A project name as it appears in a wheel file name (PEP 427 escaping)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def unpack_site_files(wheel: Path, pyodide_dir: Path) -> list[list[str]]:
    """Write a (repacked, .pyc) native wheel's importable files under pyodide_dir/site-packages/.

    The runtime host fetches them while Pyodide starts and writes them into its site-packages
    (site/loader/src/pyodide_host.js), instead of Pyodide's loadPackage once it has started. Each extension module is
    served as `<name>.wasm`, so that a server sends it as application/wasm and the browser compiles it while it
    downloads. Type stubs, py.typed and the .dist-info are left out: nothing reads them at run time.
    Returns [served path under pyodide/, path in site-packages] pairs."""
    pairs = []
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.split("/", 1)[0].endswith((".dist-info", ".data")) or not name.endswith((".pyc", ".so")):
                continue
            served = f"{SITE_DIR}/{name.removesuffix('.so')}.wasm" if name.endswith(".so") else f"{SITE_DIR}/{name}"
            (pyodide_dir / served).parent.mkdir(parents=True, exist_ok=True)
            (pyodide_dir / served).write_bytes(zf.read(name))
            pairs.append([served, name])
    if not any(site.endswith(".so") for _, site in pairs):
        raise BuildError(f"{wheel.name} has no extension module")
    return pairs
