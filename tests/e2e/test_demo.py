"""The demo served by `python3 build.py serve`: a visitor books on both demo pages, sees the inspector, follows the
redirect to the thank-you page; the layout holds at desktop and phone widths; the bridge runs
under the Content-Security-Policy the docs give."""

from __future__ import annotations

import json
import re

import pytest

from booking_payloads import classic
from demo_helpers import VIEWPORTS, VISITOR, assert_layout_holds, book_a_slot, documented_csp
from harness import host_page

SHOWN_SINKS = ["data_layer", "local_storage", "gtag", "meta_pixel", "segment", "hubspot", "linkedin",
               "custom_event", "callback", "python", "beacon", "redirect"]


@pytest.fixture
def demo(host, demo_site):
    """The harness's watched page (console errors, page errors, foreign requests fail the test), on the demo."""
    host.demo_url = demo_site
    return host


def open_page(demo, path: str, viewport: str) -> None:
    demo.page.set_viewport_size(VIEWPORTS[viewport])
    demo.page.goto(demo.demo_url + path)
    demo.wait_ready()
    demo.page.locator("#insp-status", has_text="ready").wait_for()


def inspector_text(demo) -> str:
    """Everything the inspector holds, collapsed details included."""
    return demo.page.locator("#inspector").text_content()


def assert_no_raw_pii(demo) -> None:
    text = inspector_text(demo)
    for value in VISITOR.values():
        assert value not in text, f"{value!r} shown unmasked in the inspector"


def follow_redirect_to_thank_you(demo, booking_id: str, source: str, shot: str) -> None:
    page = demo.page
    page.get_by_role("button", name="Continue now").click()
    page.wait_for_url(re.compile(r"/thank-you\.html\?"))
    assert page.locator("#param-booking").text_content() == booking_id
    assert page.locator("#param-source").text_content() == source
    assert_layout_holds(page, shot)


@pytest.mark.parametrize("viewport", VIEWPORTS)
class TestClassicBookingPageDemo:
    def test_a_visitor_books_and_lands_on_the_thank_you_page(self, demo, viewport):
        """Pick a slot, fill the form, book: the inspector shows the event and every sink, then the redirect."""
        page = demo.page
        open_page(demo, "/", viewport)
        assert_layout_holds(page, f"classic-{viewport}-1-ready")
        assert page.frames[1].url.startswith(demo.demo_url.rsplit(":", 1)[0]), "the booking page is not embedded"
        assert page.frames[1].evaluate("location.origin") != page.evaluate("location.origin")

        booking_id = book_a_slot(page)
        card = page.locator(".event-booking")
        card.wait_for()
        assert booking_id in card.text_content()
        page.locator("#insp-redirect").wait_for()
        page.get_by_role("button", name="Stay on this page").click()  # look around before following it
        for sink in SHOWN_SINKS:
            assert card.locator(f".sink-{sink}").count() >= 1, f"the inspector shows nothing from {sink}"
        assert booking_id in page.locator("#insp-redirect-url").text_content()
        assert re.fullmatch(r"\d+ ms|\d+\.\d\d s", page.locator("#insp-latency").text_content())
        assert re.fullmatch(r"\d+ ms|\d+\.\d\d s", page.locator("#insp-ready").text_content())
        assert "1 booking remembered" in page.locator("#insp-storage").text_content()
        assert_no_raw_pii(demo)
        data_layer = demo.data_layer("oncehub_booking_scheduled")
        assert [e["oncehub"]["booking_id"] for e in data_layer] == [booking_id]
        assert_layout_holds(page, f"classic-{viewport}-2-booked")

        page.get_by_role("button", name="Go there").click()
        page.wait_for_url(re.compile(r"/thank-you\.html\?"))
        assert page.locator("#param-booking").text_content() == booking_id
        assert page.locator("#param-source").text_content() == "booking_page"
        assert "remembers 1 booking" in page.locator("#remembered").text_content()
        assert_layout_holds(page, f"classic-{viewport}-3-thank-you")


@pytest.mark.parametrize("viewport", VIEWPORTS)
class TestBookingCalendarDemo:
    def test_funnel_steps_then_the_booking_then_the_thank_you_page(self, demo, viewport):
        """The calendar's oncehub.* messages from the second origin become funnel events, then a booking."""
        page = demo.page
        open_page(demo, "/calendar.html", viewport)
        config = json.loads(page.locator("#insp-config").input_value())
        assert config["sources"]["booking_calendar"]["allowed_origins"] == [page.frames[1].evaluate("location.origin")]
        page.locator(".event-funnel", has_text="oncehub_booking_calendar_loaded").wait_for()

        booking_id = book_a_slot(page)
        page.locator(".event-booking").wait_for()
        names = page.locator(".event-booking .name, .event-funnel .name").all_text_contents()
        assert names == ["oncehub_booking_scheduled", "oncehub_form_submitted",
                         "oncehub_booking_calendar_time_slot_selected", "oncehub_booking_calendar_loaded"]
        assert "booking_calendar" in page.locator(".event-booking").text_content()
        page.locator("#insp-redirect").wait_for()
        assert_no_raw_pii(demo)
        text = inspector_text(demo)  # the booking form's own question is shown, the visitor's answer masked
        assert '"name": "Team size"' in text and "10-50 people" not in text
        assert_layout_holds(page, f"calendar-{viewport}-1-booked")
        follow_redirect_to_thank_you(demo, booking_id, "booking_calendar", f"calendar-{viewport}-2-thank-you")


