"""build.py and tools/: lock enforcement, the native wheel's files as the runtime installs them, serving.

No network: inputs are fake files in temp dirs, fetching is a stub."""

from __future__ import annotations

import hashlib
import io
import tarfile
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

import build
from tools.bundle import TERSER_PACKAGES, terser_modules
from tools.inputs import ensure_inputs
from tools.pins import NPM_PINS, WHEEL_PINS, Input, load_lock, lock_inputs
from tools.project import BuildError, read_pyproject
from tools.runtime import pyscript_python_files
from tools.serve import SlowLink, start_server
from tools.wheels import unpack_site_files, wheel_name_part


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------------------------------
# runtime.lock.json


def test_lock_file_covers_exactly_the_pinned_inputs():
    inputs = lock_inputs(load_lock())
    assert [(i.kind, i.name, i.version) for i in inputs] == (
        [("npm", p.name, p.version) for p in NPM_PINS]
        + [("wheel", p.name, p.version) for p in WHEEL_PINS])
    for i in inputs:
        assert len(i.sha256) == 64 and int(i.sha256, 16) >= 0, i
        assert i.file_name.endswith(".tgz" if i.kind == "npm" else ".whl"), i
        if i.kind == "npm":
            assert i.integrity.startswith("sha512-"), i


def test_pyproject_pins_the_same_pydantic_as_the_browser():
    deps = read_pyproject()["project"]["dependencies"]
    pins = {p.name: p.version for p in WHEEL_PINS}
    assert f"pydantic=={pins['pydantic']}" in deps
    assert f"pydantic-core=={pins['pydantic-core']}" in deps


def test_lock_with_another_version_than_the_pin_is_rejected():
    lock = load_lock()
    lock["wheels"]["pydantic"]["version"] = "0.0.1"
    with pytest.raises(BuildError, match="out of date for pydantic"):
        lock_inputs(lock)


GOOD = b"the real file"
BAD = b"a corrupted file"


def an_input(data: bytes = GOOD) -> Input:
    return Input("wheel", "demo", "1.0", "demo-1.0-py3-none-any.whl", sha256(data))


class StubFetch:
    """Stands in for npm/pip: writes `data` for every input asked for, and counts the calls."""

    def __init__(self, data: bytes):
        self.data = data
        self.calls: list[list[str]] = []

    def __call__(self, inputs, dest: Path) -> None:
        self.calls.append([i.name for i in inputs])
        for i in inputs:
            (dest / i.file_name).write_bytes(self.data)


def test_cached_file_with_the_locked_hash_is_used_without_fetching(tmp_path):
    (tmp_path / "demo-1.0-py3-none-any.whl").write_bytes(GOOD)
    fetch = StubFetch(GOOD)
    paths, fetched = ensure_inputs([an_input()], tmp_path, fetch)
    assert fetch.calls == [] and fetched == []
    assert paths["demo"].read_bytes() == GOOD


def test_missing_file_is_fetched_into_the_cache(tmp_path):
    fetch = StubFetch(GOOD)
    paths, fetched = ensure_inputs([an_input()], tmp_path / "cache", fetch)
    assert fetch.calls == [["demo"]] and fetched == ["demo"]
    assert paths["demo"] == tmp_path / "cache" / "demo-1.0-py3-none-any.whl"
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["demo-1.0-py3-none-any.whl"]


def test_corrupted_cached_file_is_detected_deleted_and_fetched_again(tmp_path, capsys):
    (tmp_path / "demo-1.0-py3-none-any.whl").write_bytes(BAD)
    fetch = StubFetch(GOOD)
    paths, fetched = ensure_inputs([an_input()], tmp_path, fetch)
    assert fetch.calls == [["demo"]]
    assert paths["demo"].read_bytes() == GOOD
    assert "sha256 mismatch for demo-1.0-py3-none-any.whl" in capsys.readouterr().err


def test_hash_still_wrong_after_one_refetch_fails_loudly(tmp_path):
    (tmp_path / "demo-1.0-py3-none-any.whl").write_bytes(BAD)
    fetch = StubFetch(BAD)
    with pytest.raises(BuildError) as err:
        ensure_inputs([an_input()], tmp_path, fetch)
    assert fetch.calls == [["demo"]]  # once, not in a loop
    message = str(err.value)
    assert "demo-1.0-py3-none-any.whl" in message
    assert f"expected {sha256(GOOD)}" in message
    assert f"actual   {sha256(BAD)}" in message


