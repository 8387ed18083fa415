"""Options some sinks share: a conversion ``value`` and its ``currency``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator


class ConversionValue(BaseModel):
    """A fixed value per booking, for ad platforms that optimise on value (mixed into a sink's config)."""

    value: float | None = Field(None, ge=0)
    """What one booking is worth, e.g. ``50``; needs ``currency``."""
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    """ISO 4217 code of ``value``, e.g. ``"USD"``."""

    @model_validator(mode="after")
    def _value_needs_currency(self) -> ConversionValue:
        if self.value is not None and self.currency is None:
            raise ValueError('"value" needs a "currency" (ISO 4217, e.g. "USD")')
        return self

    def value_params(self) -> dict[str, Any]:
        """``{"value": ..., "currency": ...}`` when a value is configured, else nothing."""
        return {"value": self.value, "currency": self.currency} if self.value is not None else {}