@pytest.mark.parametrize("viewport", VIEWPORTS)
class TestAutomaticRedirectDemo:
    def test_onceHubs_redirect_lands_scrubbed_and_the_booking_is_counted_once(self, demo, viewport):
        """The simulated calendar sends the window to /confirmed.html with name and email in the URL; the
        inspector shows what was removed, a page-view tag saw no PII, and one redirect booking; a reload adds none."""
        page = demo.page
        open_page_no_runtime(demo, "/redirect.html", viewport)
        assert page.evaluate("OnceHubBridge.status") == "idle"  # no OnceHub embed of this site's config: no runtime
        book_a_slot(page, confirmed_in_frame=False)
        page.wait_for_url(re.compile(r"/confirmed\.html\?"))
        demo.wait_ready()
        page.locator(".event-booking").wait_for()
        saw = page.evaluate("OnceHubDemo.pageViewSaw")
        assert "id=BKNG-" in saw and not [v for v in VISITOR.values() if v.split()[0] in saw or v in saw]
        assert "name" in page.locator("#insp-url-removed").text_content()
        assert "email" in page.locator("#insp-url-removed").text_content()
        [event] = demo.data_layer("oncehub_booking_scheduled")
        assert event["oncehub"]["source"] == "redirect" and len(event["oncehub"]["user_data"]["sha256_email_address"]) == 64
        assert_no_raw_pii(demo)
        assert_layout_holds(page, f"redirect-{viewport}-confirmed")
        page.reload()
        page.wait_for_timeout(1500)
        assert demo.data_layer("oncehub_booking_scheduled") == []


class TestHandOverDemo:
    def test_with_the_runtime_blocked_the_thank_you_page_delivers_the_booking(self, demo):
        """?demo_runtime=blocked: the booking page's runtime fails; the loader goes to the thank-you page itself
        (placeholders empty) and that page's runtime delivers the kept booking, once, and says so."""
        page = demo.page
        page.set_viewport_size(VIEWPORTS["desktop"])
        page.goto(demo.demo_url + "/?demo_runtime=blocked")
        page.locator("#insp-status", has_text="failed").wait_for()
        booking_id = book_a_slot(page)
        page.locator("#insp-redirect").wait_for()
        page.get_by_role("button", name="Continue now").click()
        page.wait_for_url(re.compile(r"/thank-you\.html\?booking=&"))
        page.locator("#handover:not([hidden])").wait_for()
        assert booking_id in page.locator("#handover").text_content()
        assert [e["oncehub"]["booking_id"] for e in demo.data_layer("oncehub_booking_scheduled")] == [booking_id]
        assert_layout_holds(page, "handover-thank-you")


def open_page_no_runtime(demo, path: str, viewport: str) -> None:
    demo.page.set_viewport_size(VIEWPORTS[viewport])
    demo.page.goto(demo.demo_url + path)


class TestConfigEditor:
    def test_problems_show_as_you_type_and_apply_reloads_with_the_config(self, demo):
        """An unsafe redirect is reported readably while typing; a valid edit, applied, is what the page runs."""
        page = demo.page
        open_page(demo, "/", "desktop")
        editor = page.get_by_label(re.compile("oncehub-bridge-config"))
        editor.fill(json.dumps({"sinks": [{"type": "data_layer"}, {"type": "redirect", "url": "javascript:alert(1)"}]}))
        problems = page.locator("#insp-problems.bad")
        problems.wait_for()
        assert "sinks[1] (redirect)" in problems.text_content() and "javascript" in problems.text_content()
        assert_layout_holds(page, "editor-desktop-problem")

        editor.fill(json.dumps({"sinks": [{"type": "data_layer"}]}))
        page.locator("#insp-problems.ok").wait_for()
        with page.expect_navigation():
            page.get_by_role("button", name="Apply & reload").click()
        demo.wait_ready()
        assert page.locator("#insp-config-origin").text_content() == "edited in this tab"
        assert json.loads(page.locator("#insp-config").input_value()) == {"sinks": [{"type": "data_layer"}]}
        booking_id = book_a_slot(page)
        page.locator(".event-booking").wait_for()
        assert [e["oncehub"]["booking_id"] for e in demo.data_layer("oncehub_booking_scheduled")] == [booking_id]
        demo.settle(0.5)
        assert page.locator("#insp-redirect").is_hidden(), "no redirect sink, so no redirect"
        assert page.locator(".event-booking .sink").all_text_contents() == ["data_layer"]


class TestDocumentedCsp:
    @pytest.mark.parametrize("which, host_files", [(0, "/worker.js"), (1, "/pyscript/core.js")])
    def test_the_bridge_runs_under_each_documented_policy(self, host, which, host_files):
        """With the docs' policies (as a meta tag), the runtime starts in the host that policy allows, a booking
        reaches the dataLayer, nothing is requested from another host and the bridge prints nothing."""
        meta = f'<meta http-equiv="Content-Security-Policy" content="{documented_csp(which)}">'
        host.open(host_page("", {"sinks": [{"type": "data_layer"}]}, head=meta), wait_ready=False)
        host.wait_for("['ready', 'failed'].includes(OnceHubBridge.status)", timeout_s=60)  # wait_for_function is blocked
        assert host.page.evaluate("OnceHubBridge.status") == "ready"
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        assert host.data_layer()[0]["oncehub"]["booking_id"] == "BKNG-XGYNZXXR3B7D"
        assert any(host_files in url for url in host.watch.requests)
        assert [line for line in host.watch.console_lines if "oncehub-bridge" in line] == []
