#!/usr/bin/env python3
"""Benchmark: oncehub-bridge against a hand-written JavaScript handler, cold, in headless Chromium.

    python3 tests/bench/run_bench.py [--runs N] [--bookings N]      (or: python3 build.py bench [--runs N])

Each run opens each page in a fresh browser context (empty cache) and measures, from navigation start:

- time to ready: the bridge's `OnceHubBridge.ready` resolving; the hand-written page's DOMContentLoaded (its
  handler is defined and usable from then on);
- bytes transferred: response body sizes of every request of the context, worker requests included;
- main-thread long tasks (PerformanceObserver `longtask`, buffered, registered by an init script): count and total
  blocking time (sum of duration - 50 ms) from navigation start to ready + 2 s;
- booking -> dataLayer latency: after that, `SOAfterConfirmationFunction(payload)` is called once per distinct
  booking id, each awaited, timed from the call to the matching (time-stamped) `dataLayer.push`.

It prints figures and exits 0. It exits 1 only when it could not measure at all (no browser, no bundle, or the
bridge not ready within 60 s: the page's console is printed then).
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402
from tools.project import DIST, human_size  # noqa: E402

READY_TIMEOUT_S = 60.0
SETTLE_AFTER_READY_MS = 2000  # the long-task window ends this long after ready
BOOKING_TIMEOUT_MS = 10_000
BLOCKING_THRESHOLD_MS = 50.0
CLOCK_RESOLUTION_MS = 0.1  # performance.now() without cross-origin isolation

# Runs before any script of the page: buffered long tasks are kept anyway, but an observer that exists from the
# start is the documented way to not miss any.
LONGTASK_INIT = """
(() => {
  const bench = window.__bench = window.__bench || {};
  bench.marks = bench.marks || {};
  bench.longtasks = [];
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) {
        bench.longtasks.push({start: e.startTime, duration: e.duration, name: e.name,
                              container: (e.attribution && e.attribution[0] && e.attribution[0].containerSrc) || ""});
      }
    }).observe({type: "longtask", buffered: true});
    bench.longtaskObserver = true;
  } catch (e) {
    bench.longtaskObserver = false;
  }
})();
"""

PAGES = {
    "bridge": "/bench/bridge.html",
    "handwritten": "/bench/handwritten.html",
}
LABELS = {"bridge": "bridge", "handwritten": "hand-written JS"}


def byte_group(path: str) -> str:
    """Which part of what a page downloads a URL path belongs to."""
    if path.startswith("/dist/pyodide/"):
        return "wheels" if path.endswith(".whl") else "pyodide runtime"
    if path.startswith("/dist/pyscript/"):
        return "pyscript"
    if path.startswith("/dist/"):
        return "loader"
    return "page"


BYTE_GROUPS = ("pyodide runtime", "wheels", "pyscript", "loader", "page")


# --------------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    variant: str
    ready_ms: float | None = None
    status: str = ""
    dcl_ms: float | None = None
    load_ms: float | None = None
    bytes_total: int = 0
    bytes_by_group: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    longtasks: list[dict] = field(default_factory=list)  # in the window: navigation start .. ready + 2 s
    longtasks_bookings: list[dict] = field(default_factory=list)  # while the bookings ran
    longtask_observer: bool = True
    latencies_ms: list[float] = field(default_factory=list)
    lost_bookings: int = 0
    console: list[str] = field(default_factory=list)

    @property
    def tbt_ms(self) -> float:
        return sum(max(0.0, t["duration"] - BLOCKING_THRESHOLD_MS) for t in self.longtasks)


def make_payloads(template: dict, n: int, run: int, variant: str) -> list[dict]:
    """n copies of the documented payload, each with its own booking id (the bridge deduplicates by id)."""
    payloads = []
    for i in range(n):
        p = copy.deepcopy(template)
        p["bookingInfo"]["BookingId"] = [f"BKNG-BENCH{variant[:2].upper()}{run:02d}{i:04d}"]
        payloads.append(p)
    return payloads


def measure(browser, base_url: str, variant: str, payloads: list[dict]) -> RunResult:
    result = RunResult(variant)
    context = browser.new_context()  # a fresh context: empty HTTP cache, empty storage
    requests = []

    def on_request(request):
        requests.append(request)
        host = urlsplit(request.url).hostname
        if urlsplit(request.url).scheme in ("http", "https", "ws", "wss") and host != "127.0.0.1":
            result.foreign_requests.append(request.url)

    context.on("request", on_request)
    context.on("requestfailed", lambda r: result.failed_requests.append(f"{r.url} ({r.failure})"))
    context.add_init_script(LONGTASK_INIT)
    page = context.new_page()
    page.on("console", lambda m: result.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: result.console.append(f"pageerror: {e}"))
    try:
        page.goto(base_url + PAGES[variant], wait_until="commit")
        if variant == "bridge":
            ready_expr = "window.__bench && (__bench.marks.ready != null || __bench.marks.failed != null)"
        else:
            ready_expr = "window.__bench && __bench.marks.domcontentloaded != null"
        try:
            page.wait_for_function(ready_expr, timeout=READY_TIMEOUT_S * 1000, polling=50)
        except Exception:
            try:
                status = page.evaluate("window.OnceHubBridge ? OnceHubBridge.status : 'no OnceHubBridge'")
            except Exception as e:
                status = f"page unreadable: {e}"
            result.status = f"not ready within {READY_TIMEOUT_S:g} s, OnceHubBridge.status {status!r}"
            return result
        marks = page.evaluate("__bench.marks")
        if variant == "bridge":
            result.status = page.evaluate("OnceHubBridge.status")
            if marks.get("ready") is None:
                return result
            result.ready_ms = marks["ready"]
        else:
            result.status = "ready"
            result.ready_ms = marks["domcontentloaded"]

        # The long-task window: until ready + 2 s (the bridge's runtime may still be settling after ready).
        window_end = result.ready_ms + SETTLE_AFTER_READY_MS
        now = page.evaluate("performance.now()")
        if now < window_end:
            page.wait_for_timeout(window_end - now)
        marks = page.evaluate("__bench.marks")
        result.dcl_ms, result.load_ms = marks.get("domcontentloaded"), marks.get("load")
        result.longtask_observer = page.evaluate("__bench.longtaskObserver === true")
        result.longtasks = page.evaluate(f"__bench.longtasks.filter(t => t.start <= {window_end})")

        # Bookings, one at a time, each awaited until its dataLayer entry appears.
        before = page.evaluate("performance.now()")
        latencies = page.evaluate("([p, t]) => __bench.bookings(p, t)", [payloads, BOOKING_TIMEOUT_MS])
        result.latencies_ms = [x for x in latencies if x is not None]
        result.lost_bookings = sum(1 for x in latencies if x is None)
        result.longtasks_bookings = page.evaluate(f"__bench.longtasks.filter(t => t.start >= {before})")
    finally:
        # Response body sizes (worker requests included); 0 for requests that never completed.
        for request in requests:
            path = urlsplit(request.url).path
            if urlsplit(request.url).scheme not in ("http", "https"):
                continue
            size = 0
            try:
                size = request.sizes()["responseBodySize"]
            except Exception:
                try:
                    response = request.response()
                    size = int((response.headers or {}).get("content-length", 0)) if response else 0
                except Exception:
                    size = 0
            result.requests += 1
            group = byte_group(path)
            result.bytes_by_group[group] = result.bytes_by_group.get(group, 0) + max(0, size)
            result.bytes_total += max(0, size)
        context.close()
    return result


# --------------------------------------------------------------------------------------------------
# Reporting


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def percentile(values, q: float):
    """Nearest-rank percentile."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    rank = max(1, math.ceil(q / 100 * len(values)))
    return values[rank - 1]


