"""The worker side of the loader protocol: one Bridge per page, JSON text in and JSON text out.

The PyScript entry (`site/loader/oncehub-bridge-worker.py`) exports these functions to the main thread; the
protocol is described in docs/architecture.md. Nothing here touches the page: the loader applies the effects.
"""

import gc
import itertools
import json
import math
import sys
import time
from collections.abc import Iterator
from typing import Any

from bridge.app import Bridge, read_request

_bridge = Bridge()

STARTUP_MARKS: dict[str, float] = {}
"""Wall-clock times (ms since the epoch) of the start-up, for the loader's `OnceHubBridge.timings`: "interpreter"
(Python runs the entry; set by the runtime host's entry code), "imported" (this module and pydantic are imported;
set at the end of this module) and "started" (set by `start`)."""


def start(request_text: str) -> str:
    """Read the config and the page context; answer with config problems and what the loader must know.

    Everything alive once the bridge has started (modules, pydantic's validators, the sinks) lives as long as the
    page: ``gc.freeze()`` takes it out of the cyclic collector's reach, so that a collection during a booking only
    walks what that booking made. A full collection of the start-up heap takes 15-30 ms in Pyodide, so it is not
    made before the answer: it comes after the warm-up, in the background (`warm_up`, `_settle_heap`)."""
    request = read_request(request_text)
    report = _bridge.start(request)
    gc.freeze()
    _in_background(itertools.chain(warm_up(request), _settle_heap()))
    report["marks"] = {**STARTUP_MARKS, "started": time.time() * 1000}
    return json.dumps(report, ensure_ascii=False)


WARM_UP_ROUNDS = 900
# a fixed count, not "until the rounds run evenly": the browser tiers wasm up on other threads, which the rounds' own
# times do not show. The browser compiles a function again, optimised, once it has run enough; the lukewarm ones (a
# few calls per booking) get there only after hundreds of bookings, and each such compilation, on a 2-core machine,
# made the booking it came with take 2-5 ms. Traced over 200 bookings after the warm-up: 11 such compilations on every
# page after 300 rounds (at bookings 17, 33, 41, 48, 70, 83, 97, 112, 120, 136 and 153), none on 3 of 3 pages after
# 900. In an interleaved run of 8 pages of 200 bookings each, 900 rounds gave p99 1.4 ms against 2.7 and 6 bookings
# over 2 ms after a page's first against 12. The rounds take about 1.2 s of the worker's time here (2-4 s on a slow
# day), in the background (several seconds on a slow phone), and give way to the page's calls (`_in_background`), so
# that a booking never waits for more than the round that runs when it comes.
# Rounds of three booking-page payloads (no message, no error) left 14 slow bookings against 22: the late functions are
# shared ones, which every kind of input heats.


def warm_up(request: Any) -> Iterator[None]:
    """Rounds of OnceHub's sample payloads through a scratch bridge with the page's config (the start `request`),
    results thrown away; one round per step of the returned iterator, none for a request that is not an object.

    In the browser the first bookings of a page otherwise pay for code run for the first time: the interpreter's
    caches, and the browser compiling the wasm it runs (each function when first called, the hottest again when
    they get hot, which costs the thread milliseconds at a time over the first few hundred bookings). So each round
    takes a booking's whole path: JSON text in, called from JavaScript, JSON text out (`_as_the_loader_calls`), for
    `WARM_UP_ROUNDS` rounds, or until one fails."""
    import copy

    from bridge.testing import SAMPLE_BOOKING_OBJECT, SAMPLE_CLASSIC_PAYLOAD

    if not isinstance(request, dict):
        return iter(())
    scratch = Bridge()
    try:
        scratch.start({**request, "config": _without_custom_sinks(request.get("config")), "modules": {}})
    except Exception:  # a warm-up must never cost the start
        return iter(())

    def rounds() -> Iterator[None]:
        call, done = _as_the_loader_calls(scratch.process_json)
        try:
            yield from _rounds(call)
        finally:
            done()

    def _rounds(call) -> Iterator[None]:
        for n in range(WARM_UP_ROUNDS):
            classic = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD)
            classic["bookingInfo"]["BookingId"] = [f"BKNG-WARMUP{n:05d}"]
            message = {"type": "oncehub.booking.scheduled",
                       "payload": {**SAMPLE_BOOKING_OBJECT, "id": f"BKNG-WARMUP{n:05d}C"}}
            try:
                call(json.dumps({"inputs": [{"kind": "callback", "has_argument": True, "data": classic},
                                            {"kind": "message", "origin": "https://oncehub.com", "data": message},
                                            {"kind": "callback", "has_argument": True, "data": {"errorStatus": 1}}],
                                 "consent": [], "storage": {}}))
            except Exception:
                return
            yield

    return rounds()


