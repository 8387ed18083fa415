"""``Bridge``: the per-page state behind the loader protocol (``start`` / ``process``); it never raises."""

from __future__ import annotations

import json
import time
from typing import Any, Callable

from .attribution import FirstTouch
from .config import BridgeConfig, default_sinks, parse_config
from .consent import ConsentGate, ConsentState
from .custom import CustomModules, guarded
from .dedup import DeliveredBookings
from .event import BookingEvent, ErrorEvent, Event
from .intake import read_input, source_of
from .page import PageContext
from .pipeline import DebugLog, Pipeline
from .sinks import SINKS_BY_TYPE, LocalStorageSink, SinkContext
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
        self.consent = ConsentState()
        self.pipeline = Pipeline([], self.log)
        self.first_touch = FirstTouch(self.config.attribution, self.page)
        self.started = False
        self.modules = CustomModules()

    def start(self, request: Any) -> dict[str, Any]:
        """Read the config and the page, build the sinks; report ``problems``, ``debug``, ``storage_keys``, ``log``."""
        problems: list[str] = []
        try:
            self._configure(request if isinstance(request, dict) else {}, problems)
        except Exception as exc:  # a bug must not reach the page: report it and run with defaults
            problems.append(f"internal error while starting ({type(exc).__name__}); using defaults")
            self.config = BridgeConfig(sinks=default_sinks())
            self._build()
        self.started = True
        labels = [label for label, _ in self.pipeline.sinks]
        self.log(f"started with {len(labels)} sink(s): {', '.join(labels) or 'none'}")
        storage_keys = [sink.config.key for _, sink in self.pipeline.sinks if isinstance(sink, LocalStorageSink)]
        storage_keys += [key for key in self.first_touch.storage_keys if key not in storage_keys]
        return {"problems": problems, "debug": self.log.enabled, "storage_keys": storage_keys,
                "log": self.log.take()}

    def _configure(self, request: dict[str, Any], problems: list[str]) -> None:
        self.page = PageContext.from_request(request.get("page"))
        if request.get("config_fetch_error"):
            problems.append(f"config could not be loaded ({request['config_fetch_error']}); using defaults")
        config_text = request.get("config") if isinstance(request.get("config"), str) else None
        if not request.get("keep_modules"):
            self.modules = CustomModules(request.get("modules"))
        self.config, config_problems = parse_config(config_text, self.page.url, self.modules)
        problems.extend(config_problems)
        self.log.enabled = self.config.debug or self.page.debug_requested
        self._build()

    def _build(self) -> None:
        """The pipeline behind the consent gate, one sink per valid sink config, and the first-touch capture."""
        sinks = []
        for placed in self.config.sinks:
            if placed.custom_class:
                sinks.append((placed.label, guarded(placed.custom_class, placed.config, placed.label, self.page.url)))
            else:
                sinks.append((placed.label, SINKS_BY_TYPE[placed.type](placed.config)))
        self.pipeline = Pipeline(sinks, self.log, ConsentGate(self.config.consent, self.consent))
        self.first_touch = FirstTouch(self.config.attribution, self.page)

    def process(self, request: Any) -> dict[str, Any]:
        """Fold consent signals, then page-level ``effects`` (first touch, deliveries consent released) and one
        result (``events``, ``effects``, ``log``) per input, in order; ``wake_ms`` / ``watch_consent`` tell the
        loader when to call again while something waits for consent."""
        if not self.started:
            self.start({})
        request = request if isinstance(request, dict) else {}
        inputs = request.get("inputs") if isinstance(request.get("inputs"), list) else []
        storage = _storage_texts(request.get("storage"))
        effects = self._page_effects(request.get("consent"), storage)
        page_part = {"effects": effects, "log": self.log.take()}
        results = [self._process_one(index, item, storage) for index, item in enumerate(inputs)]
        return {**page_part, "results": results, "wake_ms": self.pipeline.next_deadline_ms(self.clock()),
                "watch_consent": bool(self.pipeline.waiting) or self.first_touch.pending}

    def _page_effects(self, signals: Any, storage: dict[str, str | None]) -> list[dict[str, Any]]:
        """Apply consent signals; the first touch's storage and the deliveries waiting events may now make."""
        try:
            for signal in signals if isinstance(signals, list) else []:
                for note in self.consent.apply(signal):
                    self.log(note)
            context = SinkContext(page_url=self.page.url, now=self.clock(), storage=storage)
            effects = list(self.pipeline.release(context))
            touch = self.first_touch.sync(storage.get(self.first_touch.config.key), self.pipeline.gate, context.now)
            for store in touch:
                storage[store.key] = store.value
                self.log(f"attribution: {'stored' if store.value else 'removed'} first touch")
            return [effect.to_dict() for effect in [*effects, *touch]]
        except Exception as exc:  # a bug must not reach the page
            self.log(f"consent and attribution: internal error {type(exc).__name__}")
            return []

    def _process_one(self, index: int, item: Any, storage: dict[str, str | None]) -> dict[str, Any]:
        try:
            redirect = self.config.sources.redirect
            intake = read_input(
                item,
                self.first_touch.on_page(self.page),
                include_query=self.config.page.include_query,
                allowed_origins=self.config.sources.booking_calendar.allowed_origins,
                redirect_enabled=redirect.enabled,
                personal_params=tuple(redirect.personal_params),
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
        except Exception as exc:  # a bug must not reach the page, nor lose the input without a trace
            self.log(f"input {index}: internal error {type(exc).__name__}")
            return self._internal_error(item)

    def _internal_error(self, item: Any) -> dict[str, Any]:
        """The error event of an input that failed unexpectedly, through every sink (none for a foreign message)."""
        source = source_of(item)
        if source is None:
            return self._result([], [])
        event = ErrorEvent(source=source, code="internal_error", message="the bridge could not process this input")
        try:
            context = SinkContext(page_url=self.page.url, now=self.clock(), storage={})
            effects = [effect.to_dict() for effect in self.pipeline.run(event, context)]
        except Exception:
            effects = []
        return self._result([self._subscriber_event(event)], effects)

    @staticmethod
    def _subscriber_event(event: Event) -> dict[str, Any]:
        """What ``OnceHubBridge.on(kind, fn)`` subscribers receive: the ``hashed`` view."""
        return {"kind": event.kind, "name": event.name, "event": view(event, "hashed")}

    def _result(self, events: list[dict[str, Any]], effects: list[dict[str, Any]]) -> dict[str, Any]:
        return {"events": events, "effects": effects, "log": self.log.take()}

    def validate_config(self, config_text: Any) -> dict[str, Any]:
        """The problems a config text would report on this page, without applying it (for config editors)."""
        try:
            _, problems = parse_config(config_text if isinstance(config_text, str) else None, self.page.url,
                                       self.modules)
        except Exception as exc:  # a bug must not reach the page
            problems = [f"internal error while validating ({type(exc).__name__})"]
        return {"problems": problems}

    def start_json(self, text: str) -> str:
        """``start`` with JSON text in and out."""
        return json.dumps(self.start(read_request(text)), ensure_ascii=False)

    def process_json(self, text: str) -> str:
        """``process`` with JSON text in and out."""
        return json.dumps(self.process(read_request(text)), ensure_ascii=False)

    def validate_config_json(self, config_text: str) -> str:
        """``validate_config`` with the config text in and JSON text out."""
        return json.dumps(self.validate_config(config_text), ensure_ascii=False)


def read_request(text: Any) -> Any:
    """Parse a request's JSON text; anything unreadable becomes an empty request."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return {}
