"""The ``redirect`` sink: one top-level navigation per page to a validated, filled URL template, last."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, model_validator

from ..effects import Navigate
from ..event import HASHED_FIELDS, PII_FIELDS, TEMPLATE_PATHS
from ..templating import TemplateError, fill, placeholder_in_scheme_or_host, placeholders
from ..url_policy import AllowedHosts, resolve, target_problem
from ..views import PiiPolicy, visible_fields
from .base import Sink, SinkConfig, SinkContext, SkipEvent


def placeholder_problem(name: str, policy: PiiPolicy, fields: list[str] | None) -> str | None:
    """Why the sink may not use ``{name}``, or ``None`` when it may."""
    if name not in TEMPLATE_PATHS:
        return f"unknown placeholder {{{name}}} (e.g. {{booking_id}}, {{utm_params.source}})"
    top = name.split(".")[0]
    if top in visible_fields(policy, fields):
        return None
    if fields is not None and top not in fields:
        return f'placeholder {{{name}}} is not in "fields"'
    needed = '"raw"' if top in PII_FIELDS else '"hashed" or "raw"' if top in HASHED_FIELDS else None
    return f'placeholder {{{name}}} needs "pii": {needed}'


class RedirectConfig(SinkConfig):
    """Options of the ``redirect`` sink; validated against the page URL given as validation context."""

    type: Literal["redirect"] = "redirect"
    pii: PiiPolicy = "none"
    url: str
    """Target template, absolute or relative to the page, e.g. ``/thank-you?booking={booking_id}``."""
    allowed_hosts: AllowedHosts
    """Hosts other than the page's own that the target may be on."""
    timeout_ms: int = Field(1500, ge=0, le=60_000)
    """How long to wait for the other sinks' effects before navigating anyway."""
    fallback_ms: int = Field(3000, ge=0, le=60_000)
    """When the runtime has not processed a booking this long after it came (late, blocked, failed), the loader
    navigates to ``url`` itself: same-origin targets only, placeholders left empty; the booking is kept for the
    target page."""

    @model_validator(mode="after")
    def _safe_template(self, info: ValidationInfo) -> RedirectConfig:
        page_url = (info.context or {}).get("page_url")
        try:
            names = placeholders(self.url)
        except TemplateError as exc:
            raise ValueError(f"url: {exc}") from None
        for name in names:
            problem = placeholder_problem(name, self.pii, self.fields)
            if problem:
                raise ValueError(f"url: {problem}")
        if placeholder_in_scheme_or_host(self.url):
            raise ValueError("url: placeholders are not allowed in the scheme or host")
        problem = target_problem(fill(self.url, {}), page_url, self.allowed_hosts)
        if problem:
            raise ValueError(f"url: {problem}")
        return self


class RedirectSink(Sink):
    """Navigate to the filled ``url`` for the first booking of the page; later bookings are skipped."""

    config_model = RedirectConfig
    config: RedirectConfig
    stage = "after"

    def __init__(self, config: RedirectConfig):
        super().__init__(config)
        self.navigated = False

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Navigate]:
        """One ``navigate`` effect to the filled URL, re-validated; at most once per page."""
        if self.navigated:
            raise SkipEvent("already navigated once on this page")
        url = resolve(fill(self.config.url, booking), context.page_url)
        problem = target_problem(url, context.page_url, self.config.allowed_hosts)
        if problem:
            raise SkipEvent(f"filled URL rejected: {problem}")
        self.navigated = True
        return [Navigate(url=url, timeout_ms=self.config.timeout_ms)]
