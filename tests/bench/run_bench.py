#!/usr/bin/env python3
"""Benchmark: this bundle, the first release's bundle and a hand-written JavaScript handler, side by side.

    python3 tests/bench/run_bench.py [--runs N] [--bookings N]      (or: python3 build.py bench [--runs N])

The first release is built from this repository's own history (`git archive a331048`, cached next to the inputs).
Every run opens each variant in turn, in an order that rotates from run to run (interleaved, so that none always
runs on a warmer machine), and measures from navigation start:

- cold ready: a fresh browser context (empty cache) until `OnceHubBridge.ready` resolves (the hand-written page:
  DOMContentLoaded, from when its handler is usable);
- cold ready over a slow link: the same, from a second server that answers each request after one round trip of
  SLOW_LINK's RTT and sends all bodies through one shared bandwidth (tools/serve.py's SlowLink): loopback has
  neither, so this row shows what waiting on round trips and bytes costs on a mobile-like network;
- warm ready: the same page opened again in a browser with an on-disk profile that has seen it once (the server
  sends `immutable` for `runtime-<hash>/` paths and `no-cache` for everything else, as docs/serving.md says);
- cold and warm ready under a strict CSP (this bundle only): the same page with a Content-Security-Policy without
  'unsafe-eval', where the runtime runs in the plain worker (docs/csp.md) instead of PyScript's;
- bytes: the file of each GET that fetched a body (a file fetched twice counts twice; HEAD checks and 304
  revalidations count nothing), counted raw, gzip -9 and brotli 11 (the twins on disk), so the figures do not
  depend on what Chromium negotiates over plain HTTP; on the page with the embed (at start) and on a page of the
  same site without one;
- total blocking time: main-thread long tasks (sum of duration - 50 ms) until ready + 2 s;
- booking -> dataLayer: `SOAfterConfirmationFunction(payload)` once per distinct booking id, each awaited, from
  the call to the matching time-stamped `dataLayer.push`, 2.3 s after ready (the payloads are handed to the page
  HANDOVER_MS before: Playwright's reading of an argument that large is a compile of its own, about 6 ms on another
  thread, which made each page's first booking about 4 ms slower when it came with the bookings); p50 and p99 over
  all runs, the median of each page's first booking (the one a visitor makes), and how many took over
  SLOW_BOOKING_MS (the p99 target), in all and after each page's first;
- the machine's floor: the same bookings through pages/floor.html, a handler without Python that crosses to a worker
  and back, bare and with a stand-in for this bundle's work on each thread (FLOORS): the tail this machine gives any
  booking that crosses to a worker, measured in the same run;
- start-up breakdown (this bundle and the first release): when, after navigation, the wasm, the Python files and
  the packages had arrived (the network side of "wasm, interpreter, packages"), and ready; for this bundle also
  the stages its OnceHubBridge.timings report (runtime host, files found, Python running, imports done, ready) and
  how long each took.

Figures are medians with their range (min .. max). It prints them and exits 0; it exits 1 only when it could not
measure (no browser, no bundle, a page not ready within 60 s: its console is printed then).
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import math
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402
from tools.inputs import cache_dir  # noqa: E402
from tools.project import DIST, human_size  # noqa: E402
from tools.serve import SlowLink  # noqa: E402

FIRST_RELEASE = "a331048"
READY_TIMEOUT_S = 60.0
SETTLE_AFTER_READY_MS = 2000
HANDOVER_MS = 300
"""Between handing the bookings' payloads to the page and the first booking (the docstring)."""
SLOW_BOOKING_MS = 2.0  # the p99 target: "bookings over" counts the ones that miss it
BOOKING_TIMEOUT_MS = 10_000
BLOCKING_THRESHOLD_MS = 50.0
SLOW_LINK = (100.0, 20.0)  # round trip in ms, Mbit/s
CLOCK_RESOLUTION_MS = 0.1  # performance.now() without cross-origin isolation
FLOORS = (("bare crossing", 0.0, 0.0), ("stand-in", 0.4, 0.9))
"""The machine's floor (pages/floor.html, no Python): (name, ms of work on the page, ms in the worker) per booking.
The stand-in's split follows a CPU profile of 400 of this bundle's bookings here: about 0.4 ms of the page's thread
(the loader, PyScript's messages, sessionStorage), the rest in the worker; its sizes were chosen so that its p50 comes
near this bundle's (about 1 ms), and the table prints both."""