def _settle_heap() -> Iterator[None]:
    """One background step after the warm-up: the start-up's garbage (frozen with the rest at the start) is
    collected, and what stays, with what the rounds built for good (the models a booking needs), is frozen again."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    yield


def _as_the_loader_calls(fn):
    """`fn` (JSON text in and out) as the loader's calls reach it, and what ends that: in the browser it is called from
    JavaScript, through the function the runtime hosts export (`from_javascript`), so the calls and conversions each
    booking takes are compiled too (its answer stays in JavaScript, as the page's would); without Pyodide as is."""
    caller, done = _javascript_caller(fn)
    if caller is fn:  # CPython (the tests)
        return fn, done
    from _oncehub_bridge_host import call_as_the_page

    return (lambda text: call_as_the_page(caller, text)), done


def from_javascript(fn):
    """`fn` (text in, text out) as the JavaScript function the runtime hosts export for the page's calls: the text
    crosses into Python as UTF-8 bytes, written into a buffer the host keeps (pyodide/host.mjs, `utf8Caller`). A
    string argument would not: Pyodide copies each into a new JavaScript array of 4 bytes a character first, which for
    a booking's request (about 1.5 K characters) left 6 KB of array buffers per booking for the worker's collections
    to free, and 900 rounds' worth after the warm-up. `fn` itself outside the browser."""
    return _javascript_caller(fn)[0]


def _javascript_caller(fn):
    """`from_javascript(fn)`, and what releases it."""
    try:
        from _oncehub_bridge_host import utf8_caller
        from pyodide.ffi import create_proxy
    except ImportError:  # CPython (the tests)
        return fn, lambda: None
    proxy = create_proxy(lambda utf8: fn(utf8.to_bytes().decode()))
    return utf8_caller(proxy), proxy.destroy


def _without_custom_sinks(config_text):
    """The config text without its `python` sinks: a site's own sink may keep state of its own (a counter, a queue),
    which sample bookings must never reach, and its module runs once per page, on the page's bridge only."""
    try:
        config = json.loads(config_text)
        config["sinks"] = [sink for sink in config["sinks"] if not (isinstance(sink, dict) and sink.get("type") == "python")]
        return json.dumps(config)
    except Exception:  # no config, no sinks list, not JSON: the warm-up reads it as the page's bridge did
        return config_text


QUIET_S = 0.1
"""How long after the page's last `process` call (a booking, a consent change) a background step may run again."""
_clock = time.monotonic
_last_call = -math.inf


def _wait_before_a_step() -> float:
    """Seconds the next background step waits: none once QUIET_S has passed since the page's last `process` call.
    While bookings come in, the warm-up gives way to them; a booking that came while a round ran would wait for it."""
    return max(0.0, _last_call + QUIET_S - _clock())


def _in_background(steps: Iterator[None]) -> None:
    """Run `steps` one at a time between the calls that come in, none while bookings come in
    (`_wait_before_a_step`). In the browser each step is a task of Pyodide's event loop (a message to itself, not a
    clamped timer), so a booking waits at most for one round; elsewhere (CPython, tests) they run at once."""
    if sys.platform != "emscripten":
        for _ in steps:
            pass
        return
    import asyncio

    loop = asyncio.get_event_loop()

    def step() -> None:
        wait = _wait_before_a_step()
        if wait > 0:
            loop.call_later(wait, step)
            return
        try:
            more = next(steps, StopIteration) is not StopIteration
        except Exception:  # never an error on the page for a warm-up
            more = False
        if more:
            loop.call_soon(step)

    loop.call_soon(step)


def process(request_text: str) -> str:
    """Turn a batch of queued inputs into events and effects, one result per input, in order."""
    global _last_call
    try:
        return _bridge.process_json(request_text)
    finally:
        _last_call = _clock()


def validate_config(config_text: str) -> str:
    """The problems `config_text` would report on this page, as JSON text; nothing is applied."""
    return _bridge.validate_config_json(config_text)


STARTUP_MARKS["imported"] = time.time() * 1000
