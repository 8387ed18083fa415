"""The bridge's config: its model, and parsing that reports one readable problem per fault and keeps the rest."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from .attribution import AttributionConfig
from .consent import ConsentConfig
from .custom import CustomModules, PythonSinkEntry, custom_sink
from .inputs import validation_problem
from .sinks import SINK_CLASSES, SINKS_BY_TYPE, SinkConfig

DEFAULT_ALLOWED_ORIGINS = ("https://oncehub.com",)

AnySinkConfig = Annotated[
    Union[(*(sink_class.config_model for sink_class in SINK_CLASSES), PythonSinkEntry)],  # type: ignore[misc]
    Field(discriminator="type"),
]
"""A discriminated union on ``type`` of every registered sink's config model: the schema's view of ``sinks``.
At start-up each entry is validated by its own model instead, so a page pays only for the sinks it configures."""


class BookingCalendarSource(BaseModel):
    """Where Booking Calendar messages may come from."""

    model_config = ConfigDict(extra="forbid")

    allowed_origins: list[str] = Field(default_factory=lambda: list(DEFAULT_ALLOWED_ORIGINS))
    """Origins whose ``message`` events are read (exact string match)."""


class RedirectSource(BaseModel):
    """OnceHub's automatic redirect with booking data in the confirmation page's URL."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    """Scrub the URL and track the booking; ``false`` (or ``"redirect": false``) leaves such URLs alone."""
    keep_params: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list, max_length=50)
    """Parameters of the site's own to leave in the URL besides the non-personal booking fields, utm_* and click
    ids (everything else is removed)."""
    personal_params: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list, max_length=50)
    """Parameters that hold personal data (custom fields a site maps, e.g. ``job_title``): removed from the URL
    like every unknown parameter, and also left out of the event's ``custom_fields``."""


def _redirect_source(value: Any) -> Any:
    return {"enabled": value} if isinstance(value, bool) else value


class Sources(BaseModel):
    """Settings of the inputs."""

    model_config = ConfigDict(extra="forbid")

    booking_calendar: BookingCalendarSource = Field(default_factory=BookingCalendarSource)
    """Booking Calendar ``message`` events."""
    redirect: Annotated[RedirectSource, BeforeValidator(_redirect_source)] = Field(default_factory=RedirectSource)
    """OnceHub's automatic redirect with booking data (``true``/``false`` or an object)."""


class RuntimeOptions(BaseModel):
    """When the Python runtime starts, and how long the loader waits for it."""

    model_config = ConfigDict(extra="forbid")

    start: Literal["near_embed", "load", "manual"] = "near_embed"
    """``near_embed``: when an OnceHub embed comes within ``margin_px`` of the viewport (or a callback, message or
    booking to process arrives); ``load``: after the page's load event; ``manual``: at ``OnceHubBridge.start()``."""
    margin_px: int = Field(600, ge=0, le=100_000)
    """How close to the viewport an embed must come for ``near_embed``."""
    embed_selector: str = Field("", max_length=500)
    """A CSS selector of the site's own embed containers, besides OnceHub's (``SOIDIV_...``, OnceHub iframes)."""
    timeout_ms: int = Field(20_000, ge=1000, le=600_000)
    """A runtime not ready this long after its start is ``"failed"``; bookings are then kept for the next page."""


class PageOptions(BaseModel):
    """What the events say about the host page."""

    model_config = ConfigDict(extra="forbid")

    include_query: bool = False
    """Whether ``page.url`` and ``page.referrer`` keep their query string."""


@dataclass(frozen=True)
class PlacedSink:
    """A valid sink config and its position in the config's ``sinks`` list."""

    index: int
    config: SinkConfig
    custom_class: type | None = None
    """The class of a custom ``python`` sink (SPEC §7); ``None`` for the built-in sinks."""

    @property
    def type(self) -> str:
        """The sink's ``type`` tag."""
        return "python" if self.custom_class else self.config.type  # type: ignore[attr-defined]

    @property
    def label(self) -> str:
        """How effects and problems name the sink, e.g. ``sinks[0] data_layer``, ``sinks[2] python AcmeSink``."""
        if self.custom_class:
            return f"sinks[{self.index}] python {self.custom_class.__name__}"
        return f"sinks[{self.index}] {self.type}"


@dataclass(frozen=True)
class BridgeConfig:
    """The parsed config: only valid parts, defaults where the config was absent or wrong."""

    sources: Sources = field(default_factory=Sources)
    sinks: tuple[PlacedSink, ...] = ()
    debug: bool = False
    page: PageOptions = field(default_factory=PageOptions)
    consent: ConsentConfig = field(default_factory=ConsentConfig)
    attribution: AttributionConfig = field(default_factory=AttributionConfig)
    runtime: RuntimeOptions = field(default_factory=RuntimeOptions)


class ConfigDocument(BaseModel):
    """The whole config: the ``#oncehub-bridge-config`` JSON block or the ``data-config`` file.

    ``parse_config`` reads it part by part so that one fault drops only its part; this model is the reference
    for the JSON Schema and docs/config.md (``python3 -m bridge.schema``).
    """

    model_config = ConfigDict(extra="forbid", title="oncehub-bridge config", defer_build=True)

    sources: Sources = Field(default_factory=Sources)
    """Settings of the inputs."""
    sinks: list[AnySinkConfig] = Field([{"type": "data_layer"}])  # type: ignore[assignment]
    """Where events go, each entry a sink with a ``type``; an invalid entry is dropped, the others run."""
    debug: bool = False
    """Debug lines in the console (also ``?oncehub_bridge_debug=1`` in the page URL)."""
    page: PageOptions = Field(default_factory=PageOptions)
    """What the events say about the host page."""
    consent: ConsentConfig = Field(default_factory=ConsentConfig)
    """Consent Mode v2 gating of the sinks."""
    attribution: AttributionConfig = Field(default_factory=AttributionConfig)
    """First-touch UTM and click-id capture."""
    runtime: RuntimeOptions = Field(default_factory=RuntimeOptions)
    """When the Python runtime starts (the loader reads this before the runtime exists)."""