LONGTASK_INIT = """
(() => {
  const bench = window.__bench = window.__bench || {};
  bench.marks = bench.marks || {};
  bench.longtasks = [];
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) bench.longtasks.push({start: e.startTime, duration: e.duration});
    }).observe({type: "longtask", buffered: true});
    bench.longtaskObserver = true;
  } catch (e) {
    bench.longtaskObserver = false;
  }
})();
"""


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    bundle: str | None  # the URL path the bundle is served at, None for the hand-written handler

    @property
    def page(self) -> str:
        return f"/bench/{self.key}.html"

    @property
    def page_without_embed(self) -> str:
        return f"/bench/{self.key}-no-embed.html"


VARIANTS = (Variant("bridge", "this bundle", "/dist"), Variant("first", "first release", "/first"),
            Variant("handwritten", "hand-written JS", None))

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>bench: {label}</title>
<script src="probe.js"></script></head><body><h1>Book a call</h1>
<script type="application/json" id="oncehub-bridge-config">{{"sinks":[{{"type":"data_layer"}}]}}</script>
<script src="{bundle}/oncehub-bridge.js"></script>
<script>OnceHubBridge.ready.then(function () {{ __bench.mark("ready"); }}, function () {{ __bench.mark("failed"); }});</script>
{embed}
</body></html>
"""
EMBED = '<div id="SOIDIV_bench" data-so-page="bench">the OnceHub booking page</div>'
STRICT_CSP = ('<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
              'content="script-src \'self\' \'unsafe-inline\' \'wasm-unsafe-eval\'">')
"""No 'unsafe-eval': the runtime runs in the plain worker ('unsafe-inline' is for the page's own inline script)."""


@dataclass
class Run:
    ready_ms: float | None = None
    files: list[str] = field(default_factory=list)  # URL paths fetched
    arrivals: dict[str, float] = field(default_factory=dict)  # breakdown stage -> ms after navigation start
    longtasks: list[dict] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    timings: dict | None = None  # OnceHubBridge.timings (this bundle only)
    lost: int = 0
    foreign: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    status: str = ""

    @property
    def tbt_ms(self) -> float:
        return sum(max(0.0, t["duration"] - BLOCKING_THRESHOLD_MS) for t in self.longtasks)


def stage_of(path: str) -> str | None:
    if path.endswith(".asm.wasm"):
        return "wasm"
    if path.endswith("python_stdlib.zip"):
        return "Python files"
    if path.endswith(".whl") or "/site-packages/" in path:  # the first release's wheels; this bundle's pydantic-core
        return "packages"
    return None


def open_and_measure(context, base_url: str, path: str, is_bridge: bool, payloads: list[dict] | None,
                     settle: bool = True) -> Run:
    """Open `path` and measure it; `payloads` None: the page without an embed; `settle` False: ready only."""
    run = Run()
    requests = []

    def on_request(request):
        requests.append(request)
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            run.foreign.append(request.url)

    context.on("request", on_request)
    page = context.new_page()
    page.on("console", lambda m: run.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: run.console.append(f"pageerror: {e}"))
    try:
        page.goto(base_url + path, wait_until="commit")
        nav_start = page.evaluate("performance.timeOrigin")
        if payloads is None:  # the page without an embed: what it fetches while nothing happens
            page.wait_for_timeout(2500)
        else:
            ready_expr = ("window.__bench && (__bench.marks.ready != null || __bench.marks.failed != null)" if is_bridge
                          else "window.__bench && __bench.marks.domcontentloaded != null")
            deadline = time.monotonic() + READY_TIMEOUT_S
            while not page.evaluate(f"!!({ready_expr})"):  # not wait_for_function: a strict CSP blocks it
                if time.monotonic() > deadline:
                    run.status = f"not ready within {READY_TIMEOUT_S:g} s"
                    return run
                page.wait_for_timeout(20)
            marks = page.evaluate("__bench.marks")
            run.ready_ms = marks.get("ready") if is_bridge else marks["domcontentloaded"]
            run.timings = page.evaluate("window.OnceHubBridge && OnceHubBridge.timings || null") if is_bridge else None
            if run.ready_ms is None:
                run.status = "failed: " + str(page.evaluate("OnceHubBridge.error"))
                return run
            if not settle:
                return run
            page.wait_for_timeout(max(0, run.ready_ms + SETTLE_AFTER_READY_MS - page.evaluate("performance.now()")))
            run.longtasks = page.evaluate("__bench.longtasks")
            page.evaluate("p => { __bench.payloads = p; }", payloads)  # not with the bookings (the docstring)
            page.wait_for_timeout(HANDOVER_MS)
            latencies = page.evaluate("t => __bench.bookings(__bench.payloads, t)", BOOKING_TIMEOUT_MS)
            run.latencies_ms = [x for x in latencies if x is not None]
            run.lost = sum(1 for x in latencies if x is None)
            run.arrivals["ready"] = run.ready_ms
        for request in requests:
            parts = urlsplit(request.url)
            if parts.scheme not in ("http", "https") or request.method != "GET":
                continue  # the loader's HEAD checks of the runtime files carry no body
            response = request.response() if request.failure is None else None
            if response is not None and response.status == 304:
                continue  # a revalidation: no body crossed the network
            run.files.append(parts.path)  # once per body fetched: a file fetched twice counts twice
            stage = stage_of(parts.path)
            timing = request.timing
            # a request that failed (or was let go after its answer) did not deliver the file
            if stage and timing.get("responseEnd", -1) >= 0 and request.failure is None:
                at = timing["startTime"] + timing["responseEnd"] - nav_start
                run.arrivals[stage] = min(run.arrivals.get(stage, at), at)  # a later request is a cache hit
    finally:
        page.close()
        context.remove_listener("request", on_request)
    return run


# --------------------------------------------------------------------------------------------------
# Bytes


class Sizes:
    """Raw, gzip -9 and brotli 11 size of each served file: the build's .gz/.br twins where they exist, else made
    once here (the first release shipped no twins)."""

    def __init__(self, root: Path, work: Path):
        self.root, self.work, self.cache = root, work, {}

    def of(self, url_path: str) -> tuple[int, int, int]:
        if url_path not in self.cache:
            file = (self.root / url_path.lstrip("/")).resolve()
            if not file.is_file():
                self.cache[url_path] = (0, 0, 0)
            else:
                gz, br = Path(str(file) + ".gz"), Path(str(file) + ".br")
                if not (gz.is_file() and br.is_file()):
                    gz, br = self._compress(file)
                self.cache[url_path] = (file.stat().st_size, gz.stat().st_size, br.stat().st_size)
        return self.cache[url_path]

    def _compress(self, file: Path) -> tuple[Path, Path]:
        copy_ = self.work / f"{len(self.cache)}-{file.name}"
        shutil.copyfile(file, copy_)
        listing = self.work / "listing.json"
        listing.write_text(json.dumps([str(copy_)]))
        subprocess.run(["node", str(ROOT / "tools" / "compress.mjs"), str(listing)], check=True)
        return Path(str(copy_) + ".gz"), Path(str(copy_) + ".br")

    def total(self, paths: list[str]) -> tuple[int, int, int]:
        sums = [0, 0, 0]
        for p in paths:
            for i, v in enumerate(self.of(p)):
                sums[i] += v
        return tuple(sums)


# --------------------------------------------------------------------------------------------------
# Reporting


def median_range(values, fmt) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    if len(values) == 1:
        return fmt(values[0])
    return f"{fmt(statistics.median(values))} ({fmt(min(values))} .. {fmt(max(values))})"


def percentile(values, q: float):
    values = sorted(values)
    if not values:
        return None
    return values[max(1, math.ceil(q / 100 * len(values))) - 1]


def fmt_ms(v) -> str:
    if v is None:
        return "n/a"
    if v >= 1000:
        return f"{v / 1000:.2f} s"
    if v >= 10:
        return f"{v:.0f} ms"
    return f"{v:.1f} ms"


def fmt_latency(v) -> str:
    if v is None:
        return "n/a"
    return f"< {CLOCK_RESOLUTION_MS:g} ms" if v < CLOCK_RESOLUTION_MS else fmt_ms(v)


def fmt_bytes(v) -> str:
    return human_size(int(v)) if v is not None else "n/a"


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def report(cold, slow, warm, bare, strict, floors, loader_sizes, sizes: Sizes, runs: int,
           bookings: int) -> list[str]:
    """`strict`: {"cold": runs, "warm": runs} of this bundle under STRICT_CSP; `floors`: {name: runs} of FLOORS."""
    keys = [v.key for v in VARIANTS]

    def row(name, fn):
        return (name, *(fn(k) for k in keys))

    bundles = {v.key: v.bundle for v in VARIANTS}

    def bytes_row(name, runs_of, index):
        """The bundle's files only: the page and the probe are the same for every variant."""
        def cell(k):
            if not bundles[k]:
                return "0 B"
            return median_range([sizes.total([p for p in r.files if p.startswith(bundles[k] + "/")])[index]
                                 for r in runs_of[k]], fmt_bytes)
        return row(name, cell)

    def latency(k, q):
        return fmt_latency(percentile([x for r in cold[k] for x in r.latencies_ms], q))

    def over_slow_line(k, runs_of=cold):
        """How many bookings took longer than SLOW_BOOKING_MS, and how many of them were not a page's first."""
        pages = [r.latencies_ms for r in runs_of[k] if r.latencies_ms]
        slow_ones = sum(1 for p in pages for x in p if x > SLOW_BOOKING_MS)
        later = sum(1 for p in pages for x in p[1:] if x > SLOW_BOOKING_MS)
        return f"{slow_ones} of {sum(len(p) for p in pages)} ({later} after a page's first)"

    rows = [
        row("loader, raw / brotli", lambda k: f"{fmt_bytes(loader_sizes[k][0])} / {fmt_bytes(loader_sizes[k][2])}"
            if loader_sizes.get(k) else "inline"),
        bytes_row("bundle fetched without an embed, brotli", bare, 2),
        bytes_row("bundle fetched at start, raw", cold, 0),
        bytes_row("bundle fetched at start, gzip", cold, 1),
        bytes_row("bundle fetched at start, brotli", cold, 2),
        row("cold ready", lambda k: median_range([r.ready_ms for r in cold[k]], fmt_ms)),
        row(f"cold ready, {SLOW_LINK[0]:g} ms / {SLOW_LINK[1]:g} Mbit/s link",
            lambda k: median_range([r.ready_ms for r in slow[k]], fmt_ms)),
        row("warm ready", lambda k: median_range([r.ready_ms for r in warm[k]], fmt_ms)),
        row("cold ready, strict CSP (plain worker)",
            lambda k: median_range([r.ready_ms for r in strict["cold"]], fmt_ms) if k == "bridge" else "-"),
        row("warm ready, strict CSP (plain worker)",
            lambda k: median_range([r.ready_ms for r in strict["warm"]], fmt_ms) if k == "bridge" else "-"),
        row("total blocking time", lambda k: median_range([r.tbt_ms for r in cold[k]], fmt_ms)),
        row(f"booking -> dataLayer p50 ({bookings}/run)", lambda k: latency(k, 50)),
        row("booking -> dataLayer p99", lambda k: latency(k, 99)),
        row("a page's first booking -> dataLayer",
            lambda k: median_range([r.latencies_ms[0] for r in cold[k] if r.latencies_ms], fmt_latency)),
        row(f"bookings over {SLOW_BOOKING_MS:g} ms", over_slow_line),
        row("bookings lost", lambda k: str(sum(r.lost for r in cold[k]))),
        row("requests to another host", lambda k: str(sum(len(r.foreign) for rs in (cold, slow, warm, bare)
                                                        for r in rs[k])
                                                    + (sum(len(r.foreign) for rs in strict.values() for r in rs)
                                                       if k == "bridge" else 0))),
    ]
    lines = ["", f"oncehub-bridge benchmark: {runs} interleaved run(s) per variant, headless Chromium {{}}, loopback "
             "server; times from navigation start; median (min .. max)", ""]
    lines.append(table(("metric", *(v.label for v in VARIANTS)), rows))

    def ratio(a, b, runs_of=cold):
        ma = statistics.median([r.ready_ms for r in runs_of[a]]) if runs_of[a] else None
        mb = statistics.median([r.ready_ms for r in runs_of[b]]) if runs_of[b] else None
        return f"{ma / mb:.2f}x" if ma and mb else "n/a"

    def warm_ratio(of):
        mine, theirs = [r.ready_ms for r in warm["bridge"]], [r.ready_ms for r in of["first"]]
        return f"{statistics.median(mine) / statistics.median(theirs):.2f}x" if mine and theirs else "n/a"

    lines += ["", f"cold ready, this bundle / first release (medians): {ratio('bridge', 'first')}; over the slow "
              f"link: {ratio('bridge', 'first', slow)}",
              f"warm ready, this bundle / first release warm: {warm_ratio(warm)}; / first release cold: "
              f"{warm_ratio(cold)}"]
    lines += ["", "the machine's floor: booking -> dataLayer without Python, through a page <-> worker crossing "
                  "(floor.html; work per booking on the page + in the worker):"]
    lines.append(table(("handler", "p50", "p99", "a page's first", f"over {SLOW_BOOKING_MS:g} ms"), [
        (f"{name}: {page_ms:g} + {worker_ms:g} ms",
         fmt_latency(percentile([x for r in floors[name] for x in r.latencies_ms], 50)),
         fmt_latency(percentile([x for r in floors[name] for x in r.latencies_ms], 99)),
         median_range([r.latencies_ms[0] for r in floors[name] if r.latencies_ms], fmt_latency),
         over_slow_line(name, floors)) for name, page_ms, worker_ms in FLOORS]))
    stages = ("wasm", "Python files", "packages", "ready")
    lines += ["", "start-up breakdown, cold (arrived at, after navigation start; medians):"]
    brk = [(v.label, *(fmt_ms(statistics.median([r.arrivals[s] for r in cold[v.key] if s in r.arrivals]))
                      if any(s in r.arrivals for r in cold[v.key]) else "n/a" for s in stages))
           for v in VARIANTS if v.bundle]
    lines.append(table(("variant", *stages), brk))
    lines.append("(the network side of the start: the interpreter starts once the wasm and the Python files are "
                 "in; imports and the start call run between the last arrival and ready)")
    lines += ["", "start-up breakdown, this bundle (OnceHubBridge.timings, ms after navigation start; medians; "
                  "the first release reports none):"]
    marks = ("host", "files", "interpreter", "imported", "ready")
    spans = (("files found", "host", "files"), ("interpreter (Pyodide, packages, PyScript)", "files", "interpreter"),
             ("imports (bridge, pydantic)", "interpreter", "imported"), ("start call", "imported", "ready"))
    for kind, runs in (("cold", cold), ("warm", warm)):
        timed = [r.timings for r in runs["bridge"] if r.timings and all(m in r.timings for m in marks)]
        if not timed:
            continue
        at = " ".join(f"{m} {fmt_ms(statistics.median([t[m] for t in timed]))}" for m in marks)
        took = ", ".join(f"{name} {fmt_ms(statistics.median([t[b] - t[a] for t in timed]))}" for name, a, b in spans)
        lines += [f"{kind}: at {at}", f"      took: {took}"]
    notes = dict.fromkeys(f"{v.label}: {line}" for v in VARIANTS for rs in (cold, slow, warm, bare) for r in rs[v.key]
                          for line in r.console if line.startswith(("error:", "pageerror:")))
    notes.update(dict.fromkeys(f"this bundle, strict CSP: {line}" for rs in strict.values() for r in rs
                               for line in r.console if line.startswith(("error:", "pageerror:"))))
    if notes:
        lines += ["", "notes:", *(f"  {n}" for n in notes)]
    return lines


# --------------------------------------------------------------------------------------------------


def first_release_dist() -> Path:
    """The first release's site/dist, built once from this repository's history into the input cache."""
    home = cache_dir() / f"first-release-{FIRST_RELEASE}"
    dist = home / "site" / "dist"
    if not (dist / "oncehub-bridge.js").is_file():
        if home.exists():
            shutil.rmtree(home)
        home.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", FIRST_RELEASE], check=True,
                                 capture_output=True).stdout
        with tempfile.TemporaryFile() as tmp:
            tmp.write(archive)
            tmp.seek(0)
            with tarfile.open(fileobj=tmp) as tf:
                tf.extractall(home, filter="data")
        subprocess.run([sys.executable, "build.py", "build"], cwd=home, check=True, stdout=subprocess.DEVNULL)
    return dist


