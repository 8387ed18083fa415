"""The ``linkedin`` sink: ``lintrk("track", {conversion_id})`` per booking (LinkedIn Insight Tag)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..effects import Call
from ..views import PiiPolicy
from .base import Sink, SinkConfig, SinkContext


class LinkedInConfig(SinkConfig):
    """Options of the ``linkedin`` sink."""

    type: Literal["linkedin"] = "linkedin"
    pii: PiiPolicy = "none"
    conversion_id: int = Field(gt=0)
    """The conversion's id in LinkedIn Campaign Manager."""


class LinkedInSink(Sink):
    """Report the conversion; the booking id goes along as ``event_id`` so Conversions API events dedupe."""

    config_model = LinkedInConfig
    config: LinkedInConfig
    consent_keys = ("ad_storage", "ad_user_data")

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Call]:
        """One ``lintrk("track", ...)`` call."""
        conversion: dict[str, Any] = {"conversion_id": self.config.conversion_id}
        if booking.get("booking_id"):
            conversion["event_id"] = booking["booking_id"]
        return [Call(path="lintrk", args=["track", conversion])]
