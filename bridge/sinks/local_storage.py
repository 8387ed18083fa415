"""The ``local_storage`` sink: keep a visitor profile and the last bookings in ``localStorage``."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import Field

from ..effects import Store
from ..event import epoch_utc_text
from ..views import visible_fields
from .base import Sink, SinkConfig, SinkContext

STORAGE_VERSION = 1


class LocalStorageConfig(SinkConfig):
    """Options of the ``local_storage`` sink."""

    type: Literal["local_storage"] = "local_storage"
    key: str = Field("oncehub_bridge", min_length=1, max_length=200)
    """The ``localStorage`` key."""
    max_bookings: int = Field(10, ge=0, le=100)
    """How many of the last bookings to keep."""


def read_stored(text: str | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The stored profile and bookings; anything unreadable counts as nothing stored."""
    try:
        stored = json.loads(text) if text else {}
    except ValueError:
        stored = {}
    stored = stored if isinstance(stored, dict) else {}
    profile = stored.get("profile")
    bookings = stored.get("bookings")
    return (
        dict(profile) if isinstance(profile, dict) else {},
        [entry for entry in bookings if isinstance(entry, dict)] if isinstance(bookings, list) else [],
    )


def _merged(old: Any, new: dict[str, Any] | None) -> Any:
    """``old`` updated with the present values of ``new``."""
    base = dict(old) if isinstance(old, dict) else {}
    base.update({key: value for key, value in (new or {}).items() if value is not None})
    return base or None


class LocalStorageSink(Sink):
    """Merge each booking into the stored profile and append it to the bounded list of last bookings."""

    config_model = LocalStorageConfig
    config: LocalStorageConfig
    consent_keys = ("analytics_storage",)

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Store]:
        """One ``store`` effect with the merged JSON text."""
        key, limit = self.config.key, self.config.max_bookings
        shown = visible_fields(self.config.pii, self.config.fields)
        profile, bookings = read_stored(context.storage.get(key))
        booked_at = epoch_utc_text(context.now)
        count = profile.get("booking_count")
        profile["booking_count"] = (count if isinstance(count, int) and count >= 0 else 0) + 1
        profile.setdefault("first_booked_at", booked_at)
        profile["last_booked_at"] = booked_at
        if not profile.get("first_utm_params") and booking.get("utm_params"):
            profile["first_utm_params"] = booking["utm_params"]
        for field in ("user_data", "customer"):
            merged = _merged(profile.get(field), booking.get(field)) if field in shown else None
            if merged is None:
                profile.pop(field, None)
            else:
                profile[field] = merged
        entries = [{k: v for k, v in entry.items() if k in shown or k == "booked_at"} for entry in bookings]
        entries.append({**booking, "booked_at": booked_at})
        state = {"version": STORAGE_VERSION, "profile": profile, "bookings": entries[-limit:] if limit else []}
        text = json.dumps(state, separators=(",", ":"), ensure_ascii=False)
        context.storage[key] = text
        return [Store(key=key, value=text)]
