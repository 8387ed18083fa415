"""SPEC §4, §5, §6: hostile inputs, a runtime that is blocked, hung or dead, a strict CSP, GTM's merge, the page's
own PyScript: no booking is lost and the host page never breaks."""

import json
import time

import pytest

from booking_payloads import classic, scheduled_message
from harness import RESTORED, host_page

DATA_LAYER = {"sinks": [{"type": "data_layer"}]}
REDIRECT = {"sinks": [{"type": "data_layer"}, {"type": "redirect", "url": "thanks.html?booking={booking_id}"}]}
THANKS = host_page("<p>Thank you</p>", DATA_LAYER, embed="")
"""The site's thank-you page: it runs the loader too, and has no embed."""
EVENTS = "(window.dataLayer || []).filter(e => e && e.event)"
KEPT_BOOKINGS = "JSON.parse(sessionStorage.getItem('oncehub_bridge_pending') || '[]').filter(e => e.input)"
"""The bookings the visitor's session storage still holds for a next page (a delivered one leaves only its id)."""


def events(host) -> list[dict]:
    return host.page.evaluate(f"{EVENTS}.map(e => JSON.parse(JSON.stringify(e)))")


def wait_events(host, count: int) -> list[dict]:
    host.wait_for(f"{EVENTS}.length >= {count}", timeout_s=30)
    return events(host)


def nested(depth: int) -> str:
    """JS that builds an object nested `depth` levels deep."""
    return f"(() => {{ let o = {{}}; for (let i = 0; i < {depth}; i++) o = {{a: o}}; return o; }})()"


def deep_text(depth: int) -> str:
    """JS for a booking message as JSON text nested `depth` levels deep: a browser cannot structured-clone an object
    that deep (postMessage itself throws a RangeError), but text of any depth can be posted."""
    return (f"""'{{"type":"oncehub.booking.scheduled","payload":' + '{{"a":'.repeat({depth}) + '1'"""
            f""" + '}}'.repeat({depth}) + '}}'""")


def wait_status(host, status: str, timeout_s: float = 40) -> str:
    host.wait_for(f"OnceHubBridge.status === {json.dumps(status)}", timeout_s=timeout_s)
    return host.page.evaluate("OnceHubBridge.error")


