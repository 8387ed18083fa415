"""The worker side of the loader protocol: one Bridge per page, JSON text in and JSON text out.

The PyScript entry (`site/loader/oncehub-bridge-worker.py`) exports these two functions to the main thread; the
protocol is described in docs/architecture.md. Nothing here touches the page: the loader applies the effects.
"""

import gc
import json

from bridge.app import Bridge

_bridge = Bridge()


def start(request_text: str) -> str:
    """Read the config and the page context; answer with config problems and what the loader must know.

    Everything alive once the bridge has started (modules, pydantic's validators, the sinks) lives as long as the
    page: ``gc.freeze()`` takes it out of the cyclic collector's reach, so that a collection during a booking only
    walks what that booking made (a full collection of the start-up heap takes milliseconds in the browser)."""
    answer = _bridge.start_json(request_text)
    _warm_up(request_text)
    gc.collect()
    gc.freeze()
    return answer


WARM_UP_ROUNDS = 30


def _warm_up(request_text: str) -> None:
    """Run OnceHub's sample payloads through a scratch bridge with the page's config, and throw the results away:
    the first bookings of a page otherwise pay for code run the first time (the interpreter's caches, the browser's
    compilation of the hottest wasm) and arrive tens of milliseconds late."""
    import copy

    from bridge.testing import SAMPLE_BOOKING_OBJECT, SAMPLE_CLASSIC_PAYLOAD

    try:
        scratch = Bridge()
        scratch.modules = _bridge.modules  # custom sink modules run once per page, not again for the warm-up
        request = json.loads(request_text)
        scratch.start({**request, "keep_modules": True} if isinstance(request, dict) else {})
        for n in range(WARM_UP_ROUNDS):
            classic = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD)
            classic["bookingInfo"]["BookingId"] = [f"BKNG-WARMUP{n:05d}"]
            message = {"type": "oncehub.booking.scheduled", "payload": {**SAMPLE_BOOKING_OBJECT, "id": f"BKNG-WARMUP{n:05d}C"}}
            scratch.process({"inputs": [{"kind": "callback", "has_argument": True, "data": classic},
                                        {"kind": "message", "origin": "https://oncehub.com", "data": message},
                                        {"kind": "callback", "has_argument": True, "data": {"errorStatus": 1}}],
                             "consent": [], "storage": {}})
    except Exception:  # a warm-up must never cost the start
        pass


def process(request_text: str) -> str:
    """Turn a batch of queued inputs into events and effects, one result per input, in order."""
    return _bridge.process_json(request_text)


def validate_config(config_text: str) -> str:
    """The problems `config_text` would report on this page, as JSON text; nothing is applied."""
    return _bridge.validate_config_json(config_text)
