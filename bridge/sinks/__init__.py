"""Sinks and their registry.

Public names: ``Sink``, ``SinkConfig``, ``SinkContext``, ``SkipEvent``, ``SINK_CLASSES``, ``SINKS_BY_TYPE``,
and the sinks ``DataLayerSink``, ``LocalStorageSink``, ``RedirectSink``, ``GtagSink``, ``MetaPixelSink``,
``SegmentSink``, ``HubSpotSink``, ``LinkedInSink``, ``CustomEventSink``, ``CallbackSink``, ``BeaconSink``.
Adding a sink: write ``bridge/sinks/<name>.py`` (its config model and sink class), import it below and name
it in ``SINK_CLASSES``; the config union, the error messages and the start-up code follow from the registry.
"""

from __future__ import annotations

from .base import Sink, SinkConfig, SinkContext, SkipEvent
from .beacon import BeaconSink
from .callback import CallbackSink
from .custom_event import CustomEventSink
from .data_layer import DataLayerSink
from .gtag import GtagSink
from .hubspot import HubSpotSink
from .linkedin import LinkedInSink
from .local_storage import LocalStorageSink
from .meta_pixel import MetaPixelSink
from .redirect import RedirectSink
from .segment import SegmentSink

SINK_CLASSES: tuple[type[Sink], ...] = (
    DataLayerSink, LocalStorageSink, RedirectSink,
    GtagSink, MetaPixelSink, SegmentSink, HubSpotSink, LinkedInSink, CustomEventSink, CallbackSink, BeaconSink,
)
SINKS_BY_TYPE: dict[str, type[Sink]] = {sink_class.type_name(): sink_class for sink_class in SINK_CLASSES}

__all__ = [
    "SINKS_BY_TYPE",
    "SINK_CLASSES",
    "BeaconSink",
    "CallbackSink",
    "CustomEventSink",
    "DataLayerSink",
    "GtagSink",
    "HubSpotSink",
    "LinkedInSink",
    "LocalStorageSink",
    "MetaPixelSink",
    "RedirectSink",
    "SegmentSink",
    "Sink",
    "SinkConfig",
    "SinkContext",
    "SkipEvent",
]
