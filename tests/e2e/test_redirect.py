"""SPEC §4, §5 for the redirect sink: safe targets only, filled placeholders, last and exactly once."""

import pytest

from booking_payloads import classic
from harness import RESTORED, host_page


def redirect_config(url: str, **options) -> dict:
    return {"sinks": [{"type": "data_layer"}, {"type": "redirect", "url": url, **options}]}


@pytest.fixture
def tracked(host):
    """The host page, recording every top-level navigation it makes."""
    host.navigated = []
    host.page.on("framenavigated", lambda frame: frame == host.page.main_frame and host.navigated.append(frame.url))
    return host


class TestSafeRedirect:
    def test_booking_redirects_to_the_filled_template_after_the_data_layer_push(self, tracked, origin):
        """The thank-you URL gets the booking id URL-encoded, and dataLayer was pushed before leaving."""
        marker = "<script>window.addEventListener('beforeunload', () => sessionStorage.setItem('dl', JSON.stringify(window.dataLayer)));</script>"
        tracked.open(host_page(marker, redirect_config("/t/thanks.html?booking={booking_id}&at={starting_time}")))
        tracked.booking(classic("BKNG-REDIRECT0001"))
        tracked.page.wait_for_url("**/t/thanks.html**")
        assert tracked.page.url == f"{origin}/t/thanks.html?booking=BKNG-REDIRECT0001&at=2018-04-25T06%3A45%3A00Z"
        pushed = tracked.page.evaluate("JSON.parse(sessionStorage.getItem('dl'))")
        assert [e["event"] for e in pushed if "event" in e] == ["oncehub_booking_scheduled"]
        assert pushed[0] == {"oncehub": None}  # GTM's merge forgets the previous booking first

    def test_redirect_happens_once_for_two_bookings(self, tracked):
        """A second booking on the same page does not navigate again."""
        tracked.open(host_page("", redirect_config("/t/thanks.html?booking={booking_id}")))
        tracked.page.evaluate("""([a, b]) => { window.SOAfterConfirmationFunction(a); window.SOAfterConfirmationFunction(b); }""",
                              [classic("BKNG-ONE000000001"), classic("BKNG-TWO000000002")])
        tracked.page.wait_for_url("**/t/thanks.html**")
        tracked.page.wait_for_timeout(1500)
        thanks = [url for url in tracked.navigated if "/t/thanks.html" in url]
        assert thanks == [f"{tracked.origin}/t/thanks.html?booking=BKNG-ONE000000001"]

    def test_redirect_still_happens_when_another_sink_fails(self, tracked):
        """A dataLayer whose push throws does not stop the redirect."""
        head = "<script>window.dataLayer = {push() { throw new Error('broken tag manager'); }};</script>"
        tracked.open(host_page("", redirect_config("/t/thanks.html?booking={booking_id}"), head=head))
        tracked.booking(classic("BKNG-BROKENDL0001"))
        tracked.page.wait_for_url("**/t/thanks.html?booking=BKNG-BROKENDL0001")

    def test_error_payloads_do_not_redirect(self, tracked):
        """A failed booking is not a conversion: no navigation."""
        tracked.open(host_page("", redirect_config("/t/thanks.html")))
        tracked.booking({"errorStatus": 1})
        tracked.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        tracked.settle(1.0)
        assert not any("/t/thanks.html" in url for url in tracked.navigated)

    def test_allowed_host_on_another_origin(self, tracked, other_origin):
        """A target on a host listed in allowed_hosts (a bare host name) is followed, whatever its port."""
        tracked.open(host_page("", redirect_config(f"{other_origin}/t/thanks.html?b={{booking_id}}",
                                                   allowed_hosts=["127.0.0.1"])))
        tracked.booking(classic("BKNG-ALLOWEDHOST1"))
        tracked.page.wait_for_url(f"{other_origin}/t/thanks.html?b=BKNG-ALLOWEDHOST1")


UNSAFE_TARGETS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/thanks",
    "https://127.0.0.1.evil.example/thanks",
    "http://user:pass@127.0.0.1/thanks",
    "https://evil.example/thanks?b={booking_id}",
    "http://127.0.0.1:1/thanks",  # the page's host on another port is another origin
    "/thanks?email={customer.email}",
]


class TestUnsafeTargets:
    @pytest.mark.parametrize("target", UNSAFE_TARGETS)
    def test_unsafe_target_is_a_config_error_and_never_a_navigation(self, tracked, target):
        """An unsafe redirect is reported once at start-up naming the sink; bookings still reach dataLayer."""
        tracked.watch.expect_console_error("sinks[1] (redirect)")
        tracked.open(host_page("", redirect_config(target)))
        errors = [line for line in tracked.watch.console_errors if "sinks[1] (redirect)" in line]
        assert len(errors) == 1
        tracked.booking(classic())
        tracked.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        tracked.settle(1.0)
        assert len(tracked.navigated) == 1  # only the initial load
        assert tracked.page.url.endswith("/host.html")


class TestBackForwardCache:
    def test_restored_page_does_not_deliver_the_booking_again(self, tracked):
        """Back from the thank-you page (a back-forward cache restore), OnceHub firing again is not a new booking."""
        tracked.open(host_page(RESTORED, redirect_config("/t/thanks.html?booking={booking_id}")))
        tracked.booking(classic("BKNG-BFCACHE00001"))
        tracked.page.wait_for_url("**/t/thanks.html**")
        tracked.page.go_back(wait_until="commit")  # a restore fires pageshow, not load
        tracked.wait_for("window.restored === true")
        tracked.booking(classic("BKNG-BFCACHE00001"))
        tracked.settle(1.0)
        scheduled = [e for e in tracked.data_layer() if e["event"] == "oncehub_booking_scheduled"]
        assert [e["oncehub"]["booking_id"] for e in scheduled] == ["BKNG-BFCACHE00001"]
        assert tracked.page.url.endswith("/host.html")
