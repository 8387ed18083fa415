"""The debug view on the site owner's own page: with ?oncehub_bridge_debug=1 (or "debug": true) a panel in a closed
shadow root shows the status, each event and what each sink did, PII masked; without debug nothing of it loads."""

import json
from urllib.parse import quote

from booking_payloads import CUSTOMER_EMAIL, classic, scheduled_message
from harness import host_page

CONFIG = {"sinks": [{"type": "data_layer"}, {"type": "custom_event"}]}
PAGE_CSS = "<style>* { display: none !important; color: red !important; }</style>"
"""A page whose CSS hides everything: it cannot reach into the panel's closed shadow root."""


def panel_text(host) -> str:
    """What the page says to assistive technology, from Chromium's accessibility tree: a closed shadow root is out
    of reach of the DOM (and of any script on the page), not of what a visitor sees or hears."""
    session = host.page.context.new_cdp_session(host.page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    return "\n".join(str(n.get("name", {}).get("value", "")) for n in nodes if n.get("name", {}).get("value"))


class TestDebugPanel:
    def test_the_panel_shows_status_events_and_sinks_with_pii_masked(self, host):
        host.open(host_page("", CONFIG), query="?oncehub_bridge_debug=1")
        host.wait_for("document.querySelector('[data-oncehub-bridge-debug]')")
        host.booking(classic("BKNG-DEBUGPANEL01"))
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        host.page.wait_for_timeout(300)
        text = panel_text(host)
        assert "oncehub-bridge debug" in text and "ready" in text
        timings = host.page.evaluate("OnceHubBridge.timings")
        assert (f"runtime host {timings['host']}, files found {timings['files']}, Python running {timings['interpreter']}, "
                f"bridge imported {timings['imported']}, ready {timings['ready']}") in text
        assert f"ready {timings['ready']} ms after navigation" in text
        assert "booking: oncehub_booking_scheduled" in text and "BKNG-DEBUGPANEL01" in text
        assert "sinks[0] data_layer" in text and "push dataLayer" in text and "sinks[1] custom_event" in text
        assert CUSTOMER_EMAIL not in text and CUSTOMER_EMAIL.lower() not in text
        assert host.page.evaluate("document.querySelector('[data-oncehub-bridge-debug]').shadowRoot") is None  # closed

    def test_the_pages_css_does_not_hide_it(self, host):
        host.open(host_page("<p>page</p>", {**CONFIG, "debug": True}, head=PAGE_CSS.replace("*", "p, section, ol, li, oncehub-bridge-debug")))
        host.wait_for("document.querySelector('[data-oncehub-bridge-debug]')")
        assert host.page.locator("[data-oncehub-bridge-debug]").is_visible()

    def test_without_debug_no_panel_and_no_panel_file(self, host):
        host.open(host_page("", CONFIG))
        host.booking(classic("BKNG-NODEBUG00001"))
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        assert host.page.locator("[data-oncehub-bridge-debug]").count() == 0
        assert not any(url.endswith("/panel.js") for url in host.watch.requests)

    def test_a_custom_fields_question_is_shown_and_its_answer_masked(self, host, other_origin):
        """A booking form's own question (custom_fields' name) is no PII, the customer's answer to it may be."""
        message = scheduled_message(id="BKNG-DEBUGCUSTOM1")
        answer = message["payload"]["form_submission"]["custom_fields"][0]["value"]
        src = f"{other_origin}/t/calendar-frame.html#{quote(json.dumps([message]))}"
        config = {**CONFIG, "sources": {"booking_calendar": {"allowed_origins": [other_origin]}}}
        host.open(host_page("", config), query="?oncehub_bridge_debug=1")
        host.wait_for("document.querySelector('[data-oncehub-bridge-debug]')")
        host.page.evaluate("src => document.body.appendChild(Object.assign(document.createElement('iframe'), {src}))", src)
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        host.page.wait_for_timeout(300)
        text = panel_text(host)
        assert "BKNG-DEBUGCUSTOM1" in text
        assert f'"name": "{message["payload"]["form_submission"]["custom_fields"][0]["name"]}"' in text
        assert answer not in text and f'"value": "{answer[0]}\u2022\u2022\u2022"' in text