class TestLimitsBeforeParsing:
    @pytest.mark.parametrize("depth", [2000, 10000])
    def test_a_deep_callback_argument_is_an_error_event_and_the_runtime_lives_on(self, host, depth):
        """Nested thousands of levels deep: payload_too_deep, and the next booking is still delivered."""
        host.open(host_page("", DATA_LAYER))
        host.page.evaluate(f"window.SOAfterConfirmationFunction({nested(depth)})")
        host.booking(classic("BKNG-AFTERDEEP001"))
        first, second = wait_events(host, 2)
        assert first["event"] == "oncehub_booking_error"
        assert first["oncehub_error"]["code"] == "payload_too_deep"
        assert second["oncehub"]["booking_id"] == "BKNG-AFTERDEEP001"
        assert host.page.evaluate("OnceHubBridge.status") == "ready"

    @pytest.mark.parametrize("depth, as_text", [(2000, False), (2000, True), (10000, True)])
    def test_a_deep_message_from_an_origin_not_allowed_is_dropped_unread(self, host, depth, as_text):
        """Origin first: a hostile deep message from elsewhere is nothing at all, and bookings go on."""
        host.open(host_page("", DATA_LAYER))  # only https://oncehub.com is allowed
        posted = deep_text(depth) if as_text else f"{{type: 'oncehub.booking.scheduled', payload: {nested(depth)}}}"
        host.page.evaluate(f"() => window.postMessage({posted}, '*')")
        host.settle(0.5)
        host.booking(classic("BKNG-AFTERDEEP002"))
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-AFTERDEEP002"

    @pytest.mark.parametrize("depth, as_text", [(2000, False), (2000, True), (10000, True)])
    def test_a_deep_message_from_an_allowed_origin_is_an_error_event(self, host, depth, as_text):
        """As JSON text (the only way to post one 10,000 levels deep): parsed, then cut at 32 levels."""
        config = {"sources": {"booking_calendar": {"allowed_origins": [host.origin]}}, **DATA_LAYER}
        host.open(host_page("", config))
        posted = deep_text(depth) if as_text else f"{{type: 'oncehub.booking.scheduled', payload: {nested(depth)}}}"
        host.page.evaluate(f"() => window.postMessage({posted}, '*')")
        [event] = wait_events(host, 1)
        assert event["oncehub_error"]["code"] == "payload_too_deep"

    def test_a_huge_message_type_never_becomes_an_event_name(self, host):
        """A 1 MB type from an allowed origin: an error event, and no event name over 100 characters."""
        config = {"sources": {"booking_calendar": {"allowed_origins": [host.origin]}}, **DATA_LAYER}
        host.open(host_page("", config))
        host.page.evaluate("window.postMessage({type: 'oncehub.' + 'x'.repeat(1 << 20)}, '*')")
        [event] = wait_events(host, 1)
        assert event["oncehub_error"]["code"] == "payload_invalid_type"
        assert max(len(json.dumps(e)) for e in events(host)) < 2000

    def test_a_5_mb_string_is_payload_too_large(self, host):
        host.open(host_page("", DATA_LAYER))
        host.page.evaluate("p => { p.bookingInfo.CustomerNote = 'x'.repeat(5 << 20); window.SOAfterConfirmationFunction(p); }",
                           classic())
        [event] = wait_events(host, 1)
        assert event["oncehub_error"]["code"] == "payload_too_large"

    def test_a_lone_surrogate_is_an_error_event_not_silence(self, host):
        host.open(host_page("", DATA_LAYER))
        host.page.evaluate("p => { p.bookingInfo.CustomerEmail = 'john\\uD800@example.com'; window.SOAfterConfirmationFunction(p); }",
                           classic())
        [event] = wait_events(host, 1)
        assert event["oncehub_error"]["code"] == "payload_invalid_text"
        assert "john" not in json.dumps(event)

    def test_a_cyclic_message_is_an_error_event(self, host):
        config = {"sources": {"booking_calendar": {"allowed_origins": [host.origin]}}, **DATA_LAYER}
        host.open(host_page("", config))
        host.page.evaluate("m => { m.payload.self = m.payload; window.postMessage(m, '*'); }", scheduled_message())
        [event] = wait_events(host, 1)
        assert event["oncehub_error"]["code"] == "payload_cyclic"

    def test_a_time_at_the_edge_of_the_calendar_is_a_booking_without_a_time(self, host):
        """UTCTime 0001-01-01T00:00:00+14:00 is before year 1 in UTC: the booking still arrives, time null."""
        host.open(host_page("", DATA_LAYER))
        payload = classic("BKNG-EDGEOFTIME01")
        payload["bookingInfo"]["MeetingTimes"] = [{"UTCTime": "0001-01-01T00:00:00+14:00"}]
        host.booking(payload)
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-EDGEOFTIME01", event
        assert event["oncehub"]["starting_time"] is None

    def test_a_flood_of_bookings_is_delivered_in_order_and_once(self, host):
        """300 bookings in one burst: 300 events, in the order they came."""
        host.open(host_page("", DATA_LAYER))
        host.page.evaluate("""p => { for (let i = 0; i < 300; i++) {
            p.bookingInfo.BookingId = ['BKNG-FLOOD' + String(i).padStart(7, '0')];
            window.SOAfterConfirmationFunction(JSON.parse(JSON.stringify(p))); } }""", classic())
        got = wait_events(host, 300)
        host.settle(0.5)
        ids = [e["oncehub"]["booking_id"] for e in events(host)]
        assert ids == [f"BKNG-FLOOD{i:07d}" for i in range(300)]
        assert len(got) == 300

    def test_a_flood_of_funnel_and_foreign_messages_loses_nothing_and_the_next_booking_arrives(self, host):
        """5,000 funnel messages from the allowed origin and 20,000 foreign ones in one burst: every funnel event is
        delivered, the foreign ones are nothing, the page keeps answering, and the booking after them arrives."""
        config = {"sources": {"booking_calendar": {"allowed_origins": [host.origin]}}, **DATA_LAYER}
        host.open(host_page("", config))
        host.page.evaluate("""() => {
            for (let i = 0; i < 5000; i++) window.postMessage({type: 'oncehub.booking_calendar.loaded', payload: {id: 'BKC-' + i}}, '*');
            for (let i = 0; i < 20000; i++) window.postMessage({type: 'not.oncehub', n: i}, '*');
        }""")
        assert host.page.evaluate("1 + 1") == 2  # the page answers while the bridge works through them
        host.booking(classic("BKNG-AFTERFLOOD01"))
        host.wait_for("(window.dataLayer || []).some(e => e && e.oncehub && e.oncehub.booking_id === 'BKNG-AFTERFLOOD01')",
                      timeout_s=120)
        funnel = host.page.evaluate(f"{EVENTS}.filter(e => e.event === 'oncehub_booking_calendar_loaded').length")
        assert funnel == 5000
        assert host.page.evaluate(f"{EVENTS}.filter(e => e.event === 'oncehub_booking_error').length") == 0

    @pytest.mark.parametrize("fault", ["on use", "on access"])
    def test_storage_that_throws_breaks_nothing(self, host, fault):
        """localStorage and sessionStorage that throw on every read and write (a full quota), or already when the
        page touches them (cookies blocked: the getter itself throws)."""
        if fault == "on use":
            head = """<script>for (const name of ['getItem', 'setItem', 'removeItem']) {
                Storage.prototype[name] = function () { throw new DOMException('denied', 'QuotaExceededError'); }; }</script>"""
        else:
            head = """<script>for (const name of ['localStorage', 'sessionStorage']) Object.defineProperty(window, name,
                {get() { throw new DOMException('denied', 'SecurityError'); }});</script>"""
        config = {"sinks": [{"type": "data_layer"}, {"type": "local_storage"}]}
        host.open(host_page("", config, head=head))
        host.booking(classic("BKNG-NOSTORAGE001"))
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-NOSTORAGE001"


