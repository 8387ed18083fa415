"""build.py and tools/: lock enforcement, the deterministic bridge wheel, the generated pyodide-lock.json, serving.

No network: inputs are fake files in temp dirs, fetching is a stub."""

from __future__ import annotations

import hashlib
import json
import os
import urllib.request
import zipfile
from base64 import urlsafe_b64encode
from pathlib import Path

import pytest

import build
from tools.bundle import compact_js
from tools.inputs import ensure_inputs
from tools.pins import NPM_PINS, WHEEL_PINS, Input, load_lock, lock_inputs
from tools.project import BRIDGE_DIR, BuildError, project_version, read_pyproject, sha256_file
from tools.serve import start_server
from tools.wheels import (BRIDGE_DEPENDS, BRIDGE_DIST_NAME, build_bridge_wheel, build_wheel, make_pyodide_lock,
                          wheel_info, wheel_name_part)


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


def make_package(root: Path, name: str, modules: dict[str, str]) -> Path:
    pkg = root / name
    for rel, text in {"__init__.py": "", **modules}.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(text)
    return pkg


def test_wheel_is_deterministic_and_complete(tmp_path):
    pkg = make_package(tmp_path / "src", "fakebridge", {
        "app.py": "X = 1\n", "sinks/__init__.py": "", "sinks/data_layer.py": "Y = 2\n"})
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"junk")
    (pkg / ".hidden").write_text("no")

    kwargs = dict(dist_name="oncehub-bridge", version="9.9.9", requires=["pydantic==2.14.3"],
                  requires_python=">=3.11")
    first = build_wheel(pkg, tmp_path / "a", **kwargs)
    for p in pkg.rglob("*"):
        os.utime(p, (1_900_000_000, 1_900_000_000))  # other timestamps must not matter
    second = build_wheel(pkg, tmp_path / "b", **kwargs)

    assert first.name == second.name == "oncehub_bridge-9.9.9-py3-none-any.whl"
    assert first.read_bytes() == second.read_bytes()

    with zipfile.ZipFile(first) as zf:
        names = zf.namelist()
        assert names == [
            "fakebridge/__init__.py", "fakebridge/app.py", "fakebridge/sinks/__init__.py",
            "fakebridge/sinks/data_layer.py",
            "oncehub_bridge-9.9.9.dist-info/METADATA", "oncehub_bridge-9.9.9.dist-info/WHEEL",
            "oncehub_bridge-9.9.9.dist-info/top_level.txt", "oncehub_bridge-9.9.9.dist-info/RECORD"]
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        metadata = zf.read("oncehub_bridge-9.9.9.dist-info/METADATA").decode()
        assert "Name: oncehub-bridge\n" in metadata and "Version: 9.9.9\n" in metadata
        assert "Requires-Dist: pydantic==2.14.3\n" in metadata
        assert "Tag: py3-none-any\n" in zf.read("oncehub_bridge-9.9.9.dist-info/WHEEL").decode()
        assert zf.read("oncehub_bridge-9.9.9.dist-info/top_level.txt") == b"fakebridge\n"
        record = zf.read("oncehub_bridge-9.9.9.dist-info/RECORD").decode().splitlines()
        assert record[-1] == "oncehub_bridge-9.9.9.dist-info/RECORD,,"
        assert len(record) == len(names)
        for line in record[:-1]:
            name, digest, size = line.rsplit(",", 2)
            data = zf.read(name)
            expected = urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert digest == f"sha256={expected}" and int(size) == len(data), name

    assert wheel_info(first) == {"name": "oncehub-bridge", "version": "9.9.9", "imports": ["fakebridge"]}


@pytest.mark.skipif(not (BRIDGE_DIR / "__init__.py").is_file(), reason="bridge/ not written yet")
def test_repo_bridge_wheel_is_deterministic_and_contains_the_package(tmp_path):
    first = build_bridge_wheel(tmp_path / "a")
    second = build_bridge_wheel(tmp_path / "b")
    assert sha256_file(first) == sha256_file(second)
    version = project_version()
    assert first.name == f"oncehub_bridge-{version}-py3-none-any.whl"
    with zipfile.ZipFile(first) as zf:
        names = set(zf.namelist())
    sources = {f"bridge/{p.relative_to(BRIDGE_DIR).as_posix()}"
               for p in BRIDGE_DIR.rglob("*.py") if "__pycache__" not in p.parts}
    assert sources <= names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert wheel_info(first)["imports"] == ["bridge"]


# --------------------------------------------------------------------------------------------------
# The generated pyodide-lock.json


STOCK_INFO = {"abi_version": "2026_0", "arch": "wasm32", "platform": "emscripten_5_0_3", "python": "3.14.2"}


