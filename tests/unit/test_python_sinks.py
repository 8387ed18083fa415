"""SPEC §7: custom sinks in Python, as the loader hands their modules to the runtime."""

import json

from bridge import Bridge
from bridge.testing import SAMPLE_CLASSIC_PAYLOAD, FakeClock

PAGE = {"url": "https://site.example/book", "referrer": None}
GOOD = '''
from bridge.effects import Push, Navigate, Beacon
from bridge.sinks import Sink, SinkConfig

LOADED = globals().get("LOADED", 0) + 1
import sys
sys.tally_module_runs = getattr(sys, "tally_module_runs", 0) + 1  # counts runs across namespaces

class TallyConfig(SinkConfig):
    target: str = "tally"

class Tally(Sink):
    config_model = TallyConfig
    def on_booking(self, booking, context):
        return [Push(target=self.config.target, value={"id": booking["booking_id"], "customer": booking.get("customer"),
                                                       "user_data": booking.get("user_data")}),
                "a string", Navigate(url="https://evil.example/", timeout_ms=0),
                Beacon(url="https://evil.example/c", body={}), Beacon(url="/mine", body={"ok": True})]

class Exploding(Sink):
    config_model = TallyConfig
    def on_booking(self, booking, context):
        raise RuntimeError("boom john@example.com")

class NotASink:
    config_model = TallyConfig

class NoModel(Sink):
    config_model = dict
'''


def started(sinks, modules, debug=True):
    bridge = Bridge(clock=FakeClock())
    report = bridge.start({"config": json.dumps({"debug": debug, "sinks": sinks}), "page": PAGE, "modules": modules})
    return bridge, report


def python(cls, module="/sinks/good.py", **options):
    return {"type": "python", "module": module, "class": cls, **options}


def book(bridge, booking_id="BKNG-XGYNZXXR3B7D"):
    payload = json.loads(json.dumps(SAMPLE_CLASSIC_PAYLOAD))
    payload["bookingInfo"]["BookingId"] = [booking_id]
    return bridge.process({"inputs": [{"kind": "callback", "has_argument": True, "data": payload}]})["results"][0]


MODULES = {"/sinks/good.py": {"text": GOOD}, "/sinks/broken.py": {"text": "def broken(:\n"},
           "/sinks/raises.py": {"text": "raise ImportError('no')\n"}, "/sinks/gone.py": {"error": "HTTP 404"}}


class TestLoading:
    def test_a_good_sink_runs_with_its_options_and_the_module_runs_once(self):
        bridge, report = started([python("Tally", target="a"), python("Tally", target="b")], MODULES)
        assert report["problems"] == []
        pushes = [e for e in book(bridge)["effects"] if e["op"] == "push"]
        assert [(e["sink"], e["target"]) for e in pushes] == [("sinks[0] python Tally", "a"), ("sinks[1] python Tally", "b")]
        assert bridge.modules.load("/sinks/good.py").LOADED == 1

    def test_each_fault_is_one_readable_problem_and_the_other_sinks_run(self):
        sinks = [python("Tally", target=5), python("Missing"), python("NotASink"), python("NoModel"),
                 python("X", module="/sinks/broken.py"), python("X", module="/sinks/raises.py"),
                 python("X", module="/sinks/gone.py"), python("X", module="https://cdn.example/x.py"),
                 python("X", module="/sinks/x.js"), {"type": "data_layer"}]
        bridge, report = started(sinks, MODULES)
        assert report["problems"] == [
            "sinks[0] (python Tally): target: Input should be a valid string",
            "sinks[1] (python Missing): module /sinks/good.py has no class Missing",
            "sinks[2] (python NotASink): NotASink in module /sinks/good.py does not subclass bridge.sinks.Sink",
            "sinks[3] (python NoModel): NoModel.config_model must be a subclass of bridge.sinks.SinkConfig",
            "sinks[4] (python X): module /sinks/broken.py does not import: SyntaxError at line 1",
            "sinks[5] (python X): module /sinks/raises.py does not import: ImportError",
            "sinks[6] (python X): module /sinks/gone.py could not be fetched (HTTP 404)",
            "sinks[7] (python X): module: must be on this page's own origin (host cdn.example is neither the page's"
            " origin nor in allowed_hosts)",
            'sinks[8] (python X): module: must be the path of a .py file on this site, e.g. "/sinks/acme.py"',
        ]
        assert [e["op"] for e in book(bridge)["effects"]] == ["push"]  # the data_layer sink

    def test_the_bridges_own_keys_are_not_options(self):
        _, report = started([python("Tally", colour="red")], MODULES)
        assert report["problems"] == ['sinks[0] (python Tally): unknown key "colour"']


