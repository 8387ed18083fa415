"""First-touch attribution: capture on landing, expiry, consent per part, and precedence on bookings."""

import json

from bridge import Bridge
from bridge.attribution import ATTRIBUTION_KEY, AttributionConfig, FirstTouch, read_stored
from bridge.consent import ConsentConfig, ConsentGate
from bridge.page import PageContext
from bridge.testing import FakeClock, FakePage

DAY = 86_400
LANDING = "https://site.example/?utm_source=news&utm_medium=email&utm_campaign=spring&gclid=G-1&fbclid=F-1"
LATER = "https://site.example/book"


def visit(url, storage, config=None, consent=(), inputs=(), clock=None):
    """One page load: start, then the loader's first process call with the stored text; the new storage."""
    bridge_ = Bridge(clock=clock or FakeClock())
    bridge_.start({"config": json.dumps(config or {}), "page": {"url": url}})
    response = bridge_.process({"inputs": list(inputs), "consent": list(consent), "storage": dict(storage)})
    page = FakePage(storage=dict(storage))
    page.apply_results(response)
    return page, response


def callback(**info):
    return {"kind": "callback", "has_argument": True, "data": {"bookingInfo": {"BookingId": ["BKNG-1"], **info}}}


def stored(page):
    return json.loads(page.storage[ATTRIBUTION_KEY])


class TestCapture:
    def test_landing_page_parameters_are_stored(self):
        """UTM parameters and click ids of the page URL are stored with the capture time."""
        page, _ = visit(LANDING, {})
        value = stored(page)
        assert value["utm_params"]["value"] == {"source": "news", "medium": "email", "campaign": "spring"}
        assert value["click_ids"]["value"] == {"gclid": "G-1", "fbclid": "F-1"}
        assert value["utm_params"]["captured_at"] == "2023-11-14T22:13:20Z"

    def test_first_touch_is_not_overwritten(self):
        """A later page with other parameters keeps the stored first touch and writes nothing."""
        first, _ = visit(LANDING, {})
        _, response = visit(LATER + "?utm_source=ads&gclid=G-2", first.storage)
        assert response["effects"] == []

    def test_page_without_parameters_stores_nothing(self):
        """No parameters, nothing stored, no store effect."""
        page, response = visit(LATER, {})
        assert page.storage == {} and response["effects"] == []

    def test_disabled(self):
        """attribution.enabled false neither reads nor writes nor asks for the key."""
        bridge_ = Bridge()
        report = bridge_.start({"config": json.dumps({"attribution": {"enabled": False}}), "page": {"url": LANDING}})
        assert report["storage_keys"] == []
        assert bridge_.process({"inputs": [], "storage": {}})["effects"] == []


class TestExpiry:
    def test_expired_data_is_removed_and_replaced(self):
        """After max_age_days the stored touch is dropped; a page with parameters captures anew."""
        clock = FakeClock()
        first, _ = visit(LANDING, {}, clock=clock)
        clock.advance(91 * DAY)
        removed, response = visit(LATER, first.storage, clock=clock)
        assert response["effects"] == [{"op": "store", "sink": "attribution", "key": ATTRIBUTION_KEY, "value": None}]
        assert removed.storage == {}
        again, _ = visit(LATER + "?utm_source=ads", first.storage, clock=clock)
        assert stored(again)["utm_params"]["value"] == {"source": "ads"} and "click_ids" not in stored(again)

    def test_custom_max_age(self):
        """max_age_days bounds the lifetime."""
        clock = FakeClock()
        first, _ = visit(LANDING, {}, clock=clock)
        clock.advance(2 * DAY)
        assert read_stored(first.storage[ATTRIBUTION_KEY], clock(), max_age_days=1) == {}
        assert read_stored(first.storage[ATTRIBUTION_KEY], clock(), max_age_days=3) != {}

    def test_garbage_is_dropped(self):
        """Unreadable or malformed stored data counts as nothing stored."""
        for text in ("{broken", "[]", '{"utm_params": {"value": {"source": 5}, "captured_at": "2023-11-14T00:00:00Z"}}',
                     '{"click_ids": {"value": {"gclid": "G"}, "captured_at": "yesterday"}}'):
            assert read_stored(text, FakeClock()(), 90) == {}


