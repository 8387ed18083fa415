"""The ``segment`` sink: ``analytics.track("Booking Scheduled", ...)``, optionally after ``analytics.identify``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..effects import Call
from ..views import flat_fields
from .base import Sink, SinkConfig, SinkContext

_CAMPAIGN_KEYS = {"campaign": "name", "source": "source", "medium": "medium", "term": "term", "content": "content"}


class SegmentConfig(SinkConfig):
    """Options of the ``segment`` sink."""

    type: Literal["segment"] = "segment"
    event_name: str = Field("Booking Scheduled", min_length=1, max_length=200)
    """The track event's name (Segment's "Object Action" style)."""
    identify: bool = False
    """Also call ``analytics.identify(traits)`` first: ``email``, ``name``, ``phone`` under ``pii: "raw"``,
    the ``sha256_*`` hashes under ``"hashed"``, nothing under ``"none"``."""
    funnel: bool = False
    """Track Booking Calendar funnel steps too, named in the same style (``Form Submitted``,
    ``Booking Calendar Time Slot Selected``)."""


def funnel_track_name(step_type: str) -> str:
    """Segment's "Object Action" name for a funnel step: ``oncehub.form.submitted`` → ``Form Submitted``."""
    words = step_type.removeprefix("oncehub.").replace(".", " ").replace("_", " ").split()
    return " ".join(word.capitalize() for word in words)


def campaign_context(utm_params: dict[str, Any] | None) -> dict[str, Any]:
    """Segment's ``context.campaign`` (``name``, ``source``, ``medium``, ``term``, ``content``) from UTM fields."""
    campaign = {_CAMPAIGN_KEYS.get(key, key): value for key, value in (utm_params or {}).items() if value is not None}
    return {"context": {"campaign": campaign}} if campaign else {}


class SegmentSink(Sink):
    """Track each booking with snake_case properties; UTM fields go to ``context.campaign``."""

    config_model = SegmentConfig
    config: SegmentConfig
    consent_keys = ("analytics_storage",)

    def traits(self, booking: dict[str, Any]) -> dict[str, Any]:
        """The identify traits this sink's view allows: raw customer fields, else the hashes."""
        customer = {key: value for key, value in (booking.get("customer") or {}).items() if value}
        return customer or dict(booking.get("user_data") or {})

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Call]:
        """``identify`` (when configured and there are traits), then ``track``."""
        effects = []
        traits = self.traits(booking) if self.config.identify else {}
        if traits:
            effects.append(Call(path="analytics.identify", args=[traits]))
        properties = {key: value for key, value in flat_fields(booking).items() if not key.startswith("utm_")}
        options = campaign_context(booking.get("utm_params"))
        args: list[Any] = [self.config.event_name, properties] + ([options] if options else [])
        effects.append(Call(path="analytics.track", args=args))
        return effects

    def on_funnel(self, funnel: dict[str, Any], context: SinkContext) -> list[Call]:
        """``track`` of the step (``Booking Calendar Loaded``...) when ``funnel`` is on."""
        if not self.config.funnel:
            return []
        return [Call(path="analytics.track", args=[funnel_track_name(funnel["type"]),
                                                   {"source": funnel["source"], "type": funnel["type"]}])]
