"""oncehub-bridge: turn OnceHub booking confirmations into analytics events on the host page.

Plain Python, no JavaScript interop (that is ``bridge.worker``'s job). Public names:

- ``Bridge`` (``bridge.app``): per-page state; ``start`` / ``process`` (dicts) and ``start_json`` /
  ``process_json`` (JSON text) implement the loader protocol of docs/architecture.md; never raises.
- ``BookingEvent``, ``ErrorEvent``, ``FunnelEvent`` (``bridge.event``): what inputs become.
- ``parse_config``, ``BridgeConfig`` (``bridge.config``): config parsing with one readable problem per fault.
- ``view`` (``bridge.views``): an event as a sink sees it under a PII policy and a ``fields`` allow-list.
- ``Sink``, ``SinkConfig``, ``SinkContext``, ``SkipEvent`` (``bridge.sinks``): the extension point.
- ``hashed_user_data``, ``normalize_email``, ``normalize_phone`` (``bridge.identity``): Google's rules.
"""

from . import _precompiled

_precompiled.install()  # before anything that makes dataclasses or string annotations

from . import _metadata  # noqa: E402

with _metadata.deferred():  # importlib.metadata: pydantic imports it for its plugin search only, off in the runtime
    from .app import Bridge
    from .config import BridgeConfig, parse_config
    from .event import BookingEvent, ErrorEvent, FunnelEvent
    from .identity import hashed_user_data, normalize_email, normalize_phone
    from .sinks import Sink, SinkConfig, SinkContext, SkipEvent
    from .views import view

__all__ = [
    "BookingEvent",
    "Bridge",
    "BridgeConfig",
    "ErrorEvent",
    "FunnelEvent",
    "Sink",
    "SinkConfig",
    "SinkContext",
    "SkipEvent",
    "hashed_user_data",
    "normalize_email",
    "normalize_phone",
    "parse_config",
    "view",
]
