"""Sinks and their registry.

Public names: ``Sink``, ``SinkConfig``, ``SinkContext``, ``SkipEvent``, ``SINK_CLASSES``, ``SINKS_BY_TYPE``,
and the sinks ``DataLayerSink``, ``LocalStorageSink``, ``RedirectSink``.
Adding a sink: write ``bridge/sinks/<name>.py`` (its config model and sink class), import it below and name
it in ``SINK_CLASSES``; the config union, the error messages and the start-up code follow from the registry.
"""

from __future__ import annotations

from .base import Sink, SinkConfig, SinkContext, SkipEvent
from .data_layer import DataLayerSink
from .local_storage import LocalStorageSink
from .redirect import RedirectSink

SINK_CLASSES: tuple[type[Sink], ...] = (DataLayerSink, LocalStorageSink, RedirectSink)
SINKS_BY_TYPE: dict[str, type[Sink]] = {sink_class.type_name(): sink_class for sink_class in SINK_CLASSES}

__all__ = [
    "SINKS_BY_TYPE",
    "SINK_CLASSES",
    "DataLayerSink",
    "LocalStorageSink",
    "RedirectSink",
    "Sink",
    "SinkConfig",
    "SinkContext",
    "SkipEvent",
]