class TestWhatItMayDo:
    def test_only_effects_and_never_a_navigation_or_a_beacon_elsewhere(self):
        bridge, _ = started([python("Tally")], MODULES)
        result = book(bridge)
        assert [(e["op"], e.get("url")) for e in result["effects"]] == [("push", None), ("beacon", "/mine")]
        assert "sinks[0] python Tally: ignored 1 return value(s) that are not effects" in result["log"]
        assert "sinks[0] python Tally: ignored a navigate effect (only the redirect sink navigates)" in result["log"]
        assert "sinks[0] python Tally: ignored a beacon to another origin" in result["log"]

    def test_it_sees_the_event_through_its_policy(self):
        bridge, _ = started([python("Tally"), python("Tally", pii="raw"), python("Tally", pii="none")], MODULES)
        values = [e["value"] for e in book(bridge)["effects"] if e["op"] == "push"]
        assert values[0]["customer"] is None and len(values[0]["user_data"]["sha256_email_address"]) == 64
        assert values[1]["customer"]["email"] == "johnsmith@example.com"
        assert values[2]["customer"] is None and values[2]["user_data"] is None

    def test_a_sink_that_raises_affects_no_other_and_is_told_once_without_pii(self):
        bridge, _ = started([python("Exploding"), {"type": "data_layer"}], MODULES)
        first, second = book(bridge, "BKNG-ONE0000001"), book(bridge, "BKNG-TWO0000002")
        assert [e["op"] for e in first["effects"]] == ["push"] and [e["op"] for e in second["effects"]] == ["push"]
        told = [line for r in (first, second) for line in r["log"] if "Exploding" in line]
        assert told == ["sinks[0] python Exploding: failed on booking event with RuntimeError (told once per page)"]

    def test_it_waits_for_consent_like_the_others(self):
        bridge, _ = started([python("Tally", consent=["ad_storage"])], MODULES)
        bridge.start({"config": json.dumps({"consent": {"mode": "on"}, "sinks": [python("Tally", consent=["ad_storage"])]}),
                      "page": PAGE, "modules": MODULES})
        bridge.process({"inputs": [], "consent": [{"command": "default", "state": {"ad_storage": "denied"}}]})
        assert book(bridge)["effects"] == []


def test_the_warm_up_at_start_does_not_run_a_custom_module_again():
    """bridge.worker warms the pipeline up with sample bookings at start; a custom sink's module still runs once."""
    from bridge import worker

    import sys

    before = getattr(sys, "tally_module_runs", 0)
    request = {"config": json.dumps({"sinks": [python("Tally")]}), "page": PAGE, "modules": MODULES}
    worker.start(json.dumps(request))
    assert sys.tally_module_runs - before == 1


def test_the_warm_up_never_hands_a_sample_booking_to_a_custom_sink():
    """A site's own sink may keep state (here: the bookings it saw); the worker's warm-up leaves such sinks out."""
    from bridge import worker

    counting = """
from bridge.effects import Push
from bridge.sinks import Sink, SinkConfig
SEEN = []

class Counting(Sink):
    config_model = SinkConfig
    def on_booking(self, booking, context):
        SEEN.append(booking["booking_id"])
        return [Push(target="dataLayer", value={"seen": len(SEEN)})]
"""
    request = {"config": json.dumps({"sinks": [{"type": "data_layer"}, python("Counting", module="/sinks/counting.py")]}),
               "page": PAGE, "modules": {"/sinks/counting.py": {"text": counting}}}
    worker.start(json.dumps(request))  # in CPython the warm-up rounds run right here
    payload = json.loads(json.dumps(SAMPLE_CLASSIC_PAYLOAD))
    payload["bookingInfo"]["BookingId"] = ["BKNG-COUNTED01"]
    answer = json.loads(worker.process(json.dumps({"inputs": [{"kind": "callback", "has_argument": True, "data": payload}]})))
    [seen] = [e["value"]["seen"] for e in answer["results"][0]["effects"] if e["op"] == "push" and "seen" in e["value"]]
    assert seen == 1
