"""Consent Mode v2 gating: the state from signals, and bookings that wait, go, or are dropped per sink, once."""

import json

from bridge import Bridge
from bridge.consent import ConsentGate, ConsentConfig, ConsentState
from bridge.testing import FakeClock, FakePage

PAGE = {"url": "https://site.example/book", "referrer": None}
GATED = {"consent": {"mode": "on", "wait_ms": 2000},
         "sinks": [{"type": "data_layer", "name": "analytics", "consent": ["analytics_storage"]},
                   {"type": "data_layer", "name": "ads", "consent": ["ad_storage", "ad_user_data"]},
                   {"type": "data_layer", "name": "always"}]}


def booking(booking_id="BKNG-1"):
    return {"kind": "callback", "has_argument": True, "data": {"bookingInfo": {"BookingId": [booking_id]}}}


def update(**state):
    return {"command": "update", "state": state}


def default(**state):
    return {"command": "default", "state": state}


class Page:
    """A started bridge with a fake page and clock; ``send`` is one loader ``process`` call."""

    def __init__(self, config=GATED):
        self.clock = FakeClock()
        self.bridge = Bridge(clock=self.clock)
        self.bridge.start({"config": json.dumps(config), "page": PAGE})
        self.page = FakePage()
        self.response = {}

    def send(self, *inputs, consent=()):
        self.response = self.bridge.process({"inputs": list(inputs), "consent": list(consent), "storage": {}})
        self.page.apply_results(self.response)
        return self

    def received(self, name):
        return [entry["oncehub"]["booking_id"] for entry in self.page.globals.get(name, [])]


class TestConsentState:
    def test_update_wins_over_default(self):
        """A default decides a key until an update says otherwise, even a default that comes later."""
        state = ConsentState()
        state.apply(default(ad_storage="denied", analytics_storage="denied"))
        state.apply(update(analytics_storage="granted"))
        state.apply(default(analytics_storage="denied"))
        assert (state.decision("ad_storage"), state.decision("analytics_storage")) == ("denied", "granted")

    def test_undecided_until_named(self):
        """A key no command named is undecided; any denied key denies, all granted grants."""
        state = ConsentState()
        state.apply(update(ad_storage="granted"))
        assert state.decide(["ad_storage", "ad_user_data"]) is None
        assert state.decide(["ad_storage"]) == "granted"
        state.apply(update(ad_user_data="denied"))
        assert state.decide(["ad_storage", "ad_user_data"]) == "denied"
        assert state.decide([]) == "granted"

    def test_region_defaults_and_bad_values_ignored(self):
        """Region-scoped defaults, unknown keys and values other than granted/denied change nothing."""
        state = ConsentState()
        notes = state.apply(default(ad_storage="granted", region=["US-CA"]))
        notes += state.apply(update(analytics_storage=True, ads_storage="granted"))
        notes += state.apply({"command": "set", "state": {}})
        assert state.decision("ad_storage") is None and state.decision("analytics_storage") is None
        assert len(notes) == 4

    def test_gate_off_grants_everything(self):
        """With mode off every sink is allowed, whatever the state says."""
        state = ConsentState()
        state.apply(update(ad_storage="denied"))
        assert ConsentGate(ConsentConfig(), state).decide(["ad_storage"]) == "granted"
        assert ConsentGate(ConsentConfig(mode="on"), state).decide(["ad_storage"]) == "denied"

    def test_timeout_turns_undecided_into_denied(self):
        """After the wait an undecided key counts as denied."""
        gate = ConsentGate(ConsentConfig(mode="on"))
        assert gate.decide(["ad_storage"]) is None
        assert gate.decide(["ad_storage"], timed_out=True) == "denied"


