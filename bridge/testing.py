"""Test helpers: a fake page that applies effects the way the loader does, and a controllable clock."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class FakeClock:
    """A clock for ``Bridge(clock=...)`` that only moves when told to."""

    now: float = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


@dataclass
class FakePage:
    """Globals, ``localStorage`` and navigations of a page, changed only through loader effects."""

    globals: dict[str, list[Any]] = field(default_factory=dict)
    storage: dict[str, str] = field(default_factory=dict)
    dispatched: list[tuple[str, Any]] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)

    def apply(self, effects: list[dict[str, Any]]) -> None:
        """Carry out protocol effects (plain dicts), as the JavaScript loader would (every navigation is recorded)."""
        for effect in effects:
            op = effect["op"]
            if op == "push":
                self.globals.setdefault(effect["target"], []).append(effect["value"])
            elif op == "store" and effect["value"] is None:
                self.storage.pop(effect["key"], None)
            elif op == "store":
                self.storage[effect["key"]] = effect["value"]
            elif op == "dispatch":
                self.dispatched.append((effect["name"], effect["detail"]))
            elif op == "navigate":
                self.navigations.append(effect["url"])

    def apply_results(self, response: dict[str, Any]) -> None:
        """Apply a ``process`` response as the loader does: its page-level effects, then every result in order."""
        self.apply(response.get("effects", []))
        for result in response["results"]:
            self.apply(result["effects"])

    def stored_json(self, key: str = "oncehub_bridge") -> Any:
        """The parsed JSON stored under ``key``."""
        return json.loads(self.storage[key])