def default_sinks() -> tuple[PlacedSink, ...]:
    """One ``data_layer`` sink with its defaults."""
    return (PlacedSink(0, SINKS_BY_TYPE["data_layer"].config_model()),)


def _parse_sink(index: int, entry: Any, page_url: str | None, modules: CustomModules) -> PlacedSink | str:
    """A valid sink, or the one problem that drops it."""
    known = ", ".join(sorted([*SINKS_BY_TYPE, "python"]))
    if not isinstance(entry, dict):
        return f"sinks[{index}]: must be an object with a \"type\""
    kind = entry.get("type")
    if kind == "python":
        custom = custom_sink(index, entry, page_url, modules)
        return custom if isinstance(custom, str) else PlacedSink(index, custom[0], custom[1])
    if kind not in SINKS_BY_TYPE:
        what = f"unknown sink type {json.dumps(kind)}" if "type" in entry else 'missing "type"'
        return f"sinks[{index}]: {what} (known: {known})"
    try:
        config = SINKS_BY_TYPE[kind].config_model.model_validate(entry, context={"page_url": page_url})
    except ValidationError as exc:
        return f"sinks[{index}] ({kind}): {validation_problem(exc, index_brackets=True)}"
    return PlacedSink(index, config)


def _parse_sinks(value: Any, page_url: str | None, problems: list[str],
                 modules: CustomModules) -> tuple[PlacedSink, ...]:
    if not isinstance(value, list):
        problems.append('sinks: must be a list; using the default [{"type": "data_layer"}]')
        return default_sinks()
    placed = []
    for index, entry in enumerate(value):
        result = _parse_sink(index, entry, page_url, modules)
        if isinstance(result, str):
            problems.append(result)
        else:
            placed.append(result)
    return tuple(placed)


_SECTIONS: dict[str, type[BaseModel]] = {
    "sources": Sources, "page": PageOptions, "consent": ConsentConfig, "attribution": AttributionConfig,
    "runtime": RuntimeOptions,
}
_KNOWN_KEYS = tuple(sorted(ConfigDocument.model_fields))
_FAIL_CLOSED: dict[str, dict[str, Any]] = {"consent": {"mode": "on"}}
"""Options that fall back to the cautious value, not the default, when their section is wrong: a config that
tries to configure consent keeps consent gating on."""


def _parse_section(key: str, model: type[BaseModel], value: Any, problems: list[str]) -> BaseModel:
    """The section, its wrong options replaced by defaults (or by ``_FAIL_CLOSED`` values); one problem line."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        error = exc
    if not isinstance(value, dict):
        section = model.model_validate(_FAIL_CLOSED.get(key, {}))
        problems.append(f"{key}: must be an object; {_using(section, list(_FAIL_CLOSED.get(key, {})))}")
        return section
    wrong = {detail["loc"][0] for detail in error.errors(include_input=False, include_url=False) if detail["loc"]}
    kept = {name: option for name, option in value.items() if name not in wrong}
    cautious = {name: option for name, option in _FAIL_CLOSED.get(key, {}).items() if name not in kept}
    try:
        section = model.model_validate({**kept, **cautious})
    except ValidationError:  # options valid alone but not together: the whole section falls back
        section, wrong = model.model_validate(cautious), set(model.model_fields)
    replaced = [name for name in model.model_fields if name in wrong or name in cautious]
    problems.append(f"{key}: {validation_problem(error, index_brackets=True)}; {_using(section, replaced)}")
    return section


def _using(section: BaseModel, replaced: list[str]) -> str:
    """What replaces wrong options: ``using wait_ms 3000``, ``using mode "on"``, or ``using defaults``."""
    values = {name: getattr(section, name) for name in replaced}
    if not values or not all(isinstance(value, (str, int, float, bool)) for value in values.values()):
        return "using defaults"
    return "using " + ", ".join(f"{name} {json.dumps(value)}" for name, value in values.items())


def parse_config(text: str | None, page_url: str | None = None,
                 modules: CustomModules | None = None) -> tuple[BridgeConfig, list[str]]:
    """Parse the config JSON text; return the usable config and the problems, one readable string each.
    ``modules`` holds the custom sinks' module texts the loader fetched (SPEC §7)."""
    if text is None or not text.strip():
        return BridgeConfig(sinks=default_sinks()), []
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = f"config is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); using defaults"
        return BridgeConfig(sinks=default_sinks()), [problem]
    if not isinstance(raw, dict):
        return BridgeConfig(sinks=default_sinks()), ["config must be a JSON object; using defaults"]
    problems = [
        f'unknown key {json.dumps(key)} ignored (known: {", ".join(_KNOWN_KEYS)})'
        for key in raw
        if key not in _KNOWN_KEYS
    ]
    sections = {key: _parse_section(key, model, raw.get(key, {}), problems) for key, model in _SECTIONS.items()}
    debug = raw.get("debug", False)
    if not isinstance(debug, bool):
        problems.append("debug: must be true or false; using false")
        debug = False
    sinks = (_parse_sinks(raw["sinks"], page_url, problems, modules or CustomModules()) if "sinks" in raw
             else default_sinks())
    return BridgeConfig(sinks=sinks, debug=debug, **sections), problems
