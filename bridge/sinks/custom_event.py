"""The ``custom_event`` sink: ``document.dispatchEvent(new CustomEvent(name, {detail}))`` for each event."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..effects import Dispatch
from .base import Sink, SinkConfig, SinkContext


class CustomEventConfig(SinkConfig):
    """Options of the ``custom_event`` sink; a ``null`` name turns that kind of event off."""

    type: Literal["custom_event"] = "custom_event"
    name: str = Field("oncehub:booking", min_length=1, max_length=200)
    """The DOM event name for bookings."""
    error_name: str | None = Field("oncehub:error", min_length=1, max_length=200)
    """The DOM event name for failed bookings (``null``: none)."""
    funnel_name: str | None = Field("oncehub:funnel", min_length=1, max_length=200)
    """The DOM event name for Booking Calendar funnel steps (``null``: none)."""


class CustomEventSink(Sink):
    """Dispatch the event's view on ``document``; listeners read it from ``event.detail``."""

    config_model = CustomEventConfig
    config: CustomEventConfig
    consent_keys = ()

    @staticmethod
    def _dispatch(name: str | None, detail: dict[str, Any]) -> list[Dispatch]:
        return [Dispatch(name=name, detail=detail)] if name else []

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Dispatch]:
        """``name`` with the booking's view."""
        return self._dispatch(self.config.name, booking)

    def on_error(self, error: dict[str, Any], context: SinkContext) -> list[Dispatch]:
        """``error_name`` with ``source``, ``code`` and ``message``."""
        return self._dispatch(self.config.error_name, error)

    def on_funnel(self, funnel: dict[str, Any], context: SinkContext) -> list[Dispatch]:
        """``funnel_name`` with ``source``, ``type`` and ``page``."""
        return self._dispatch(self.config.funnel_name, funnel)
