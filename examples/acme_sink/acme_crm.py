"""A custom sink for oncehub-bridge: each booking to the (made-up) Acme CRM's page snippet, `acmeCrm.track(...)`.

Served from the site's own origin (e.g. /sinks/acme_crm.py) and configured with
    {"type": "python", "module": "/sinks/acme_crm.py", "class": "AcmeCrmSink", "account": "AC-1234"}
"""

from typing import Literal

from pydantic import Field

from bridge.effects import Call
from bridge.sinks import Sink, SinkConfig


class AcmeCrmConfig(SinkConfig):
    """The options of the sink (and the ones every sink has: pii, fields, consent)."""

    account: str = Field(pattern=r"^AC-[0-9]{2,10}$")
    """Your Acme account id, e.g. "AC-1234"."""
    stage: Literal["lead", "opportunity"] = "lead"
    """The CRM stage a booked call puts the contact in."""


class AcmeCrmSink(Sink):
    """A booking becomes acmeCrm.track("meeting_booked", {...}); errors and funnel steps are not sent."""

    config_model = AcmeCrmConfig
    config: AcmeCrmConfig
    consent_keys = ("analytics_storage",)

    def on_booking(self, booking, context):
        user = booking.get("user_data") or {}
        return [Call(path="acmeCrm.track", args=["meeting_booked", {
            "account": self.config.account,
            "stage": self.config.stage,
            "booking_id": booking.get("booking_id"),
            "starts": booking.get("starting_time"),
            "email_sha256": user.get("sha256_email_address"),
            "campaign": (booking.get("utm_params") or {}).get("campaign"),
        }])]
