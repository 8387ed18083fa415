"""The extension point: ``SinkConfig`` (common options), ``Sink`` (event in, effects out), ``SkipEvent``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Sequence

from pydantic import BaseModel, ConfigDict, field_validator

from ..consent import ConsentKey
from ..effects import Effect
from ..event import BOOKING_FIELDS, Event
from ..views import PiiPolicy, view

Stage = Literal["destination", "after"]


class SkipEvent(Exception):
    """Raised by a sink to skip an event on purpose; the message (never PII) goes to the debug log."""


class SinkConfig(BaseModel):
    """Options every sink has; a sink's own model adds ``type: Literal["name"] = "name"`` and its options."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when a config first uses the sink

    pii: PiiPolicy = "hashed"
    """``none`` drops customer, note and user_data; ``hashed`` drops customer and note; ``raw`` keeps all."""
    fields: list[str] | None = None
    """Allow-list of top-level booking fields to send; ``None`` sends every field the policy allows."""
    consent: list[ConsentKey] | None = None
    """Consent Mode v2 keys this sink needs when ``consent.mode`` is ``on`` (all must be granted); ``[]`` needs
    none. Absent: the sink type's own keys (ad sinks: ``ad_storage``, ``ad_user_data``; analytics sinks and
    ``local_storage``: ``analytics_storage``; ``data_layer``, ``redirect``, ``custom_event``, ``callback``: none)."""

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, names: list[str] | None) -> list[str] | None:
        unknown = [name for name in names or () if name not in BOOKING_FIELDS]
        if unknown:
            raise ValueError(f"unknown field {unknown[0]!r} (known: {', '.join(BOOKING_FIELDS)})")
        return names


@dataclass
class SinkContext:
    """What a sink may read about the page while handling one event."""

    page_url: str | None = None
    now: float = 0.0
    """Wall-clock time, seconds since the epoch."""
    storage: dict[str, str | None] = field(default_factory=dict)
    """``localStorage`` texts by key, as sent by the loader; sinks update it with what they store."""


class Sink:
    """Base class: subclasses set ``config_model`` and override the ``on_*`` handlers they need.

    Each handler receives the event as this sink may see it (``view``) and returns effects; returning
    nothing or raising ``SkipEvent`` skips the event. ``stage = "after"`` runs the sink after all others.
    """

    config_model: ClassVar[type[SinkConfig]]
    stage: ClassVar[Stage] = "destination"
    consent_keys: ClassVar[tuple[str, ...]] = ()
    """Consent Mode v2 keys the sink type needs when consent gating is on; a config's ``consent`` overrides."""

    def __init__(self, config: SinkConfig):
        self.config = config

    @classmethod
    def type_name(cls) -> str:
        """The ``type`` tag of this sink in the config."""
        return cls.config_model.model_fields["type"].default

    @property
    def required_consent(self) -> tuple[str, ...]:
        """The consent keys this sink waits for: its config's ``consent``, else the type's ``consent_keys``."""
        return tuple(self.config.consent) if self.config.consent is not None else self.consent_keys

    def __call__(self, event: Event, context: SinkContext) -> Sequence[Effect]:
        """The effects for ``event``: dispatch its view on the event's kind."""
        seen = view(event, self.config.pii, self.config.fields)
        handlers = {"booking": self.on_booking, "error": self.on_error, "funnel": self.on_funnel}
        return handlers[event.kind](seen, context)

    def allows(self, effect: Effect, context: SinkContext, log) -> bool:
        """Whether the pipeline passes this effect on; built-in sinks are trusted (custom sinks are checked)."""
        return True

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> Sequence[Effect]:
        """Effects for a booking; none by default."""
        return ()

    def on_error(self, error: dict[str, Any], context: SinkContext) -> Sequence[Effect]:
        """Effects for an error event (``source``, ``code``, ``message``); none by default."""
        return ()

    def on_funnel(self, funnel: dict[str, Any], context: SinkContext) -> Sequence[Effect]:
        """Effects for a funnel step (``source``, ``type``, ``page``); none by default."""
        return ()
