"""First-touch attribution: a visit's UTM parameters and ad click ids, kept in ``localStorage`` across page loads.

Stored under ``attribution.key`` (default ``oncehub_bridge_attribution``) as
``{"version": 1, "utm_params": {"value": {...}, "captured_at": "...Z"}, "click_ids": {...}}``. UTM parameters
need ``analytics_storage`` and click ids ``ad_storage`` when consent gating is on: a denied part is not written
and is removed if present; an undecided part is not written yet (it is written once granted on this page).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .consent import ConsentGate
from .effects import Store
from .event import epoch_utc_text, none_if_empty
from .inputs.calendar import UTM_KEYS
from .inputs.redirect import parse_time
from .page import CLICK_ID_KEYS, PageContext

ATTRIBUTION_KEY = "oncehub_bridge_attribution"
STORAGE_VERSION = 1
PART_KEYS: dict[str, tuple[str, ...]] = {"utm_params": UTM_KEYS, "click_ids": CLICK_ID_KEYS}
PART_CONSENT: dict[str, str] = {"utm_params": "analytics_storage", "click_ids": "ad_storage"}
"""The Consent Mode v2 key each stored part needs."""


class AttributionConfig(BaseModel):
    """First-touch capture of ``utm_*`` parameters and ``gclid`` / ``fbclid`` / ``msclkid`` on every page."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    """Capture on pages that run the loader and attach to bookings whose payload has none; ``false`` uses only
    the current page's URL."""
    key: str = Field(ATTRIBUTION_KEY, min_length=1, max_length=200)
    """The ``localStorage`` key."""
    max_age_days: int = Field(90, ge=1, le=730)
    """How long a capture is used; older data is removed and the next page with parameters captures again."""


def _timestamp(text: Any) -> float | None:
    moment = parse_time(text)
    return moment.timestamp() if moment is not None else None


def _valid_part(part: str, entry: Any, now: float, max_age_seconds: float) -> dict[str, Any] | None:
    """A stored part when it is well formed and not expired, else ``None``."""
    if not isinstance(entry, dict) or not isinstance(entry.get("value"), dict):
        return None
    captured = _timestamp(entry.get("captured_at"))
    if captured is None or now - captured > max_age_seconds:
        return None
    value = {key: entry["value"].get(key) for key in PART_KEYS[part]}
    if not none_if_empty(value) or not all(item is None or isinstance(item, str) for item in value.values()):
        return None
    return {"value": {key: item for key, item in value.items() if item}, "captured_at": entry["captured_at"]}


def read_stored(text: str | None, now: float, max_age_days: int) -> dict[str, dict[str, Any]]:
    """The valid, unexpired parts of a stored text; anything unreadable counts as nothing stored."""
    try:
        stored = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(stored, dict):
        return {}
    parts = {part: _valid_part(part, stored.get(part), now, max_age_days * 86_400) for part in PART_KEYS}
    return {part: entry for part, entry in parts.items() if entry is not None}


class FirstTouch:
    """The visitor's first touch as this page knows it: stored on an earlier visit, or captured from its URL."""

    def __init__(self, config: AttributionConfig, page: PageContext):
        self.config = config
        self.page_values: dict[str, dict[str, str]] = {
            "utm_params": {k: v for k, v in page.utm_params(UTM_KEYS).items() if v},
            "click_ids": {k: v for k, v in page.click_ids().items() if v},
        }
        self.parts: dict[str, dict[str, Any]] = {}
        self.pending = False
        """Whether this page has parameters that wait for an undecided consent key before being stored."""

    @property
    def storage_keys(self) -> list[str]:
        """The ``localStorage`` key the loader must send, when capture is enabled."""
        return [self.config.key] if self.config.enabled else []

    def sync(self, stored_text: str | None, gate: ConsentGate, now: float) -> list[Store]:
        """Drop expired or denied parts, capture this page's parameters where consent allows and nothing valid
        is stored; a ``store`` effect (value ``None`` removes the key) when the stored text must change."""
        if not self.config.enabled:
            return []
        parts = read_stored(stored_text, now, self.config.max_age_days)
        self.pending = False
        for part, consent_key in PART_CONSENT.items():
            decision = gate.decide((consent_key,))
            if decision == "denied":
                parts.pop(part, None)
            elif part not in parts and self.page_values[part]:
                if decision == "granted":
                    parts[part] = {"value": self.page_values[part], "captured_at": epoch_utc_text(now)}
                else:
                    self.pending = True
        self.parts = parts
        text = json.dumps({"version": STORAGE_VERSION, **parts}, separators=(",", ":")) if parts else None
        return [] if text == stored_text else [Store(key=self.config.key, value=text, sink="attribution")]

    def on_page(self, page: PageContext) -> PageContext:
        """``page`` with the first-touch values events should carry (the URL's own values are the fallback)."""
        utm, click_ids = self.parts.get("utm_params"), self.parts.get("click_ids")
        return page.with_first_touch(utm["value"] if utm else None, click_ids["value"] if click_ids else None)
