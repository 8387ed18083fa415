"""Serve site/ locally: static files with the MIME types Pyodide needs, the demo and its simulated booking page on
two origins, and the docs site (tools/docs.py) (`python3 build.py serve`)."""

from __future__ import annotations

import functools
import http.server
import socket
import sys
import threading
import time
from pathlib import Path

from tools.bundle import build
from tools.docs import build_docs
from tools.project import ROOT, SITE, log


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
    """Static files with fixed MIME types, revalidated on every use; logs only errors.

    ``no-cache`` rather than ``no-store``: edits show at once, and pages stay eligible for the back-forward cache.
    """

    extensions_map = MIME_TYPES

    def end_headers(self) -> None:
        immutable = "/runtime-" in self.path.split("?", 1)[0]
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")
        super().end_headers()

    def send_head(self):
        """The precompressed ``.br`` (or ``.gz``) next to a file when the browser accepts it, as a production
        server set up by docs/serving.md does; the plain file otherwise."""
        if self.server.served is not None:
            self.server.served.append(f"{self.command} {self.path}")
        if self.server.link is not None:
            self.server.link.round_trip()
        path = Path(self.translate_path(self.path))
        accepted = self.headers.get("Accept-Encoding", "")
        if path.is_file():
            for encoding, ext in (("br", ".br"), ("gzip", ".gz")):
                packed = Path(str(path) + ext)
                if encoding in accepted and packed.is_file():
                    body = packed.read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Type", self.guess_type(str(path)))
                    self.send_header("Content-Encoding", encoding)
                    self.send_header("Vary", "Accept-Encoding")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    return _Body(body)
        return super().send_head()

    def copyfile(self, source, outputfile) -> None:
        if self.server.link is None:
            super().copyfile(source, outputfile)
        else:
            self.server.link.send(outputfile, source.read())

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?", 1)[0] == "/favicon.ico" and not (Path(self.directory) / "favicon.ico").exists():
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def do_POST(self) -> None:  # noqa: N802
        """The demo's stand-in for a site's own booking endpoint (the beacon sink's target, docs/beacon.md)."""
        if self.path.split("?", 1)[0] != "/api/bookings":
            self.send_error(404)
            return
        self.rfile.read(min(int(self.headers.get("Content-Length") or 0), 64 * 1024))
        self.send_response(204)
        self.end_headers()

    def log_request(self, code="-", size="-") -> None:
        pass

    def log_message(self, format: str, *args) -> None:  # only reached through log_error
        sys.stderr.write(f"[serve] {self.address_string()} {format % args}\n")


class _Body:
    """A file-like body for ``send_head``'s callers (``copyfile`` then ``close``)."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


class SlowLink:
    """A slow network in front of the local server, for the benchmark: every answer waits one round trip (as on a
    connection that is already open), and all bodies share one bandwidth, sent in turn in small chunks. Loopback
    has neither, so without it a start that waits on round trips or on bytes looks as fast as one that does not."""

    CHUNK = 16 * 1024

    def __init__(self, rtt_ms: float, mbit_s: float):
        self.rtt_ms, self.mbit_s = rtt_ms, mbit_s
        self._bytes_per_s = mbit_s * 1e6 / 8
        self._lock = threading.Lock()
        self._free_at = 0.0  # when the link has sent every chunk handed to it so far (time.monotonic)

    def round_trip(self) -> None:
        time.sleep(self.rtt_ms / 1000)

    def send(self, out, data: bytes) -> None:
        for i in range(0, len(data), self.CHUNK):
            chunk = data[i:i + self.CHUNK]
            with self._lock:
                self._free_at = max(time.monotonic(), self._free_at) + len(chunk) / self._bytes_per_s
                sent_at = self._free_at
            time.sleep(max(0.0, sent_at - time.monotonic()))
            out.write(chunk)


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    link: SlowLink | None = None
    served: list[str] | None = None  # "GET /path" of each request answered, when kept (the tests read it)

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a browser closing a connection mid-transfer is not an error
        super().handle_error(request, client_address)


def start_server(root: Path | str = SITE, host: str = "127.0.0.1", port: int = 0, link: SlowLink | None = None,
                 served: list[str] | None = None) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `root` in a daemon thread, behind `link` if given, adding "METHOD /path" of each request answered to
    `served` if given. Returns (server, base_url) with base_url like "http://127.0.0.1:43210" (no trailing slash).
    Stop it with server.shutdown(); server.server_close()."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server_class = QuietServer
    if ":" in host:  # an IPv6 address
        server_class = type("QuietServer6", (QuietServer,), {"address_family": socket.AF_INET6})
    server = server_class((host, port), handler)
    server.link, server.served = link, served
    thread = threading.Thread(target=server.serve_forever, name=f"serve {root}", daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    url_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    return server, f"http://{url_host}:{bound_port}"


def start_demo_servers(root: Path | str = SITE, host: str = "127.0.0.1",
                       port: int = 0) -> tuple[list[http.server.ThreadingHTTPServer], str, str]:
    """Serve `root` twice, on `port` and `port + 1`: the demo pages, and the simulated OnceHub booking page
    (`/booking/`) on a second origin so it sits in a cross-origin iframe as the real one does. The demo finds
    the second origin as its own port + 1. `port=0` picks a free pair. Returns (servers, base_url, booking_url)."""
    for _ in range(20):
        main, base = start_server(root, host, port)
        try:
            booking, booking_base = start_server(root, host, main.server_address[1] + 1)
        except OSError:
            main.shutdown()
            main.server_close()
            if port:
                raise
            continue
        return [main, booking], base, booking_base
    raise OSError(f"found no two free consecutive ports on {host}")


def serve(host: str, port: int) -> None:
    build()
    build_docs()
    servers, base, booking_base = start_demo_servers(SITE, host, port)
    log("serve", f"serving {SITE.relative_to(ROOT)}/ at {base}/ (demo at {base}/, docs at {base}/docs/, bundle at "
                 f"{base}/dist/) and the simulated booking page at {booking_base}/booking/; Ctrl-C stops")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()

