"""SPEC §2, §3: OnceHub's automatic redirect with booking data: the personal parameters leave the URL before any
later script can read them, and the booking becomes one event with source "redirect"."""

import json

from harness import host_page

CALENDAR_QUERY = ("?booking_calendar=BKC-8D6NGQEM5G&subject=Meeting+with+Sales&status=scheduled"
                  "&customer_timezone=Asia%2FKolkata&id=BKNG-2R5C3TQBX1PZ&creation_time=2025-07-17T10%3A17%3A10.765Z"
                  "&starting_time=2025-07-18T11%3A00%3A00.000Z&name=Carrie+Customer"
                  "&email=Carrie-Customer%40staticso2.com&company=Acme&meeting_reason=Product+Demo")
CLASSIC_QUERY = ("?Name=John%20Smith&Email=johnsmith@example.com&subject=Example%20Subject&company=Example%20Company"
                 "&phone=1-2025550195&note=I%20look%20forward%20to%20the%20meeting.&bookingPage=financial"
                 "&creationTime=2018-04-25T05:08:18.843Z&meetingTime=2018-04-25T10:45:00.000Z"
                 "&timeZone=Eastern%20time&utcOffset=-5")
PERSONAL = ["Carrie", "Customer%40", "staticso2", "Acme", "Product", "John", "johnsmith", "Example%20Company",
            "Example+Company", "2025550195", "forward"]
PAGE_VIEW_TAG = "<script>window.seenByTag = location.href;</script>"


def everything(host) -> str:
    """What the page left in dataLayer, storage and the console."""
    return json.dumps([host.page.evaluate("JSON.stringify(window.dataLayer || [])"),
                       host.page.evaluate("JSON.stringify(Object.entries(localStorage))"),
                       host.page.evaluate("JSON.stringify(Object.entries(sessionStorage))"),
                       host.watch.console_lines])


def redirect_page(config=None) -> str:
    return host_page(PAGE_VIEW_TAG, config or {"sinks": [{"type": "data_layer"}]}, embed="")


class TestScrub:
    def test_calendar_redirect_loses_its_personal_parameters_before_the_page_view_tag(self, host):
        """A tag after the loader sees the booking fields but no name, email, company or custom field."""
        host.open(redirect_page(), path="/thanks.html", query=CALENDAR_QUERY)
        seen = host.page.evaluate("window.seenByTag")
        assert "BKNG-2R5C3TQBX1PZ" in seen and "starting_time=" in seen
        assert not [value for value in PERSONAL if value in seen]
        assert host.page.evaluate("location.href") == seen

    def test_classic_redirect_loses_its_personal_parameters(self, host):
        """The classic set, percent-encoded, keeps only bookingPage, subject, times and zone."""
        host.open(redirect_page(), path="/thanks.html", query=CLASSIC_QUERY)
        seen = host.page.evaluate("window.seenByTag")
        assert "meetingTime=" in seen and "bookingPage=financial" in seen
        assert not [value for value in PERSONAL if value in seen]

    def test_unrelated_query_is_left_alone(self, host):
        """A URL without OnceHub's shape keeps every parameter, even one called email."""
        host.open(redirect_page(), query="?utm_source=x&email=newsletter", wait_ready=False)
        assert host.page.evaluate("window.seenByTag").endswith("?utm_source=x&email=newsletter")
        host.settle(0.5)
        assert host.page.evaluate("OnceHubBridge.status") == "idle"

    def test_url_is_scrubbed_even_when_the_runtime_is_blocked(self, host):
        """With every runtime file refused, the personal parameters still leave the URL."""
        host.page.route("**/runtime-*/**", lambda route: route.abort())
        host.watch.expect_console_error("Failed to load")
        host.open(redirect_page(), path="/thanks.html", query=CALENDAR_QUERY, wait_ready=False)
        assert not [value for value in PERSONAL if value in host.page.evaluate("window.seenByTag")]
        host.wait_for("OnceHubBridge.status === 'failed'")


class TestRedirectBooking:
    def test_one_booking_event_with_hashed_user_data_and_no_raw_pii_anywhere(self, host):
        """The runtime starts at once (no embed) and delivers one redirect booking, hashed by default."""
        host.open(redirect_page(), path="/thanks.html", query=CALENDAR_QUERY)
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        [event] = host.data_layer("oncehub_booking")
        booking = event["oncehub"]
        assert booking["source"] == "redirect"
        assert booking["booking_id"] == "BKNG-2R5C3TQBX1PZ"
        assert booking["starting_time"] == "2025-07-18T11:00:00Z"
        assert len(booking["user_data"]["sha256_email_address"]) == 64
        assert "customer" not in booking
        assert not [value for value in ["Carrie", "staticso2", "Acme"] if value in everything(host)]

    def test_reload_and_second_visit_add_no_booking(self, host):
        """The same booking URL reloaded, or opened again in the session, is not a second booking."""
        host.open(redirect_page(), path="/thanks.html", query=CALENDAR_QUERY)
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        url = host.page.url
        host.page.reload()
        host.settle(1.5)
        assert host.data_layer("oncehub_booking") == []
        host.page.goto(url.split("?")[0] + CALENDAR_QUERY)
        host.settle(1.5)
        assert host.data_layer("oncehub_booking") == []
        assert host.page.evaluate("OnceHubBridge.status") == "idle"
