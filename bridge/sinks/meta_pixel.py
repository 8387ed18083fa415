"""The ``meta_pixel`` sink: ``fbq("track", "Schedule", ...)`` per booking, deduplicated with the Conversions API
through ``eventID``, with advanced matching by Meta's own normalisation rules."""

from __future__ import annotations

from typing import Any, Literal, Sequence

from pydantic import Field

from ..effects import Call, Effect
from ..event import BookingEvent, Customer, Event, funnel_event_name
from ..identity import meta_user_data
from ..views import flat_fields, visible_fields
from .base import Sink, SinkConfig, SinkContext
from .options import ConversionValue


class MetaPixelConfig(SinkConfig, ConversionValue):
    """Options of the ``meta_pixel`` sink."""

    type: Literal["meta_pixel"] = "meta_pixel"
    pixel_id: str | None = Field(None, pattern=r"^\d{5,20}$")
    """The pixel to pass customer identifiers to (advanced matching); without it none are sent."""
    funnel: bool = False
    """Send Booking Calendar funnel steps as custom events (``fbq("trackCustom", "oncehub_form_submitted", ...)``)."""


class MetaPixelSink(Sink):
    """``fbq("init", pixel_id, {em, ph, fn, ln})`` (when ``pixel_id`` is set) then ``fbq("track", "Schedule", ...)``.

    Meta normalises differently from Google (no Gmail dot rule, no ``+`` in phone numbers), so the matching keys
    are computed from the customer's identifiers by Meta's rules rather than copied from ``user_data``: hashed
    under ``pii: "hashed"``, normalised but unhashed under ``"raw"`` (the pixel hashes them), none under
    ``"none"`` or when ``fields`` leaves out ``user_data`` / ``customer``.
    """

    config_model = MetaPixelConfig
    config: MetaPixelConfig
    consent_keys = ("ad_storage", "ad_user_data")

    def __call__(self, event: Event, context: SinkContext) -> Sequence[Effect]:
        """The handlers' effects, preceded for a booking by the advanced-matching ``init``."""
        effects = list(super().__call__(event, context))
        if effects and isinstance(event, BookingEvent) and self.config.pixel_id:
            matching = self.matching(event.customer or Customer())
            if matching:
                effects.insert(0, Call(path="fbq", args=["init", self.config.pixel_id, matching]))
        return effects

    def matching(self, customer: Customer) -> dict[str, str]:
        """``em``, ``ph``, ``fn``, ``ln`` as this sink's PII policy and ``fields`` allow."""
        shown = visible_fields(self.config.pii, self.config.fields)
        if "customer" in shown or "user_data" in shown:
            return meta_user_data(customer.name, customer.email, customer.phone, hashed="customer" not in shown)
        return {}

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Call]:
        """``Schedule`` with ``content_name`` (the subject) and the booking's other flat fields."""
        data = flat_fields(booking)
        subject = data.pop("subject", None)
        custom_data = {**({"content_name": subject} if subject else {}), **data, **self.config.value_params()}
        args: list[Any] = ["track", "Schedule", custom_data]
        if booking.get("booking_id"):
            args.append({"eventID": booking["booking_id"]})
        return [Call(path="fbq", args=args)]

    def on_funnel(self, funnel: dict[str, Any], context: SinkContext) -> list[Call]:
        """``trackCustom`` with ``oncehub_<step>`` when ``funnel`` is on (Meta has no standard event for them)."""
        if not self.config.funnel:
            return []
        return [Call(path="fbq", args=["trackCustom", funnel_event_name(funnel["type"]), {"source": funnel["source"]}])]
