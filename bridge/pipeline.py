"""Run each event through each sink, errors isolated per sink, ``after`` sinks (the redirect) last."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from .effects import Effect
from .event import Event
from .sinks import Sink, SinkContext, SkipEvent


class DebugLog:
    """Collects PII-free debug lines, only when enabled."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.lines: list[str] = []

    def __call__(self, line: str) -> None:
        """Record ``line`` when debug logging is on."""
        if self.enabled:
            self.lines.append(line)

    def take(self) -> list[str]:
        """The lines recorded so far, clearing them."""
        lines, self.lines = self.lines, []
        return lines


class Pipeline:
    """The configured sinks, each a labelled callable from event to effects."""

    def __init__(self, sinks: Sequence[tuple[str, Sink]], log: DebugLog):
        order = {"destination": 0, "after": 1}
        self.sinks = sorted(sinks, key=lambda labelled: order[labelled[1].stage])
        self.log = log

    def attempt(self, label: str, sink: Sink, event: Event, context: SinkContext) -> list[Effect]:
        """The sink's effects for ``event``, labelled; a skip or a failure yields none and a log line."""
        try:
            effects = [replace(effect, sink=label) for effect in sink(event, context) or ()]
        except SkipEvent as skip:
            self.log(f"{label}: skipped {event.kind} event ({skip})")
            return []
        except Exception as exc:  # a failing sink must not affect the others
            self.log(f"{label}: failed on {event.kind} event with {type(exc).__name__}")
            return []
        if not effects:
            self.log(f"{label}: nothing to do for {event.kind} event")
        return effects

    def run(self, event: Event, context: SinkContext) -> list[Effect]:
        """Every sink's effects for ``event``, in order, ``after`` sinks last."""
        return [effect for label, sink in self.sinks for effect in self.attempt(label, sink, event, context)]
