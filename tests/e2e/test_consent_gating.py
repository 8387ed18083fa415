"""SPEC §6 consent: a consent-gated sink gets a booking only once its Consent Mode v2 keys are granted."""

from booking_payloads import classic
from harness import host_page

GTAG = "<script>window.dataLayer = window.dataLayer || []; function gtag() { dataLayer.push(arguments); }</script>"


def gated(wait_ms: int = 3000, *extra_sinks) -> dict:
    """A recording sink that needs analytics_storage, and an ungated one that shows the booking was processed."""
    return {"consent": {"mode": "on", "wait_ms": wait_ms},
            "sinks": [{"type": "data_layer", "name": "recorded", "consent": ["analytics_storage"]},
                      {"type": "data_layer", "name": "ungated"}, *extra_sinks]}


def recorded(host, name="recorded") -> list:
    return host.page.evaluate(f"(window.{name} || []).filter(e => e && e.event).map(e => e.oncehub.booking_id)")


class TestConsentGating:
    def test_granted_by_a_gtag_default_before_the_booking(self, host):
        """The page's gtag consent default is read from dataLayer; a granted key delivers at once."""
        head = GTAG + "<script>gtag('consent', 'default', {analytics_storage: 'granted', ad_storage: 'denied'});</script>"
        host.open(host_page("", gated(), head=head))
        host.booking(classic("BKNG-GRANTED00001"))
        host.wait_for("(window.recorded || []).filter(e => e && e.event).length === 1")
        assert recorded(host) == ["BKNG-GRANTED00001"]

    def test_denied_means_nothing_for_that_sink(self, host):
        """A denied key: the gated sink gets nothing, the ungated sink still gets the booking."""
        head = GTAG + "<script>gtag('consent', 'default', {analytics_storage: 'denied'});</script>"
        host.open(host_page("", gated(), head=head))
        host.booking(classic("BKNG-DENIED000001"))
        host.wait_for("(window.ungated || []).filter(e => e && e.event).length === 1")
        host.settle(0.5)
        assert recorded(host) == []

    def test_late_grant_through_the_api_delivers_once(self, host):
        """A booking (fired twice) waits while undecided; OnceHubBridge.consent(update) releases it once."""
        host.open(host_page("", gated()))
        host.booking(classic("BKNG-LATEAPI00001"))
        host.booking(classic("BKNG-LATEAPI00001"))
        host.wait_for("(window.ungated || []).filter(e => e && e.event).length === 1")
        host.settle(0.3)
        assert recorded(host) == []
        host.page.evaluate("OnceHubBridge.consent({analytics_storage: 'granted'})")
        host.wait_for("(window.recorded || []).filter(e => e && e.event).length === 1")
        host.settle(0.5)
        assert recorded(host) == ["BKNG-LATEAPI00001"]

    def test_late_grant_through_a_gtag_update(self, host):
        """A gtag('consent', 'update', ...) pushed after the booking is picked up while the booking waits."""
        host.open(host_page("", gated(), head=GTAG))
        host.booking(classic("BKNG-LATEGTAG0001"))
        host.wait_for("(window.ungated || []).filter(e => e && e.event).length === 1")
        host.page.evaluate("gtag('consent', 'update', {analytics_storage: 'granted'})")
        host.wait_for("(window.recorded || []).filter(e => e && e.event).length === 1")
        assert recorded(host) == ["BKNG-LATEGTAG0001"]

    def test_undecided_until_the_timeout_counts_as_denied(self, host):
        """Nothing decided within wait_ms: the gated sink gets nothing, even when consent comes later."""
        host.open(host_page("", gated(wait_ms=600)))
        host.booking(classic("BKNG-TIMEOUT00001"))
        host.wait_for("(window.ungated || []).filter(e => e && e.event).length === 1")
        host.settle(1.2)
        host.page.evaluate("OnceHubBridge.consent({analytics_storage: 'granted'})")
        host.settle(0.5)
        assert recorded(host) == []

    def test_redirect_does_not_wait_behind_undecided_consent(self, host):
        """The redirect needs no consent and waits for an undecided sink no longer than its own timeout_ms."""
        redirect = {"type": "redirect", "url": "/t/thanks.html?booking={booking_id}", "timeout_ms": 700}
        host.open(host_page("", gated(10_000, redirect)))
        host.booking(classic("BKNG-REDIRECT0009"))
        host.page.wait_for_url("**/t/thanks.html?booking=BKNG-REDIRECT0009", timeout=5000)