def fmt_ms(v) -> str:
    if v is None:
        return "n/a"
    if v == 0:
        return "0 ms"
    if v >= 1000:
        return f"{v / 1000:.2f} s"
    if v >= 10:
        return f"{v:.0f} ms"
    if v >= 1:
        return f"{v:.1f} ms"
    return f"{v * 1000:.0f} µs"


def fmt_latency(v) -> str:
    """A latency measured with performance.now(), whose resolution is 0.1 ms on a page that is not
    cross-origin isolated: below that, only "under 0.1 ms" is known."""
    if v is not None and v < CLOCK_RESOLUTION_MS:
        return f"< {CLOCK_RESOLUTION_MS:g} ms"
    return fmt_ms(v)


def fmt_bytes(v) -> str:
    if v is None:
        return "n/a"
    return human_size(int(v))


def fmt_num(v) -> str:
    if v is None:
        return "n/a"
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)


def table(rows: list[tuple[str, str, str]], header: tuple[str, str, str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    line = lambda r: f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}"  # noqa: E731
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def report(results: dict[str, list[RunResult]], runs: int, bookings: int) -> None:
    b, h = results["bridge"], results["handwritten"]

    def both(fn, fmt):
        return fmt(fn(b)), fmt(fn(h))

    def pooled(rs):
        return [x for r in rs for x in r.latencies_ms]

    rows = [
        ("time to ready, cold (median)", *both(lambda rs: median([r.ready_ms for r in rs]), fmt_ms)),
        ("  ready, fastest .. slowest", *both(
            lambda rs: (min(r.ready_ms for r in rs), max(r.ready_ms for r in rs)),
            lambda mm: f"{fmt_ms(mm[0])} .. {fmt_ms(mm[1])}")),
        ("DOMContentLoaded (median)", *both(lambda rs: median([r.dcl_ms for r in rs]), fmt_ms)),
        ("load event (median)", *both(lambda rs: median([r.load_ms for r in rs]), fmt_ms)),
        ("bytes transferred (median)", *both(lambda rs: median([r.bytes_total for r in rs]), fmt_bytes)),
        ("requests (median)", *both(lambda rs: median([r.requests for r in rs]), fmt_num)),
        ("long tasks until ready+2s (median)", *both(lambda rs: median([len(r.longtasks) for r in rs]), fmt_num)),
        ("total blocking time until ready+2s (median)", *both(lambda rs: median([r.tbt_ms for r in rs]), fmt_ms)),
        (f"booking -> dataLayer, median ({bookings}/run)", *both(lambda rs: median(pooled(rs)), fmt_latency)),
        ("booking -> dataLayer, p95", *both(lambda rs: percentile(pooled(rs), 95), fmt_latency)),
        ("first booking after ready (median)", *both(
            lambda rs: median([r.latencies_ms[0] for r in rs if r.latencies_ms]), fmt_latency)),
        ("long tasks while booking (total)", *both(lambda rs: sum(len(r.longtasks_bookings) for r in rs), fmt_num)),
        ("bookings without a dataLayer entry (total)", *both(lambda rs: sum(r.lost_bookings for r in rs), fmt_num)),
    ]
    print()
    print(f"oncehub-bridge benchmark: {runs} cold run(s) per page, headless Chromium, loopback server; "
          f"times from navigation start")
    print()
    print(table(rows, ("metric", LABELS["bridge"], LABELS["handwritten"])))

    print()
    print("bytes by group (median over runs)")
    group_rows = []
    for group in BYTE_GROUPS:
        vb = median([r.bytes_by_group.get(group, 0) for r in b])
        vh = median([r.bytes_by_group.get(group, 0) for r in h])
        group_rows.append((group, fmt_bytes(vb), fmt_bytes(vh)))
    print(table(group_rows, ("group", LABELS["bridge"], LABELS["handwritten"])))

    print()
    if not all(r.longtask_observer for r in b + h):
        print("long tasks: WARNING, the longtask PerformanceObserver could not be registered; counts are not valid")
    tasks = [(i, t) for i, r in enumerate(b) for t in r.longtasks + r.longtasks_bookings]
    base_tasks = [t for r in h for t in r.longtasks + r.longtasks_bookings]
    if not tasks:
        print(f"main-thread long tasks caused by the bridge: none (0 long tasks in {len(b)} run(s), "
              f"from navigation start through ready + 2 s and the bookings)")
    else:
        longest = max(t["duration"] for _, t in tasks)
        print(f"main-thread long tasks caused by the bridge: YES, {len(tasks)} in {len(b)} run(s), "
              f"longest {fmt_ms(longest)} (the hand-written page had {len(base_tasks)})")
        for i, t in tasks[:20]:
            load = b[i].load_ms
            rel = f", {fmt_ms(t['start'] - load)} after load" if load is not None and t["start"] >= load else \
                ", before load"
            print(f"  run {i + 1}: at {fmt_ms(t['start'])}{rel}, {fmt_ms(t['duration'])}"
                  f"{' (' + t['container'] + ')' if t['container'] else ''}")

    notes = []
    for r in b + h:
        for url in r.foreign_requests:
            notes.append(f"{LABELS[r.variant]}: request left 127.0.0.1: {url}")
        for line in r.failed_requests:
            if not line.endswith("/favicon.ico (net::ERR_ABORTED)"):
                notes.append(f"{LABELS[r.variant]}: request failed: {line}")
        for line in r.console:
            if line.startswith(("error:", "pageerror:", "warning:")):
                notes.append(f"{LABELS[r.variant]}: console {line}")
    if notes:
        print()
        print("notes:")
        for n in dict.fromkeys(notes):
            print(f"  {n}")


# --------------------------------------------------------------------------------------------------


def served_root(tmp: Path) -> Path:
    """A web root with the built bundle at /dist and the benchmark pages at /bench."""
    (tmp / "dist").symlink_to(DIST, target_is_directory=True)
    shutil.copytree(HERE / "pages", tmp / "bench")
    return tmp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run_bench.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold runs per page (default 5)")
    parser.add_argument("--bookings", type=int, default=50, help="bookings per run for the latency (default 50)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.bookings < 1:
        parser.error("--runs and --bookings must be at least 1")

    if not (DIST / "oncehub-bridge.js").is_file():
        print("run_bench.py: site/dist is not built: run `python3 build.py` first", file=sys.stderr)
        return 1
    if not Path(build.CHROMIUM).exists():
        print(f"run_bench.py: {build.CHROMIUM} is missing (python3 build.py test installs it)", file=sys.stderr)
        return 1
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("run_bench.py: playwright is not installed (pip install -e '.[test]')", file=sys.stderr)
        return 1

    template = json.loads((HERE / "payload.json").read_text(encoding="utf-8"))
    results: dict[str, list[RunResult]] = {"bridge": [], "handwritten": []}
    with tempfile.TemporaryDirectory(prefix="oncehub-bench-") as tmp, sync_playwright() as pw:
        root = served_root(Path(tmp))
        server, base_url = build.start_server(root)
        browser = pw.chromium.launch(executable_path=build.CHROMIUM, args=build.chromium_args(), headless=True)
        try:
            print(f"[bench] chromium {browser.version}, serving {base_url}, {args.runs} run(s) x 2 pages, "
                  f"{args.bookings} bookings each", flush=True)
            for run in range(args.runs):
                # Alternate the order so neither page always runs on a warmer machine.
                order = ("bridge", "handwritten") if run % 2 == 0 else ("handwritten", "bridge")
                for variant in order:
                    t0 = time.monotonic()
                    r = measure(browser, base_url, variant,
                                make_payloads(template, args.bookings, run, variant))
                    results[variant].append(r)
                    if r.ready_ms is None:
                        print(f"[bench] run {run + 1}: {LABELS[variant]} did not become ready "
                              f"({r.status}); its console:", file=sys.stderr)
                        for line in r.console or ["(empty)"]:
                            print(f"    {line}", file=sys.stderr)
                        for line in r.failed_requests:
                            print(f"    request failed: {line}", file=sys.stderr)
                        return 1
                    print(f"[bench] run {run + 1}/{args.runs} {LABELS[variant]:<15} ready {fmt_ms(r.ready_ms):>8}, "
                          f"{fmt_bytes(r.bytes_total):>8} in {r.requests} requests, "
                          f"{len(r.longtasks)} long task(s), booking median "
                          f"{fmt_latency(median(r.latencies_ms))} ({time.monotonic() - t0:.1f} s)", flush=True)
        finally:
            browser.close()
            server.shutdown()
            server.server_close()
    report(results, args.runs, args.bookings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
