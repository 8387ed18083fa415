"""The demo's custom Python sink (docs/custom-sinks.md): a booked call becomes a message for the sales team's chat,
through the page's own `acme.salesAlert(text)`. It is loaded from this site like any site owner's sink would be."""

from pydantic import Field

from bridge.effects import Call
from bridge.sinks import Sink, SinkConfig


class SalesAlertConfig(SinkConfig):
    channel: str = Field("#sales", pattern=r"^#[a-z0-9_-]{1,40}$")
    """The chat channel the alert goes to."""


class SalesAlertSink(Sink):
    """One line per booking, without any personal data: what was booked, when, and from which campaign."""

    config_model = SalesAlertConfig
    config: SalesAlertConfig

    def on_booking(self, booking, context):
        campaign = (booking.get("utm_params") or {}).get("campaign") or "no campaign"
        text = f"{booking.get('subject') or 'A meeting'} booked for {booking.get('starting_time')} ({campaign})"
        return [Call(path="acme.salesAlert", args=[self.config.channel, text])]