def served_root(tmp: Path) -> Path:
    tmp.mkdir()
    (tmp / "dist").symlink_to(DIST, target_is_directory=True)
    (tmp / "first").symlink_to(first_release_dist(), target_is_directory=True)
    bench = tmp / "bench"
    shutil.copytree(HERE / "pages", bench)
    for v in VARIANTS:
        if v.bundle:
            (bench / f"{v.key}.html").write_text(PAGE.format(label=v.label, bundle=v.bundle, embed=EMBED))
            (bench / f"{v.key}-no-embed.html").write_text(PAGE.format(label=v.label, bundle=v.bundle, embed=""))
    strict_page = PAGE.format(label="this bundle, strict CSP", bundle="/dist", embed=EMBED)
    (bench / "bridge-strict-csp.html").write_text(strict_page.replace('<meta charset="utf-8">', STRICT_CSP))
    shutil.copyfile(bench / "handwritten.html", bench / "handwritten-no-embed.html")
    return tmp


def measure_warm(pw, base_url: str, page: str, is_bridge: bool, tmp: str) -> Run:
    """`page` opened again in a browser with an on-disk profile that has seen it once."""
    with tempfile.TemporaryDirectory(prefix="profile-", dir=tmp) as profile:
        persistent = pw.chromium.launch_persistent_context(
            profile, executable_path=build.CHROMIUM, args=build.chromium_args(), headless=True)
        persistent.add_init_script(LONGTASK_INIT)
        open_and_measure(persistent, base_url, page, is_bridge, [])
        run = open_and_measure(persistent, base_url, page, is_bridge, [])
        persistent.close()
    return run


