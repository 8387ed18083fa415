"""``Bridge``: the per-page state behind the loader protocol (``start`` / ``process``); it never raises."""

from __future__ import annotations

import json
import time
from typing import Any, Callable

from .config import BridgeConfig, default_sinks, parse_config
from .dedup import DeliveredBookings
from .event import BookingEvent, Event
from .intake import read_input
from .page import PageContext
from .pipeline import DebugLog, Pipeline
from .sinks import SINKS_BY_TYPE, LocalStorageSink, Sink, SinkContext
from .views import view


def _storage_texts(storage: Any) -> dict[str, str | None]:
    """The ``storage`` object of a ``process`` request, keeping only text (or null) values."""
    if not isinstance(storage, dict):
        return {}
    return {key: value for key, value in storage.items() if isinstance(value, str) or value is None}


class Bridge:
    """One page's bridge: configured sinks, delivered bookings and the debug log.

    ``clock`` returns wall-clock seconds since the epoch; tests inject a fake one.
    """

    def __init__(self, clock: Callable[[], float] = time.time):
        self.clock = clock
        self.delivered = DeliveredBookings(clock)
        self.page = PageContext()
        self.config = BridgeConfig(sinks=default_sinks())
        self.log = DebugLog(enabled=False)
        self.pipeline = Pipeline([], self.log)
        self.started = False

    def start(self, request: Any) -> dict[str, Any]:
        """Read the config and the page, build the sinks; report ``problems``, ``debug``, ``storage_keys``, ``log``."""
        problems: list[str] = []
        try:
            self._configure(request if isinstance(request, dict) else {}, problems)
        except Exception as exc:  # a bug must not reach the page: report it and run with defaults
            problems.append(f"internal error while starting ({type(exc).__name__}); using defaults")
            self.config = BridgeConfig(sinks=default_sinks())
            self.pipeline = Pipeline(self._build_sinks(), self.log)
        self.started = True
        labels = [label for label, _ in self.pipeline.sinks]
        self.log(f"started with {len(labels)} sink(s): {', '.join(labels) or 'none'}")
        storage_keys = [sink.config.key for _, sink in self.pipeline.sinks if isinstance(sink, LocalStorageSink)]
        return {"problems": problems, "debug": self.log.enabled, "storage_keys": storage_keys,
                "log": self.log.take()}

    def _configure(self, request: dict[str, Any], problems: list[str]) -> None:
        self.page = PageContext.from_request(request.get("page"))
        if request.get("config_fetch_error"):
            problems.append(f"config could not be loaded ({request['config_fetch_error']}); using defaults")
        config_text = request.get("config") if isinstance(request.get("config"), str) else None
        self.config, config_problems = parse_config(config_text, self.page.url)
        problems.extend(config_problems)
        self.log.enabled = self.config.debug or self.page.debug_requested
        self.pipeline = Pipeline(self._build_sinks(), self.log)

    def _build_sinks(self) -> list[tuple[str, Sink]]:
        """One sink instance per valid sink config, labelled like ``sinks[0] data_layer``."""
        return [(placed.label, SINKS_BY_TYPE[placed.type](placed.config)) for placed in self.config.sinks]

    def process(self, request: Any) -> dict[str, Any]:
        """One result (``events``, ``effects``, ``log``) per input, in order."""
        if not self.started:
            self.start({})
        request = request if isinstance(request, dict) else {}
        inputs = request.get("inputs") if isinstance(request.get("inputs"), list) else []
        storage = _storage_texts(request.get("storage"))
        return {"results": [self._process_one(index, item, storage) for index, item in enumerate(inputs)]}

    def _process_one(self, index: int, item: Any, storage: dict[str, str | None]) -> dict[str, Any]:
        try:
            intake = read_input(
                item,
                self.page,
                include_query=self.config.page.include_query,
                allowed_origins=self.config.sources.booking_calendar.allowed_origins,
            )
            self.log(f"input {index}: {intake.note}")
            event = intake.event
            if event is None:
                return self._result([], [])
            if isinstance(event, BookingEvent) and not self.delivered.first_delivery(event):
                self.log(f"input {index}: duplicate booking ignored")
                return self._result([], [])
            context = SinkContext(page_url=self.page.url, now=self.clock(), storage=storage)
            effects = [effect.to_dict() for effect in self.pipeline.run(event, context)]
            return self._result([self._subscriber_event(event)], effects)
        except Exception as exc:  # a bug must not reach the page
            self.log(f"input {index}: internal error {type(exc).__name__}")
            return self._result([], [])

    @staticmethod
    def _subscriber_event(event: Event) -> dict[str, Any]:
        """What ``OnceHubBridge.on(kind, fn)`` subscribers receive: the ``hashed`` view."""
        return {"kind": event.kind, "name": event.name, "event": view(event, "hashed")}

    def _result(self, events: list[dict[str, Any]], effects: list[dict[str, Any]]) -> dict[str, Any]:
        return {"events": events, "effects": effects, "log": self.log.take()}

    def validate_config(self, config_text: Any) -> dict[str, Any]:
        """The problems a config text would report on this page, without applying it (for config editors)."""
        try:
            _, problems = parse_config(config_text if isinstance(config_text, str) else None, self.page.url)
        except Exception as exc:  # a bug must not reach the page
            problems = [f"internal error while validating ({type(exc).__name__})"]
        return {"problems": problems}

    def start_json(self, text: str) -> str:
        """``start`` with JSON text in and out."""
        return json.dumps(self.start(_loads(text)), ensure_ascii=False)

    def process_json(self, text: str) -> str:
        """``process`` with JSON text in and out."""
        return json.dumps(self.process(_loads(text)), ensure_ascii=False)

    def validate_config_json(self, config_text: str) -> str:
        """``validate_config`` with the config text in and JSON text out."""
        return json.dumps(self.validate_config(config_text), ensure_ascii=False)


def _loads(text: Any) -> Any:
    """Parse a request's JSON text; anything unreadable becomes an empty request."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return {}
