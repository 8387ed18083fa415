"""Each event through each sink, failures isolated, the redirect last."""

from bridge.effects import Navigate, Push
from bridge.event import BookingEvent
from bridge.pipeline import DebugLog, Pipeline
from bridge.sinks import Sink, SinkContext, SkipEvent
from bridge.sinks.data_layer import DataLayerConfig, DataLayerSink

EVENT = BookingEvent(source="booking_page", booking_ids=["A"], booking_id="A",
                     customer={"email": "secret@example.com"})


class Exploding(Sink):
    config_model = DataLayerConfig

    def on_booking(self, booking, context):
        raise KeyError(booking["customer"]["email"] if "customer" in booking else "secret@example.com")


class Skipping(Sink):
    config_model = DataLayerConfig

    def on_booking(self, booking, context):
        raise SkipEvent("not today")


class Late(Sink):
    config_model = DataLayerConfig
    stage = "after"

    def on_booking(self, booking, context):
        return [Navigate(url="https://site.example/t", timeout_ms=1)]


class Garbage(Sink):
    config_model = DataLayerConfig

    def on_booking(self, booking, context):
        return ["not an effect"]


def run(*sinks, debug=True):
    log = DebugLog(enabled=debug)
    labelled = [(f"sinks[{index}] {type(sink).__name__}", sink) for index, sink in enumerate(sinks)]
    effects = Pipeline(labelled, log).run(EVENT, SinkContext())
    return effects, log.lines


class TestIsolation:
    def test_failing_sink_does_not_stop_the_next(self):
        """A sink that raises is reported by name and the next sink still runs."""
        effects, log = run(Exploding(DataLayerConfig()), DataLayerSink(DataLayerConfig()))
        assert [effect.sink for effect in effects] == ["sinks[1] DataLayerSink"]
        assert log == ["sinks[0] Exploding: failed on booking event with KeyError (told once per page)"]

    def test_log_has_no_pii(self):
        """The failure line names the exception type, never its message."""
        _, log = run(Exploding(DataLayerConfig()))
        assert "secret" not in " ".join(log)

    def test_garbage_effects(self):
        """What a sink returns that is not an effect is ignored, with a debug line; its effects still count."""
        effects, log = run(Garbage(DataLayerConfig()), DataLayerSink(DataLayerConfig()))
        assert len(effects) == 1 and "Garbage: ignored 1 return value(s) that are not effects" in log[0]

    def test_skip(self):
        """SkipEvent skips quietly, with its reason in the debug log."""
        effects, log = run(Skipping(DataLayerConfig()))
        assert effects == [] and log == ["sinks[0] Skipping: skipped booking event (not today)"]

    def test_no_log_without_debug(self):
        """Nothing is logged unless debug is on."""
        assert run(Exploding(DataLayerConfig()), debug=False)[1] == []


class TestOrder:
    def test_after_stage_runs_last(self):
        """Sinks of stage "after" run after all others, whatever their position."""
        effects, _ = run(Late(DataLayerConfig()), DataLayerSink(DataLayerConfig()))
        assert [type(effect) for effect in effects] == [Push, Navigate]
        assert effects[1].sink == "sinks[0] Late"