def measure_strict_csp(pw, browser, base_url: str, tmp: str, strict: dict) -> Run | None:
    """This bundle's cold and warm ready under STRICT_CSP, where the runtime runs in the plain worker; returns a run
    that did not become ready, if any."""
    page = "/bench/bridge-strict-csp.html"
    context = browser.new_context()
    context.add_init_script(LONGTASK_INIT)
    strict["cold"].append(open_and_measure(context, base_url, page, True, [], False))
    context.close()
    strict["warm"].append(measure_warm(pw, base_url, page, True, tmp))
    return next((r for r in (strict["cold"][-1], strict["warm"][-1]) if r.ready_ms is None), None)


def not_ready(run_number: int, what: str, run: Run) -> int:
    """Say which page did not become ready, with its console; the benchmark's exit status then."""
    print(f"[bench] run {run_number}: {what} did not become ready ({run.status}); its console:", file=sys.stderr)
    for line in run.console or ["(empty)"]:
        print(f"    {line}", file=sys.stderr)
    return 1


def make_payloads(template: dict, n: int, tag: str) -> list[dict]:
    payloads = []
    for i in range(n):
        p = copy.deepcopy(template)
        p["bookingInfo"]["BookingId"] = [f"BKNG-{tag}{i:05d}"]
        payloads.append(p)
    return payloads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run_bench.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs per variant (default 5)")
    parser.add_argument("--bookings", type=int, default=200, help="bookings per run for the latency (default 200)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.bookings < 1:
        parser.error("--runs and --bookings must be at least 1")
    if not (DIST / "oncehub-bridge.js").is_file():
        print("run_bench.py: site/dist is not built: run `python3 build.py` first", file=sys.stderr)
        return 1
    if not Path(build.CHROMIUM).exists():
        print(f"run_bench.py: {build.CHROMIUM} is missing (python3 build.py test installs it)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    template = json.loads((HERE / "payload.json").read_text(encoding="utf-8"))
    cold = {v.key: [] for v in VARIANTS}
    slow = {v.key: [] for v in VARIANTS}
    warm = {v.key: [] for v in VARIANTS}
    bare = {v.key: [] for v in VARIANTS}
    strict = {"cold": [], "warm": []}
    floors = {name: [] for name, _, _ in FLOORS}
    with tempfile.TemporaryDirectory(prefix="oncehub-bench-") as tmp, sync_playwright() as pw:
        root = served_root(Path(tmp) / "www")
        work = Path(tmp) / "work"
        work.mkdir()
        sizes = Sizes(root, work)
        server, base_url = build.start_server(root)
        slow_server, slow_url = build.start_server(root, link=SlowLink(*SLOW_LINK))
        browser = pw.chromium.launch(executable_path=build.CHROMIUM, args=build.chromium_args(), headless=True)
        version = browser.version
        try:
            print(f"[bench] chromium {version}, serving {base_url}, {args.runs} run(s) x {len(VARIANTS)} variants, "
                  f"{args.bookings} bookings each", flush=True)
            for i in range(args.runs):
                order = VARIANTS[i % 3:] + VARIANTS[:i % 3]
                for v in order:
                    t0 = time.monotonic()
                    context = browser.new_context()
                    context.add_init_script(LONGTASK_INIT)
                    r = open_and_measure(context, base_url, v.page, v.bundle is not None,
                                         make_payloads(template, args.bookings, f"{v.key[:2].upper()}{i:02d}"))
                    context.close()
                    if r.ready_ms is None:
                        return not_ready(i + 1, v.label, r)
                    cold[v.key].append(r)
                    context = browser.new_context()
                    slow[v.key].append(open_and_measure(context, slow_url, v.page, v.bundle is not None, [], False))
                    context.close()
                    context = browser.new_context()
                    bare[v.key].append(open_and_measure(context, base_url, v.page_without_embed, v.bundle is not None,
                                                        None))
                    context.close()
                    warm[v.key].append(measure_warm(pw, base_url, v.page, v.bundle is not None, tmp))
                    failed = measure_strict_csp(pw, browser, base_url, tmp, strict) if v.key == "bridge" else None
                    if failed:
                        return not_ready(i + 1, "this bundle under a strict CSP", failed)
                    print(f"[bench] run {i + 1}/{args.runs} {v.label:<16} cold {fmt_ms(r.ready_ms):>8}, slow link "
                          f"{fmt_ms(slow[v.key][-1].ready_ms):>8}, warm "
                          f"{fmt_ms(warm[v.key][-1].ready_ms):>8}, p50 "
                          f"{fmt_latency(percentile(r.latencies_ms, 50))} ({time.monotonic() - t0:.1f} s)", flush=True)
                for name, page_ms, worker_ms in FLOORS:
                    context = browser.new_context()
                    floor_page = f"/bench/floor.html?page_ms={page_ms:g}&worker_ms={worker_ms:g}"
                    r = open_and_measure(context, base_url, floor_page, True,
                                         make_payloads(template, args.bookings, f"FL{i:02d}"))
                    context.close()
                    if r.ready_ms is None:
                        return not_ready(i + 1, f"the floor page ({name})", r)
                    floors[name].append(r)
                print(f"[bench] run {i + 1}/{args.runs} the machine's floor: p99 " + ", ".join(
                    f"{name} {fmt_latency(percentile(floors[name][-1].latencies_ms, 99))}" for name, _, _ in FLOORS),
                    flush=True)
            loaders = {v.key: sizes.of(f"{v.bundle}/oncehub-bridge.js") for v in VARIANTS if v.bundle}
            lines = report(cold, slow, warm, bare, strict, floors, loaders, sizes, args.runs, args.bookings)
        finally:
            browser.close()
            for s in (server, slow_server):
                s.shutdown()
                s.server_close()
    print("\n".join(lines).replace("{}", version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
