"""Consent Mode v2: the keys, the ``consent`` config section, and the page's consent state built from signals."""

from __future__ import annotations

from typing import Annotated, Any, Iterable, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

CONSENT_KEYS: tuple[str, ...] = (
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
)
"""The keys of Google Consent Mode v2, in Google's order."""

Decision = Literal["granted", "denied"]


def _known_key(name: str) -> str:
    if name not in CONSENT_KEYS:
        raise ValueError(f"{name!r} is not a Consent Mode v2 key ({', '.join(CONSENT_KEYS)})")
    return name


ConsentKey = Annotated[
    str, AfterValidator(_known_key), WithJsonSchema({"type": "string", "enum": list(CONSENT_KEYS)})
]
"""One Consent Mode v2 key, e.g. ``analytics_storage``."""


class ConsentConfig(BaseModel):
    """Consent gating: whether sinks wait for the Consent Mode v2 keys they need, and for how long."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["off", "on"] = "off"
    """``off``: consent is not checked (every sink runs). ``on``: a sink runs only when all of its consent keys
    are granted, from the page's ``gtag("consent", ...)`` commands or ``OnceHubBridge.consent(update)``."""
    wait_ms: int = Field(3000, ge=0, le=60_000)
    """How long an event waits for keys that are still undecided; after that an undecided key counts as
    denied for that event."""


class ConsentState:
    """The page's consent per key: ``default`` commands, overridden by ``update`` commands, in arrival order.

    A key that no command named is undecided (``None``). Region-scoped defaults (with ``region``) are ignored:
    the bridge does not know the visitor's region, and sites that use them also set a global default.
    """

    def __init__(self) -> None:
        self.defaults: dict[str, Decision] = {}
        self.updates: dict[str, Decision] = {}

    def apply(self, signal: Any) -> list[str]:
        """Fold one loader signal ``{"command": "default" | "update", "state": {...}}``; return PII-free notes."""
        if not isinstance(signal, dict) or signal.get("command") not in ("default", "update"):
            return ["consent signal ignored: not a default or update command"]
        state = signal.get("state")
        if not isinstance(state, dict):
            return [f"consent {signal['command']} ignored: its state is not an object"]
        if signal["command"] == "default" and "region" in state:
            return ["consent default with a region ignored"]
        target = self.defaults if signal["command"] == "default" else self.updates
        notes = []
        for key, value in state.items():
            if key in CONSENT_KEYS and value in ("granted", "denied"):
                target[key] = value
            elif key in CONSENT_KEYS:
                notes.append(f"consent {key}: value ignored (granted or denied)")
            elif key not in ("wait_for_update", "region"):
                notes.append(f"consent key {str(key)[:40]!r} ignored (not a Consent Mode v2 key)")
        return notes

    def decision(self, key: str) -> Decision | None:
        """``granted``, ``denied``, or ``None`` while undecided."""
        return self.updates.get(key, self.defaults.get(key))

    def decide(self, keys: Iterable[str]) -> Decision | None:
        """``denied`` if any key is denied, ``granted`` if all are granted (or there are none), else ``None``."""
        decisions = [self.decision(key) for key in keys]
        if "denied" in decisions:
            return "denied"
        return None if None in decisions else "granted"


class ConsentGate:
    """Whether a sink may receive events now: always when gating is off, else per its keys' decision."""

    def __init__(self, config: ConsentConfig | None = None, state: ConsentState | None = None):
        self.config = config or ConsentConfig()
        self.state = state or ConsentState()

    @property
    def enabled(self) -> bool:
        """Whether consent gating is on."""
        return self.config.mode == "on"

    def decide(self, keys: Iterable[str], *, timed_out: bool = False) -> Decision | None:
        """The decision for a sink needing ``keys``; after the wait an undecided key counts as denied."""
        if not self.enabled:
            return "granted"
        decision = self.state.decide(keys)
        return "denied" if decision is None and timed_out else decision