def fake_shipped_wheels(tmp_path: Path) -> list[tuple[Path, tuple[str, ...]]]:
    """Tiny wheels with the pinned names and versions, plus the bridge, as build() ships them."""
    out = tmp_path / "pyodide"
    shipped = []
    for pin in WHEEL_PINS:
        pkg = make_package(tmp_path / "src" / pin.name, wheel_name_part(pin.name), {})
        shipped.append((build_wheel(pkg, out, dist_name=pin.name, version=pin.version), pin.depends))
    bridge = make_package(tmp_path / "src" / "bridge", "bridge", {"app.py": "pass\n"})
    shipped.append((build_wheel(bridge, out, dist_name=BRIDGE_DIST_NAME, version="0.1.0"),
                    BRIDGE_DEPENDS))
    return shipped


def test_pyodide_lock_lists_exactly_the_shipped_wheels(tmp_path):
    shipped = fake_shipped_wheels(tmp_path)
    lock = make_pyodide_lock(STOCK_INFO, shipped)
    lock = json.loads(json.dumps(lock))  # as written to disk

    assert lock["info"] == STOCK_INFO
    packages = lock["packages"]
    assert set(packages) == {"pydantic", "pydantic-core", "typing-extensions", "typing-inspection",
                             "annotated-types", "oncehub-bridge"}
    by_file = {path.name: path for path, _ in shipped}
    assert {p["file_name"] for p in packages.values()} == set(by_file)
    for key, pkg in packages.items():
        assert pkg["sha256"] == sha256_file(by_file[pkg["file_name"]]), key
        assert pkg["install_dir"] == "site" and pkg["package_type"] == "package"
        assert pkg["unvendored_tests"] is False and pkg["shared_library"] is False
        assert set(pkg["depends"]) <= set(packages), key

    assert packages["pydantic"]["depends"] == [
        "annotated-types", "pydantic-core", "typing-extensions", "typing-inspection"]
    assert packages["pydantic-core"]["depends"] == ["typing-extensions"]
    assert packages["typing-inspection"]["depends"] == ["typing-extensions"]
    assert packages["oncehub-bridge"]["depends"] == ["pydantic"]
    assert packages["oncehub-bridge"]["imports"] == ["bridge"]
    assert packages["pydantic-core"]["imports"] == ["pydantic_core"]
    assert packages["pydantic"]["version"] == "2.14.3"


def test_pyodide_lock_rejects_a_dependency_the_bundle_does_not_ship(tmp_path):
    pkg = make_package(tmp_path / "src", "lonely", {})
    wheel = build_wheel(pkg, tmp_path, dist_name="lonely", version="1.0")
    with pytest.raises(BuildError, match="does not ship"):
        make_pyodide_lock(STOCK_INFO, [(wheel, ("micropip",))])


def test_wheel_info_finds_single_module_imports(tmp_path):
    path = tmp_path / "typing_extensions-4.16.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("typing_extensions.py", "")
        zf.writestr("typing_extensions-4.16.0.dist-info/METADATA",
                    "Metadata-Version: 2.1\nName: typing_extensions\nVersion: 4.16.0\n\nbody: x\n")
    assert wheel_info(path) == {"name": "typing_extensions", "version": "4.16.0",
                                      "imports": ["typing_extensions"]}


# --------------------------------------------------------------------------------------------------
# Serving


def test_server_sends_the_mime_types_pyodide_needs_and_revalidates_every_time(tmp_path):
    for name in ("a.wasm", "a.mjs", "a.js", "a.whl", "a.zip", "a.json", "a.py"):
        (tmp_path / name).write_bytes(b"x")
    server, base = start_server(tmp_path)
    try:
        seen = {}
        for name in ("a.wasm", "a.mjs", "a.js", "a.whl", "a.zip", "a.json", "a.py"):
            with urllib.request.urlopen(f"{base}/{name}") as r:
                seen[name] = r.headers["Content-Type"]
                assert r.headers["Cache-Control"] == "no-cache"  # not no-store: that would bar the back-forward cache
        with urllib.request.urlopen(f"{base}/favicon.ico") as r:
            assert r.status == 204
    finally:
        server.shutdown()
        server.server_close()
    assert seen == {"a.wasm": "application/wasm", "a.mjs": "text/javascript", "a.js": "text/javascript",
                    "a.whl": "application/octet-stream", "a.zip": "application/octet-stream",
                    "a.json": "application/json", "a.py": "text/plain"}


def test_compact_js_drops_comments_but_never_code_or_strings():
    """The shipped loader loses comments and indentation; strings holding // and quotes are left intact."""
    source = "\n".join([
        "/*! banner */",
        "(function () {",
        "  // a comment line",
        "  /** a doc line */",
        "",
        "  var url = \"https://example.test/a\";  // keep the string, drop this",
        "  var odd = \"it's // not a comment\";",
        "  var n = 1; // the page's own",
        "})();",
    ])
    assert compact_js(source).splitlines() == [
        "/*! banner */",
        "(function () {",
        "var url = \"https://example.test/a\";",
        "var odd = \"it's // not a comment\";",
        "var n = 1;",
        "})();",
    ]
