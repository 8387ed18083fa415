"""bridge.worker's warm-up: sample bookings through a scratch bridge after the start has answered, one round per
step, in the background between the page's calls in the browser; the page's own bridge never sees them."""

from __future__ import annotations

import asyncio
import gc
import json
import math
import threading
import time
import weakref

import pytest

from bridge import worker
from bridge.testing import SAMPLE_CLASSIC_PAYLOAD

PAGE = {"url": "https://site.example/book", "referrer": None}


def start_request(sinks=None) -> str:
    return json.dumps({"config": json.dumps({"sinks": sinks or [{"type": "data_layer"}]}), "page": PAGE})


def booking(booking_id: str) -> str:
    payload = json.loads(json.dumps(SAMPLE_CLASSIC_PAYLOAD))
    payload["bookingInfo"]["BookingId"] = [booking_id]
    return json.dumps({"inputs": [{"kind": "callback", "has_argument": True, "data": payload}], "consent": []})


def pushed_ids(answer: str) -> list[str]:
    return [effect["value"]["oncehub"]["booking_id"] for result in json.loads(answer)["results"]
            for effect in result["effects"] if effect["op"] == "push"]


def test_the_warm_up_runs_its_rounds(monkeypatch):
    monkeypatch.setattr(worker, "WARM_UP_ROUNDS", 25)
    assert sum(1 for _ in worker.warm_up(json.loads(start_request()))) == 25


def test_a_round_that_fails_ends_the_warm_up_without_an_error(monkeypatch):
    """A sample the page's config cannot take (here: every call fails) ends the rounds quietly."""
    monkeypatch.setattr(worker.Bridge, "process_json", lambda self, text: 1 / 0)
    assert list(worker.warm_up(json.loads(start_request()))) == []


def test_a_config_the_warm_up_cannot_start_gives_no_rounds_and_no_error():
    assert list(worker.warm_up("not json")) == []


def test_the_page_bridge_never_sees_the_warm_up_bookings():
    """A real booking that happens to share a warm-up id is still delivered: the warm-up ran on its own bridge."""
    worker.start(start_request())
    assert pushed_ids(worker.process(booking("BKNG-WARMUP00000"))) == ["BKNG-WARMUP00000"]


def test_in_the_browser_each_round_is_one_event_loop_step_and_calls_run_between_them(monkeypatch):
    """Under Pyodide (sys.platform "emscripten") the rounds go on the event loop one at a time: the start answers
    before any round has run, a booking that comes in meanwhile is processed after at most one round, and the rounds
    go on only once the page has made no call for QUIET_S."""
    monkeypatch.setattr(worker.sys, "platform", "emscripten")
    monkeypatch.setattr(worker, "WARM_UP_ROUNDS", 40)
    order: list[str] = []
    times: list[float] = []
    real_rounds = worker.warm_up

    def counted(request):
        for _ in real_rounds(request):
            order.append("round")
            times.append(time.monotonic())
            yield

    monkeypatch.setattr(worker, "warm_up", counted)
    real_settle = worker._settle_heap

    def settle():
        order.append("settle")
        yield from real_settle()

    monkeypatch.setattr(worker, "_settle_heap", settle)

    def in_its_own_thread():  # an event loop of its own: the browser tests may run one on this thread
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            worker.start(start_request())
            assert order == [], "a warm-up round ran before the start answered"

            async def a_booking_arrives():
                await asyncio.sleep(0)
                order.append("booking")
                assert pushed_ids(worker.process(booking("BKNG-REAL1"))) == ["BKNG-REAL1"]
                times.append(time.monotonic())

            async def the_rounds_end():
                deadline = time.monotonic() + 20
                while "settle" not in order and time.monotonic() < deadline:
                    await asyncio.sleep(0.01)

            loop.run_until_complete(a_booking_arrives())
            loop.run_until_complete(the_rounds_end())
        except BaseException as e:  # noqa: BLE001 (handed to the test's thread)
            failures.append(e)
        finally:
            asyncio.set_event_loop(None)
            loop.close()

    failures: list[BaseException] = []
    thread = threading.Thread(target=in_its_own_thread)
    thread.start()
    thread.join(30)
    if failures:
        raise failures[0]
    assert order.count("round") == 40
    after = order.index("booking")
    assert after <= 2
    assert times[after + 1] - times[after] >= worker.QUIET_S * 0.9, "a round ran while the page was calling"
    assert order[-1] == "settle", "the start-up heap's collection must come after the rounds, not before the answer"


def test_the_warm_up_gives_way_while_the_page_is_calling(monkeypatch):
    """The next background step waits until the page has made no call for QUIET_S: a booking that came while a round
    ran would wait for it."""
    now = [100.0]
    monkeypatch.setattr(worker, "_clock", lambda: now[0])
    monkeypatch.setattr(worker, "_last_call", -math.inf)
    monkeypatch.setattr(worker, "WARM_UP_ROUNDS", 2)
    assert worker._wait_before_a_step() == 0
    worker.start(start_request())
    assert worker._wait_before_a_step() == 0, "the start is not a call of the page's that rounds give way to"
    worker.process(booking("BKNG-REAL2"))
    assert worker._wait_before_a_step() == pytest.approx(worker.QUIET_S)
    now[0] += worker.QUIET_S / 2
    assert worker._wait_before_a_step() == pytest.approx(worker.QUIET_S / 2)
    now[0] += worker.QUIET_S / 2
    assert worker._wait_before_a_step() == 0


def test_a_call_that_fails_still_counts_as_the_page_calling(monkeypatch):
    now = [50.0]
    monkeypatch.setattr(worker, "_clock", lambda: now[0])
    monkeypatch.setattr(worker._bridge, "process_json", lambda text: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        worker.process("{}")
    assert worker._wait_before_a_step() == pytest.approx(worker.QUIET_S)


def test_the_start_up_garbage_is_collected_after_the_warm_up_and_what_stays_is_frozen():
    """The start freezes the heap at once (no collection before it answers); the background's last step collects
    what the start-up left behind and freezes the rest again, so nothing it made is kept for good by mistake."""

    class Cycle:
        pass

    gc.disable()  # only the bridge's own collection may free the cycle
    try:
        garbage = Cycle()
        garbage.me = garbage
        gone = weakref.ref(garbage)
        del garbage
        worker.start(start_request())
        assert gone() is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.enable()


@pytest.mark.parametrize("broken", ["process", "scratch"])
def test_a_failing_round_ends_the_warm_up_quietly(monkeypatch, broken):
    from bridge.app import Bridge

    def boom(self, *args, **kwargs):
        raise RuntimeError("boom")

    if broken == "process":
        monkeypatch.setattr(Bridge, "process", boom)
        assert list(worker.warm_up(json.loads(start_request()))) == []
    else:
        monkeypatch.setattr(Bridge, "start", boom)
        assert list(worker.warm_up(json.loads(start_request()))) == []


def test_the_start_answer_carries_the_start_up_marks_in_order(monkeypatch):
    """The wall-clock marks the loader turns into OnceHubBridge.timings: the entry's "interpreter" (set by the runtime
    host), the module's "imported", the answer's "started"."""
    monkeypatch.setitem(worker.STARTUP_MARKS, "interpreter", worker.STARTUP_MARKS["imported"] - 5)
    marks = json.loads(worker.start(start_request()))["marks"]
    assert set(marks) == {"imported", "interpreter", "started"}
    assert marks["interpreter"] < marks["imported"] <= marks["started"]