class TestGating:
    def test_granted_before_the_booking(self):
        """Sinks whose keys are all granted get the booking at once; no wait is asked for."""
        page = Page().send(consent=[update(analytics_storage="granted", ad_storage="granted", ad_user_data="granted")])
        page.send(booking())
        assert [page.received(n) for n in ("analytics", "ads", "always")] == [["BKNG-1"]] * 3
        assert page.response["wake_ms"] is None and page.response["watch_consent"] is False

    def test_denied_sink_gets_nothing(self):
        """A denied key drops the event for the sinks needing it; the others still get it."""
        page = Page().send(booking(), consent=[default(analytics_storage="granted", ad_storage="denied")])
        assert (page.received("analytics"), page.received("ads"), page.received("always")) == (["BKNG-1"], [],
                                                                                              ["BKNG-1"])
        assert page.bridge.pipeline.waiting == []

    def test_late_decision_releases_the_waiting_booking_once(self):
        """An undecided booking waits; a later grant delivers it once, later calls deliver nothing more."""
        page = Page().send(booking())
        assert page.received("always") == ["BKNG-1"] and page.received("analytics") == []
        assert page.response["wake_ms"] == 2000 and page.response["watch_consent"] is True
        page.clock.advance(1)
        page.send(consent=[update(analytics_storage="granted", ad_storage="granted", ad_user_data="denied")])
        assert (page.received("analytics"), page.received("ads")) == (["BKNG-1"], [])
        page.clock.advance(5)
        page.send(booking(), consent=[update(analytics_storage="granted")])
        assert page.received("analytics") == ["BKNG-1"] and page.response["wake_ms"] is None

    def test_timeout_drops_undecided_sinks(self):
        """When wait_ms passes with a key still undecided, that sink never gets the booking."""
        page = Page().send(booking(), consent=[update(analytics_storage="granted")])
        assert page.received("analytics") == ["BKNG-1"] and page.response["wake_ms"] == 2000
        page.clock.advance(1.5)
        page.send()
        assert page.received("ads") == [] and page.response["wake_ms"] == 500
        page.clock.advance(0.5)
        page.send()
        page.clock.advance(1)
        page.send(consent=[update(ad_storage="granted", ad_user_data="granted")])
        assert page.received("ads") == [] and page.bridge.pipeline.waiting == []

    def test_two_waiting_bookings_keep_their_order(self):
        """Bookings released together reach a sink in arrival order, then new ones."""
        page = Page().send(booking("BKNG-A"))
        page.send(booking("BKNG-B"))
        page.send(booking("BKNG-C"), consent=[update(analytics_storage="granted")])
        assert page.received("analytics") == ["BKNG-A", "BKNG-B", "BKNG-C"]

    def test_duplicate_while_waiting_is_not_held_twice(self):
        """OnceHub firing twice while consent is undecided still delivers once."""
        page = Page().send(booking(), booking())
        page.send(consent=[update(analytics_storage="granted")])
        assert page.received("analytics") == ["BKNG-1"] and page.received("always") == ["BKNG-1"]

    def test_local_storage_needs_analytics_storage_by_default(self):
        """The local_storage sink's own consent key is analytics_storage; consent [] turns that off."""
        page = Page({"consent": {"mode": "on"}, "sinks": [{"type": "local_storage"},
                                                           {"type": "local_storage", "key": "free", "consent": []}]})
        page.send(booking(), consent=[update(analytics_storage="denied")])
        assert "oncehub_bridge" not in page.page.storage and "free" in page.page.storage


class TestRedirectWithConsent:
    CONFIG = {"consent": {"mode": "on", "wait_ms": 5000},
              "sinks": [{"type": "data_layer", "consent": ["analytics_storage"]},
                        {"type": "redirect", "url": "/thanks?b={booking_id}", "timeout_ms": 1000}]}

    def test_redirect_waits_for_the_decision(self):
        """The navigation comes after the consent-gated sink's delivery, in the same response."""
        page = Page(self.CONFIG).send(booking())
        assert page.page.navigations == [] and page.response["wake_ms"] == 1000
        page.clock.advance(0.4)
        page.send(consent=[update(analytics_storage="granted")])
        ops = [effect["op"] for effect in page.response["effects"]]
        assert ops == ["push", "navigate"] and page.response["effects"][1]["timeout_ms"] == 600
        assert page.page.navigations == ["https://site.example/thanks?b=BKNG-1"]

    def test_redirect_never_waits_longer_than_its_timeout(self):
        """Undecided consent holds the redirect only up to its timeout_ms; the gated sink keeps waiting."""
        page = Page(self.CONFIG).send(booking())
        page.clock.advance(1)
        page.send()
        [navigate] = page.response["effects"]
        assert navigate["op"] == "navigate" and navigate["timeout_ms"] == 0
        assert page.response["wake_ms"] == 4000

    def test_redirect_goes_at_once_when_consent_is_decided(self):
        """With consent already decided the redirect is in the booking's own result."""
        page = Page(self.CONFIG).send(booking(), consent=[update(analytics_storage="denied")])
        assert [effect["op"] for effect in page.response["results"][0]["effects"]] == ["navigate"]
        assert page.response["results"][0]["effects"][0]["timeout_ms"] == 1000

    def test_consent_off_keeps_the_old_behaviour(self):
        """Without consent gating, every sink runs at once even when the page denied everything."""
        config = {**self.CONFIG, "consent": {"mode": "off"}}
        page = Page(config).send(booking(), consent=[default(analytics_storage="denied")])
        assert [effect["op"] for effect in page.response["results"][0]["effects"]] == ["push", "navigate"]
