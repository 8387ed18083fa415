"""The beacon sink in the browser: the booking reaches the site's own endpoint as JSON, also when the redirect
leaves the page at once; another origin is a config problem and never a request."""

import json

from booking_payloads import CUSTOMER_EMAIL, classic
from harness import host_page


def capture(context, pattern: str, status: int = 204) -> list[dict]:
    """Every request to `pattern`: method, content type and body, answered with `status`."""
    seen = []

    def handle(route):
        request = route.request
        seen.append({"method": request.method, "type": request.headers.get("content-type", ""),
                     "body": request.post_data, "url": request.url})
        route.fulfill(status=status, body="")

    context.route(pattern, handle)
    return seen


class TestBeacon:
    def test_the_booking_reaches_the_endpoint_as_json_hashed_by_default(self, host, context):
        seen = capture(context, "**/api/bookings")
        host.open(host_page("", {"sinks": [{"type": "data_layer"}, {"type": "beacon", "url": "/api/bookings"}]}))
        host.booking(classic("BKNG-BEACON000001"))
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        host.page.wait_for_timeout(500)
        [request] = seen
        assert request["method"] == "POST" and request["type"].startswith("text/plain")
        assert request["url"] == f"{host.origin}/api/bookings"
        body = json.loads(request["body"])
        assert body["event"] == "oncehub_booking_scheduled" and body["data"]["booking_id"] == "BKNG-BEACON000001"
        assert len(body["data"]["user_data"]["sha256_email_address"]) == 64
        assert CUSTOMER_EMAIL.lower() not in request["body"].lower()

    def test_it_leaves_before_the_redirect_takes_the_visitor_away(self, host, context):
        seen = capture(context, "**/api/bookings")
        config = {"sinks": [{"type": "beacon", "url": "/api/bookings"},
                            {"type": "redirect", "url": "/t/thanks.html?b={booking_id}", "timeout_ms": 0}]}
        host.open(host_page("", config))
        host.booking(classic("BKNG-BEACONREDIR1"))
        host.page.wait_for_url("**/t/thanks.html?b=BKNG-BEACONREDIR1")
        host.page.wait_for_timeout(500)
        assert [json.loads(r["body"])["data"]["booking_id"] for r in seen] == ["BKNG-BEACONREDIR1"]

    def test_a_failing_endpoint_affects_no_other_sink(self, host, context):
        seen = capture(context, "**/api/bookings", status=500)
        host.watch.expect_console_error("500")  # the browser's own network log
        host.open(host_page("", {"sinks": [{"type": "beacon", "url": "/api/bookings"}, {"type": "data_layer"}]}))
        host.booking(classic("BKNG-BEACONFAIL01"))
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        host.page.wait_for_timeout(500)
        assert len(seen) == 1

    def test_another_origin_is_a_config_problem_and_never_requested(self, host, context, other_origin):
        seen = capture(context, "**/api/bookings")
        host.watch.expect_console_error("sinks[0] (beacon): url:")
        host.open(host_page("", {"sinks": [{"type": "beacon", "url": f"{other_origin}/api/bookings"},
                                           {"type": "data_layer"}]}))
        host.booking(classic("BKNG-BEACONOTHER1"))
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        host.page.wait_for_timeout(500)
        assert seen == []