class TestConsent:
    ON = {"consent": {"mode": "on"}}

    def test_denied_stores_nothing(self):
        """With both keys denied nothing is written."""
        page, _ = visit(LANDING, {}, self.ON, [{"command": "default", "state": {"analytics_storage": "denied",
                                                                                "ad_storage": "denied"}}])
        assert page.storage == {}

    def test_each_part_follows_its_key(self):
        """UTMs need analytics_storage, click ids ad_storage."""
        page, _ = visit(LANDING, {}, self.ON, [{"command": "update", "state": {"analytics_storage": "granted",
                                                                               "ad_storage": "denied"}}])
        assert set(stored(page)) == {"version", "utm_params"}

    def test_denial_removes_what_was_stored(self):
        """Consent withdrawn on a later page removes the stored part it covers."""
        first, _ = visit(LANDING, {})
        later, _ = visit(LATER, first.storage, self.ON, [{"command": "update", "state": {"ad_storage": "denied"}}])
        assert set(stored(later)) == {"version", "utm_params"}

    def test_undecided_waits_then_stores_on_grant(self):
        """While undecided nothing is written and the loader is asked to watch; a later grant writes it."""
        bridge_ = Bridge(clock=FakeClock())
        bridge_.start({"config": json.dumps(self.ON), "page": {"url": LANDING}})
        response = bridge_.process({"inputs": [], "storage": {}})
        assert response["effects"] == [] and response["watch_consent"] is True and response["wake_ms"] is None
        grant = {"command": "update", "state": {"analytics_storage": "granted", "ad_storage": "granted"}}
        response = bridge_.process({"inputs": [], "consent": [grant], "storage": {}})
        assert [effect["key"] for effect in response["effects"]] == [ATTRIBUTION_KEY]
        assert response["watch_consent"] is False


class TestPrecedence:
    def test_later_booking_gets_the_first_touch(self):
        """A booking on a later page without parameters carries the stored UTMs and click ids."""
        first, _ = visit(LANDING, {})
        later, response = visit(LATER, first.storage, inputs=[callback()])
        event = response["results"][0]["events"][0]["event"]
        assert event["utm_params"] == {"source": "news", "medium": "email", "campaign": "spring", "term": None,
                                       "content": None}
        assert event["click_ids"] == {"gclid": "G-1", "fbclid": "F-1", "msclkid": None}

    def test_first_touch_wins_over_the_current_page(self):
        """The stored UTMs win over the current URL's; the current URL's click ids win key by key."""
        first, _ = visit(LANDING, {})
        _, response = visit(LATER + "?utm_source=ads&gclid=G-NEW&msclkid=M-1", first.storage, inputs=[callback()])
        event = response["results"][0]["events"][0]["event"]
        assert event["utm_params"]["source"] == "news"
        assert event["click_ids"] == {"gclid": "G-NEW", "fbclid": "F-1", "msclkid": "M-1"}

    def test_payload_utms_win(self):
        """UTM parameters from the payload beat the first touch."""
        first, _ = visit(LANDING, {})
        message = {"kind": "message", "origin": "https://oncehub.com",
                   "data": {"type": "oncehub.booking.scheduled",
                            "payload": {"id": "BKNG-2", "utm_params": {"source": "payload"}}}}
        _, response = visit(LATER, first.storage, inputs=[message])
        assert response["results"][0]["events"][0]["event"]["utm_params"]["source"] == "payload"

    def test_without_storage_the_page_url_is_used(self):
        """Nothing stored (e.g. consent denied): the current URL's parameters, as before."""
        touch = FirstTouch(AttributionConfig(), PageContext(url=LANDING))
        gate = ConsentGate(ConsentConfig(mode="on"))
        gate.state.apply({"command": "update", "state": {"analytics_storage": "denied", "ad_storage": "denied"}})
        assert touch.sync(None, gate, FakeClock()()) == []
        page = touch.on_page(PageContext(url=LANDING))
        assert page.attributed_utm_params(("source",)) == {"source": "news"}