@pytest.fixture
def blocked_once(context, watch):
    """The runtime's wasm is refused on the first request (an ad blocker, a proxy), served on later pages."""
    state = {"refused": 0}
    watch.expect_console_error("Failed to load resource")  # the browser's own network log, not the bridge's

    def handle(route):
        if state["refused"] == 0:
            state["refused"] += 1
            route.abort()
        else:
            route.continue_()

    context.route("**/pyodide.asm.wasm", handle)
    return state


class SlowWasm:
    """The first `hold` downloads of pyodide.asm.wasm wait until released (later ones are served), and the network is
    watched: a page with a download still streaming in is not kept in the back-forward cache, so the visitor leaves a
    page only once its network has been quiet for a second, but for the held download."""

    def __init__(self, context, hold: int):
        self.held, self.hold, self.last = [], hold, time.monotonic()
        context.route("**/pyodide.asm.wasm", self._route)
        for event in ("request", "response", "requestfinished", "requestfailed"):
            context.on(event, self._seen)

    def _seen(self, _request) -> None:
        self.last = time.monotonic()

    def _route(self, route):
        if route.request.method == "GET" and self.hold:
            self.hold -= 1
            self.held.append(route)
        else:
            route.continue_()

    def wait_quiet(self, host, held: int = 1, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while len(self.held) < held or time.monotonic() - self.last < 1.0:
            assert time.monotonic() < deadline, "the network is never quiet"
            host.settle(0.05)  # Playwright's events come in while the test waits on it, not in a sleep

    def leave(self, host, path: str) -> None:
        """The visitor goes on to `path` of the same site once the page's network is quiet."""
        self.wait_quiet(host, held=len(self.held) or 1)
        host.page.evaluate("path => { location.href = path; }", path)
        host.page.wait_for_url(f"**/{path}", timeout=30_000)

    def release(self, count: int | None = None) -> None:
        for route in self.held[:count]:
            route.continue_()
        del self.held[:count]


class TestWatchdog:
    def test_a_blocked_wasm_is_failed_with_a_pii_free_error_and_no_uncaught_error(self, host, blocked_once):
        host.open(host_page("", DATA_LAYER), wait_ready=False)
        error = wait_status(host, "failed")
        assert error and "@" not in error
        assert host.page.evaluate("OnceHubBridge.ready.then(() => 'resolved', () => 'rejected')") == "rejected"

    @pytest.mark.parametrize("pattern, named", [("**/pyscript/core-*.js", "pyscript/core-"),
                                                ("**/pydantic_core/__init__.pyc", "pyodide/site-packages/pydantic_core/__init__.pyc")])
    def test_a_blocked_module_or_small_file_is_failed_naming_it(self, host, context, pattern, named):
        """One of PyScript's modules (asked for by modulepreload before the start) or a small runtime file (fetched
        whole before the start) refused: the start fails at once, naming the file, with no uncaught error."""
        host.watch.expect_console_error("Failed to load resource")  # the browser's own network log
        context.route(pattern, lambda route: route.abort())
        host.open(host_page("", DATA_LAYER), wait_ready=False)
        error = wait_status(host, "failed")
        assert named in error
        assert host.page.evaluate("OnceHubBridge.ready.then(() => 'resolved', () => 'rejected')") == "rejected"

    def test_a_hung_download_is_failed_after_timeout_ms(self, host, context):
        context.route("**/pyodide.asm.wasm", lambda route: None)  # never answered
        host.open(host_page("", {"runtime": {"timeout_ms": 3000}, **DATA_LAYER}), wait_ready=False)
        assert "3000 ms" in wait_status(host, "failed", timeout_s=15)

    def test_a_server_that_refuses_head_still_starts_the_runtime(self, host, context):
        """The runtime's files are checked with HEAD; a server that answers HEAD with 405 is asked with GET."""
        refused = []

        def no_head(route):
            if route.request.method == "HEAD":
                refused.append(route.request.url)
                route.fulfill(status=405, body="")
            else:
                route.continue_()

        context.route("**/runtime-*/**", no_head)
        host.open(host_page("", DATA_LAYER))
        assert refused, "the loader asked no runtime file with HEAD"
        for _ in refused:
            host.watch.expect_console_error("405")  # the browser's own network log, one line per refused file
        host.booking(classic("BKNG-NOHEAD000001"))
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-NOHEAD000001"

    def test_on_a_ready_page_a_booking_is_kept_before_the_call_returns_and_forgotten_once_delivered(self, host):
        """With the runtime ready, a booking is in the visitor's session storage by the time OnceHub's call returns
        (a visitor who leaves in that same moment loses nothing), though it goes to the runtime first; once it is
        delivered, only its id is left."""
        host.open(host_page("", DATA_LAYER))
        kept = host.page.evaluate(f"""p => {{ window.SOAfterConfirmationFunction(p);
            return {KEPT_BOOKINGS}.map(e => e.input.data.bookingInfo.BookingId[0]); }}""", classic("BKNG-KEPTATONCE1"))
        assert kept == ["BKNG-KEPTATONCE1"]
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-KEPTATONCE1"
        host.wait_for(f"{KEPT_BOOKINGS}.length === 0", timeout_s=10)

    def test_blocked_runtime_redirects_and_the_thank_you_page_delivers_the_booking_once(self, host):
        """The runtime never comes (its wasm is refused: 404): the loader itself goes to the redirect target,
        placeholders empty, and the thank-you page, where the runtime loads, delivers the kept booking once."""
        host.watch.expect_console_error("404")  # the browser's own network log
        host.open(host_page("", REDIRECT, loader_path="/wasm-blocked"), wait_ready=False,
                  others={"/thanks.html": THANKS})
        host.booking(classic("BKNG-HANDEDOVER01"))
        host.page.wait_for_url("**/thanks.html?booking=", timeout=30_000)
        host.wait_ready()
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-HANDEDOVER01"
        assert host.page.evaluate(KEPT_BOOKINGS) == []  # deleted as soon as it is delivered
        host.page.reload()
        host.settle(1.5)
        assert events(host) == []  # delivered once: a reload is not a second booking
        assert host.page.evaluate("OnceHubBridge.status") == "idle"  # nothing left to process, no embed

    def test_a_slow_runtime_back_from_the_back_forward_cache_does_not_deliver_the_handed_over_booking_again(
            self, host, context):
        """The booking page's runtime is slow and the visitor goes on to the thank-you page, which delivers the kept
        booking. The visitor goes back (a back-forward cache restore) and only then the booking page's runtime comes:
        it must not deliver the same booking a second time, and the next booking there is delivered."""
        wasm = SlowWasm(context, hold=1)  # the booking page's wasm waits; the thank-you page's is served
        host.open(host_page(RESTORED, DATA_LAYER), wait_ready=False, others={"/thanks.html": THANKS})
        host.booking(classic("BKNG-BACKAGAIN001"))
        wasm.leave(host, "thanks.html")
        host.wait_ready()
        [delivered] = wait_events(host, 1)
        assert delivered["oncehub"]["booking_id"] == "BKNG-BACKAGAIN001"
        host.page.go_back(wait_until="commit")
        host.wait_for("window.restored === true")  # the same page, frozen and restored, not a new load
        wasm.release()
        host.wait_ready()
        host.booking(classic("BKNG-BACKAGAIN002"))
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-BACKAGAIN002"
        assert host.page.evaluate(KEPT_BOOKINGS) == []

    def test_a_booking_taken_over_but_not_delivered_is_delivered_by_the_page_the_visitor_comes_back_to(
            self, host, context):
        """Both pages' runtimes are slow: the thank-you page takes the booking over, and the visitor goes back
        before it has delivered it. The booking page, restored from the back-forward cache, takes it back and
        delivers it; forward again, the thank-you page does not deliver it a second time."""
        wasm = SlowWasm(context, hold=2)
        host.open(host_page(RESTORED, DATA_LAYER), wait_ready=False,
                  others={"/thanks.html": host_page(RESTORED, DATA_LAYER, embed="")})
        host.booking(classic("BKNG-TAKENBACK001"))
        wasm.leave(host, "thanks.html")
        wasm.wait_quiet(host, held=2)  # the thank-you page has taken the booking over; its runtime is on its way
        host.page.go_back(wait_until="commit")
        host.wait_for("window.restored === true")
        wasm.release(1)
        host.wait_ready()
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-TAKENBACK001"
        host.page.go_forward(wait_until="commit")  # restored or loaded again, as the browser decides
        host.wait_for("location.pathname.endsWith('/thanks.html') && document.readyState === 'complete'")
        host.page.evaluate("OnceHubBridge.start(), 0")  # a page loaded again has nothing to start for
        wasm.release()
        host.wait_ready()
        host.settle(1.0)
        assert events(host) == []
        assert host.page.evaluate(KEPT_BOOKINGS) == []

    def test_a_frame_of_the_same_site_leaves_the_pages_booking_in_flight_to_the_page(self, host, context):
        """The page's runtime is slow, and a booking waits for it when a frame of the same site that runs the loader
        too (a widget) loads: the two share the visitor's session storage. The booking stays the page's: the frame
        neither takes it over nor starts a runtime for it, and the page delivers it once, to its own dataLayer."""
        wasm = SlowWasm(context, hold=1)
        host.open(host_page("", DATA_LAYER), wait_ready=False,
                  others={"/widget.html": host_page("<p>a widget</p>", DATA_LAYER, embed="")})
        host.booking(classic("BKNG-NOTTHEFRAME1"))
        host.page.evaluate("""() => new Promise(loaded => {
            const frame = Object.assign(document.createElement('iframe'), {id: 'widget', src: 'widget.html'});
            frame.onload = loaded;
            document.body.appendChild(frame);
        })""")
        widget = "document.getElementById('widget').contentWindow"
        host.settle(0.5)
        assert host.page.evaluate(f"{widget}.OnceHubBridge.status") == "idle"
        wasm.release()
        host.wait_ready()
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-NOTTHEFRAME1"
        host.wait_for(f"{KEPT_BOOKINGS}.length === 0", timeout_s=10)
        host.settle(0.5)
        assert events(host) == [event]
        assert host.page.evaluate(f"({widget}.dataLayer || []).filter(e => e && e.event)") == []
        assert host.page.evaluate(f"{widget}.OnceHubBridge.status") == "idle"

    def test_a_runtime_that_dies_is_failed_and_the_booking_is_kept_and_redirected(self, host):
        """The worker is gone after start: the call does not settle, the fallback redirect fires after fallback_ms,
        and the next page delivers the booking."""
        host.open(host_page("", {"sinks": [{"type": "data_layer"},
                                           {"type": "redirect", "url": "thanks.html", "fallback_ms": 1000}]}),
                  others={"/thanks.html": THANKS})
        host.page.evaluate("""document.querySelector('iframe[title=oncehub-bridge]').contentDocument
            .querySelector('script[type=py]').xworker.terminate()""")
        host.booking(classic("BKNG-DEADWORKER01"))
        host.page.wait_for_url("**/thanks.html", timeout=15_000)
        host.wait_ready()
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-DEADWORKER01"


STRICT_CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self' 'wasm-unsafe-eval'; "
              "worker-src 'self'; connect-src 'self'\">")


