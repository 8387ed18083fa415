"""Run each event through each sink, consent-gated, errors isolated per sink, ``after`` sinks (the redirect) last."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Sequence

from .consent import ConsentGate
from .effects import Effect, Navigate
from .event import Event
from .sinks import Sink, SinkContext, SkipEvent

TIMER_SLACK_SECONDS = 0.01
"""A wake-up this close to a deadline counts as reaching it (the loader's timers are not exact)."""


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


@dataclass
class Waiting:
    """An event that sinks still wait to receive until consent decides or ``deadline`` passes.

    ``after`` holds the ``after`` sinks' effects (the redirect's navigation): they wait for the waiting
    destination sinks, but no longer than ``after_deadline`` (a navigation's own ``timeout_ms``).
    """

    event: Event
    arrived: float
    deadline: float
    sinks: list[tuple[str, Sink]] = field(default_factory=list)
    after: list[Effect] = field(default_factory=list)
    after_deadline: float = math.inf

    def destinations_waiting(self) -> bool:
        """Whether a destination sink is still undecided."""
        return any(sink.stage == "destination" for _, sink in self.sinks)


def _after_deadline(arrived: float, effects: Sequence[Effect], fallback: float) -> float:
    """When held ``after`` effects go anyway: the shortest navigation timeout, else the consent deadline."""
    timeouts = [effect.timeout_ms / 1000 for effect in effects if isinstance(effect, Navigate)]
    return arrived + min(timeouts) if timeouts else fallback


def _shortened(effect: Effect, waited_seconds: float) -> Effect:
    """A navigation keeps only what is left of its timeout after waiting for consent."""
    if not isinstance(effect, Navigate):
        return effect
    return replace(effect, timeout_ms=max(0, effect.timeout_ms - round(waited_seconds * 1000)))


class Pipeline:
    """The configured sinks, each a labelled callable from event to effects, behind the consent gate."""

    def __init__(self, sinks: Sequence[tuple[str, Sink]], log: DebugLog, gate: ConsentGate | None = None):
        order = {"destination": 0, "after": 1}
        self.sinks = sorted(sinks, key=lambda labelled: order[labelled[1].stage])
        self.log = log
        self.gate = gate or ConsentGate()
        self.waiting: list[Waiting] = []
        self.failed: set[str] = set()

    def attempt(self, label: str, sink: Sink, event: Event, context: SinkContext) -> list[Effect]:
        """The sink's effects for ``event``, labelled; a skip or a failure yields none and a log line."""
        try:
            returned = list(sink(event, context) or ())
            effects = [replace(effect, sink=label) for effect in returned if isinstance(effect, Effect)]
            if len(effects) < len(returned):
                self.log(f"{label}: ignored {len(returned) - len(effects)} return value(s) that are not effects")
            effects = [effect for effect in effects if sink.allows(effect, context, self.log)]
        except SkipEvent as skip:
            self.log(f"{label}: skipped {event.kind} event ({skip})")
            return []
        except Exception as exc:  # a failing sink must not affect the others (and is told of once per page)
            if label not in self.failed:
                self.failed.add(label)
                self.log(f"{label}: failed on {event.kind} event with {type(exc).__name__} (told once per page)")
            return []
        if not effects:
            self.log(f"{label}: nothing to do for {event.kind} event")
        return effects

    def run(self, event: Event, context: SinkContext) -> list[Effect]:
        """The effects of every sink consent allows now, in order, ``after`` sinks last; undecided sinks wait."""
        effects: list[Effect] = []
        waiting = Waiting(event, arrived=context.now, deadline=context.now + self.gate.config.wait_ms / 1000)
        for label, sink in self.sinks:
            decision = self.gate.decide(sink.required_consent)
            if decision == "denied":
                self.log(f"{label}: consent denied, {event.kind} event not sent")
            elif decision is None:
                self.log(f"{label}: {event.kind} event waits for consent")
                waiting.sinks.append((label, sink))
            elif sink.stage == "after" and waiting.destinations_waiting():
                waiting.after.extend(self.attempt(label, sink, event, context))
            else:
                effects.extend(self.attempt(label, sink, event, context))
        if waiting.sinks or waiting.after:
            waiting.after_deadline = _after_deadline(context.now, waiting.after, waiting.deadline)
            self.waiting.append(waiting)
        return effects

    def release(self, context: SinkContext) -> list[Effect]:
        """The effects of waiting events that consent (or the end of the wait) has decided since; each once."""
        effects: list[Effect] = []
        now = context.now + TIMER_SLACK_SECONDS
        for waiting in list(self.waiting):
            timed_out = now >= waiting.deadline
            undecided = []
            for label, sink in waiting.sinks:
                decision = self.gate.decide(sink.required_consent, timed_out=timed_out)
                if decision is None:
                    undecided.append((label, sink))
                elif decision == "denied":
                    why = "still undecided after wait_ms" if timed_out else "denied"
                    self.log(f"{label}: consent {why}, {waiting.event.kind} event not sent")
                else:
                    effects.extend(self.attempt(label, sink, waiting.event, context))
            waiting.sinks = undecided
            if waiting.after and (not waiting.destinations_waiting() or now >= waiting.after_deadline):
                effects.extend(_shortened(effect, context.now - waiting.arrived) for effect in waiting.after)
                waiting.after = []
            if not waiting.sinks and not waiting.after:
                self.waiting.remove(waiting)
        return effects

    def next_deadline_ms(self, now: float) -> int | None:
        """Milliseconds until the earliest waiting event must be decided anyway; ``None`` when none waits."""
        deadlines = [waiting.deadline for waiting in self.waiting if waiting.sinks]
        deadlines += [waiting.after_deadline for waiting in self.waiting if waiting.after]
        return max(0, math.ceil((min(deadlines) - now) * 1000)) if deadlines else None
