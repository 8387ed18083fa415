"""SPEC §7 in the browser: a custom Python sink loaded from the page's own origin, its options, its policy, and its
isolation from every other sink."""

from booking_payloads import CUSTOMER_EMAIL, classic
from harness import host_page

TRACKER = "<script>window.tracked = []; window.acmeCrm = {track: (...args) => window.tracked.push(args)};</script>"
ACME = {"type": "python", "module": "/sinks/acme_crm.py", "class": "AcmeCrmSink", "account": "AC-1234"}
RAISING = '''
from bridge.sinks import Sink, SinkConfig

class Raising(Sink):
    config_model = SinkConfig
    def on_booking(self, booking, context):
        raise ValueError("boom")
'''


class TestCustomSink:
    def test_the_example_sink_runs_with_its_options_and_sees_no_raw_email(self, host):
        host.open(host_page(TRACKER, {"sinks": [ACME, {"type": "data_layer"}]}))
        host.booking(classic("BKNG-CUSTOMSINK01"))
        [[name, properties]] = host.wait_for("window.tracked.length && window.tracked")
        assert name == "meeting_booked"
        assert properties["account"] == "AC-1234" and properties["booking_id"] == "BKNG-CUSTOMSINK01"
        assert len(properties["email_sha256"]) == 64
        assert CUSTOMER_EMAIL.lower() not in str(properties).lower()
        assert [url for url in host.watch.requests if url.endswith(".py")].count(f"{host.origin}/sinks/acme_crm.py") == 1

    def test_bad_options_are_one_readable_problem_and_the_others_deliver(self, host):
        host.watch.expect_console_error("sinks[0] (python AcmeCrmSink): account:")
        host.open(host_page(TRACKER, {"sinks": [{**ACME, "account": "1234"}, {"type": "data_layer"}]}))
        host.booking(classic("BKNG-CUSTOMBAD001"))
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        host.settle(0.5)
        assert host.page.evaluate("window.tracked") == []
        assert len([line for line in host.watch.console_errors if "python AcmeCrmSink" in line]) == 1

    def test_broken_missing_raising_and_foreign_modules_affect_no_other_sink(self, host, other_origin):
        for fragment in ("sinks[0] (python X): module sinks/broken.py does not import: SyntaxError",
                         "sinks[1] (python Missing): module /sinks/acme_crm.py has no class Missing",
                         "sinks[3] (python X): module: must be on this page's own origin"):
            host.watch.expect_console_error(fragment)
        sinks = [{"type": "python", "module": "sinks/broken.py", "class": "X"},
                 {**ACME, "class": "Missing"},
                 {"type": "python", "module": "sinks/raising.py", "class": "Raising"},
                 {"type": "python", "module": f"{other_origin}/sinks/acme_crm.py", "class": "X"},
                 ACME, {"type": "data_layer"}]
        host.open(host_page(TRACKER, {"sinks": sinks}),
                  others={"/sinks/broken.py": "def broken(:\n", "/sinks/raising.py": RAISING})
        host.booking(classic("BKNG-CUSTOMISO001"))
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        host.wait_for("window.tracked.length === 1")
        assert not any(url.startswith(other_origin) for url in host.watch.requests)  # never requested
        assert len(host.watch.console_errors) == 3  # one per faulty config entry; the raising sink is silent