class TestStrictCsp:
    def test_without_unsafe_eval_the_runtime_runs_in_a_plain_worker(self, host):
        """script-src 'self' 'wasm-unsafe-eval': PyScript cannot start there, Pyodide in a worker can."""
        host.open(host_page("", REDIRECT, head=STRICT_CSP), others={"/thanks.html": THANKS})
        host.booking(classic("BKNG-STRICTCSP001"))
        host.page.wait_for_url("**/thanks.html?booking=BKNG-STRICTCSP001", timeout=30_000)

    def test_where_no_wasm_may_compile_the_booking_is_kept_redirected_and_delivered_next(self, host, context):
        """The site's server sends script-src 'self' with every response, the worker's included: nothing compiles,
        so the loader redirects and the thank-you page (without that policy) delivers the booking."""
        policy = "script-src 'self'; connect-src 'self'"

        def with_policy(route):
            response = route.fetch()
            headers = {k: v for k, v in response.headers.items() if k not in ("content-encoding", "content-length")}
            if "/thanks.html" not in route.request.url:
                headers["content-security-policy"] = policy
            route.fulfill(response=response, headers=headers)

        context.route("**/*", with_policy)
        host.open(host_page("", REDIRECT), wait_ready=False, others={"/thanks.html": THANKS})
        host.booking(classic("BKNG-NOWASMCSP001"))
        host.page.wait_for_url("**/thanks.html?booking=", timeout=40_000)
        host.wait_ready()
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-NOWASMCSP001"


