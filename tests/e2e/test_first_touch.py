"""SPEC §3 first touch: UTM parameters and click ids captured on a landing page reach a later booking."""

import json

from booking_payloads import classic
from harness import host_page

KEY = "oncehub_bridge_attribution"
LANDING_QUERY = "?utm_source=newsletter&utm_medium=email&utm_campaign=spring&gclid=G-LANDING&other=1"
RECORDER = {"sinks": [{"type": "data_layer", "name": "recorded"}]}


def stored(host):
    return json.loads(host.page.evaluate("k => localStorage.getItem(k)", KEY) or "null")


def booked(host, booking_id):
    host.booking(classic(booking_id))
    host.wait_for("(window.recorded || []).filter(e => e && e.event).length === 1")
    return host.page.evaluate("window.recorded.filter(e => e && e.event)[0].oncehub")


class TestFirstTouch:
    def test_landing_parameters_reach_a_booking_on_a_later_page(self, host):
        """Captured on the landing page, used by a booking after a later page load without parameters."""
        host.open(host_page("", RECORDER), path="/landing.html", query=LANDING_QUERY)
        host.wait_for(f"localStorage.getItem('{KEY}') !== null")
        assert stored(host)["click_ids"]["value"] == {"gclid": "G-LANDING"}
        host.open(host_page("", RECORDER), path="/book.html")
        event = booked(host, "BKNG-FIRSTTOUCH01")
        assert event["utm_params"] == {"source": "newsletter", "medium": "email", "campaign": "spring",
                                       "term": None, "content": None}
        assert event["click_ids"] == {"gclid": "G-LANDING", "fbclid": None, "msclkid": None}
        assert "other=1" not in json.dumps(stored(host))

    def test_expired_data_is_not_used(self, host):
        """A capture older than max_age_days is removed and the booking carries no campaign."""
        old = json.dumps({"version": 1, "utm_params": {"value": {"source": "old"}, "captured_at": "2020-01-01T00:00:00Z"}})
        head = f"<script>localStorage.setItem({json.dumps(KEY)}, {json.dumps(old)});</script>"
        host.open(host_page("", RECORDER, head=head))
        event = booked(host, "BKNG-EXPIRED00001")
        assert event["utm_params"] is None
        host.wait_for(f"localStorage.getItem('{KEY}') === null")

    def test_denied_consent_stores_nothing(self, host):
        """With consent gating on and both keys denied, the landing page's parameters are not stored."""
        head = ("<script>window.dataLayer = []; function gtag() { dataLayer.push(arguments); }"
                "gtag('consent', 'default', {analytics_storage: 'denied', ad_storage: 'denied'});</script>")
        config = {**RECORDER, "consent": {"mode": "on"}, "sinks": [{"type": "data_layer", "name": "recorded"}]}
        host.open(host_page("", config, head=head), query=LANDING_QUERY)
        event = booked(host, "BKNG-NOSTORAGE001")
        assert event["utm_params"]["source"] == "newsletter"  # this page's own URL still describes the visit
        assert stored(host) is None
