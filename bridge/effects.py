"""The vocabulary of effects the loader carries out on the page: push, store, dispatch, call, beacon, navigate."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar


@dataclass(frozen=True)
class Effect:
    """Something for the loader to do; ``sink`` names the sink that asked for it (set by the pipeline)."""

    op: ClassVar[str]
    sink: str = field(default="", kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """The effect as the JSON object of the loader protocol.

        Shallow on purpose: the values are already plain JSON data (views of the event), so ``asdict``'s deep
        copy would only cost time on every booking.
        """
        return {"op": self.op, **{f.name: getattr(self, f.name) for f in fields(self)}}


@dataclass(frozen=True)
class Push(Effect):
    """``(window[target] = window[target] || []).push(value)``; with ``reset``, ``{reset: null}`` is pushed first
    (Google's advice for GTM's recursive merge, like ``{ecommerce: null}``)."""

    op: ClassVar[str] = "push"
    target: str
    value: Any
    reset: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The push as the protocol's JSON object (``reset`` only when set)."""
        effect = super().to_dict()
        if self.reset is None:
            del effect["reset"]
        return effect


@dataclass(frozen=True)
class Store(Effect):
    """``localStorage.setItem(key, value)``; ``value`` ``None`` means ``localStorage.removeItem(key)``."""

    op: ClassVar[str] = "store"
    key: str
    value: str | None


@dataclass(frozen=True)
class Dispatch(Effect):
    """``document.dispatchEvent(new CustomEvent(name, {detail}))``."""

    op: ClassVar[str] = "dispatch"
    name: str
    detail: Any


@dataclass(frozen=True)
class Call(Effect):
    """Call the global function at the dotted ``path`` with ``args``, if it exists, with its owner as ``this``
    (``analytics.track`` is called on ``analytics``)."""

    op: ClassVar[str] = "call"
    path: str
    args: list[Any]


@dataclass(frozen=True)
class Beacon(Effect):
    """``navigator.sendBeacon(url, JSON text of body)`` as ``text/plain``, or ``fetch`` with ``keepalive`` where the
    browser refuses the beacon; applied before any ``navigate``, so it leaves with the visitor."""

    op: ClassVar[str] = "beacon"
    url: str
    body: Any


@dataclass(frozen=True)
class Navigate(Effect):
    """``location.assign(url)`` once, after the other effects settle or ``timeout_ms`` passes."""

    op: ClassVar[str] = "navigate"
    url: str
    timeout_ms: int
