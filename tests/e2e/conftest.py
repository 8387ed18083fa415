"""Browser fixtures: Debian's Chromium, the built bundle served on 127.0.0.1, and a page that fails the test on
any console error, uncaught exception, PyScript error banner or request to another host."""

from __future__ import annotations

import shutil
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402
from harness import HostPage, PageWatch  # noqa: E402

BUNDLE_PATHS = ("dist", "cdn/assets/v1/oncehub-bridge")  # the same folder, served at two paths


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright turns the back-forward cache off; real browsers have it, and SPEC §5 promises behaviour under it.
    return {**browser_type_launch_args, "executable_path": build.CHROMIUM, "args": build.chromium_args(),
            "ignore_default_args": ["--disable-back-forward-cache"]}


@pytest.fixture(scope="session")
def demo_site() -> str:
    """site/ served as `build.py serve` does, docs site built: the demo on one port, the simulated booking page on
    port + 1. Returns the demo's base URL."""
    from tools.docs import build_docs
    build_docs(Path(sys.executable))
    servers, base_url, _ = build.start_demo_servers(ROOT / "site")
    yield base_url
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_root(tmp_path_factory) -> Path:
    """A web root holding the built bundle (under two paths), the demo site and the test pages."""
    dist = ROOT / "site" / "dist"
    if not (dist / "oncehub-bridge.js").exists():
        pytest.exit("site/dist is not built: run `python3 build.py` (or `python3 build.py test`)", returncode=2)
    root = tmp_path_factory.mktemp("www")
    for bundle_path in BUNDLE_PATHS:
        target = root / bundle_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(dist, target_is_directory=True)
    for file in dist.rglob("*"):  # the bundle as a site whose proxy or ad blocker refuses the wasm serves it
        if file.is_file() and ".asm.wasm" not in file.name:
            target = root / "wasm-blocked" / file.relative_to(dist)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(file)
    shutil.copytree(Path(__file__).parent / "pages", root / "t")
    shutil.copytree(ROOT / "examples" / "acme_sink", root / "sinks", ignore=shutil.ignore_patterns("test_*", "__pycache__"))
    # real client libraries: Google's data-layer-helper (GTM's data model); a page's own, complete PyScript + Pyodide
    unpack_pinned("data-layer-helper", "dist/data-layer-helper.js", root / "t")
    unpack_pinned("@pyscript/core", "dist/", root / "t" / "pyscript")
    unpack_pinned("pyodide", "", root / "t" / "pyodide")
    return root


def unpack_pinned(package: str, prefix: str, dest: Path) -> None:
    """The files of a pinned npm package (runtime.lock.json, verified against its hash) under `prefix`, into dest."""
    from tools.inputs import cache_dir, ensure_inputs
    from tools.pins import load_lock, lock_inputs

    wanted = [i for i in lock_inputs(load_lock()) if i.name == package]
    paths, _ = ensure_inputs(wanted, cache_dir())
    with tarfile.open(paths[package], "r:gz") as tf:
        for member in tf.getmembers():
            name = member.name.removeprefix("package/")
            if member.isfile() and name.startswith(prefix):
                target = dest / (name[len(prefix):] if prefix.endswith("/") else Path(name).name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tf.extractfile(member).read())


@pytest.fixture(scope="session")
def served_requests() -> list[str]:
    """"METHOD /path" of every request the `origin` server answered (what crossed the network), in order."""
    return []


@pytest.fixture(scope="session")
def origin(served_root, served_requests) -> str:
    server, base_url = build.start_server(served_root, served=served_requests)
    yield base_url.rstrip("/")
    server.shutdown()


@pytest.fixture(scope="session")
def other_origin(served_root) -> str:
    """A second origin (another port on 127.0.0.1) for cross-origin iframes."""
    server, base_url = build.start_server(served_root)
    yield base_url.rstrip("/")
    server.shutdown()


@pytest.fixture
def watch(context) -> PageWatch:
    watch = PageWatch()

    def on_request(request):
        watch.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            watch.foreign_requests.append(request.url)

    context.on("request", on_request)
    return watch


@pytest.fixture
def host(page, origin, watch, served_root) -> HostPage:
    def on_console(message):
        watch.console_lines.append(f"{message.type}: {message.text}")
        if message.type == "error":
            watch.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    hosted = HostPage(page, origin, watch, served_root)
    yield hosted
    assert watch.foreign_requests == [], "requests left 127.0.0.1"
    assert watch.page_errors == [], "uncaught exceptions on the host page"
    assert watch.unexpected_console_errors() == [], "unexpected console errors"
    if not page.is_closed():
        assert page.locator(".py-error").count() == 0, "a PyScript error banner appeared"