def test_build_command_exits_non_zero_on_a_mismatch(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ONCEHUB_BRIDGE_CACHE", str(tmp_path))
    monkeypatch.setattr("tools.bundle.lock_inputs", lambda lock: [an_input()])
    monkeypatch.setattr("tools.inputs.fetch_inputs", StubFetch(BAD))
    assert build.main(["build"]) == 1
    assert "sha256 mismatch for demo-1.0-py3-none-any.whl" in capsys.readouterr().err


def test_fetch_that_produces_another_file_name_is_an_error(tmp_path):
    def fetch(inputs, dest):
        (dest / "demo-1.1-py3-none-any.whl").write_bytes(GOOD)

    with pytest.raises(BuildError, match=r"did not produce demo-1\.0-py3-none-any\.whl"):
        ensure_inputs([an_input()], tmp_path, fetch)


# --------------------------------------------------------------------------------------------------
# The bridge wheel


def make_wheel(folder: Path, name: str, version: str, modules: tuple[str, ...]) -> Path:
    """A tiny wheel as PyPI ships them: the modules (each holding its own name), and METADATA naming the project."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{wheel_name_part(name)}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for module in modules:
            zf.writestr(module, module)
        zf.writestr(f"{wheel_name_part(name)}-{version}.dist-info/METADATA",
                    f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nbody: x\n")
    return path


# --------------------------------------------------------------------------------------------------
# A native wheel's files, as the runtime host installs them


def test_a_native_wheels_importable_files_are_unpacked_with_the_extension_served_as_wasm(tmp_path):
    wheel = make_wheel(tmp_path, "pydantic_core", "2.50.4", (
        "pydantic_core/__init__.pyc", "pydantic_core/core_schema.pyc",
        "pydantic_core/_pydantic_core.cpython-314-wasm32-emscripten.so",
        "pydantic_core/_pydantic_core/__init__.pyi", "pydantic_core/py.typed"))
    pyodide_dir = tmp_path / "pyodide"

    pairs = unpack_site_files(wheel, pyodide_dir)

    assert sorted(pairs) == [
        ["site-packages/pydantic_core/__init__.pyc", "pydantic_core/__init__.pyc"],
        ["site-packages/pydantic_core/_pydantic_core.cpython-314-wasm32-emscripten.wasm",
         "pydantic_core/_pydantic_core.cpython-314-wasm32-emscripten.so"],
        ["site-packages/pydantic_core/core_schema.pyc", "pydantic_core/core_schema.pyc"],
    ]
    with zipfile.ZipFile(wheel) as zf:
        for served, site in pairs:
            assert (pyodide_dir / served).read_bytes() == zf.read(site)
    written = sorted(p.relative_to(pyodide_dir).as_posix() for p in pyodide_dir.rglob("*") if p.is_file())
    assert written == sorted(served for served, _ in pairs)  # no stubs, py.typed or .dist-info


def test_a_wheel_without_an_extension_module_is_a_build_error(tmp_path):
    wheel = make_wheel(tmp_path, "lonely", "1.0", ("lonely/__init__.pyc",))
    with pytest.raises(BuildError, match="lonely-1.0-py3-none-any.whl has no extension module"):
        unpack_site_files(wheel, tmp_path / "pyodide")


# --------------------------------------------------------------------------------------------------
# terser and the packages its code requires, unpacked from their npm packages for node to load


def make_npm_package(folder: Path, name: str, members: dict[str, bytes]) -> Path:
    """An npm package tarball as `npm pack` writes it: every file under package/."""
    path = folder / (name.strip("@").replace("/", "-") + ".tgz")
    with tarfile.open(path, "w:gz") as tf:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def test_terser_and_its_requirements_are_unpacked_into_one_node_modules_folder_once(tmp_path):
    paths = {name: make_npm_package(tmp_path, name, {
        "package/package.json": f'{{"name": "{name}"}}'.encode(), "package/dist/index.js": name.encode()})
        for name in TERSER_PACKAGES}

    modules = terser_modules(paths, tmp_path / "cache")

    assert modules.name == "node_modules"
    for name in TERSER_PACKAGES:
        assert (modules / name / "dist" / "index.js").read_bytes() == name.encode()  # node finds `name` here
    for tgz in paths.values():
        tgz.unlink()
    assert terser_modules(paths, tmp_path / "cache") == modules  # unpacked once: the packages are not read again


def test_a_package_file_that_would_land_outside_its_folder_is_a_build_error(tmp_path):
    paths = {name: make_npm_package(tmp_path, name, {"package/index.js": b""}) for name in TERSER_PACKAGES}
    paths["terser"] = make_npm_package(tmp_path, "terser", {"package/../../../escaped.js": b"x"})

    with pytest.raises(BuildError, match="leaves its package"):
        terser_modules(paths, tmp_path / "cache")
    assert not any(p.name == "escaped.js" for p in tmp_path.rglob("*"))


# --------------------------------------------------------------------------------------------------
# PyScript's own Python package, read from its JavaScript to be compiled at build time


def test_pyscript_s_embedded_package_is_read_with_nested_folders_and_every_escape():
    js = (r'let a=1;const e={pyscript:{"__init__.py":"import sys\nx = \"q\" + ' "'s\\'' # \\\\" r'",'
          r'sub: {"m.py":"\x41\u0041\u{1F600}\tend\0' '\\\n' r'more"},$d_1:{}, "z.py" : ""}};run(e);')
    assert pyscript_python_files(js) == {
        "pyscript/__init__.py": "import sys\nx = \"q\" + 's'' # \\",
        "pyscript/sub/m.py": "AA\U0001F600\tend\0more",
        "pyscript/z.py": "",
    }


def test_a_pyscript_without_its_embedded_package_or_with_another_shape_of_it_is_a_build_error():
    with pytest.raises(BuildError, match="no longer embeds its Python package"):
        pyscript_python_files('const e={other:{"a.py":"x"}};')
    with pytest.raises(BuildError, match="could not be read at '`a.py`"):
        pyscript_python_files('const e={pyscript:{`a.py`:"x"}};')


# --------------------------------------------------------------------------------------------------
# Serving


def fetch(url: str, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
        return r.read(), r.headers  # case-insensitive, as HTTP header names are


def test_server_sends_the_mime_types_pyodide_needs_and_revalidates_every_time(tmp_path):
    for name in ("a.wasm", "a.mjs", "a.js", "a.whl", "a.zip", "a.json", "a.py"):
        (tmp_path / name).write_bytes(b"x")
    server, base = start_server(tmp_path)
    try:
        seen = {}
        for name in ("a.wasm", "a.mjs", "a.js", "a.whl", "a.zip", "a.json", "a.py"):
            _, headers = fetch(f"{base}/{name}")
            seen[name] = headers["Content-Type"]
            assert headers["Cache-Control"] == "no-cache"  # not no-store: that would bar the back-forward cache
        with urllib.request.urlopen(f"{base}/favicon.ico") as r:
            assert r.status == 204
    finally:
        server.shutdown()
        server.server_close()
    assert seen == {"a.wasm": "application/wasm", "a.mjs": "text/javascript", "a.js": "text/javascript",
                    "a.whl": "application/octet-stream", "a.zip": "application/octet-stream",
                    "a.json": "application/json", "a.py": "text/plain"}


def test_server_sends_the_precompressed_file_the_browser_accepts_and_caches_runtime_paths_for_good(tmp_path):
    runtime = tmp_path / "runtime-0123456789ab"
    runtime.mkdir()
    (runtime / "a.wasm").write_bytes(b"plain")
    (runtime / "a.wasm.br").write_bytes(b"brotli")
    (runtime / "a.wasm.gz").write_bytes(b"gzip")
    (tmp_path / "loader.js").write_bytes(b"plain loader")
    (tmp_path / "loader.js.gz").write_bytes(b"gzip loader")
    server, base = start_server(tmp_path)
    try:
        body, headers = fetch(f"{base}/runtime-0123456789ab/a.wasm", **{"Accept-Encoding": "gzip, deflate, br"})
        assert (body, headers["Content-Encoding"], headers["Content-Type"]) == (b"brotli", "br", "application/wasm")
        assert headers["Vary"] == "Accept-Encoding"
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        body, headers = fetch(f"{base}/runtime-0123456789ab/a.wasm", **{"Accept-Encoding": "gzip"})
        assert (body, headers["Content-Encoding"]) == (b"gzip", "gzip")
        body, headers = fetch(f"{base}/runtime-0123456789ab/a.wasm", **{"Accept-Encoding": "identity"})
        assert body == b"plain" and "Content-Encoding" not in headers
        body, headers = fetch(f"{base}/loader.js", **{"Accept-Encoding": "br, gzip"})
        assert (body, headers["Content-Encoding"]) == (b"gzip loader", "gzip")  # no .br: the next one accepted
        assert headers["Cache-Control"] == "no-cache"  # the loader's stable URL revalidates
    finally:
        server.shutdown()
        server.server_close()


def test_a_slow_link_holds_each_answer_one_round_trip_and_shares_its_bandwidth(tmp_path):
    """The benchmark's slow link: two 100 kB bodies fetched side by side over 8 Mbit/s take at least the round trip
    plus the time the 200 kB need at that rate together (0.05 + 0.2 s), and arrive whole; without the link, the
    server keeps a record of what it answered."""
    for name in ("a.bin", "b.bin"):
        (tmp_path / name).write_bytes(bytes(range(256)) * 400)
    served = []
    server, base = start_server(tmp_path, link=SlowLink(50, 8), served=served)
    bodies = {}
    try:
        t0 = time.monotonic()
        threads = [threading.Thread(target=lambda n=name: bodies.__setitem__(n, fetch(f"{base}/{n}")[0]))
                   for name in ("a.bin", "b.bin")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - t0
    finally:
        server.shutdown()
        server.server_close()
    assert took >= 0.05 + 2 * 102_400 * 8 / 8e6
    assert bodies == {"a.bin": bytes(range(256)) * 400, "b.bin": bytes(range(256)) * 400}
    assert sorted(served) == ["GET /a.bin", "GET /b.bin"]