class TestALateFailure:
    @pytest.mark.parametrize("head", ["", STRICT_CSP], ids=["pyscript", "plain-worker"])
    def test_pydantic_core_refused_to_the_worker_is_failed_and_a_booking_is_kept(self, host, context, head):
        """pydantic-core's extension answers the loader's check (HEAD) but not the worker's download, which runs
        while Pyodide starts: the start fails at once, not at timeout_ms (PII-free, without an uncaught error), and a
        booking made then is kept for the next page."""
        host.watch.expect_console_error("Failed to load resource")  # the browser's own network log

        def refuse_get(route):
            route.continue_() if route.request.method == "HEAD" else route.abort()

        context.route("**/pydantic_core/_pydantic_core.*.wasm", refuse_get)
        host.open(host_page("", {"runtime": {"timeout_ms": 60_000}, **DATA_LAYER}, head=head), wait_ready=False)
        error = wait_status(host, "failed", timeout_s=20)
        assert error and "@" not in error and "60000 ms" not in error
        host.booking(classic("BKNG-LATEFAIL0001"))
        host.settle(0.5)
        assert "BKNG-LATEFAIL0001" in (host.page.evaluate("sessionStorage.getItem('oncehub_bridge_pending')") or "")
        assert events(host) == []


class TestGtmMerge:
    def test_a_later_booking_carries_nothing_of_an_earlier_one_in_gtms_data_model(self, host):
        """Google's data-layer-helper merges pushes recursively, as GTM does; the model after a 1-id booking that
        follows a 2-id booking holds exactly the second booking."""
        head = "<script src='/t/data-layer-helper.js'></script>"
        body = "<script>window.dataLayer = window.dataLayer || []; window.helper = new DataLayerHelper(window.dataLayer);</script>"
        host.open(host_page(body, DATA_LAYER, head=head))
        two = classic("BKNG-FIRST0000001")
        two["bookingInfo"]["BookingId"] = ["BKNG-FIRST0000001", "BKNG-FIRST0000002"]
        host.booking(two)
        wait_events(host, 1)
        host.booking(classic("BKNG-SECOND000001"))
        wait_events(host, 2)
        model = host.page.evaluate("JSON.parse(JSON.stringify(helper.get('oncehub')))")
        assert model["booking_id"] == "BKNG-SECOND000001"
        assert model["booking_ids"] == ["BKNG-SECOND000001"]


