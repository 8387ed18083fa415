"""The bridge's config: its model, and parsing that reports one readable problem per fault and keeps the rest."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .inputs import validation_problem
from .sinks import SINK_CLASSES, SINKS_BY_TYPE, SinkConfig

DEFAULT_ALLOWED_ORIGINS = ("https://oncehub.com",)

AnySinkConfig = Annotated[
    Union[tuple(sink_class.config_model for sink_class in SINK_CLASSES)],  # type: ignore[misc]
    Field(discriminator="type"),
]
"""A discriminated union on ``type`` of every registered sink's config model."""
SINK_CONFIG_ADAPTER: TypeAdapter[SinkConfig] = TypeAdapter(AnySinkConfig)


class BookingCalendarSource(BaseModel):
    """Where Booking Calendar messages may come from."""

    model_config = ConfigDict(extra="forbid")

    allowed_origins: list[str] = Field(default_factory=lambda: list(DEFAULT_ALLOWED_ORIGINS))
    """Origins whose ``message`` events are read (exact string match)."""


class Sources(BaseModel):
    """Settings of the inputs."""

    model_config = ConfigDict(extra="forbid")

    booking_calendar: BookingCalendarSource = Field(default_factory=BookingCalendarSource)


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

    @property
    def type(self) -> str:
        """The sink's ``type`` tag."""
        return self.config.type  # type: ignore[attr-defined]

    @property
    def label(self) -> str:
        """How effects and problems name the sink, e.g. ``sinks[0] data_layer``."""
        return f"sinks[{self.index}] {self.type}"


@dataclass(frozen=True)
class BridgeConfig:
    """The parsed config: only valid parts, defaults where the config was absent or wrong."""

    sources: Sources = field(default_factory=Sources)
    sinks: tuple[PlacedSink, ...] = ()
    debug: bool = False
    page: PageOptions = field(default_factory=PageOptions)


def default_sinks() -> tuple[PlacedSink, ...]:
    """One ``data_layer`` sink with its defaults."""
    return (PlacedSink(0, SINK_CONFIG_ADAPTER.validate_python({"type": "data_layer"})),)


def _parse_sink(index: int, entry: Any, page_url: str | None) -> PlacedSink | str:
    """A valid sink, or the one problem that drops it."""
    known = ", ".join(sorted(SINKS_BY_TYPE))
    if not isinstance(entry, dict):
        return f"sinks[{index}]: must be an object with a \"type\""
    kind = entry.get("type")
    if kind not in SINKS_BY_TYPE:
        what = f"unknown sink type {json.dumps(kind)}" if "type" in entry else 'missing "type"'
        return f"sinks[{index}]: {what} (known: {known})"
    try:
        config = SINK_CONFIG_ADAPTER.validate_python(entry, context={"page_url": page_url})
    except ValidationError as exc:
        return f"sinks[{index}] ({kind}): {validation_problem(exc, strip_loc=1)}"
    return PlacedSink(index, config)


def _parse_sinks(value: Any, page_url: str | None, problems: list[str]) -> tuple[PlacedSink, ...]:
    if not isinstance(value, list):
        problems.append('sinks: must be a list; using the default [{"type": "data_layer"}]')
        return default_sinks()
    placed = []
    for index, entry in enumerate(value):
        result = _parse_sink(index, entry, page_url)
        if isinstance(result, str):
            problems.append(result)
        else:
            placed.append(result)
    return tuple(placed)


_SECTIONS: dict[str, type[BaseModel]] = {"sources": Sources, "page": PageOptions}
_KNOWN_KEYS = ("debug", "page", "sinks", "sources")


def parse_config(text: str | None, page_url: str | None = None) -> tuple[BridgeConfig, list[str]]:
    """Parse the config JSON text; return the usable config and the problems, one readable string each."""
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
    sections: dict[str, Any] = {}
    for key, model in _SECTIONS.items():
        try:
            sections[key] = model.model_validate(raw.get(key, {}))
        except ValidationError as exc:
            problems.append(f"{key}: {validation_problem(exc)}; using defaults")
            sections[key] = model()
    debug = raw.get("debug", False)
    if not isinstance(debug, bool):
        problems.append("debug: must be true or false; using false")
        debug = False
    sinks = _parse_sinks(raw["sinks"], page_url, problems) if "sinks" in raw else default_sinks()
    return BridgeConfig(sinks=sinks, debug=debug, **sections), problems