PAGE_CORE = '<script type="module" src="/t/pyscript/core.js"></script>'
PAGE_APP = """<div id="page-app">not run</div>
<py-config>{"interpreter": "/t/pyodide/pyodide.mjs"}</py-config>
<script type="py">
import js
js.document.getElementById("page-app").textContent = "page app ran"
</script>"""
"""A page with its own app on its own, complete copy of PyScript and Pyodide, configured with a <py-config>."""


class TestThePagesOwnPyScript:
    @pytest.mark.parametrize("order", ["pyscript_first", "bridge_first"])
    def test_both_run_in_either_order(self, host, order):
        """Neither sees the other's config, globals or custom elements: the page's app runs with its own
        <py-config>, and a booking reaches the dataLayer."""
        if order == "pyscript_first":
            html = host_page(PAGE_APP, DATA_LAYER, head=PAGE_CORE)
        else:
            html = host_page(PAGE_CORE + PAGE_APP, DATA_LAYER)
        host.open(html)
        host.booking(classic("BKNG-OWNPYSCRIPT1"))
        [event] = wait_events(host, 1)
        assert event["oncehub"]["booking_id"] == "BKNG-OWNPYSCRIPT1"
        host.wait_for("document.getElementById('page-app').textContent === 'page app ran'", timeout_s=40)
